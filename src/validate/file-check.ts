// Validation of one whole file: every row through the record checker, business keys repeated
// within the file, and the pipeline's error limits (DataX's errorLimit record/percentage): past
// either, the file is quarantined whole instead of loading the rows that happened to pass.
import type { Catalog } from '../catalog/index.js';
import { rowPrefix, type Reason } from '../reasons.js';
import type { ColumnMap } from '../read/headers.js';
import type { SourceRow } from '../read/model.js';
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
 * A 52-bit hash of a business key. Keeping every key string of a 2,000,000-row file would cost
 * hundreds of MB; two different keys collide with odds of about n²/2⁵³ (4·10⁻⁴ at 2M rows).
 */
function keyHash(key: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

export class FileCheck {
  private readonly check: (row: SourceRow) => CheckedRow;
  private readonly seen = new Map<number, number>();
  private readonly key: string[];
  private readonly summary: FileCheckSummary = { rows: 0, rejected: 0, warned: 0, repairs: 0 };

  constructor(
    catalog: Catalog,
    private readonly columns: ColumnMap,
    private readonly file: string,
    private readonly limits: ErrorLimits = {},
  ) {
    this.check = recordChecker(compileSubject(columns.subject, catalog), columns, file);
    this.key = columns.subject.businessKey;
  }

  row(row: SourceRow): CheckedRow {
    const checked = this.check(row);
    if (checked.rejections.length === 0) this.duplicate(checked);
    const s = this.summary;
    s.rows++;
    if (checked.rejections.length > 0) s.rejected++;
    if (checked.warnings.length > 0) s.warned++;
    s.repairs += checked.repairs.length;
    const max = this.limits.maxRejectedRows;
    if (max !== undefined && s.rejected > max && !s.overLimit) {
      s.overLimit = this.limitReason(`${s.rejected} rows rejected by row ${row.row}; the pipeline allows at most ${max}`);
    }
    return checked;
  }

  /** The totals; a percentage limit can only be judged once every row is read. */
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

  private duplicate(checked: CheckedRow): void {
    const parts: string[] = [];
    for (const code of this.key) {
      const v = checked.record[code];
      if (v === undefined) return;
      parts.push(String(v));
    }
    const h = keyHash(parts.join('\u0001'));
    const earlier = this.seen.get(h);
    if (earlier === undefined) {
      this.seen.set(h, checked.row);
      return;
    }
    const items = this.key.map((c) => this.columns.subject.items.find((i) => i.code === c)!);
    checked.rejections.push({
      code: 'row/duplicate-in-file', severity: 'reject',
      message: `${rowPrefix(this.file, checked.row)}: the same ${items.map((i) => i.name).join(' + ')} (${items.map((i, n) => shown(i, parts[n]!)).join(' / ')}) as row ${earlier}`,
    });
  }

  private limitReason(message: string): Reason {
    return { code: 'file/error-limit', severity: 'reject', message: `${this.file}: ${message}; the file is quarantined whole` };
  }
}
