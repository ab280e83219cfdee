// What the read stage hands on: tables of rows as the unit delivered them, each row numbered as
// a person counts it in that file, each cell's text kept exactly as typed.
import type { Reason, ReasonCode } from '../reasons.js';

export type DeliveryFormat =
  | 'csv' | 'tsv' | 'xlsx' | 'xls' | 'html-table' | 'mysqldump' | 'pgdump' | 'sqlite' | 'database';

/** A fact the reader learned about one cell, kept beside the unit's text. */
export type CellNote =
  /** The cell's number format says date; `iso` is the date (or date-time) it encodes. */
  | { column: number; kind: 'excel-date'; iso: string }
  /** Excel held the cell as a number: the text is its display, digits past the 15th may be gone. */
  | { column: number; kind: 'excel-number' }
  /** An identifier-looking number whose digits Excel already lost (4.41302E+17, or 15 digits then zeros). */
  | { column: number; kind: 'corrupted-by-excel'; detail: string };

/** One physical data row. A row the reader could not shape (ragged) still comes, with `problem`. */
export interface SourceRow {
  /** Spreadsheet row, CSV line where the record starts, or ordinal of the record in a dump table. */
  row: number;
  /** One text per header ('' when blank); a ragged row holds what it had. */
  cells: string[];
  notes?: CellNote[];
  problem?: Reason;
}

/**
 * Rows the reader set aside without making them records: title rows, trailing notes, blank rows,
 * a header repeated mid-sheet or a column-numbering row (1, 2, 3…) under the header.
 */
export interface SkippedRow {
  row: number;
  why: 'title' | 'blank' | 'note' | 'header';
  /** The row's text with identifiers and phone numbers masked. */
  text: string;
}

/** One table of a delivery: a CSV file, a sheet, a dump table, a SQLite table, a database query. */
export interface SourceTable {
  /** Sheet, table or query name; the file name for CSV. */
  name: string;
  /** Header labels as found; a two-row header is joined as `parent_child` (行政相对人代码_1). */
  headers: string[];
  /** Row number of the (last) header row, where the file has one. */
  headerRow?: number;
  rows: AsyncIterable<SourceRow>;
  /** Filled while `rows` is consumed: what was set aside and why. */
  skipped: SkippedRow[];
}

export interface DeliveryMeta {
  format: DeliveryFormat;
  /** Detected text encoding (utf-8, utf-8-bom, gb18030, utf-16le), for text formats. */
  encoding?: string;
  /** Detected delimiter, for CSV and TSV. */
  delimiter?: string;
}

export interface Delivery extends DeliveryMeta {
  path: string;
  tables: AsyncIterable<SourceTable>;
}

/** A delivery that cannot be read at all, or is found broken part-way: the file is quarantined. */
export class DeliveryError extends Error {
  constructor(
    readonly code: ReasonCode,
    message: string,
    readonly file: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'DeliveryError';
  }
}

/** One raw row of a grid-shaped source (CSV, sheet, HTML table) before the header is found. */
export interface GridRow {
  /** Row number as a person counts it: the sheet row, or the CSV line where the record starts. */
  row: number;
  cells: string[];
  notes?: CellNote[];
}

/** A grid-shaped source: its rows in order, header and title rows included. */
export interface Grid {
  name: string;
  rows: AsyncIterable<GridRow>;
}
