import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/index.js';
import { headerVocabulary } from '../../src/read/headers.js';
import { DeliveryError, type Grid, type GridRow, type SourceRow } from '../../src/read/model.js';
import { joinHeaderRows, shapeGrid } from '../../src/read/shape.js';

const v2 = loadCatalog('v2');
const vocabulary = headerVocabulary(v2.subjects.filter((s) => s.code === 'XZCF' || s.code === 'XZXK'));

function grid(rows: string[][], name = '行政处罚'): Grid {
  return { name, rows: (async function* () { let i = 0; for (const cells of rows) yield { row: ++i, cells } as GridRow; })() };
}
async function all(rows: AsyncIterable<SourceRow>): Promise<SourceRow[]> {
  const out: SourceRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

describe('shapeGrid', () => {
  it('skips title and blank rows before the header and keeps row numbers as a person counts them', async () => {
    const t = await shapeGrid(grid([
      ['惠州市市场监督管理局行政处罚信息（2019年第3季度）', '', ''],
      ['', '', ''],
      ['行政相对人名称', '统一社会信用代码', '处罚决定日期'],
      ['惠州市某某有限公司', '91441300MA4UJ9R62T', '2019-03-05'],
    ]), 'x.xlsx', vocabulary);
    expect(t.headers).toEqual(['行政相对人名称', '统一社会信用代码', '处罚决定日期']);
    expect(t.headerRow).toBe(3);
    expect(await all(t.rows)).toEqual([{ row: 4, cells: ['惠州市某某有限公司', '91441300MA4UJ9R62T', '2019-03-05'] }]);
    expect(t.skipped).toEqual([{ row: 1, why: 'title', text: '惠州市市场监督管理局行政处罚信息（2019年第3季度）' }, { row: 2, why: 'blank', text: '' }]);
  });

  it('joins a two-row merged header: a parent 行政相对人代码 over _1…_3', async () => {
    const t = await shapeGrid(grid([
      ['行政相对人名称', '行政相对人代码', '行政相对人代码', '行政相对人代码', '处罚决定日期'],
      ['行政相对人名称', '_1', '_2', '_3', '处罚决定日期'],
      ['某公司', '91441300MA4UJ9R62T', '', '', '2019-03-05'],
    ]), 'x.xlsx', vocabulary);
    expect(t.headers).toEqual(['行政相对人名称', '行政相对人代码_1', '行政相对人代码_2', '行政相对人代码_3', '处罚决定日期']);
    expect(t.headerRow).toBe(2);
    expect((await all(t.rows)).map((r) => r.row)).toEqual([3]);
  });

  it('prefers the spelling the catalog knows when joining parent and child labels', () => {
    expect(joinHeaderRows(['行政相对人代码', '行政相对人代码'], ['统一社会信用代码', '工商注册号'], vocabulary))
      .toEqual(['统一社会信用代码', '工商注册号']);
  });

  it('stops before trailing notes, signatures and totals; a note-like row followed by data is data', async () => {
    const t = await shapeGrid(grid([
      ['行政相对人名称', '统一社会信用代码', '处罚决定日期', '处罚机关'],
      ['甲公司', '91441300MA4UJ9R62T', '2019-03-05', '惠州市市场监督管理局'],
      ['乙公司', '', '', ''],
      ['丙公司', '91441300MA4UJ9R62T', '2019-03-06', '惠州市市场监督管理局'],
      ['', '', '', ''],
      ['注：本表由各单位于每月5日前报送', '', '', ''],
      ['填报人：张三', '', '审核人：李四', ''],
      ['合计', '3', '', ''],
    ]), 'x.xlsx', vocabulary);
    expect((await all(t.rows)).map((r) => r.cells[0])).toEqual(['甲公司', '乙公司', '丙公司']);
    expect(t.skipped.map((s) => [s.row, s.why])).toEqual([[5, 'blank'], [6, 'note'], [7, 'note'], [8, 'note']]);
  });

  it('flags ragged rows as row problems and keeps going', async () => {
    const t = await shapeGrid(grid([
      ['行政相对人名称', '统一社会信用代码', '处罚决定日期'],
      ['甲公司', '91441300MA4UJ9R62T', '2019-03-05', '多出来的值'],
      ['乙公司', '91441300MA4UJ9R62T'],
      ['丙公司', '91441300MA4UJ9R62T', '2019-03-06', '', ''],
    ]), '行政处罚.csv', vocabulary);
    const rows = await all(t.rows);
    expect(rows.map((r) => r.problem?.message)).toEqual([
      'row 2 of 行政处罚.csv: 4 cells where the header has 3',
      'row 3 of 行政处罚.csv: 2 cells where the header has 3',
      undefined,
    ]);
    expect(rows[2]!.cells).toEqual(['丙公司', '91441300MA4UJ9R62T', '2019-03-06']);
  });

  it('finds a header whose every label carries a 必填 note', async () => {
    const t = await shapeGrid(grid([['行政相对人名称（必填）', '统一社会信用代码（必填）', '处罚决定日期（必填）'], ['甲公司', 'x', '2019-03-05']]), 'x.csv', vocabulary);
    expect(t.headerRow).toBe(1);
  });

  it('joins a two-row header saved to CSV, where the merged parent stands in its first column only', async () => {
    const t = await shapeGrid(grid([
      ['行政相对人名称', '行政相对人代码', '', '', '处罚决定日期'],
      ['', '1', '2', '3', ''],
      ['甲公司', '91441300MA4UJ9R62T', '', '', '2019-03-05'],
    ]), 'x.csv', vocabulary);
    expect(t.headers).toEqual(['行政相对人名称', '行政相对人代码_1', '行政相对人代码_2', '行政相对人代码_3', '处罚决定日期']);
  });

  it('sets aside a header repeated mid-sheet and a column-numbering row, but keeps a lone identifier row', async () => {
    const t = await shapeGrid(grid([
      ['行政相对人名称', '统一社会信用代码', '处罚决定日期', '处罚机关'],
      ['1', '2', '3', '4'],
      ['甲公司', '91441300MA4UJ9R62T', '2019-03-05', '惠州市市场监督管理局'],
      ['行政相对人名称', '统一社会信用代码', '处罚决定日期', '处罚机关'],
      ['乙公司', '91441300MA4UJ9R62T', '2019-03-06', '惠州市市场监督管理局'],
      ['', '440524188001010014', '', ''],
      ['以上数据截至2019年9月30日', '', '', ''],
    ]), 'x.xlsx', vocabulary);
    expect((await all(t.rows)).map((r) => r.row)).toEqual([3, 5, 6]);
    expect(t.skipped).toEqual([{ row: 2, why: 'header', text: '1 2 3 4' }, { row: 4, why: 'header', text: '行政相对人名称 统一社会信用代码 处罚决定日期 处罚机关' }, { row: 7, why: 'note', text: '以上数据截至2019年9月30日' }]);
  });

  it('never shows a resident ID or phone from a set-aside row or a headerless file', async () => {
    const t = await shapeGrid(grid([['行政相对人名称', '处罚决定日期', '处罚机关', '备注'], ['甲', '2019-03-05', '局', ''], ['填报人：张三 13812345678 身份证440524188001010014', '', '', '']]), 'x.csv', vocabulary);
    await all(t.rows);
    expect(t.skipped[0]!.text).toBe('填报人：张三 138****5678 身份证440524********0014');
    await expect(shapeGrid(grid([['张三', '自然人', '440524188001010014'], ['李四', '自然人', '440524188001010022']]), 'x.csv', vocabulary))
      .rejects.toThrow(/first row: 张三 \| 自然人 \| 440524\*{8}0014\)/);
  });

  it('refuses a grid with no header row, an empty grid and a header with no data', async () => {
    await expect(shapeGrid(grid([['a', 'b'], ['1', '2']]), 'x.csv', vocabulary)).rejects.toMatchObject({ code: 'file/no-header' });
    await expect(shapeGrid(grid([['', ''], []]), 'x.csv', vocabulary)).rejects.toMatchObject({ code: 'file/empty' });
    const t = await shapeGrid(grid([['行政相对人名称', '处罚决定日期'], ['', ''], ['注：无', '']]), 'x.csv', vocabulary);
    const err = await all(t.rows).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ code: 'file/header-only', message: 'x.csv: "行政处罚" has a header (row 1) but no data rows' });
  });
});
