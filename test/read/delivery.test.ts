// Whole deliveries through readDelivery: format by content, header found, subject chosen,
// columns mapped; and every kind of bad delivery refused with its own reason.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/index.js';
import { readDelivery, type ReadTable, type SkippedRow, type SourceRow } from '../../src/read/index.js';
import { penaltyRow } from '../../scripts/penalty-rows.js';

const catalog = loadCatalog('v2');
const scjg = catalog.units.find((u) => u.code === 'SCJG')!;
const subjects = catalog.subjects.filter((s) => scjg.delivers.includes(s.code));

interface Read { table: Omit<ReadTable, 'table'> & { name: string; headerRow?: number }; rows: SourceRow[]; skipped: number }
async function read(path: string, subjectFor?: (f: string, t: string) => string | undefined): Promise<Read[]> {
  const out: Read[] = [];
  for await (const t of readDelivery(path, { catalog, subjects, ...(subjectFor && { subjectFor }) })) {
    const rows: SourceRow[] = [];
    for await (const r of t.table.rows) rows.push(r);
    out.push({ table: { ...t, name: t.table.name, ...(t.table.headerRow !== undefined && { headerRow: t.table.headerRow }) }, rows, skipped: t.table.skipped.length });
  }
  return out;
}
// Reader fixtures hold a handful of columns: read them as a penalty subject with nothing required.
const xzcf = catalog.subjects.find((s) => s.code === 'XZCF')!;
const permissive = { ...xzcf, code: 'XZCF_ANY', items: xzcf.items.map((i) => ({ ...i, required: false as const })) };
const loose = { ...catalog, subjects: [permissive] };

const cell = (r: Read, row: number, item: string) => r.rows.find((x) => x.row === row)!.cells[r.table.columns.columns.findIndex((c) => c?.code === item)];

describe('readDelivery: every format units send', () => {
  it.each([
    ['text/utf8-penalty.csv', 'csv', 'utf-8', 'XZCF', 8],
    ['text/gbk-title-row-penalty.csv', 'csv', 'gb18030', 'XZCF', 10],
    ['text/gb18030-licensing.tsv', 'tsv', 'gb18030', 'XZXK', 5],
    ['text/utf16le-bom-unicode-text.txt', 'tsv', 'utf-16le', 'XZCF', 4],
    ['delivery/xls-really-html-penalty-gbk.xls', 'html-table', 'gb18030', 'XZCF', 4],
    ['delivery/xls-biff8-penalty-dirty-quarter.xls', 'xls', undefined, 'XZCF', 9],
    ['sheet/xlsx-title-row-two-row-header-penalty.xlsx', 'xlsx', undefined, 'XZCF', 3],
    ['text/binary-xlsx-named.csv', 'xlsx', undefined, 'XZCF', 3],
    ['dump/mysqldump-penalty-extended-insert.sql', 'mysqldump', undefined, 'XZCF', 4],
    ['dump/pgdump-licensing-copy.sql', 'pgdump', undefined, 'XZXK', 3],
  ])('%s → %s %s, %s, %i rows', async (path, format, encoding, subject, rows) => {
    const [t, more] = await read(`fixtures/${path}`);
    expect(more).toBeUndefined();
    expect(t!.table).toMatchObject({ format, chosenBy: 'headers', ...(encoding && { encoding }) });
    expect(t!.table.columns.subject.code).toBe(subject);
    expect(t!.rows.length).toBe(rows);
    expect(t!.rows.every((r) => !r.problem)).toBe(true);
  });

  it('finds the header under a title row and joins the two-row 行政相对人代码 header', async () => {
    const [t] = await read('fixtures/sheet/xlsx-title-row-two-row-header-penalty.xlsx');
    expect(t!.table.headerRow).toBe(3);
    expect(t!.table.columns.columns.filter(Boolean).length).toBe(30);
    expect(t!.table.columns.unmapped).toEqual([]);
    expect(t!.rows.map((r) => r.row)).toEqual([4, 5, 6]);
  });

  it('finds a CSV header on the 3rd line and numbers rows past blank and multi-line ones as a person counts lines', async () => {
    const header = xzcf.items.map((i) => i.name);
    const row = (n: number, fact = '当事人未按规定公示年度报告。'): string[] => header.map((name) => (name === '违法事实' ? fact : name === '行政相对人名称' ? `惠州市某某有限公司${n}` : ''));
    const text = [
      `惠州市市场监督管理局行政处罚信息${','.repeat(header.length - 1)}`,
      `（2019年第3季度）${','.repeat(header.length - 1)}`,
      header.join(','),
      row(1).join(','),
      ','.repeat(header.length - 1),
      row(2, '"第一行\r\n第二行"').join(','),
      row(3).join(','),
    ].join('\r\n');
    const path = join(mkdtempSync(join(tmpdir(), 'delivery-')), '行政处罚-2019Q3.csv');
    writeFileSync(path, iconv.encode(`${text}\r\n`, 'gbk'));
    const skipped: SkippedRow[] = [];
    const rows: SourceRow[] = [];
    for await (const t of readDelivery(path, { catalog, subjects })) {
      expect(t.table.headerRow).toBe(3);
      for await (const r of t.table.rows) rows.push(r);
      skipped.push(...t.table.skipped);
    }
    expect(rows.map((r) => [r.row, r.cells[0], r.problem])).toEqual([[4, '惠州市某某有限公司1', undefined], [6, '惠州市某某有限公司2', undefined], [8, '惠州市某某有限公司3', undefined]]);
    expect(rows[1]!.cells[header.indexOf('违法事实')]).toBe('第一行\r\n第二行');
    expect(skipped.map((r) => [r.row, r.why])).toEqual([[1, 'title'], [2, 'title'], [5, 'blank']]);
  });

  it('keeps cell text as typed and Chinese intact in GBK, HTML and dumps', async () => {
    const [gbk] = await read('fixtures/text/gbk-title-row-penalty.csv');
    expect(cell(gbk!, gbk!.rows[0]!.row, 'CF_CFJG')).toBe('惠州市市场监督管理局');
    const [html] = await read('fixtures/delivery/xls-really-html-penalty-gbk.xls');
    // The HTML fixture's first data row is the generator's row 11, written as GBK.
    expect(html!.rows[0]!.cells).toEqual(penaltyRow(11));
    const [copy] = await read('fixtures/dump/pgdump-licensing-copy.sql');
    const [inserts] = await read('fixtures/dump/pgdump-licensing-inserts.sql');
    expect(inserts!.rows).toEqual(copy!.rows);
  });

  it('reads a workbook holding two data subjects as two tables', async () => {
    const tables = await read('fixtures/delivery/xlsx-licensing-and-penalty-sheets.xlsx');
    expect(tables.map((t) => [t.table.name, t.table.columns.subject.code, t.rows.length])).toEqual([['许可', 'XZXK', 3], ['处罚', 'XZCF', 2]]);
  });

  it('uses the pipeline\'s assignment when given, and then names the missing required columns', async () => {
    const err = await read('fixtures/text/ragged-rows.csv', () => 'XZCF').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'file/missing-columns', message: expect.stringMatching(/^ragged-rows.csv: "ragged-rows.csv" \(XZCF 行政处罚信息\) has no column for required .*行政相对人类别 \(CF_XDR_LB\)/) });
  });

  it('turns ragged rows into row problems and reads on', async () => {
    const rows: SourceRow[] = [];
    for await (const t of readDelivery('fixtures/text/ragged-rows.csv', { catalog: loose, subjectFor: () => 'XZCF_ANY' })) {
      for await (const r of t.table.rows) rows.push(r);
    }
    expect(rows.filter((r) => r.problem?.code === 'row/ragged').length).toBeGreaterThan(0);
    expect(rows.filter((r) => !r.problem).length).toBeGreaterThan(0);
  });
});

