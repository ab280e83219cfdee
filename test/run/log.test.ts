import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/index.js';
import { plainLine, redactPaths, runLog } from '../../src/run/log.js';
import { Progress } from '../../src/run/progress.js';

const catalog = loadCatalog('v2');
const ID = '440524188001010014';
const PHONE = '13812345678';

/** A stand-in for stderr: what was written, and whether it claims to be a terminal. */
function terminal(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const s = new PassThrough();
  let text = '';
  s.on('data', (b: Buffer) => { text += b.toString(); });
  return { stream: Object.assign(s, { isTTY }) as unknown as NodeJS.WriteStream, text: () => text };
}

describe('run logs', () => {
  it('redact every personal item of the catalog by name and mask ID- and phone-shaped numbers in any text', async () => {
    expect(redactPaths(catalog)).toEqual(expect.arrayContaining(['CF_XDR_ZJHM', '*.CF_XDR_ZJHM', 'CF_FR_ZJHM']));
    const file = join(mkdtempSync(join(tmpdir(), 'credit-etl-log-')), 'logs', 'run-1.log');
    const err = terminal(false);
    const { log, close } = runLog({ level: 'info', catalog, file, stderr: err.stream });
    log.info({ row: { CF_XDR_ZJHM: ID }, CF_FR_ZJHM: ID, note: `called ${PHONE} about ${ID}`, sha256: '4401234567890123456789abcdef' }, `row 5: ${ID} looked odd`);
    log.debug('not at info');
    await close();
    await new Promise((r) => setImmediate(r));
    for (const text of [readFileSync(file, 'utf8'), err.text()]) {
      const line = JSON.parse(text.trim()) as Record<string, unknown>;
      expect(line).toMatchObject({
        row: { CF_XDR_ZJHM: '[personal]' }, CF_FR_ZJHM: '[personal]',
        note: 'called 138****5678 about 440524********0014', msg: 'row 5: 440524********0014 looked odd',
        sha256: '4401234567890123456789abcdef',
      });
      expect(text).not.toContain(ID);
      expect(text).not.toContain(PHONE);
    }
  });

  it('writes plain lines to a terminal', async () => {
    const err = terminal(true);
    const { log, close } = runLog({ level: 'info', catalog, stderr: err.stream });
    log.warn({ file: '2026-11-25/SCJG/a.csv', code: 'file/corrupt' }, 'quarantined');
    await close();
    await new Promise((r) => setImmediate(r));
    // The line first clears whatever the terminal line held (the progress line).
    expect(err.text()).toMatch(/^\r\x1b\[2K\d{2}:\d{2}:\d{2} WARN  quarantined  file=2026-11-25\/SCJG\/a\.csv code=file\/corrupt\n$/);
    expect(plainLine('not json')).toBe('not json');
  });

  it('draws progress on a terminal only: files, rows, rows/s, time left', () => {
    expect(Progress.on(terminal(false).stream, 3, 300)).toBeUndefined();
    const tty = terminal(true);
    const p = Progress.on(tty.stream, 2, 300)!;
    p.fileStarted('SCJG/a.csv', 100);
    p.rowsRead('SCJG/a.csv', 2000);
    p.fileDone('SCJG/a.csv');
    p.fileStarted('SWJ/b.xlsx', 200);
    const last = tty.text().split('\r\x1b[2K').at(-1)!;
    expect(last).toMatch(/^\[1\/2 files\] 2,000 rows · [\d,]+ rows\/s · \d+s elapsed, ~\d+s left · SWJ\/b\.xlsx$/);
    p.end();
    expect(tty.text().endsWith('\r\x1b[2K')).toBe(true);
  });
});
