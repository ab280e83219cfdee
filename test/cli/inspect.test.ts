import { describe, expect, it } from 'vitest';
import { REASONS } from '../../src/reasons.js';
import { cli } from './capture.js';

describe('credit-etl inspect', () => {
  it('prints each table\'s subject, the ledger-style identity and the reasons with examples; exit 2 on rejections', async () => {
    const r = await cli('inspect', 'fixtures/delivery/xls-biff8-penalty-dirty-quarter.xls', '--unit', 'SCJG');
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/table "行政处罚" → XZCF 行政处罚信息 \(chosen by headers\), header at row 2/);
    expect(r.stdout).toMatch(/rows read 9 = accepted 4 \+ rejected 5; 0 with warnings; 13 repairs/);
    expect(r.stdout).toMatch(/set aside: row 1 title, row 12 blank, row 13 note/);
    expect(r.stdout).toMatch(/cell\/date ×1\n\s+row 6 of xls-biff8-penalty-dirty-quarter.xls: 处罚决定日期: 2019-02-30 is not a real date/);
  });

  it('exits 0 on a clean delivery and reports a quarantined one with its reason', async () => {
    expect((await cli('inspect', 'fixtures/delivery/xls-really-html-penalty-gbk.xls')).code).toBe(0);
    const bad = await cli('inspect', 'fixtures/sheet/xlsx-password-protected.xlsx', '--format', 'json');
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout)).toEqual([expect.objectContaining({ file: 'xlsx-password-protected.xlsx', quarantined: expect.objectContaining({ code: 'file/encrypted' }) })]);
  });

  it('applies error limits from the command line', async () => {
    const r = await cli('inspect', 'fixtures/delivery/xls-biff8-penalty-dirty-quarter.xls', '--max-rejected-percent', '50', '--format', 'json');
    const [i] = JSON.parse(r.stdout) as [{ quarantined?: { code: string; message: string } }];
    expect(i.quarantined).toEqual({ code: 'file/error-limit', message: expect.stringMatching(/5 of 9 rows rejected \(55\.6%\); the pipeline allows at most 50%/) });
  });

  it('refuses an error limit that is not a number instead of silently dropping it', async () => {
    const r = await cli('inspect', 'x.csv', '--max-rejected-rows', 'abc');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/"abc" is not a number of 0 or more/);
  });

  it('refuses an unknown unit or subject with the choices', async () => {
    const r = await cli('inspect', 'x.csv', '--unit', 'NOPE');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/has no unit NOPE \(units: /);
  });

  it('reasons lists every stable code', async () => {
    const r = await cli('reasons');
    for (const code of Object.keys(REASONS)) expect(r.stdout).toContain(code);
  });
});
