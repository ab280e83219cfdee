// `credit-etl report` as a user types it: the run it reports on, its formats, its mistakes.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/index.js';
import { runNight } from '../../src/run/night.js';
import { loadPipeline } from '../../src/run/pipeline.js';
import { printable } from '../../src/text-table.js';
import { openWarehouse } from '../../src/warehouse/connect.js';
import { ensureSchema } from '../../src/warehouse/schema.js';
import { cli } from './capture.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'credit-etl-report-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const spec = join(dir, 'credit.db');
const catalog = loadCatalog('v2');

describe('credit-etl report', () => {
  it('reports the last run, a given run, in every format; refuses what is not a run', async () => {
    const empty = join(dir, 'empty.db');
    const wh0 = await openWarehouse(empty);
    await ensureSchema(wh0, catalog);
    await wh0.close();
    expect(await cli('report', '--warehouse', empty)).toMatchObject({ code: 1, stderr: expect.stringContaining('has no runs yet') });

    cpSync(join(REPO, 'fixtures', 'nights', '2026-11-26'), join(dir, 'inbox', '2026-11-26'), { recursive: true });
    // A file named to move the terminal: an ANSI escape and a bell.
    writeFileSync(join(dir, 'inbox', '2026-11-26', 'ZJJ', 'bad\u001b[31mred\u0007.csv'), 'not,a,delivery\r\n1,2,3\r\n');
    writeFileSync(join(dir, 'p.json'), JSON.stringify({ name: 'r', catalog: 'v2', folders: { inbox: 'inbox', archive: 'archive', quarantine: 'quarantine', reports: 'reports', receipts: 'receipts' } }));
    const wh = await openWarehouse(spec);
    await ensureSchema(wh, catalog);
    const result = await runNight({ wh, catalog, pipeline: loadPipeline(join(dir, 'p.json'), dir), log: pino({ level: 'silent' }), idKey: randomBytes(32), date: '2026-11-26' });
    await wh.close();

    const text = await cli('report', '--warehouse', spec);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^run ${result.batchId} \\(finished, catalog v2\\)`));
    expect(text.stdout).toContain('rows: ');
    expect(text.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    for (const format of ['json', 'md', 'html']) {
      const r = await cli('report', '--run', String(result.batchId), '--format', format, '--warehouse', spec);
      expect(r.code, format).toBe(0);
    }
    expect(JSON.parse((await cli('report', '--last', '--format', 'json', '--warehouse', spec)).stdout)).toMatchObject({ run: { id: result.batchId } });
    expect(await cli('report', '--run', '99', '--warehouse', spec)).toMatchObject({ code: 1, stderr: expect.stringContaining('there is no run 99') });
    expect(await cli('report', '--run', '1', '--last', '--warehouse', spec)).toMatchObject({ code: 1, stderr: expect.stringContaining('give one') });
  });

  it('refuses report options given before `units`, which would otherwise score another warehouse', async () => {
    const r = await cli('report', '--warehouse', join(dir, 'nowhere.db'), 'units');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--warehouse given before `units` belongs to `report`');
  });

  it('shows control and format characters as �, so a name cannot act on the terminal', () => {
    expect(printable('bad\u001b[31mred\u0007\u202e.csv')).toBe('bad\ufffd[31mred\ufffd\ufffd.csv');
    expect(printable('行政处罚 2026')).toBe('行政处罚 2026');
  });
});
