// `npm run bench`: measured figures for the stages that exist so far. Timings are medians of
// repeated runs in one process after a cold first run, with the process's peak RSS.
import { performance } from 'node:perf_hooks';
import { resourceUsage } from 'node:process';
import { countCatalog, readCatalog } from '../src/catalog/index.js';

function measure(label: string, runs: number, fn: () => void): void {
  const t0 = performance.now();
  fn();
  const cold = performance.now() - t0;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? cold;
  console.log(`${label.padEnd(44)} cold ${cold.toFixed(0).padStart(5)} ms   warm median ${median.toFixed(0).padStart(5)} ms   (${runs} runs)`);
}

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] ?? 10) || 10;
const reading = readCatalog('v2');
if (!reading.catalog || reading.problems.length > 0) throw new Error('catalog v2 does not validate; run: credit-etl catalog validate');
const c = countCatalog(reading.catalog);
console.log(`credit-etl bench — node ${process.version}, ${process.platform}/${process.arch}`);
console.log(`catalog v2: ${c.units} units, ${c.subjects} data subjects, ${c.items} data items`);
measure('catalog v2: read, schema-check, assemble, check', runs, () => { readCatalog('v2'); });
console.log(`peak RSS ${(resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
