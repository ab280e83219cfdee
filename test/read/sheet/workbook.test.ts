import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DeliveryError, type Grid, type GridRow } from '../../../src/read/model.js';
import { openWorkbookGrids, type WorkbookFormat } from '../../../src/read/sheet/workbook.js';

const fixture = (name: string): Buffer => readFileSync(`fixtures/sheet/${name}`);
const open = (name: string, format: WorkbookFormat = name.endsWith('.xls') ? 'xls' : 'xlsx') =>
  openWorkbookGrids(`fixtures/sheet/${name}`, fixture(name), format);

async function rowsOf(grid: Grid): Promise<GridRow[]> {
  const rows: GridRow[] = [];
  for await (const row of grid.rows) rows.push(row);
  return rows;
}

function deliveryError(read: () => unknown): DeliveryError {
  try {
    read();
  } catch (error) {
    if (error instanceof DeliveryError) return error;
    throw error;
  }
  throw new Error('expected a DeliveryError');
}

describe('a penalty workbook with a title row, a merged two-row header and trailing notes', async () => {
  const { grids } = open('xlsx-title-row-two-row-header-penalty.xlsx');
  const rows = await rowsOf(grids[0]!);

  it('yields one grid named by the sheet, every row numbered as Excel shows it', () => {
    expect(grids.map((g) => g.name)).toEqual(['行政处罚']);
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(new Set(rows.map((r) => r.cells.length))).toEqual(new Set([30]));
  });

  it('fills the merged parent 行政相对人代码 above each of its six children', () => {
    expect(rows[1]!.cells.slice(0, 9)).toEqual([
      '行政相对人名称', '行政相对人类别', '行政相对人代码', '行政相对人代码', '行政相对人代码', '行政相对人代码', '行政相对人代码', '行政相对人代码', '法定代表人',
    ]);
    expect(rows[2]!.cells.slice(0, 9)).toEqual([
      '行政相对人名称', '行政相对人类别', '1(统一社会信用代码)', '2(工商注册号)', '3(组织机构代码)', '4(税务登记号)', '5(事业单位证书号)', '6(社会组织登记证号)', '法定代表人',
    ]);
    expect(rows[2]!.cells[29]).toBe('备注');
  });

  it('fills the merged title and note rows across the sheet and keeps the 填报人 row as typed', () => {
    expect(rows[0]!.cells.every((c) => c === '惠州市XX局行政处罚信息（2019年第3季度）')).toBe(true);
    expect(rows[7]!.cells.every((c) => c.startsWith('注：1. 行政相对人类别为自然人时'))).toBe(true);
    expect(rows[8]!.cells[0]).toBe('填报人：李敏');
    expect(rows[8]!.cells[5]).toBe('填报日期：2019年10月8日');
    expect(rows[8]!.cells.filter((c) => c !== '')).toHaveLength(2);
  });

  it('yields the blank row between data and notes as empty cells, without notes', () => {
    expect(rows[6]).toEqual({ row: 7, cells: Array(30).fill('') });
  });

  it('keeps data cells as text and notes the numeric and date cells', () => {
    const first = rows[3]!;
    expect(first.cells.slice(0, 3)).toEqual(['惠州市恒达贸易有限公司', '法人及非法人组织', '91441300MA4UJ5K220']);
    expect(first.cells[10]).toBe('441302198001011237');
    expect(first.cells[19]).toBe('0.2');
    expect(first.cells.slice(22, 25)).toEqual(['2019-09-30', '2020-09-30', '2022-09-30']);
    expect(first.notes).toEqual([
      { column: 19, kind: 'excel-number' },
      { column: 22, kind: 'excel-date', iso: '2019-09-30' },
      { column: 23, kind: 'excel-date', iso: '2020-09-30' },
    ]);
    expect(rows[4]!.cells.slice(11, 13)).toEqual(['身份证', '44130219900315202X']);
  });

  it('can be read again from the first row', async () => {
    expect(await rowsOf(grids[0]!)).toEqual(rows);
  });
});

