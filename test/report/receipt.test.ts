import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { parse } from 'csv-parse/sync';
import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { REASONS } from '../../src/reasons.js';
import { reasonLabel, REASONS_ZH } from '../../src/reasons-zh.js';
import { receiptPaths, writeReceipt, type Receipt } from '../../src/report/receipt.js';

const ID = '440524188001010014';
const PHONE = '13812345678';
const itemNames = new Map([['CF_JDRQ', '处罚决定日期'], ['XDR_TYSHXYDM', '统一社会信用代码'], ['CF_WSH', '行政处罚决定书文号']]);

function loaded(over: Partial<Receipt> = {}): Receipt {
  return {
    unit: 'SCJG', unitName: '市市场监督管理局', file: '行政处罚.xlsx', night: '2024-05-01', runId: 12, fileId: 34,
    sha256: 'ab12'.repeat(16), at: '2024-05-02T03:14:15.000Z', outcome: 'loaded', reasonCode: null, reason: null,
    counts: { rowsRead: 10, loaded: 5, updated: 1, unchanged: 1, duplicate: 1, rejected: 2 },
    rows: [
      { sheet: '一季度', row: 4, reasons: [{ code: 'row/duplicate-in-file', message: 'row 4 of 行政处罚.xlsx: the key repeats row 3', item: 'CF_WSH' }] },
      { sheet: '一季度', row: 7, reasons: [
        { code: 'cell/required', message: 'row 7 of 行政处罚.xlsx: 处罚决定日期 is empty', item: 'CF_JDRQ' },
        { code: 'identity/uscc-check', message: 'row 7 of 行政处罚.xlsx: 91441300MA4W0XXXX bad check character', item: 'XDR_TYSHXYDM' },
      ] },
      { sheet: '二季度', row: 12, reasons: [{ code: 'row/ragged', message: 'row 12 of 行政处罚.xlsx: 9 cells, the header has 8' }] },
    ],
    rowsLeftOut: 0,
    ...over,
  };
}

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'receipt-'));

interface ReadBack {
  sheet: XLSX.WorkSheet;
  /** Each line of the xlsx as text, the way a person sees it. */
  xlsx: string[][];
  /** The CSV bytes, and its records as a real parser reads them. */
  csvBytes: Buffer;
  csv: string[][];
  /** Every part of the xlsx, unzipped: the bytes a grep would see if it were not compressed. */
  xlsxParts: string;
}

function readBack(paths: { xlsx: string; csv: string }): ReadBack {
  const xlsxBytes = readFileSync(paths.xlsx);
  const wb = XLSX.read(xlsxBytes, { type: 'buffer', cellStyles: true });
  expect(wb.SheetNames).toEqual(['回执']);
  const sheet = wb.Sheets['回执']!;
  const xlsx = XLSX.utils.sheet_to_json<string[]>(sheet, { header: 1, raw: false, defval: '', blankrows: true });
  const zip = XLSX.CFB.read(xlsxBytes, { type: 'buffer' }) as { FileIndex: { content?: Uint8Array }[] };
  const xlsxParts = zip.FileIndex.map((f) => Buffer.from(f.content ?? []).toString('utf8')).join('\n');
  const csvBytes = readFileSync(paths.csv);
  const csv = parse(csvBytes, { bom: true, relax_column_count: false }) as string[][];
  return { sheet, xlsx, csvBytes, csv, xlsxParts };
}

/** The value beside a head label (column B). */
function field(lines: string[][], label: string): string {
  const line = lines.find((l) => l[0] === label);
  if (!line) throw new Error(`no line ${label}`);
  return line[1] ?? '';
}

/** The detail lines: everything after the 行号 header, as objects by header. */
function details(lines: string[][]): Record<string, string>[] {
  const at = lines.findIndex((l) => l[0] === '行号');
  const header = lines[at]!;
  return lines.slice(at + 1).filter((l) => /^\d+$/.test(l[0] ?? '')).map((l) => Object.fromEntries(header.map((h, i) => [h, l[i] ?? ''])));
}

const trimmed = (lines: string[][]): string[][] => lines.map((l) => {
  const out = [...l];
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
});

