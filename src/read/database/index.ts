// Live database sources (issue #3): pull a table or query from a unit's PostgreSQL or MySQL/MariaDB
// database, read-only, only the rows past the watermark the warehouse stored after the last load.
//
//   const store = knexWatermarkStore(warehouse);
//   const pull = await pullDatabaseSource(spec, store);
//   await warehouse.transaction(async (load) => {
//     for await (const row of pull.table.rows) { /* map, validate, load */ }
//     const high = pull.highWatermark();
//     // Stored with the load, never before: a night that fails pulls the same rows again.
//     if (high !== undefined) await knexWatermarkStore(load).set(spec.id, high);
//   });
export { DatabaseSourceError, type DatabaseSourceStage } from './errors.js';
export { pullDatabaseSource, type DatabasePull } from './source.js';
export { DEFAULT_BATCH_SIZE, type DatabaseSourceSpec } from './spec.js';
export { knexWatermarkStore, WATERMARK_TABLE, type WatermarkStore } from './watermark.js';