describe('identifiers Excel stored as numbers', async () => {
  const rows = await rowsOf(open('xlsx-ids-stored-as-numbers.xlsx').grids[0]!);

  it('gives the text Excel displays, 4.41302E+17 for an 18-digit ID in a General cell', () => {
    expect(rows[1]!.cells).toEqual(['惠州市宏图科技有限公司', '9.14413E+17', '4.413E+14', '4.41302E+17', '', '2019001']);
    expect(rows[2]!.cells[4]).toBe('441302197506180000');
    expect(rows[3]!.cells).toEqual(['惠城区鑫源五金店', '92441302MA4W8C1D2N', '441300600012341', '441302198001011237', '', '2019003']);
  });

  it('marks 16+ digit numbers and numbers shown in scientific notation as corrupted by Excel', () => {
    expect(rows[1]!.notes).toEqual([
      { column: 1, kind: 'excel-number' },
      {
        column: 1, kind: 'corrupted-by-excel',
        detail: 'a number of 18 digits: Excel keeps 15 significant digits, so the last 3 are lost; shown in scientific notation as 9.14413E+17, the text keeps 6 of its 18 digits',
      },
      { column: 2, kind: 'excel-number' },
      { column: 2, kind: 'corrupted-by-excel', detail: 'shown in scientific notation as 4.413E+14, the text keeps 4 of its 15 digits' },
      { column: 3, kind: 'excel-number' },
      {
        column: 3, kind: 'corrupted-by-excel',
        detail: 'a number of 18 digits: Excel keeps 15 significant digits, so the last 3 are lost; shown in scientific notation as 4.41302E+17, the text keeps 6 of its 18 digits',
      },
      { column: 5, kind: 'excel-number' },
    ]);
    expect(rows[2]!.notes).toEqual([
      { column: 4, kind: 'excel-number' },
      { column: 4, kind: 'corrupted-by-excel', detail: 'a number of 18 digits: Excel keeps 15 significant digits, so the last 3 are lost' },
    ]);
  });

  it('leaves a 15-digit number shown whole, and identifiers stored as text, unflagged', () => {
    expect(rows[3]!.notes).toEqual([{ column: 2, kind: 'excel-number' }, { column: 5, kind: 'excel-number' }]);
  });
});

describe('date-formatted serials', async () => {
  const [in1900, in1904] = await Promise.all(
    ['xlsx-serial-dates.xlsx', 'xlsx-serial-dates-1904.xlsx'].map(async (name) => rowsOf(open(name).grids[0]!)),
  );

  it('gives the displayed text and the ISO date for every date format', () => {
    expect(in1900!.slice(1, 6).map((r) => [r.cells[1], r.notes])).toEqual([
      ['2019-09-30', [{ column: 1, kind: 'excel-date', iso: '2019-09-30' }]],
      ['2019/9/30', [{ column: 1, kind: 'excel-date', iso: '2019-09-30' }]],
      ['9/30/19', [{ column: 1, kind: 'excel-date', iso: '2019-09-30' }]],
      ['2019年9月30日', [{ column: 1, kind: 'excel-date', iso: '2019-09-30' }]],
      ['2019-09-30 14:05:00', [{ column: 1, kind: 'excel-date', iso: '2019-09-30T14:05:00' }]],
    ]);
  });

  it('treats a time of day, a serial in a General cell and a text date as what they are', () => {
    expect(in1900!.slice(6, 9).map((r) => [r.cells[1], r.notes])).toEqual([
      ['12:00', [{ column: 1, kind: 'excel-number' }]],
      ['43738', [{ column: 1, kind: 'excel-number' }]],
      ['2019-09-30', undefined],
    ]);
  });

  it('honours the 1900 leap-year bug: serial 60 is no date, 59 and 61 are', () => {
    expect(in1900!.slice(9).map((r) => [r.cells[1], r.notes])).toEqual([
      ['1900-02-28', [{ column: 1, kind: 'excel-date', iso: '1900-02-28' }]],
      ['1900-02-29', [{ column: 1, kind: 'excel-number' }]],
      ['1900-03-01', [{ column: 1, kind: 'excel-date', iso: '1900-03-01' }]],
    ]);
  });

  it('honours the 1904 date system: other serials, the same dates', () => {
    expect(in1904!.slice(1, 6)).toEqual(in1900!.slice(1, 6));
    expect(in1904![7]!.cells[1]).toBe('42276');
    expect(in1904![9]).toEqual({ row: 10, cells: ['1904系统的第0天', '1904-01-01'], notes: [{ column: 1, kind: 'excel-date', iso: '1904-01-01' }] });
  });
});

