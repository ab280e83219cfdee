// Reads a 2,000,000-row GBK 行政处罚 CSV (title row, header, realistic rows as Excel on Chinese
// Windows writes them) through openTextGrid and prints rows, seconds, rows/s and peak RSS.
// The file is generated into a temp folder first; the reading runs in a child process so its
// peak RSS is the reader's alone, not the generator's.
// Run: npx tsx scripts/measure-csv-memory.ts [--rows 2000000]
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openTextGrid } from '../src/read/text/index.js';

const MB = 1024 * 1024;
const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;

async function generate(path: string, rows: number): Promise<void> {
  // Imported here, not at the top: the reading child must not carry the catalog in its RSS.
  const { writePenaltyCsv } = await import('../bench/penalty-delivery.js');
  await writePenaltyCsv(path, rows);
}

async function read(path: string): Promise<void> {
  const startRss = process.memoryUsage().rss / MB;
  const t0 = performance.now();
  const { meta, grid } = await openTextGrid(path);
  let rows = 0;
  let lastRow = 0;
  for await (const row of grid.rows) {
    rows++;
    lastRow = row.row;
  }
  const seconds = (performance.now() - t0) / 1000;
  process.send!({ meta, rows, lastRow, seconds, startRss, peakRss: peakRssMb() });
}

interface Report {
  meta: unknown;
  rows: number;
  lastRow: number;
  seconds: number;
  startRss: number;
  peakRss: number;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--read') return read(args[1]!);
  const rows = Number(args[args.indexOf('--rows') + 1] ?? 2_000_000) || 2_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'credit-etl-csv-'));
  const path = join(dir, 'gbk-penalty-2m.csv');
  try {
    const g0 = performance.now();
    await generate(path, rows);
    const bytes = statSync(path).size;
    console.log(`generated ${path}: ${rows} data rows, ${(bytes / MB).toFixed(0)} MB (${(bytes / (rows + 2)).toFixed(0)} bytes/row) in ${((performance.now() - g0) / 1000).toFixed(1)} s`);
    const child = fork(fileURLToPath(import.meta.url), ['--read', path]);
    const [report] = (await once(child, 'message')) as [Report];
    await once(child, 'exit');
    console.log(`node ${process.version}, ${process.platform}/${process.arch}; detected ${JSON.stringify(report.meta)}`);
    console.log(`rows ${report.rows} (last starts on line ${report.lastRow})`);
    console.log(`seconds ${report.seconds.toFixed(1)}`);
    console.log(`rows/s ${Math.round(report.rows / report.seconds)}  (${(bytes / MB / report.seconds).toFixed(1)} MB/s)`);
    console.log(`peak RSS ${report.peakRss.toFixed(0)} MB (RSS before reading ${report.startRss.toFixed(0)} MB; target < 300 MB)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