describe('a delivery receipt', () => {
  it('holds the head, the counts with their identity, and one line per reason of every row, the same in xlsx and CSV', async () => {
    const paths = await writeReceipt(tempDir(), loaded(), itemNames);
    const { xlsx, csv } = readBack(paths);
    expect(trimmed(csv)).toEqual(trimmed(xlsx));

    expect(field(csv, '报送单位')).toBe('市市场监督管理局（SCJG）');
    expect(field(csv, '文件名')).toBe('行政处罚.xlsx');
    expect(field(csv, '批次（运行编号）')).toBe('12');
    expect(field(csv, '文件编号')).toBe('34');
    expect(field(csv, '送达日期')).toBe('2024-05-01');
    expect(field(csv, '接收时间')).toBe('2024-05-02T03:14:15.000Z');
    expect(field(csv, '文件校验码（SHA-256）')).toBe('ab12'.repeat(16));
    expect(field(csv, '处理结果')).toBe('已入库');
    expect(field(csv, '原因')).toBe('无');
    expect(field(csv, '处理建议')).toMatch(/修正被拒绝的行后重新报送/);

    expect(['读取行数', '新增', '更新', '未变', '重复', '拒绝'].map((l) => field(csv, l))).toEqual(['10', '5', '1', '1', '1', '2']);
    expect(field(csv, '核对')).toBe('读取 10 = 新增 5 + 更新 1 + 未变 1 + 重复 1 + 拒绝 2，相符');

    expect(details(csv)).toEqual([
      { 行号: '4', 工作表: '一季度', 数据项: '行政处罚决定书文号（CF_WSH）', 问题: '同一文件内业务主键重复', 问题代码: 'row/duplicate-in-file', 说明: 'row 4 of 行政处罚.xlsx: the key repeats row 3' },
      { 行号: '7', 工作表: '一季度', 数据项: '处罚决定日期（CF_JDRQ）', 问题: '必填数据项为空', 问题代码: 'cell/required', 说明: 'row 7 of 行政处罚.xlsx: 处罚决定日期 is empty' },
      { 行号: '7', 工作表: '一季度', 数据项: '统一社会信用代码（XDR_TYSHXYDM）', 问题: '统一社会信用代码格式或校验位错误', 问题代码: 'identity/uscc-check', 说明: 'row 7 of 行政处罚.xlsx: 914************XX bad check character' },
      { 行号: '12', 工作表: '二季度', 数据项: '', 问题: '本行的列数与表头不一致', 问题代码: 'row/ragged', 说明: 'row 12 of 行政处罚.xlsx: 9 cells, the header has 8' },
    ]);
    expect(csv.some((l) => l[0]?.startsWith('清单已截断'))).toBe(false);
  });

  it('writes row numbers and counts as numbers, text as text cells, with column widths and a filter on the detail table', async () => {
    const { sheet } = readBack(await writeReceipt(tempDir(), loaded(), itemNames));
    const cells = Object.entries(sheet).filter(([k]) => !k.startsWith('!')).map(([, c]) => c as XLSX.CellObject);
    expect(cells.every((c) => (c.t === 's' && c.z === '@') || c.t === 'n')).toBe(true);
    const rowCells = cells.filter((c) => c.t === 'n').map((c) => c.v);
    expect(rowCells).toEqual(expect.arrayContaining([4, 7, 12, 10]));
    expect(sheet['!cols']?.length).toBe(6);
    const widths = sheet['!cols']!.map((c) => c.wch!);
    expect(widths).toHaveLength(6);
    expect(widths[0]).toBe(21); // 文件校验码（SHA-256）, CJK counted double; a title line spills over, it widens nothing
    expect(widths[1]).toBeGreaterThanOrEqual(64); // the SHA-256 shows whole
    expect(Math.min(...widths)).toBeGreaterThanOrEqual(8);
    const filter = XLSX.utils.decode_range(sheet['!autofilter']!.ref);
    expect(XLSX.utils.encode_cell(filter.s)).toMatch(/^A\d+$/);
    expect(sheet[XLSX.utils.encode_cell(filter.s)]?.v).toBe('行号');
    expect(filter.e.r - filter.s.r).toBe(4);
  });

  it('writes the CSV as UTF-8 with a BOM, CRLF line ends and every field quoted (RFC 4180)', async () => {
    const message = '第一行\n第二行 "引号", 逗号\r\n第三行';
    const paths = await writeReceipt(tempDir(), loaded({ rows: [{ sheet: null, row: 3, reasons: [{ code: 'cell/pattern', message }] }] }), itemNames);
    const { csvBytes, csv } = readBack(paths);
    expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const body = csvBytes.subarray(3).toString('utf8');
    // Outside quoted fields there are only separators and CRLF record ends.
    expect(body.replace(/"(?:[^"]|"")*"/g, '')).toMatch(/^(?:,|\r\n)*$/);
    expect(body.endsWith('\r\n')).toBe(true);
    expect(details(csv)).toEqual([{ 行号: '3', 数据项: '', 问题: '内容不符合规定格式', 问题代码: 'cell/pattern', 说明: message }]);
  });

  it('writes formula-shaped text as text: a plain string cell in the xlsx, quote-marked in the CSV', async () => {
    const hostile = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", '+1+2', '-2+3', '@SUM(A1)', '\t=1', '\r=1'];
    const receipt = loaded({
      file: '=HYPERLINK("http://x","y").xlsx', unitName: '@单位', reason: '-1', reasonCode: '+code',
      rows: hostile.map((message, i) => ({ sheet: "=cmd|' /C calc'!A0", row: i + 2, reasons: [{ code: 'cell/pattern', message, item: '=1+1' }] })),
    });
    const { sheet, xlsx, csv } = readBack(await writeReceipt(tempDir(), receipt, itemNames));
    // A workbook never evaluates a string cell: the value stays as delivered, with no formula.
    for (const cell of Object.entries(sheet).filter(([k]) => !k.startsWith('!')).map(([, c]) => c as XLSX.CellObject)) {
      expect(cell.f).toBeUndefined();
      expect(['s', 'n']).toContain(cell.t);
    }
    expect(details(xlsx).map((d) => d['说明'])).toEqual(hostile);
    expect(field(xlsx, '文件名')).toBe('=HYPERLINK("http://x","y").xlsx');
    // A spreadsheet opening the CSV would: every such cell is marked as text.
    expect(csv.flat().filter((v) => /^[=+\-@\t\r]/.test(v))).toEqual([]);
    expect(details(csv).map((d) => d['说明'])).toEqual(hostile.map((h) => `'${h}`));
    expect(details(csv).map((d) => d['工作表'])).toEqual(hostile.map(() => "'=cmd|' /C calc'!A0"));
    expect(details(csv).map((d) => d['数据项'])).toEqual(hostile.map(() => "'=1+1"));
    expect(field(csv, '文件名')).toBe('\'=HYPERLINK("http://x","y").xlsx');
    expect(field(csv, '原因说明')).toBe("'-1");
  });

  it('masks resident IDs and phones in the file name, messages, sheet names and reason: in both files\' bytes and in the path', async () => {
    const receipt = loaded({
      file: `${ID}-张三-${PHONE}.xlsx`,
      outcome: 'quarantined', reasonCode: 'file/error-limit', reason: `too many rejected rows, e.g. ${ID} and ${PHONE}`,
      rows: [{ sheet: `表${ID}`, row: 5, reasons: [{ code: 'identity/resident-id-check', message: `row 5: ${ID} / ${PHONE} fails`, item: 'XDR_ZJHM' }] }],
    });
    const paths = await writeReceipt(tempDir(), receipt, itemNames);
    const { xlsx, csv, csvBytes, xlsxParts } = readBack(paths);
    for (const clear of [ID, PHONE, ID.slice(6, 14), PHONE.slice(3, 7)]) {
      expect(paths.xlsx).not.toContain(clear);
      expect(paths.csv).not.toContain(clear);
      expect(csvBytes.toString('utf8')).not.toContain(clear);
      expect(xlsxParts).not.toContain(clear);
    }
    expect(xlsxParts).toContain('440524********0014');
    for (const lines of [csv, xlsx]) {
      expect(field(lines, '文件名')).toBe('440524********0014-张三-138****5678.xlsx');
      expect(details(lines)[0]).toMatchObject({ 工作表: '表440524********0014', 说明: 'row 5: 440524********0014 / 138****5678 fails' });
      expect(field(lines, '原因说明')).toBe('too many rejected rows, e.g. 440524********0014 and 138****5678');
    }
    // * is one of the characters Windows forbids in a name.
    // Masked, the name could be another file's: the file id keeps their receipts apart.
    expect(basename(paths.xlsx)).toBe('440524________0014-张三-138____5678.xlsx~34.receipt.xlsx');
  });

  it('keeps hostile file names inside the unit folder, one segment of at most 255 bytes', async () => {
    const dir = tempDir();
    const long = '惠州市市场监督管理局行政处罚'.repeat(10); // 420 bytes
    const names = [
      '../../etc/passwd', '..', '.', '', '/abs/path.xlsx', 'a\\..\\..\\b.csv', 'nul\0byte\nline.csv', '.hidden.xlsx',
      'CON', 'aux.csv', 'exe\u202Excsl.txt', `${long}.xlsx`, `${long}-2.xlsx`, `${ID}${'x'.repeat(300)}`,
    ];
    const written = new Set<string>();
    for (const file of names) {
      const paths = await writeReceipt(dir, loaded({ file }), itemNames);
      for (const path of [paths.xlsx, paths.csv]) {
        expect(dirname(path)).toBe(join(dir, 'SCJG', '2024-05-01'));
        expect(relative(join(dir, 'SCJG', '2024-05-01'), path)).toBe(basename(path));
        expect(Buffer.byteLength(basename(path))).toBeLessThanOrEqual(255);
        expect(basename(path)).not.toMatch(/^\.|[\\/:*?"<>|\u0000-\u001f\u202e]/);
        expect(basename(path)).not.toMatch(/^(con|aux)\./i);
        expect(path).not.toContain(ID);
      }
      written.add(paths.xlsx);
    }
    expect(written.size).toBe(names.length);
    expect(readdirSync(dir)).toEqual(['SCJG']);
    expect(readdirSync(join(dir, 'SCJG'))).toEqual(['2024-05-01']);
    expect(readdirSync(join(dir, 'SCJG', '2024-05-01')).length).toBe(2 * names.length);
    const longest = receiptPaths(dir, 'SCJG', '2024-05-01', `${long}.xlsx`);
    expect(Buffer.byteLength(basename(longest.xlsx))).toBeGreaterThan(240);
    expect(basename(longest.xlsx)).toMatch(/^惠州市市场监督管理局.*~[0-9a-f]{8}\.receipt\.xlsx$/);
  });

  it('refuses a unit that is not a catalog code, and a unit folder that is a link', async () => {
    for (const unit of ['../SCJG', '..', '', 'SC/JG', 'scjg', `SCJG\0`]) {
      expect(() => receiptPaths(tempDir(), unit, '2024-05-01', 'a.xlsx')).toThrow(/not a unit code/);
    }
    for (const night of ['../2024-05-01', '2024-05-01/..', '']) {
      expect(() => receiptPaths(tempDir(), 'SCJG', night, 'a.xlsx')).toThrow(/not a night/);
    }
    const dir = tempDir();
    const elsewhere = tempDir();
    mkdirSync(dir, { recursive: true });
    symlinkSync(elsewhere, join(dir, 'SCJG'));
    await expect(writeReceipt(dir, loaded(), itemNames)).rejects.toThrow(/symbolic link/);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('writes a quarantined receipt: 已退回（隔离）, the reason in Chinese, and how many rows were left out', async () => {
    const receipt = loaded({
      file: '行政许可.csv', outcome: 'quarantined', reasonCode: 'file/error-limit', reason: '3 of 4 rows rejected (75%), the limit is 10%',
      counts: { rowsRead: 4, loaded: 1, updated: 0, unchanged: 0, duplicate: 0, rejected: 3 },
      rows: [{ sheet: null, row: 2, reasons: [{ code: 'cell/date', message: 'row 2 of 行政许可.csv: 2019-02-30 is no date', item: 'CF_JDRQ' }] }],
      rowsLeftOut: 2,
    });
    const { csv, xlsx } = readBack(await writeReceipt(tempDir(), receipt, itemNames));
    for (const lines of [csv, xlsx]) {
      expect(field(lines, '处理结果')).toBe('已退回（隔离）');
      expect(field(lines, '原因')).toBe('拒绝行数超过限额，整个文件退回');
      expect(field(lines, '原因说明')).toBe('3 of 4 rows rejected (75%), the limit is 10%');
      expect(field(lines, '处理建议')).toMatch(/重新报送整个文件/);
      expect(field(lines, '行数统计')).toMatch(/均未入库/);
      // Nothing of a quarantined file is in the warehouse: no row is called 新增.
      expect(lines.some((l) => l[0] === '新增')).toBe(false);
      expect(field(lines, '通过检查（随文件退回）')).toBe('1');
      expect(field(lines, '核对')).toBe('读取 4 = 通过检查 1 + 重复 0 + 拒绝 3，相符');
      // A CSV delivery has no sheets: no 工作表 column.
      expect(lines.find((l) => l[0] === '行号')!.filter((h) => h !== '')).toEqual(['行号', '数据项', '问题', '问题代码', '说明']);
      expect(details(lines)).toEqual([{ 行号: '2', 数据项: '处罚决定日期（CF_JDRQ）', 问题: '日期无效或格式无法识别', 问题代码: 'cell/date', 说明: 'row 2 of 行政许可.csv: 2019-02-30 is no date' }]);
      expect(lines.at(-1)?.[0]).toBe('清单已截断：另有 2 个被拒绝的行未在此列出。');
    }
  });

  it('keeps apart the receipts of names that differ only in what was masked or replaced', async () => {
    const dir = tempDir();
    const names = ['处罚:0826.csv', '处罚_0826.csv', '处罚?0826.csv', '440524188001010014.csv', '440524199901010014.csv'];
    const paths = await Promise.all(names.map((file, i) => writeReceipt(dir, loaded({ file, fileId: 100 + i }), itemNames)));
    expect(new Set(paths.map((p) => p.xlsx)).size).toBe(names.length);
    // A name already safe keeps the plain <file>.receipt.xlsx.
    expect(basename(paths[1]!.xlsx)).toBe('处罚_0826.csv.receipt.xlsx');
  });

  it('writes a duplicate receipt without counts or rows', async () => {
    const receipt = loaded({
      outcome: 'duplicate', fileId: null, night: null, counts: null, rows: [],
      reason: 'the same bytes as 行政处罚.xlsx (file 30, run 11), already loaded',
    });
    const { csv, xlsx } = readBack(await writeReceipt(tempDir(), receipt, itemNames));
    for (const lines of [csv, xlsx]) {
      expect(field(lines, '处理结果')).toBe('重复报送');
      expect(field(lines, '原因')).toBe('与此前已入库的文件内容完全相同');
      expect(field(lines, '处理建议')).toMatch(/无需处理/);
      expect(field(lines, '文件编号')).toBe('无');
      expect(field(lines, '送达日期')).toBe('无（数据库抽取）');
      expect(field(lines, '行数统计')).toBe('文件未读取，无行数');
      expect(lines.some((l) => l[0] === '核对')).toBe(false);
      expect(field(lines, '问题明细')).toBe('无被拒绝的行');
      expect(details(lines)).toEqual([]);
    }
  });

  it('tells a unit whose every row loaded that nothing is to be done', async () => {
    const receipt = loaded({ counts: { rowsRead: 3, loaded: 3, updated: 0, unchanged: 0, duplicate: 0, rejected: 0 }, rows: [] });
    const { csv } = readBack(await writeReceipt(tempDir(), receipt, itemNames));
    expect(field(csv, '处理建议')).toBe('全部数据已入库，无需处理。');
  });

  it('replaces an earlier receipt whole and leaves no temporary file', async () => {
    const dir = tempDir();
    await writeReceipt(dir, loaded(), itemNames);
    const paths = await writeReceipt(dir, loaded({ runId: 13 }), itemNames);
    expect(readdirSync(join(dir, 'SCJG', '2024-05-01')).sort()).toEqual(['行政处罚.xlsx.receipt.csv', '行政处罚.xlsx.receipt.xlsx']);
    expect(field(readBack(paths).xlsx, '批次（运行编号）')).toBe('13');
  });
});

describe('REASONS_ZH', () => {
  it('has a Chinese label for every reason code and no other key', () => {
    expect(Object.keys(REASONS_ZH).sort()).toEqual(Object.keys(REASONS).sort());
    for (const label of Object.values(REASONS_ZH)) expect(label).toMatch(/^\S.*\p{Script=Han}/u);
  });

  it('shows a code it does not know as itself, inherited names included', () => {
    expect(reasonLabel('cell/required')).toBe('必填数据项为空');
    expect(reasonLabel('cell/new-check')).toBe('cell/new-check');
    expect(reasonLabel('toString')).toBe('toString');
  });
});