describe('a workbook with two data subjects on two sheets', () => {
  it('yields one grid per sheet that holds anything, named by the sheet', async () => {
    const { grids } = open('xlsx-two-subjects-two-sheets.xlsx');
    expect(grids.map((g) => g.name)).toEqual(['行政许可', '行政处罚']);
    const [licensing, penalty] = await Promise.all(grids.map(rowsOf));
    expect(licensing!.map((r) => r.row)).toEqual([1, 2, 3]);
    expect(licensing![0]!.cells[0]).toBe('行政相对人名称');
    expect(licensing![2]!.cells.slice(7, 10)).toEqual(['2019-08-02', '2019-08-02', '长期']);
    expect(penalty!.map((r) => r.cells[0])).toEqual(['行政相对人名称', '惠州市恒达贸易有限公司', '张某']);
    expect(penalty![0]!.cells[7]).toBe('行政相对人代码_6(社会组织登记证号)');
  });
});

describe('an old BIFF8 .xls', () => {
  it('reads Chinese text, the merged title, dates and numbers', async () => {
    const { grids } = open('xls-biff8-licensing.xls');
    expect(grids.map((g) => g.name)).toEqual(['行政许可']);
    const rows = await rowsOf(grids[0]!);
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3, 4]);
    // The title is merged over 20 columns; the grid is as wide as the 12 columns of content.
    expect(rows[0]!.cells).toEqual(Array(12).fill('惠州市XX局行政许可信息'));
    expect(rows[1]!.cells.slice(0, 3)).toEqual(['行政相对人名称', '行政相对人类别', '行政相对人代码_1(统一社会信用代码)']);
    expect(rows[2]).toEqual({
      row: 3,
      cells: ['惠州市恒达贸易有限公司', '法人及非法人组织', '91441300MA4UJ5K220', '食品经营许可决定书', '惠市监许〔2019〕88号', '普通', '预包装食品销售',
        '2019-08-01', '2019-08-01', '2024-07-31', '惠州市市场监督管理局', '1'],
      notes: [
        { column: 7, kind: 'excel-date', iso: '2019-08-01' },
        { column: 8, kind: 'excel-date', iso: '2019-08-01' },
        { column: 9, kind: 'excel-date', iso: '2024-07-31' },
        { column: 11, kind: 'excel-number' },
      ],
    });
  });
});

describe('an ".xls" that is really a GBK HTML table', () => {
  const expected = [
    { row: 1, cells: Array(5).fill('惠州市XX局行政许可信息导出') },
    { row: 2, cells: ['行政相对人名称', '证件号码', '许可编号', '许可决定日期', '许可机关'] },
    { row: 3, cells: ['𠮷利 & 张三', '441302198001011237', '0012', '2019-08-01', '惠州市市场监督管理局'] },
    { row: 4, cells: ['惠城区鑫源五金店', '', '0013', '2019/8/2', '惠州市市场监督管理局'] },
  ];

  it('decodes by its gb2312 meta charset and keeps every cell as text: IDs, leading zeros, dates', async () => {
    const { grids, encoding } = open('xls-really-html.xls', 'html-table');
    expect(encoding).toBe('gb18030');
    expect(grids.map((g) => g.name)).toEqual(['Sheet1']);
    expect(await rowsOf(grids[0]!)).toEqual(expected);
  });

  it('is recognised as HTML when delivered as xls', async () => {
    const { grids } = open('xls-really-html.xls', 'xls');
    expect(await rowsOf(grids[0]!)).toEqual(expected);
  });
});

