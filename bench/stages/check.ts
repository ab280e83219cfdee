// Stage 3: cleanse + validate alone — the 行政处罚 rows already in memory as SourceRows, through
// FileCheck (every cell's cleaner, the subject's ajv validator, identifier checks, duplicate
// keys) on the one thread a file gets. Two figures: the first pass over the rows in a fresh process
// (V8 still compiling), and the median of three more passes, each with a fresh FileCheck: the
// rate a night's later files get once the code is hot. The peak RSS includes the rows in memory.
import { performance } from 'node:perf_hooks';
import { loadCatalog } from '../../src/catalog/index.js';
import { mapHeaders, type SourceRow } from '../../src/read/index.js';
import { FileCheck, type FileCheckSummary } from '../../src/validate/index.js';
import { checkNote } from '../check-note.js';
import { deliveryRow, LINES_BEFORE_ROWS, PENALTY_CSV, PENALTY_HEADER } from '../penalty-delivery.js';
import { cpuMs, peakRssMb, rssMb, stage } from '../stage.js';

const WARM_PASSES = 3;

await stage(([count]) => {
  const catalog = loadCatalog('v2');
  const subject = catalog.subjects.find((s) => s.code === 'XZCF')!;
  const columns = mapHeaders(PENALTY_HEADER, subject);
  // A reader hands over flat strings; the generator's are built by concatenation (V8 ropes, which
  // the first read of each would flatten). A JSON round trip flattens them, untimed.
  const rows: SourceRow[] = Array.from({ length: Number(count) }, (_, n) => ({
    row: n + LINES_BEFORE_ROWS + 1, cells: JSON.parse(JSON.stringify(deliveryRow(n))) as string[],
  }));
  const setupMb = rssMb();
  const pass = (): { ms: number; cpu: number; summary: FileCheckSummary } => {
    const check = new FileCheck(catalog, PENALTY_CSV);
    const checkRow = check.table(columns);
    const c0 = cpuMs();
    const t0 = performance.now();
    for (const r of rows) checkRow(r);
    const ms = performance.now() - t0;
    return { ms, cpu: cpuMs() - c0, summary: check.finish() };
  };
  const cold = pass();
  const warm = Array.from({ length: WARM_PASSES }, pass).sort((a, b) => a.ms - b.ms)[1]!;
  return [
    { label: 'cleanse+validate: FileCheck, first pass', rows: rows.length, ms: cold.ms, peakMb: peakRssMb(), setupMb, note: checkNote(cold.summary, cold.cpu, cold.ms) },
    { label: 'cleanse+validate: FileCheck, hot (median of 3)', rows: rows.length, ms: warm.ms, note: `${checkNote(warm.summary, warm.cpu, warm.ms)}; target ≥ 200,000 rows/s` },
  ];
});
