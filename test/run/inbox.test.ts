import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprint, moveInto, quarantine, scanInbox } from '../../src/run/inbox.js';

const known = new Set(['SCJG', 'SWJ', 'HBJ']);

function inbox(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'credit-etl-inbox-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('the inbox', () => {
  it('finds every delivery, nights in order, and every file in no delivery\'s place', async () => {
    const root = inbox({
      '2026-11-26/SCJG/b.xlsx': 'b', '2026-11-25/SWJ/a.csv': 'a', '2026-11-25/SCJG/z.csv': 'z', '2026-11-25/SCJG/a.csv': 'a2',
      '2026-11-25/SCJG/.upload.csv': 'hidden', '2026-11-25/SCJG/c.csv.part': 'partial', '2026-11-25/SCJG/~$lock.xlsx': 'excel lock',
      '2026-11-25/SCJG/old/x.csv': 'nested', '2026-11-25/XXX/y.csv': 'unknown unit', '2026-11-25/loose.csv': 'no unit',
      'readme.txt': 'at the root', '2026-02-30/SCJG/q.csv': 'no such night', 'latest/SCJG/r.csv': 'not a night',
      '2026-11-25/SCJG/keep.reason.json': '{}',
    });
    symlinkSync('/etc/passwd', join(root, '2026-11-25/SCJG/passwd.csv'));
    const scan = await scanInbox(root, { known });
    expect(scan.deliveries.map((d) => `${d.date}/${d.unit}/${d.name}`)).toEqual([
      '2026-11-25/SCJG/a.csv', '2026-11-25/SCJG/z.csv', '2026-11-25/SWJ/a.csv', '2026-11-26/SCJG/b.xlsx',
    ]);
    expect(scan.deliveries[0]!.path).toBe(join(root, '2026-11-25/SCJG/a.csv'));
    expect(Object.fromEntries(scan.strays.map((s) => [s.place, s.reason]))).toEqual({
      '2026-02-30/SCJG/q.csv': '2026-02-30 is not a night\'s folder (YYYY-MM-DD)',
      '2026-11-25/SCJG/old/x.csv': 'in a folder below the unit\'s: deliveries sit directly in <YYYY-MM-DD>/<unit code>/',
      '2026-11-25/SCJG/passwd.csv': 'a symbolic link: deliveries are files, links are not followed',
      '2026-11-25/XXX/y.csv': 'XXX is not a unit of the catalog',
      '2026-11-25/loose.csv': 'not in a unit\'s folder (<YYYY-MM-DD>/<unit code>/)',
      'latest/SCJG/r.csv': 'latest is not a night\'s folder (YYYY-MM-DD)',
      'readme.txt': 'not in a <YYYY-MM-DD>/<unit code>/ folder of the inbox',
    });
  });

  it('takes one night or some units when asked, and an inbox that does not exist yet is empty', async () => {
    const root = inbox({ '2026-11-25/SCJG/a.csv': 'a', '2026-11-26/SCJG/b.csv': 'b', '2026-11-26/SWJ/c.csv': 'c', 'stray.txt': 's' });
    const night = await scanInbox(root, { known, date: '2026-11-26' });
    expect(night.deliveries.map((d) => d.name)).toEqual(['b.csv', 'c.csv']);
    expect(night.strays).toEqual([]);
    expect((await scanInbox(root, { known, units: new Set(['SWJ']) })).deliveries.map((d) => d.name)).toEqual(['c.csv']);
    expect(await scanInbox(join(root, 'nothing-here'), { known })).toEqual({ deliveries: [], strays: [] });
  });

  it('moves without ever overwriting, and quarantines with the reason beside the file', async () => {
    const root = inbox({ 'in/a.csv': 'first', 'in2/a.csv': 'second', 'in3/a.csv': 'third' });
    const to = join(root, 'archive/2026-11-25/SCJG');
    expect(relative(root, await moveInto(join(root, 'in/a.csv'), to))).toBe('archive/2026-11-25/SCJG/a.csv');
    expect(relative(root, await moveInto(join(root, 'in2/a.csv'), to))).toBe('archive/2026-11-25/SCJG/a.1.csv');
    expect(readFileSync(join(to, 'a.csv'), 'utf8')).toBe('first');
    expect(readFileSync(join(to, 'a.1.csv'), 'utf8')).toBe('second');
    expect(existsSync(join(root, 'in/a.csv'))).toBe(false);
    const q = await quarantine(join(root, 'in3/a.csv'), join(root, 'quarantine'), { code: 'file/corrupt', reason: 'truncated' });
    expect(JSON.parse(readFileSync(`${q}.reason.json`, 'utf8'))).toEqual({ code: 'file/corrupt', reason: 'truncated' });
    expect(await fingerprint(q)).toEqual({ sha256: createHash('sha256').update('third').digest('hex'), bytes: 5 });
  });
});
