// Validation of one whole file: every row through the record checker, business keys repeated
// within the file, and the pipeline's error limits (DataX's errorLimit record/percentage): past
// either, the file is quarantined whole instead of loading the rows that happened to pass.
import type { Catalog, DataItem } from '../catalog/index.js';
import { rowPrefix, type Reason } from '../reasons.js';
import type { ColumnMap } from '../read/headers.js';
import type { SourceRow } from '../read/model.js';
import { KeyTable } from './key-table.js';
import { compileSubject, recordChecker, shown, type CheckedRow } from './record.js';

export interface ErrorLimits {
  /** Most rejected rows a file may have and still load. */
  maxRejectedRows?: number;
  /** Most rejected rows as a percentage (0–100) of the rows read. */
  maxRejectedPercent?: number;
}

export interface FileCheckSummary {
  rows: number;
  rejected: number;
  warned: number;
  repairs: number;
  /** Set when the file is over an error limit: it must be quarantined whole. */
  overLimit?: Reason;
}

/**
 * One delivery file's checks. A workbook's sheets are tables of one file: business keys repeat
 * across them as within one, and the error limits judge the whole file.
 */
export class FileCheck {
  /** Business keys seen, per data subject, with the row that had each first. */
  private readonly seen = new Map<string, KeyTable>();
  /** The file's tables (sheets) so far, by the index the key table records. */
  private readonly tables: string[] = [];
  private readonly summary: FileCheckSummary = { rows: 0, rejected: 0, warned: 0, repairs: 0 };

  constructor(
    private readonly catalog: Catalog,
    private readonly file: string,
    private readonly limits: ErrorLimits = {},
  ) {}

  /** The row checker for one table of the file, whose columns `columns` maps. */
  table(columns: ColumnMap, name = ''): (row: SourceRow) => CheckedRow {
    const check = recordChecker(compileSubject(columns.subject, this.catalog), columns, this.file);
    const key = columns.subject.businessKey;
    const items = key.map((c) => columns.subject.items.find((i) => i.code === c)!);
    let seen = this.seen.get(columns.subject.code);
    if (!seen) this.seen.set(columns.subject.code, (seen = new KeyTable()));
    const keys = seen;
    const table = this.tables.push(name) - 1;
    return (row) => {
      const checked = check(row);
      if (checked.rejections.length === 0) this.duplicate(checked, items, keys, table);
      this.count(checked, row.row);
      return checked;
    };
  }

  /** The totals so far, judging nothing: for reporting one table of the file. */
  counts(): FileCheckSummary {
    return { ...this.summary };
  }

  /** The totals; a percentage limit can only be judged once every row of the file is read. */
  finish(): FileCheckSummary {
    const s = this.summary;
    const pct = this.limits.maxRejectedPercent;
    if (!s.overLimit && pct !== undefined && s.rows > 0 && (s.rejected / s.rows) * 100 > pct) {
      s.overLimit = this.limitReason(`${s.rejected} of ${s.rows} rows rejected (${((s.rejected / s.rows) * 100).toFixed(1)}%); the pipeline allows at most ${pct}%`);
    }
    return { ...s };
  }

  get overLimit(): Reason | undefined {
    return this.summary.overLimit;
  }

  private count(checked: CheckedRow, row: number): void {
    const s = this.summary;
    s.rows++;
    if (checked.rejections.length > 0) s.rejected++;
    if (checked.warnings.length > 0) s.warned++;
    s.repairs += checked.repairs.length;
    const max = this.limits.maxRejectedRows;
    if (max !== undefined && s.rejected > max && !s.overLimit) {
      s.overLimit = this.limitReason(`${s.rejected} rows rejected by row ${row}; the pipeline allows at most ${max}`);
    }
  }

  private duplicate(checked: CheckedRow, items: DataItem[], keys: KeyTable, table: number): void {
    const earlier = keys.firstSeen(checked.record, items, checked.row, table);
    if (earlier === undefined) return;
    const sheet = this.tables[earlier.table]!;
    const where = earlier.table !== table && sheet !== '' ? `row ${earlier.row} of sheet ${sheet}` : `row ${earlier.row}`;
    const parts = items.map((i) => String(checked.record[i.code]));
    checked.rejections = [{
      code: 'row/duplicate-in-file', severity: 'reject',
      message: `${rowPrefix(this.file, checked.row)}: the same ${items.map((i) => i.name).join(' + ')} (${items.map((i, n) => shown(i, parts[n]!)).join(' / ')}) as ${where}`,
    }];
  }

  private limitReason(message: string): Reason {
    return { code: 'file/error-limit', severity: 'reject', message: `${this.file}: ${message}; the file is quarantined whole` };
  }
}
