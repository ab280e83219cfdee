// Stage 7: the load stage alone, into a fresh warehouse — checked 行政处罚 rows (checked untimed,
// in chunks as a run hands them over) through FileLoad: business-key lookups, history, ledger and
// repairs rows, one transaction for the file. Beside it, timed on the same chunks in the same
// process: a bare prepared better-sqlite3 INSERT of the same records' values into a table with the
// same item columns and nothing else (no lookups, no lineage, no index), the floor the issue
// compares with. With a PostgreSQL URL, the same load goes into a fresh database there instead.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import createKnex from 'knex';
import { loadCatalog, STORAGE } from '../../src/catalog/index.js';
import { mapHeaders } from '../../src/read/index.js';
import { FileCheck } from '../../src/validate/index.js';
import { startBatch } from '../../src/warehouse/batch.js';
import { openWarehouse } from '../../src/warehouse/connect.js';
import { FileLoad, type LoadRow } from '../../src/warehouse/load.js';
import { ensureSchema } from '../../src/warehouse/schema.js';
import { itemColumn } from '../../src/warehouse/tables.js';
import { deliveryRow, LINES_BEFORE_ROWS, PENALTY_CSV, PENALTY_HEADER } from '../penalty-delivery.js';
import { peakRssMb, rssMb, stage, type Figure } from '../stage.js';

const CHUNK = 5000;

await stage(async ([count, dir, postgres]) => {
  const rows = Number(count);
  const catalog = loadCatalog('v2');
  const penalty = catalog.subjects.find((s) => s.code === 'XZCF')!;
  const check = new FileCheck(catalog, PENALTY_CSV).table(mapHeaders(PENALTY_HEADER, penalty));

  let adminUrl: string | undefined;
  let database: string | undefined;
  let spec = join(dir!, 'warehouse.db');
  if (postgres) {
    adminUrl = postgres;
    database = `credit_etl_bench_${randomBytes(4).toString('hex')}`;
    const admin = createKnex({ client: 'pg', connection: adminUrl });
    await admin.raw(`create database ${database}`);
    await admin.destroy();
    spec = `${adminUrl.replace(/\/[^/]*$/, '')}/${database}`;
  }
  const wh = await openWarehouse(spec);
  try {
    await ensureSchema(wh, catalog);
    const batchId = await startBatch(wh, { catalog: 'v2', pipeline: 'bench' });

    const bare = postgres ? undefined : new Database(join(dir!, 'bare.db'));
    let insertBare: Database.Statement | undefined;
    if (bare) {
      bare.pragma('journal_mode = WAL');
      bare.pragma('synchronous = NORMAL');
      bare.exec(`CREATE TABLE xzcf (${penalty.items.map((i) => `${itemColumn(i)} ${['decimal', 'integer'].includes(STORAGE[i.type]) ? 'NUMERIC' : 'TEXT'}`).join(', ')})`);
      insertBare = bare.prepare(`INSERT INTO xzcf VALUES (${penalty.items.map(() => '?').join(', ')})`);
      bare.exec('BEGIN');
    }
    const setupMb = rssMb();
    let loadMs = 0;
    let bareMs = 0;
    let t = performance.now();
    const load = await FileLoad.begin(wh, { batchId, unit: 'SCJG', path: PENALTY_CSV, name: PENALTY_CSV, sha256: '0'.repeat(64), bytes: 0 });
    loadMs += performance.now() - t;
    for (let n0 = 0; n0 < rows; n0 += CHUNK) {
      const chunk: LoadRow[] = [];
      for (let n = n0; n < Math.min(rows, n0 + CHUNK); n++) {
        const cells = deliveryRow(n);
        chunk.push({ checked: check({ row: n + LINES_BEFORE_ROWS + 1, cells }), cells });
      }
      if (insertBare) {
        t = performance.now();
        for (const r of chunk) {
          if (r.checked.rejections.length === 0) insertBare.run(penalty.items.map((i) => r.checked.record[i.code] ?? null));
        }
        bareMs += performance.now() - t;
      }
      t = performance.now();
      await load.add(penalty, chunk);
      loadMs += performance.now() - t;
    }
    t = performance.now();
    const counts = await load.commit();
    loadMs += performance.now() - t;
    if (bare) {
      t = performance.now();
      bare.exec('COMMIT');
      bareMs += performance.now() - t;
      bare.close();
    }
    const where = postgres ? 'PostgreSQL (fresh database)' : 'SQLite (fresh file)';
    const figures: Figure[] = [{
      label: `load: FileLoad into ${where}`, rows, ms: loadMs, peakMb: peakRssMb(), setupMb,
      note: `loaded ${counts.loaded.toLocaleString('en')}, rejected ${counts.rejected.toLocaleString('en')}, ${counts.repairs.toLocaleString('en')} repairs; one transaction`,
    }];
    if (bare) {
      const accepted = counts.loaded;
      const ratio = (rows / loadMs) / (accepted / bareMs);
      figures.push({ label: 'load floor: bare prepared INSERT, same records', rows: accepted, ms: bareMs, note: `one transaction, no lookups, lineage or ledger; load ÷ floor ${ratio.toFixed(2)}×, target ≥ 0.50×` });
    }
    return figures;
  } finally {
    await wh.close();
    if (adminUrl && database) {
      const admin = createKnex({ client: 'pg', connection: adminUrl });
      await admin.raw(`drop database if exists ${database} with (force)`);
      await admin.destroy();
    }
  }
});
