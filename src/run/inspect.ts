// Reads and validates one delivery without loading it: what a data engineer runs on a file a unit
// sent before (or instead of) the night's run — format, subject, columns, and every row's verdict.
import { basename } from 'node:path';
import type { Catalog, DataSubject } from '../catalog/index.js';
import type { ReasonCode } from '../reasons.js';
import { DeliveryError, readDelivery, type ReadContext } from '../read/index.js';
import { FileCheck, type ErrorLimits } from '../validate/index.js';

export interface ReasonTally {
  code: ReasonCode;
  count: number;
  /** The first few messages, already masked. */
  examples: string[];
}

export interface InspectedTable {
  name: string;
  subject: { code: string; name: string; chosenBy: 'pipeline' | 'headers' };
  headerRow?: number;
  unmapped: { column: number; label: string; why: string }[];
  rows: number;
  accepted: number;
  rejected: number;
  warned: number;
  repairs: number;
  skipped: { row: number; why: string; text: string }[];
  rejections: ReasonTally[];
  warnings: ReasonTally[];
}

export interface Inspection {
  file: string;
  format?: string;
  encoding?: string;
  delimiter?: string;
  tables: InspectedTable[];
  /** Set when the whole file would be quarantined. */
  quarantined?: { code: ReasonCode; message: string };
}

const EXAMPLES = 3;

function tally(into: Map<ReasonCode, ReasonTally>, code: ReasonCode, message: string): void {
  let t = into.get(code);
  if (!t) into.set(code, (t = { code, count: 0, examples: [] }));
  t.count++;
  if (t.examples.length < EXAMPLES) t.examples.push(message);
}

const sorted = (m: Map<ReasonCode, ReasonTally>) => [...m.values()].sort((a, b) => b.count - a.count);

export async function inspectDelivery(path: string, catalog: Catalog, options: { subjects?: readonly DataSubject[]; subject?: string; limits?: ErrorLimits } = {}): Promise<Inspection> {
  const file = basename(path);
  const out: Inspection = { file, tables: [] };
  const ctx: ReadContext = { catalog, ...(options.subjects && { subjects: options.subjects }), ...(options.subject !== undefined && { subjectFor: () => options.subject }) };
  const check = new FileCheck(catalog, file, options.limits);
  try {
    for await (const t of readDelivery(path, ctx)) {
      out.format = t.format;
      if (t.encoding !== undefined) out.encoding = t.encoding;
      if (t.delimiter !== undefined) out.delimiter = t.delimiter;
      const checkRow = check.table(t.columns, t.table.name);
      const before = check.counts();
      const rejections = new Map<ReasonCode, ReasonTally>();
      const warnings = new Map<ReasonCode, ReasonTally>();
      for await (const row of t.table.rows) {
        const c = checkRow(row);
        for (const r of c.rejections) tally(rejections, r.code, r.message);
        for (const w of c.warnings) tally(warnings, w.code, w.message);
      }
      const after = check.counts();
      const s = { rows: after.rows - before.rows, rejected: after.rejected - before.rejected, warned: after.warned - before.warned, repairs: after.repairs - before.repairs };
      const table: InspectedTable = {
        name: t.table.name,
        subject: { code: t.columns.subject.code, name: t.columns.subject.name, chosenBy: t.chosenBy },
        unmapped: t.columns.unmapped,
        rows: s.rows, accepted: s.rows - s.rejected, rejected: s.rejected, warned: s.warned, repairs: s.repairs,
        skipped: t.table.skipped,
        rejections: sorted(rejections), warnings: sorted(warnings),
      };
      if (t.table.headerRow !== undefined) table.headerRow = t.table.headerRow;
      out.tables.push(table);
    }
    const over = check.finish().overLimit;
    if (over) out.quarantined = { code: over.code, message: over.message };
  } catch (e) {
    if (!(e instanceof DeliveryError)) throw e;
    out.quarantined = { code: e.code, message: e.message };
  }
  return out;
}
