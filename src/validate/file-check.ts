// Validation of one whole file: every row through the record checker, business keys repeated
// within the file, and the pipeline's error limits (DataX's errorLimit record/percentage): past
// either, the file is quarantined whole instead of loading the rows that happened to pass.
import type { Catalog, DataItem } from '../catalog/index.js';
import { rowPrefix, type Reason } from '../reasons.js';
import type { ColumnMap } from '../read/headers.js';
import type { SourceRow } from '../read/model.js';
import type { CleanValue } from './item-cleaner.js';
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
 * A 52-bit hash of a business key's values, computed in place. Keeping every key string of a
 * 2,000,000-row file would cost hundreds of MB; two different keys collide with odds of about
 * n²/2⁵³ (4·10⁻⁴ at 2M rows).
 */
function keyHash(record: Record<string, CleanValue>, items: readonly DataItem[]): number | undefined {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (const item of items) {
    const v = record[item.code];
    if (v === undefined) return undefined;
    const text = typeof v === 'string' ? v : String(v);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    // A separator, so ('ab','c') and ('a','bc') differ.
    h1 = Math.imul(h1 ^ 1, 2654435761);
    h2 = Math.imul(h2 ^ 1, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * One delivery file's checks. A workbook's sheets are tables of one file: business keys repeat
 * across them as within one, and the error limits judge the whole file.
 */
export class FileCheck {
  /** Business-key hashes seen, per data subject, with the row that had each first. */
  private readonly seen = new Map<string, Map<number, { row: number; table: string }>>();
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
    if (!seen) this.seen.set(columns.subject.code, (seen = new Map()));
    const keys = seen;
    return (row) => {
      const checked = check(row);
      if (checked.rejections.length === 0) this.duplicate(checked, items, keys, name);
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

  private duplicate(checked: CheckedRow, items: DataItem[], seen: Map<number, { row: number; table: string }>, table: string): void {
    const h = keyHash(checked.record, items);
    if (h === undefined) return;
    const earlier = seen.get(h);
    if (earlier === undefined) {
      seen.set(h, { row: checked.row, table });
      return;
    }
    const where = earlier.table !== table && earlier.table !== '' ? `row ${earlier.row} of sheet ${earlier.table}` : `row ${earlier.row}`;
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
