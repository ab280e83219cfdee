// A real, dirty delivery from file to verdicts: read → map → cleanse → validate, every row
// accounted for with its row number as a person counts it in Excel.
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/index.js';
import { readDelivery } from '../../src/read/index.js';
import { FileCheck, type CheckedRow } from '../../src/validate/index.js';

const catalog = loadCatalog('v2');
const FILE = 'xls-biff8-penalty-dirty-quarter.xls';

async function check(path: string) {
  const out: { checked: CheckedRow[]; skipped: number[]; summary: ReturnType<FileCheck['finish']>; personal: string[] }[] = [];
  for await (const t of readDelivery(path, { catalog })) {
    const f = new FileCheck(catalog, FILE);
    const checkRow = f.table(t.columns, t.table.name);
    const checked: CheckedRow[] = [];
    const personal: string[] = [];
    const personalColumns = t.columns.columns.flatMap((item, i) => (item?.personal ? [i] : []));
    for await (const r of t.table.rows) {
      checked.push(checkRow(r));
      for (const i of personalColumns) if (r.cells[i]) personal.push(r.cells[i]!);
    }
    out.push({ checked, skipped: t.table.skipped.map((s) => s.row), summary: f.finish(), personal });
  }
  return out;
}

describe('a dirty quarter of 行政处罚 in BIFF8, read and validated', async () => {
  const [{ checked, skipped, summary, personal }] = await check(`fixtures/delivery/${FILE}`) as [Awaited<ReturnType<typeof check>>[number]];
  const verdict = (row: number) => checked.find((c) => c.row === row)!;

  it('accounts for every data row: rows read = accepted + rejected; title, blank and signature rows set aside', () => {
    expect(checked.map((c) => c.row)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(skipped).toEqual([1, 12, 13]);
    expect(summary).toMatchObject({ rows: 9, rejected: 5 });
    expect(checked.filter((c) => c.rejections.length === 0).length + summary.rejected).toBe(summary.rows);
  });

  it('repairs full-width codes, Chinese dates, amounts in 元 and empty markers, recording each', () => {
    const r = verdict(4);
    expect(r.rejections).toEqual([]);
    expect(r.record).toMatchObject({ CF_JDRQ: '2019-03-05', CF_NR_FK: 0.2 });
    expect(r.repairs.map((x) => x.item)).toEqual(expect.arrayContaining(['CF_XDR_SHXYM', 'CF_JDRQ', 'CF_NR_FK', 'BZ']));
    expect(verdict(10).record['CF_CFLB']).toBe('警告；罚款');
  });

  it('rejects each bad row with the reason a unit can act on', () => {
    expect(verdict(5).rejections[0]).toMatchObject({ code: 'identity/uscc-check', message: expect.stringMatching(/^row 5 of xls-biff8-penalty-dirty-quarter.xls: 统一社会信用代码 91441302MA5000031\w fails its check character \(expected \w\)$/) });
    expect(verdict(6).rejections[0]).toMatchObject({ code: 'cell/date', message: 'row 6 of xls-biff8-penalty-dirty-quarter.xls: 处罚决定日期: 2019-02-30 is not a real date (February 2019 has 28 days)' });
    expect(verdict(7).rejections[0]).toMatchObject({ code: 'row/duplicate-in-file', message: expect.stringMatching(/as row 3$/) });
    expect(verdict(8).rejections[0]).toMatchObject({ code: 'cell/required', item: 'CF_FRDB' });
    expect(verdict(11).rejections[0]).toMatchObject({ code: 'identity/corrupted-by-excel', item: 'CF_XDR_ZJHM' });
  });

  it('never shows a resident ID in clear', () => {
    const text = JSON.stringify(checked.flatMap((c) => [...c.rejections, ...c.warnings]));
    expect(personal.length).toBeGreaterThan(5);
    for (const id of personal) expect(text).not.toContain(id);
  });
});