describe('an ".xls" that is really XML Spreadsheet 2003', () => {
  it('reads its typed cells like a binary workbook: numbers noted, lost digits flagged', async () => {
    const { grids, encoding } = open('xls-spreadsheetml-2003.xls');
    expect(encoding).toBe('utf-8');
    expect(grids.map((g) => g.name)).toEqual(['行政许可']);
    const rows = await rowsOf(grids[0]!);
    expect(rows[1]!.cells).toEqual(['惠州市宏图科技有限公司', '9.14413E+17', '4.413E+14', '4.41302E+17', '', '2019001']);
    expect(rows[2]!.notes).toEqual([
      { column: 4, kind: 'excel-number' },
      { column: 4, kind: 'corrupted-by-excel', detail: 'a number of 18 digits: Excel keeps 15 significant digits, so the last 3 are lost' },
    ]);
    expect(rows[3]!.cells[3]).toBe('441302198001011237');
  });
});

describe('formula cells', () => {
  it('give the value Excel cached, never a recalculation, and nothing when none was cached', async () => {
    const rows = await rowsOf(open('xlsx-formula-cached.xlsx').grids[0]!);
    expect(rows[1]).toEqual({
      row: 2,
      cells: ['2000', '0.2', '罚款2000元', '1234', ''],
      notes: [{ column: 0, kind: 'excel-number' }, { column: 1, kind: 'excel-number' }, { column: 3, kind: 'excel-number' }],
    });
  });
});

describe('workbooks that cannot be read', () => {
  it('a zip cut in half is file/corrupt, naming the file', () => {
    const error = deliveryError(() => open('xlsx-truncated-zip.xlsx'));
    expect(error.code).toBe('file/corrupt');
    expect(error.file).toBe('fixtures/sheet/xlsx-truncated-zip.xlsx');
    expect(error.message).toBe(
      'fixtures/sheet/xlsx-truncated-zip.xlsx: the xlsx zip archive is truncated: no central directory at the end of its 6241 bytes',
    );
  });

  it('a zip whose entry fails its CRC is file/corrupt, not a sheet with a changed name', () => {
    const error = deliveryError(() => open('xlsx-entry-fails-crc.xlsx'));
    expect(error.code).toBe('file/corrupt');
    expect(error.message).toBe('fixtures/sheet/xlsx-entry-fails-crc.xlsx: the xlsx zip archive is corrupt: entry xl/worksheets/sheet1.xml fails its CRC-32 check');
  });

  it('a password-protected xlsx is file/encrypted', () => {
    const error = deliveryError(() => open('xlsx-password-protected.xlsx'));
    expect(error.code).toBe('file/encrypted');
    expect(error.message).toBe('fixtures/sheet/xlsx-password-protected.xlsx: the workbook is password-protected: it cannot be read without its password');
  });

  it('a workbook whose sheets hold no non-blank cell is file/empty, naming its sheets', () => {
    const error = deliveryError(() => open('xlsx-empty-workbook.xlsx'));
    expect(error.code).toBe('file/empty');
    expect(error.message).toBe('fixtures/sheet/xlsx-empty-workbook.xlsx: no sheet holds a non-empty cell (sheets: Sheet1, Sheet2)');
  });

  it('a file of no bytes is file/empty', () => {
    expect(deliveryError(() => openWorkbookGrids('nothing.xlsx', Buffer.alloc(0), 'xlsx')).code).toBe('file/empty');
  });

  it('CSV text delivered as .xls is file/format, not a one-column sheet', () => {
    const error = deliveryError(() => openWorkbookGrids('really.csv.xls', Buffer.from('行政相对人名称,证件号码\r\n张某,441302\r\n'), 'xls'));
    expect(error.code).toBe('file/format');
    expect(error.message).toContain('really.csv.xls: delivered as xls, but the bytes are neither');
  });

  it('an HTML page without a table is file/format', () => {
    const bytes = Buffer.from('<html><body><p>系统维护中</p></body></html>');
    const error = deliveryError(() => openWorkbookGrids('notice.xls', bytes, 'html-table'));
    expect(error.code).toBe('file/format');
    expect(error.message).toContain('notice.xls: the markup holds no table');
  });

  it('HTML bytes valid in no candidate encoding are file/encoding', () => {
    const bytes = Buffer.concat([Buffer.from('<table><tr><td>'), Buffer.from([0xff, 0xff, 0xff]), Buffer.from('</td></tr></table>')]);
    expect(deliveryError(() => openWorkbookGrids('garbled.xls', bytes, 'html-table')).code).toBe('file/encoding');
  });
});
