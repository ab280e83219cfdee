// `npm run bench [-- --rows N] [--cpu-prof DIR]`: speed and peak memory of every stage that exists
// (catalog, read, cleanse+validate, both end to end), against the raw floor of loading the same
// file into SQLite with no checks, on N realistic 行政处罚 rows (default 200,000). Each stage runs
// in a fresh process (bench/stages/*.ts) so each peak RSS is that stage's own; this process only
// generates the input, prints, and removes the temp folder.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { displayWidth } from '../src/text-table.js';
import { DIRTY_EVERY, PENALTY_CSV, writePenaltyCsv } from './penalty-delivery.js';
import { runStage, stopStages, type Figure } from './stage.js';

const DEFAULT_ROWS = 200_000;
/** Stage 8 matches at least this many records against half as many known entities: the scale of #5's target. */
const IDENTITY_RECORDS = 1_000_000;
// The load stage also runs into this PostgreSQL server (a fresh database, dropped after).
const POSTGRES = process.env['CREDIT_ETL_BENCH_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const rows = Number(option('--rows') ?? DEFAULT_ROWS);
if (!Number.isInteger(rows) || rows < 1) throw new Error(`--rows must be a positive whole number, not ${option('--rows')}`);
// --cpu-prof DIR: every stage writes V8 CPU profiles into DIR/<stage>/ (open in Chrome DevTools).
const profileDir = option('--cpu-prof') && resolve(option('--cpu-prof')!);

const thousands = (n: number): string => Math.round(n).toLocaleString('en');
const rate = (f: Figure): number | undefined => (f.rows !== undefined && f.ms ? (f.rows / f.ms) * 1000 : undefined);
const pad = (s: string, width: number): string => s + ' '.repeat(Math.max(0, width - displayWidth(s)));

/** A figure's line; a sub-line (label indented) or a heading (no measure) is label and note only. */
function print(n: string, f: Figure): void {
  const sub = f.label.startsWith(' ');
  const r = rate(f);
  const cols = sub || (f.ms === undefined && f.peakMb === undefined) ? '' : [
    (r === undefined ? '–' : thousands(r)).padStart(9),
    (f.ms === undefined ? '–' : `${thousands(f.ms)} ms`).padStart(10),
    (f.peakMb === undefined ? '–' : `${f.peakMb.toFixed(0)} MB`).padStart(8),
    (f.setupMb === undefined ? '' : `(${f.setupMb.toFixed(0)})`).padStart(6),
  ].join(' ');
  console.log(`${sub ? ' ' : n} ${pad(f.label, 46)}${cols}  ${f.note ?? ''}`.trimEnd());
}

const dir = mkdtempSync(join(tmpdir(), 'credit-etl-bench-'));
const removeTemp = (): void => rmSync(dir, { recursive: true, force: true });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopStages();
    removeTemp();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

const started = performance.now();
try {
  const csv = join(dir, PENALTY_CSV);
  const g0 = performance.now();
  await writePenaltyCsv(csv, rows);
  const bytes = statSync(csv).size;
  console.log(`credit-etl bench — node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${new Date().toISOString().slice(0, 10)}`);
  console.log(`input: ${thousands(rows)} 行政处罚 rows, GBK CSV as Excel saves it (title row, header, CRLF), ${(bytes / 2 ** 20).toFixed(1)} MB; 1 row in ${DIRTY_EVERY} has something to repair or reject; generated in ${thousands(performance.now() - g0)} ms, untimed`);
  console.log(`each stage in a fresh process; peak RSS = that process's maxRSS, (setup) = its RSS before the timed work`);
  console.log(`${pad('# stage', 48)}${'rows/s'.padStart(9)} ${'time'.padStart(10)} ${'peak RSS'.padStart(8)} ${'(setup)'.padStart(6)}`);

  const stages: [string, string, string[]][] = [
    ['1', 'catalog', []],
    ['2', 'read', [csv]],
    ['3', 'check', [String(rows)]],
    ['4', 'end-to-end', [csv]],
    ['5', 'sqlite-insert', [csv, join(dir, 'insert.sqlite')]],
    ['5', 'sqlite-import', [csv, join(dir, 'import.sqlite'), dir]],
    ['7', 'load', [String(rows), dir]],
    // Before the PostgreSQL load: the server's checkpoint and the dropped database's files would
    // still be taking CPU from the next stage.
    ['8', 'identity', [String(Math.max(rows, IDENTITY_RECORDS)), dir]],
    ['7', 'load', [String(rows), dir, POSTGRES]],
    ['6', 'identifiers', []],
    ['6', 'cleansers', []],
  ];
  const results = new Map<string, Figure[]>();
  for (const [n, name, stageArgs] of stages) {
    try {
      const figures = await runStage(name, stageArgs, profileDir);
      results.set(name, figures);
      for (const f of figures) print(n, f);
    } catch (e) {
      process.exitCode = 1;
      console.log(`${n} ${name}: FAILED — ${(e as Error).message}`);
    }
    if (name === 'sqlite-import') printRatios(results);
  }
  console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
} finally {
  removeTemp();
}

/** Stage 4 against each raw floor: how much of the floor's speed checking every row leaves. */
function printRatios(results: Map<string, Figure[]>): void {
  const endToEnd = rate(results.get('end-to-end')?.[0] ?? { label: '' });
  if (endToEnd === undefined) return;
  const parts = (['sqlite-insert', 'sqlite-import'] as const).flatMap((name) => {
    const f = results.get(name)?.[0];
    const floor = f && rate(f);
    return floor ? [`${(endToEnd / floor).toFixed(2)}× ${f.label.replace('raw floor: ', '')} (${(floor / endToEnd).toFixed(1)}× its time)`] : [];
  });
  if (parts.length > 0) console.log(`  ${pad('stage 4 ÷ raw floor, rows/s', 46)}${' '.repeat(36)}  ${parts.join('; ')}`);
}
