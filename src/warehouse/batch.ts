// A batch is one run over one night's deliveries: the row every file, record version and audit
// event of the run points to.
import { hostname } from 'node:os';
import { appendAudit } from './audit.js';
import type { Warehouse } from './connect.js';
import { T } from './tables.js';
import { insertId } from './writers.js';

export interface BatchStart {
  catalog: string;
  pipeline?: string;
  /** The options the run was started with (date, units, dry run…), for the audit. */
  options?: Record<string, unknown>;
}

export type BatchStatus = 'running' | 'finished' | 'failed';

export async function startBatch(wh: Warehouse, start: BatchStart): Promise<number> {
  return wh.knex.transaction(async (trx) => {
    const row = {
      started_at: new Date().toISOString(), catalog: start.catalog, pipeline: start.pipeline ?? null, status: 'running',
      host: hostname(), pid: process.pid, options: start.options ? JSON.stringify(start.options) : null,
    };
    const id = await insertId(wh, trx, T.batches, row);
    await appendAudit(trx, { kind: 'run-started', batchId: id, details: { catalog: start.catalog, pipeline: start.pipeline ?? null, ...start.options } });
    return id;
  });
}

/** Closes a run; `learned` joins the options it was started with (what the run found out it covered). */
export async function finishBatch(
  wh: Warehouse, batchId: number, status: Exclude<BatchStatus, 'running'>, summary: Record<string, unknown>, learned?: Record<string, unknown>,
): Promise<void> {
  await wh.knex.transaction(async (trx) => {
    const row = (await trx(T.batches).where({ id: batchId }).first('options')) as { options: string | null } | undefined;
    const options = learned ? JSON.stringify({ ...(row?.options ? (JSON.parse(row.options) as object) : {}), ...learned }) : row?.options ?? null;
    await trx(T.batches).where({ id: batchId }).update({ status, finished_at: new Date().toISOString(), options });
    await appendAudit(trx, { kind: 'run-finished', batchId, details: { status, ...summary } });
  });
}
