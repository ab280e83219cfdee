// Stage 3: cleanse + validate alone — the 行政处罚 rows already in memory as SourceRows, through
// FileCheck (every cell's cleaner, the subject's ajv validator, identifier checks, duplicate
// keys) on the one thread a file gets. The peak RSS includes the rows held in memory.
import { performance } from 'node:perf_hooks';
import { loadCatalog } from '../../src/catalog/index.js';
import { mapHeaders, type SourceRow } from '../../src/read/index.js';
import { FileCheck } from '../../src/validate/index.js';
import { checkNote } from '../check-note.js';
import { deliveryRow, LINES_BEFORE_ROWS, PENALTY_CSV, PENALTY_HEADER } from '../penalty-delivery.js';
import { cpuMs, peakRssMb, rssMb, stage } from '../stage.js';

await stage(([count]) => {
  const catalog = loadCatalog('v2');
  const subject = catalog.subjects.find((s) => s.code === 'XZCF')!;
  const rows: SourceRow[] = Array.from({ length: Number(count) }, (_, n) => ({ row: n + LINES_BEFORE_ROWS + 1, cells: deliveryRow(n) }));
  const check = new FileCheck(catalog, PENALTY_CSV);
  const checkRow = check.table(mapHeaders(PENALTY_HEADER, subject));
  const setupMb = rssMb();
  const c0 = cpuMs();
  const t0 = performance.now();
  for (const r of rows) checkRow(r);
  const ms = performance.now() - t0;
  const note = checkNote(check.finish(), cpuMs() - c0, ms);
  return [{ label: 'cleanse+validate: FileCheck, rows in memory', rows: rows.length, ms, peakMb: peakRssMb(), setupMb, note: `${note}; target ≥ 200,000 rows/s` }];
});
