// Turns a grid (CSV, sheet, HTML table) into a table: finds the header among title rows, joins
// a two-row merged header, sets aside blank and trailing note rows, and flags ragged rows.
// Spreadsheets from 33 units rarely start at A1 with one clean header row.
import { rowPrefix } from '../reasons.js';
import { maskText } from '../mask.js';
import { labelKeys } from './headers.js';
import { DeliveryError, type Grid, type GridRow, type SkippedRow, type SourceRow, type SourceTable } from './model.js';

/** How many leading rows may hold titles before the header. */
const HEADER_SEARCH_ROWS = 30;
/** A header must name at least this many known data items. */
const MIN_HEADER_SCORE = 2;
// 注：… and 填报人：… close a sheet; a company named 注塑… must not, hence the punctuation.
const LOOKS_LIKE_DATA = /\d{6,}|^[0-9A-Z]{9,18}$/;
const NOTE_START = /^(注\s*\d*\s*[:：.、]|注释|说明[:：]|备注[:：]|填表说明|填报说明|填报人|填报单位|填表人|制表人|审核人|负责人[:：]|联系电话[:：]|合计|总计|小计)/;

/** How many cells hold more than blanks, counted no further than `enough`: every row passes here. */
function filled(cells: string[], enough: number): number {
  let n = 0;
  for (let i = 0; i < cells.length && n < enough; i++) if (cells[i]!.trim() !== '') n++;
  return n;
}

const isBlank = (cells: string[]): boolean => filled(cells, 1) === 0;

function known(label: string, vocabulary: ReadonlySet<string>): boolean {
  return label !== '' && labelKeys(label).some((k) => vocabulary.has(k));
}

function score(labels: string[], vocabulary: ReadonlySet<string>): number {
  let n = 0;
  for (const l of labels) if (known(l, vocabulary)) n++;
  return n;
}

/**
 * Joins a parent header row over a child row. Each column takes the first spelling the catalog
 * knows — 行政相对人代码_1, 行政相对人代码_统一社会信用代码, the child, the parent — else the child.
 */
export function joinHeaderRows(parent: string[], child: string[], vocabulary: ReadonlySet<string>): string[] {
  const width = Math.max(parent.length, child.length);
  const out: string[] = [];
  // A merged parent saved to CSV keeps its text in the first column only: carry it right over
  // blank parent cells for as long as children stand below.
  let carried = '';
  for (let i = 0; i < width; i++) {
    let p = (parent[i] ?? '').trim();
    const c = (child[i] ?? '').trim();
    const own = p !== '';
    if (own) carried = p;
    else if (c !== '' && carried !== '' && !known(c, vocabulary)) p = carried;
    else carried = '';
    if (c === '' || c === p) { out.push(p); continue; }
    if (p === '') { out.push(c); continue; }
    const joined = /^[_\d]/.test(c) ? `${p}${c.startsWith('_') ? '' : '_'}${c}` : `${p}_${c}`;
    // A carried parent only ever names a column together with its child.
    const candidates = own ? [joined, c, p] : [joined, c];
    out.push(candidates.find((x) => known(x, vocabulary)) ?? c);
  }
  return out;
}

function trimWidth(labels: string[]): string[] {
  let end = labels.length;
  while (end > 0 && labels[end - 1]!.trim() === '') end--;
  return labels.slice(0, end).map((l) => l.trim());
}

/** A set-aside row as one line, personal numbers masked; a merged title's repeats shown once. */
function rowText(cells: string[]): string {
  return maskText([...new Set(cells.map((c) => c.trim()).filter(Boolean))].join(' '));
}

/** A header printed again mid-sheet (page breaks in exported reports): `need` of its labels in place. */
function repeatsHeader(cells: string[], headers: string[], need: number): boolean {
  let same = 0;
  for (let i = 0; i < headers.length; i++) {
    // A data row stops here once too few columns are left to match.
    if (same + headers.length - i < need) return false;
    const label = headers[i]!;
    const cell = cells[i] ?? '';
    if (label !== '' && (cell === label || (cell.length > label.length && cell.trim() === label))) same++;
  }
  return same >= need;
}

/** 1, 2, 3 … under the header: column numbers some templates print, not a record. */
function isNumbering(cells: string[]): boolean {
  const filled = cells.map((c) => c.trim()).filter(Boolean);
  return filled.length >= 3 && filled.every((c, i) => c.replace(/^[(（]?(\d+)[)）]?$/, '$1') === String(i + 1));
}

