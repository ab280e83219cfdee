// Stage 4: read + cleanse + validate end to end on the GBK CSV, as a run checks one file: the
// catalog compiled first (once per night), then every row read and checked as it streams.
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadCatalog } from '../../src/catalog/index.js';
import { readDelivery } from '../../src/read/index.js';
import { compileCatalog, FileCheck, type FileCheckSummary } from '../../src/validate/index.js';
import { checkNote } from '../check-note.js';
import { cpuMs, peakRssMb, rssMb, stage } from '../stage.js';

await stage(async ([path]) => {
  const catalog = loadCatalog('v2');
  compileCatalog(catalog);
  const setupMb = rssMb();
  const c0 = cpuMs();
  const t0 = performance.now();
  let summary: FileCheckSummary | undefined;
  const check = new FileCheck(catalog, basename(path!));
  for await (const t of readDelivery(path!, { catalog })) {
    const checkRow = check.table(t.columns, t.table.name);
    for await (const row of t.table.rows) checkRow(row);
  }
  summary = check.finish();
  const ms = performance.now() - t0;
  if (!summary) throw new Error(`${path} held no table`);
  return [{ label: 'read+cleanse+validate end to end', rows: summary.rows, ms, peakMb: peakRssMb(), setupMb, note: checkNote(summary, cpuMs() - c0, ms) }];
});
