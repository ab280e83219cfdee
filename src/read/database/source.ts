// A table or query in a unit's live database, pulled as one SourceTable of only the rows changed
// since the last successful load: those whose watermark is greater than the stored one.
import type { SourceRow, SourceTable } from '../model.js';
import { sourceFailure } from './errors.js';
import { openSession } from './session.js';
import { checkSpec, type DatabaseSourceSpec } from './spec.js';
import type { WatermarkStore } from './watermark.js';

export interface DatabasePull {
  /** Named after the table (or the source id for a query); rows in watermark order, numbered 1…n. */
  table: SourceTable;
  /**
   * The largest watermark among the pulled rows, once `table.rows` has been read to the end;
   * undefined when no row was new. Store it (`store.set(spec.id, value)`) only after the load of
   * these rows has committed, so that a night that fails pulls the same rows again.
   */
  highWatermark(): string | undefined;
}

/**
 * Connects read-only to read the column names, then again each time `table.rows` is iterated, to
 * stream the rows after the watermark stored for `spec.id` when this was called.
 */
export async function pullDatabaseSource(
  spec: DatabaseSourceSpec,
  store: WatermarkStore,
): Promise<DatabasePull> {
  const checked = checkSpec(spec);
  const since = await store.get(spec.id);
  const probe = await openSession(checked);
  const headers = [...probe.columns];
  await probe.close();
  const watermarkColumn = headers.indexOf(spec.watermark);
  if (watermarkColumn < 0) {
    const detail = `the watermark column ${spec.watermark} is not among its columns (${headers.join(', ')})`;
    throw sourceFailure(spec, 'columns', detail);
  }

  let high: string | undefined;
  let complete = false;
  async function* rows(): AsyncGenerator<SourceRow> {
    high = undefined;
    complete = false;
    const session = await openSession(checked);
    let row = 0;
    try {
      if (session.columns.join('\u0000') !== headers.join('\u0000')) {
        const detail = `the columns changed since the pull began: now ${session.columns.join(', ')}`;
        throw sourceFailure(spec, 'columns', detail);
      }
      try {
        for await (const values of session.rows(since)) {
          row += 1;
          high = values[watermarkColumn] ?? high;
          yield { row, cells: values.map((value) => value ?? '') };
        }
      } catch (error) {
        throw sourceFailure(spec, 'pull', `reading failed after row ${row}`, error);
      }
      complete = true;
    } finally {
      await session.close();
    }
  }

  return {
    table: { name: spec.table ?? spec.id, headers, rows: { [Symbol.asyncIterator]: rows }, skipped: [] },
    highWatermark() {
      if (!complete) {
        throw new Error(`highWatermark() of database source ${spec.id}: its rows were not read to the end`);
      }
      return high;
    },
  };
}