function isNoteRow(cells: string[], width: number): boolean {
  const first = cells.find((c) => c.trim() !== '')?.trim() ?? '';
  if (NOTE_START.test(first)) return true;
  // A lone cell under a wide header is a signature, a footnote or a date line — unless it looks
  // like data (an identifier, a long number), which must reach validation, not vanish.
  return width >= 4 && filled(cells, 2) <= 1 && !LOOKS_LIKE_DATA.test(first);
}

/**
 * Finds the header of `grid` using the labels the catalog knows (`vocabulary`: headerKey of
 * every item code, name and alias the file may hold) and returns the table. Reading the rows
 * throws DeliveryError('file/header-only') when the header is followed by no record.
 */
export async function shapeGrid(grid: Grid, file: string, vocabulary: ReadonlySet<string>): Promise<SourceTable> {
  const it = grid.rows[Symbol.asyncIterator]();
  const head: GridRow[] = [];
  let exhausted = false;
  while (head.length < HEADER_SEARCH_ROWS) {
    const next = await it.next();
    if (next.done) { exhausted = true; break; }
    head.push(next.value);
  }
  if (head.every((r) => isBlank(r.cells))) throw new DeliveryError('file/empty', `sheet or table "${grid.name}" holds no text`, file);

  let best = -1;
  let bestScore = 0;
  head.forEach((r, i) => {
    const s = score(r.cells, vocabulary);
    if (s > bestScore) { best = i; bestScore = s; }
  });
  if (best < 0 || bestScore < MIN_HEADER_SCORE) {
    const first = head.find((r) => !isBlank(r.cells));
    throw new DeliveryError('file/no-header', `no row among the first ${head.length} of "${grid.name}" names two or more data items of the catalog (first row: ${maskText(first?.cells.filter(Boolean).slice(0, 6).join(' | ') ?? '')})`, file);
  }
  let headers = trimWidth(head[best]!.cells);
  let headerEnd = best;
  const below = head[best + 1];
  if (below && !isBlank(below.cells)) {
    const joined = trimWidth(joinHeaderRows(head[best]!.cells, below.cells, vocabulary));
    if (score(joined, vocabulary) > bestScore) { headers = joined; headerEnd = best + 1; }
  }

  const skipped: SkippedRow[] = [];
  for (const r of head.slice(0, best)) skipped.push({ row: r.row, why: isBlank(r.cells) ? 'blank' : 'title', text: rowText(r.cells) });
  const width = headers.length;
  const need = Math.max(2, Math.ceil(headers.filter(Boolean).length / 2));
  const rest = head.slice(headerEnd + 1);

  async function* records(): AsyncGenerator<SourceRow> {
    let pending: GridRow[] = [];
    let yielded = 0;
    let first = true;
    // The rows read while looking for the header, then the grid's own: no generator in between,
    // as a layer of them costs a promise per row.
    for (let i = 0; ; i++) {
      let r = rest[i];
      if (!r) {
        if (exhausted) break;
        const n = await it.next();
        if (n.done) break;
        r = n.value;
      }
      if (repeatsHeader(r.cells, headers, need) || (first && isNumbering(r.cells))) {
        skipped.push({ row: r.row, why: 'header', text: rowText(r.cells) });
        continue;
      }
      first = false;
      if (isBlank(r.cells) || isNoteRow(r.cells, width)) { pending.push(r); continue; }
      // Rows that looked like notes but have data after them were data after all.
      for (const p of pending) {
        if (isBlank(p.cells)) skipped.push({ row: p.row, why: 'blank', text: '' });
        else { yielded++; yield toRecord(p); }
      }
      pending = [];
      yielded++;
      yield toRecord(r);
    }
    for (const p of pending) skipped.push({ row: p.row, why: isBlank(p.cells) ? 'blank' : 'note', text: rowText(p.cells) });
    if (yielded === 0) throw new DeliveryError('file/header-only', `"${grid.name}" has a header (row ${head[headerEnd]!.row}) but no data rows`, file);
  }

  function toRecord(r: GridRow): SourceRow {
    const out: SourceRow = { row: r.row, cells: r.cells };
    if (r.notes) out.notes = r.notes;
    // Trailing blank cells past the header are padding, not data.
    let used = r.cells.length;
    while (used > width && r.cells[used - 1]!.trim() === '') used--;
    if (used !== width) {
      out.problem = { code: 'row/ragged', severity: 'reject', message: `${rowPrefix(file, r.row)}: ${used} cells where the header has ${width}` };
    } else if (r.cells.length > width) {
      out.cells = r.cells.slice(0, width);
    }
    return out;
  }

  return { name: grid.name, headers, headerRow: head[headerEnd]!.row, rows: records(), skipped };
}
