// Stage 5a, the raw floor in Node: the same GBK CSV decoded and parsed by csv-parse and inserted
// with a prepared better-sqlite3 INSERT in batched transactions into a fresh SQLite file — no
// header finding, no cleansing, no checks. What any loader of this file pays at least.
import { createReadStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { peakRssMb, rssMb, stage } from '../stage.js';

const BATCH = 10_000;

await stage(async ([csv, dbPath]) => {
  const db = new Database(dbPath!);
  const setupMb = rssMb();
  const t0 = performance.now();
  // Line 1 is the title row; the header (line 2) gives the column count.
  const records = createReadStream(csv!).pipe(iconv.decodeStream('gb18030')).pipe(parse({ from_line: 2 }));
  let insert: Database.Statement | undefined;
  const flush = db.transaction((batch: string[][]) => { for (const r of batch) insert!.run(r); });
  let batch: string[][] = [];
  let rows = 0;
  for await (const record of records as AsyncIterable<string[]>) {
    if (!insert) {
      db.exec(`CREATE TABLE xzcf (${record.map((_, i) => `c${i + 1} TEXT`).join(', ')})`);
      insert = db.prepare(`INSERT INTO xzcf VALUES (${record.map(() => '?').join(', ')})`);
      continue;
    }
    batch.push(record);
    if (batch.length === BATCH) { flush(batch); rows += batch.length; batch = []; }
  }
  flush(batch);
  rows += batch.length;
  const ms = performance.now() - t0;
  const stored = (db.prepare('SELECT count(*) AS n FROM xzcf').get() as { n: number }).n;
  db.close();
  if (stored !== rows) throw new Error(`inserted ${rows} rows but the table holds ${stored}`);
  return [{ label: 'raw floor: csv-parse + better-sqlite3 INSERT', rows, ms, peakMb: peakRssMb(), setupMb, note: `prepared INSERT, ${BATCH.toLocaleString('en')} rows per transaction` }];
});