describe('readDelivery: sheets that are not tables', () => {
  it('sets aside an instructions sheet beside the data sheet, and says so', async () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['填报说明'], ['1. 日期格式为YYYY-MM-DD'], ['2. 金额单位为万元']]), '填报说明');
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([xzcf.items.map((i) => i.name), xzcf.items.map((i) => ({ CF_XDR_MC: '惠州市某某有限公司', CF_XDR_LB: '法人及非法人组织', CF_WSH: '惠市监罚〔2019〕1号' } as Record<string, string>)[i.code] ?? '')]), '行政处罚');
    const path = join(mkdtempSync(join(tmpdir(), 'delivery-')), '行政处罚-2019Q3.xlsx');
    writeFileSync(path, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    const setAside: string[] = [];
    const names: string[] = [];
    for await (const t of readDelivery(path, { catalog, onSetAside: (sheet) => setAside.push(sheet) })) {
      names.push(t.table.name);
      for await (const r of t.table.rows) void r;
    }
    expect(names).toEqual(['行政处罚']);
    expect(setAside).toEqual(['填报说明']);
  });

  it('refuses a folder or a missing file as unreadable, not with a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'delivery-'));
    for (const p of [dir, join(dir, 'gone.csv')]) {
      const err = await read(p).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'DeliveryError', code: 'file/unreadable' });
    }
  });
});

describe('readDelivery: bad deliveries are refused with a specific reason', () => {
  it.each([
    ['text/empty-0-bytes.csv', 'file/empty', /has no bytes/],
    ['text/header-only.csv', 'file/header-only', /has a header \(row 1\) but no data rows/],
    ['sheet/xlsx-truncated-zip.xlsx', 'file/corrupt', /truncated/],
    ['sheet/xlsx-entry-fails-crc.xlsx', 'file/corrupt', /CRC-32/],
    ['sheet/xlsx-password-protected.xlsx', 'file/encrypted', /password-protected/],
    ['text/not-any-encoding.csv', 'file/encoding', /line 3: the bytes at offset 105/],
    ['text/binary-png-named.csv', 'file/binary', /PNG image/],
    ['dump/mysqldump-syntax-error-at-statement-7.sql', 'file/sql-syntax', /statement 7 \(line 18\)/],
    ['sqlite/sqlite-corrupt.sqlite', 'file/corrupt', /./],
    ['sheet/xlsx-empty-workbook.xlsx', 'file/empty', /no sheet holds a non-empty cell/],
    ['text/unclosed-quote.csv', 'file/corrupt', /line 5: the quote opening column 2/],
  ])('%s → %s', async (path, code, message) => {
    const err = await (async () => {
      for await (const t of readDelivery(`fixtures/${path}`, { catalog: loose, subjectFor: () => 'XZCF_ANY' })) for await (const r of t.table.rows) void r;
    })().catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'DeliveryError', code, message: expect.stringMatching(message) });
  });
});
