// The last watermark each database source was loaded up to. It lives in the warehouse, not in the
// unit's database (which credit-etl only reads), so it can be written in the load's own transaction.
import type { Knex } from 'knex';

export interface WatermarkStore {
  get(sourceId: string): Promise<string | undefined>;
  set(sourceId: string, value: string): Promise<void>;
}

export const WATERMARK_TABLE = 'source_watermarks';

/**
 * Watermarks in the `source_watermarks` table (source_id, watermark, updated_at) of the warehouse
 * behind `knex` (SQLite, PostgreSQL or MySQL/MariaDB), created on first use. Given the load's
 * transaction as `knex`, `set` commits or rolls back with the rows it records. MySQL commits a
 * transaction on DDL, so there the table must exist before the load begins: the `get` that
 * pullDatabaseSource makes on the plain connection sees to that.
 */
export function knexWatermarkStore(knex: Knex): WatermarkStore {
  let ready: Promise<void> | undefined;
  const ensure = () =>
    (ready ??= ensureTable(knex).catch((error: unknown) => {
      ready = undefined;
      throw error;
    }));
  return {
    async get(sourceId) {
      await ensure();
      const row = (await knex(WATERMARK_TABLE).where({ source_id: sourceId }).first('watermark')) as
        | { watermark: string }
        | undefined;
      return row?.watermark;
    },
    async set(sourceId, value) {
      await ensure();
      await knex(WATERMARK_TABLE)
        .insert({ source_id: sourceId, watermark: value, updated_at: knex.fn.now() })
        .onConflict('source_id')
        .merge(['watermark', 'updated_at']);
    },
  };
}

async function ensureTable(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable(WATERMARK_TABLE)) return;
  try {
    await knex.schema.createTable(WATERMARK_TABLE, (table) => {
      table.string('source_id', 255).primary();
      table.text('watermark').notNullable();
      table.timestamp('updated_at').notNullable();
    });
  } catch (error) {
    // Several workers may start on an empty warehouse at once; losing that race is fine.
    if (!(await knex.schema.hasTable(WATERMARK_TABLE))) throw error;
  }
}
