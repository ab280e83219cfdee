// A receipt for every delivery, for the unit that sent it: what became of the file, the row
// counts, and every row turned away with its row number and reasons in Chinese, so the unit can
// fix and resubmit. One sheet model, two writers: xlsx, and CSV for clerks without Excel.
import { createHash } from 'node:crypto';
import { lstat, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as XLSX from 'xlsx';
import { maskCodes, maskText } from '../mask.js';
import { reasonLabel } from '../reasons-zh.js';
import { writeFileWhole } from '../write-whole.js';
import type { DeliveryOutcome, Tally } from './model.js';

export interface ReceiptReason {
  /** A reason code (`cell/required`…), as the ledger stores it. */
  code: string;
  message: string;
  /** Data item code, where the reason is about one cell. */
  item?: string;
}

export interface ReceiptRow {
  /** The worksheet, for workbooks; null for CSV, dumps and pulls. */
  sheet: string | null;
  /** The row number as a person counts it in the delivered file. */
  row: number;
  reasons: ReceiptReason[];
}

export interface Receipt {
  unit: string;
  unitName: string;
  /** The delivered file's name, as delivered: it may hold anything, the receipt masks it. */
  file: string;
  night: string | null;
  runId: number;
  fileId: number | null;
  sha256: string;
  at: string;
  /** A failed file stays in the inbox for the next run: it gets no receipt. */
  outcome: Exclude<DeliveryOutcome, 'failed' | 'unavailable'>;
  reasonCode: string | null;
  /** Why the file did not load. */
  reason: string | null;
  counts: Omit<Tally, 'repairs'> | null;
  /** Rejected (and duplicate) rows, in file order. */
  rows: ReceiptRow[];
  /** Rejected rows not listed: the run keeps a bounded number. */
  rowsLeftOut: number;
}

const OUTCOMES: Record<Receipt['outcome'], { label: string; advice: string }> = {
  loaded: {
    label: '已入库',
    advice: '请按下列行号和问题修正被拒绝的行后重新报送；已入库的行再次报送不会重复入库。',
  },
  quarantined: { label: '已退回（隔离）', advice: '整个文件未入库：请按原因修正后重新报送整个文件。' },
  duplicate: { label: '重复报送', advice: '本文件与此前已入库的文件内容完全相同，本次未再入库，无需处理。' },
};
const ALL_LOADED = '全部数据已入库，无需处理。';
const SAME_BYTES = '与此前已入库的文件内容完全相同';
const NONE = '无';

const UNIT_CODE = /^[A-Z][A-Z0-9_]{0,29}$/; // the catalog's code pattern
const NIGHT = /^\d{4}-\d{2}-\d{2}$/;
const SUFFIX = { xlsx: '.receipt.xlsx', csv: '.receipt.csv' } as const;
const MAX_NAME_BYTES = 255;
// Separators, characters Windows forbids (units open receipts there), control and format
// characters (a bidi override can disguise an extension).
const UNSAFE = /[/\\:*?"<>|\p{Cc}\p{Cf}]/gu;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;
// Spreadsheet programs run a cell starting with these as a formula (OWASP: CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;

function cutToBytes(s: string, budget: number): string {
  let out = '';
  let used = 0;
  for (const ch of s) {
    used += Buffer.byteLength(ch);
    if (used > budget) break;
    out += ch;
  }
  return out;
}

/** The delivered name as one safe path segment that leaves room for the longer suffix. */
function receiptStem(file: string, fileId: number | null): string {
  let stem = maskText(file).replace(UNSAFE, '_');
  if (stem === '' || stem.startsWith('.') || WINDOWS_DEVICE.test(stem)) stem = `_${stem}`;
  // Names that differ only in what was masked or replaced must not share a receipt.
  if (stem !== file && fileId !== null) stem = `${stem}~${fileId}`;
  const budget = MAX_NAME_BYTES - Buffer.byteLength(SUFFIX.xlsx);
  if (Buffer.byteLength(stem) <= budget) return stem;
  // Long names cut to the same prefix stay apart by a hash of the whole (masked) name.
  const tag = `~${createHash('sha256').update(stem).digest('hex').slice(0, 8)}`;
  return cutToBytes(stem, budget - tag.length) + tag;
}

/**
 * `<receipts>/<unit>/<night>/<file>.receipt.xlsx` and `.csv`: a unit delivers files of the same
 * name every night, and one night's receipt must not replace another's.
 */
export function receiptPaths(receiptsDir: string, unit: string, night: string | null, file: string, fileId: number | null = null): { xlsx: string; csv: string } {
  if (!UNIT_CODE.test(unit)) throw new RangeError(`not a unit code: ${JSON.stringify(maskText(unit))}`);
  if (night !== null && !NIGHT.test(night)) throw new RangeError(`not a night (YYYY-MM-DD): ${JSON.stringify(maskText(night))}`);
  const stem = join(receiptsDir, unit, ...(night === null ? [] : [night]), receiptStem(file, fileId));
  return { xlsx: stem + SUFFIX.xlsx, csv: stem + SUFFIX.csv };
}

/** A string cell in text format: a workbook never evaluates it, whatever it starts with. */
function literal(value: string): XLSX.CellObject {
  return { t: 's', v: value, z: '@' };
}

/** The sheet as CSV: there a cell starting like a formula is run as one, unless marked as text with '. */
function neutralisedCsv(ws: XLSX.WorkSheet): string {
  const copy: XLSX.WorkSheet = { ...ws };
  for (const [ref, cell] of Object.entries(ws)) {
    if (ref.startsWith('!')) continue;
    const c = cell as XLSX.CellObject;
    if (c.t === 's' && typeof c.v === 'string' && FORMULA_START.test(c.v)) copy[ref] = { ...c, v: `'${c.v}` };
  }
  return XLSX.utils.sheet_to_csv(copy, { RS: '\r\n', forceQuotes: true });
}

function text(value: string): XLSX.CellObject {
  return literal(maskText(value));
}

/** A message or reason, which can quote a cell of any column: long runs of digits hidden too. */
function unitText(value: string): XLSX.CellObject {
  return literal(maskCodes(value));
}

function num(value: number): XLSX.CellObject {
  return { t: 'n', v: value };
}

type Line = XLSX.CellObject[];

function headLines(r: Receipt): Line[] {
  const outcome = OUTCOMES[r.outcome];
  const why = r.reasonCode !== null ? reasonLabel(r.reasonCode) : r.outcome === 'duplicate' ? SAME_BYTES : NONE;
  const advice = r.outcome === 'loaded' && (r.counts?.rejected ?? 0) === 0 ? ALL_LOADED : outcome.advice;
  return [
    [text('信用信息报送回执')],
    [],
    [text('报送单位'), text(`${r.unitName}（${r.unit}）`)],
    [text('文件名'), text(r.file)],
    [text('批次（运行编号）'), num(r.runId)],
    [text('文件编号'), r.fileId === null ? text(NONE) : num(r.fileId)],
    [text('送达日期'), text(r.night ?? '无（数据库抽取）')],
    [text('接收时间'), text(r.at)],
    // Hex, not personal: masking could take a run of its digits for an ID.
    [text('文件校验码（SHA-256）'), literal(r.sha256)],
    [text('处理结果'), text(outcome.label)],
    [text('原因'), text(why)],
    [text('原因说明'), unitText(r.reason ?? NONE)],
    [text('处理建议'), text(advice)],
  ];
}

function countLines(r: Receipt): Line[] {
  const c = r.counts;
  if (c === null) return [[text('行数统计'), text('文件未读取，无行数')]];
  if (r.outcome === 'quarantined') {
    // Nothing of the file is in: the rows that passed the checks went back with it.
    const passed = c.loaded + c.updated + c.unchanged;
    const ok = passed + c.duplicate + c.rejected === c.rowsRead;
    return [
      [text('行数统计'), text('整个文件已退回，各行均未入库')],
      [text('读取行数'), num(c.rowsRead)],
      [text('通过检查（随文件退回）'), num(passed)],
      [text('重复'), num(c.duplicate)],
      [text('拒绝'), num(c.rejected)],
      [text('核对'), text(`读取 ${c.rowsRead} ${ok ? '=' : '≠'} 通过检查 ${passed} + 重复 ${c.duplicate} + 拒绝 ${c.rejected}，${ok ? '相符' : '不符，请联系信用中心'}`)],
    ];
  }
  const sum = c.loaded + c.updated + c.unchanged + c.duplicate + c.rejected;
  const check = `读取 ${c.rowsRead} ${sum === c.rowsRead ? '=' : '≠'} 新增 ${c.loaded} + 更新 ${c.updated} + 未变 ${c.unchanged} + 重复 ${c.duplicate} + 拒绝 ${c.rejected}`;
  return [
    [text('行数统计'), text('')],
    [text('读取行数'), num(c.rowsRead)],
    [text('新增'), num(c.loaded)],
    [text('更新'), num(c.updated)],
    [text('未变'), num(c.unchanged)],
    [text('重复'), num(c.duplicate)],
    [text('拒绝'), num(c.rejected)],
    [text('核对'), text(`${check}，${sum === c.rowsRead ? '相符' : '不符，请联系信用中心'}`)],
  ];
}

/** The title line, the column headers, then one line per reason of each row. */
function rowLines(r: Receipt, itemNames: ReadonlyMap<string, string>): Line[] {
  const sheets = r.rows.some((row) => row.sheet !== null);
  const header = ['行号', ...(sheets ? ['工作表'] : []), '数据项', '问题', '问题代码', '说明'];
  const item = (code: string | undefined): string => {
    if (code === undefined) return '';
    const name = itemNames.get(code);
    return name === undefined ? code : `${name}（${code}）`;
  };
  const lines: Line[] = [
    [text('问题明细'), text(r.rows.length === 0 && r.rowsLeftOut === 0 ? '无被拒绝的行' : '')],
    header.map(text),
  ];
  for (const row of r.rows) {
    for (const reason of row.reasons) {
      lines.push([
        num(row.row), ...(sheets ? [text(row.sheet ?? '')] : []),
        text(item(reason.item)), text(reasonLabel(reason.code)), text(reason.code), unitText(reason.message),
      ]);
    }
  }
  if (r.rowsLeftOut > 0) lines.push([text(`清单已截断：另有 ${r.rowsLeftOut} 个被拒绝的行未在此列出。`)]);
  return lines;
}

// CJK characters take two columns in Excel's width unit.
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += ch.codePointAt(0)! >= 0x2e80 ? 2 : 1;
  return w;
}

function receiptSheet(r: Receipt, itemNames: ReadonlyMap<string, string>): XLSX.WorkSheet {
  const head = [...headLines(r), [], ...countLines(r), []];
  const lines = [...head, ...rowLines(r, itemNames)];
  const ws = XLSX.utils.aoa_to_sheet(lines);
  const columns = Math.max(...lines.map((l) => l.length));
  // A line of one cell (the title, a note) spills into the empty cells beside it: it sets no width.
  const table = lines.filter((l) => l.length > 1);
  ws['!cols'] = Array.from({ length: columns }, (_, c) => ({
    wch: Math.min(80, Math.max(8, ...table.map((l) => displayWidth(String(l[c]?.v ?? ''))))),
  }));
  const reasons = r.rows.reduce((n, row) => n + row.reasons.length, 0);
  const header = head.length + 1;
  if (reasons > 0) ws['!autofilter'] = { ref: XLSX.utils.encode_range({ s: { r: header, c: 0 }, e: { r: header + reasons, c: columns - 1 } }) };
  return ws;
}

export async function writeReceipt(
  receiptsDir: string, receipt: Receipt, itemNames: ReadonlyMap<string, string>,
): Promise<{ xlsx: string; csv: string }> {
  const paths = receiptPaths(receiptsDir, receipt.unit, receipt.night, receipt.file, receipt.fileId);
  // A link in place of the unit's or the night's folder would carry receipts somewhere else:
  // each is made, then checked, before anything is made inside it.
  const unitDir = join(receiptsDir, receipt.unit);
  for (const dir of new Set([unitDir, dirname(paths.xlsx)])) {
    await mkdir(dir, { recursive: true });
    if ((await lstat(dir)).isSymbolicLink()) throw new Error(`${dir} is a symbolic link: receipts are not written through links`);
  }
  const ws = receiptSheet(receipt, itemNames);
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, '回执');
  // The BOM makes Excel on Chinese Windows read UTF-8 rather than GBK; quoting every field keeps
  // a line break inside a message from ending the record (RFC 4180).
  const csv = `\uFEFF${neutralisedCsv(ws)}\r\n`;
  await writeFileWhole(paths.csv, csv);
  await writeFileWhole(paths.xlsx, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer);
  return paths;
}
