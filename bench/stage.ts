// The protocol between bench/run.ts and its stages. Every stage runs in a process of its own so
// the peak RSS it reports (getrusage maxRSS, which only ever grows) is its work's alone, not the
// generator's or an earlier stage's.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_ROOT } from '../src/paths.js';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = PACKAGE_ROOT;
// `npm run bench` compiles with tsc and runs the JavaScript, as the CLI runs dist/: tsx's
// transform adds work of its own (esbuild's keepNames wrappers) that a benchmark must not count.
const COMPILED = import.meta.url.endsWith('.js');

/** The V8 flags the CLI runs with, from its shebang, so every stage measures what a run gets. */
function cliFlags(): string[] {
  const shebang = readFileSync(join(REPO_ROOT, 'src', 'cli', 'main.ts'), 'utf8').split('\n', 1)[0]!;
  return shebang.split(/\s+/).filter((a) => a.startsWith('--'));
}

/** One printed line: a stage's figure, or a sub-line of micro-figures (label and note only). */
export interface Figure {
  label: string;
  /** Rows handled, when the figure is a throughput. */
  rows?: number;
  ms?: number;
  /** Peak RSS (MB) of the process that did the work. */
  peakMb?: number;
  /** RSS (MB) once set up, before the timed work: what the peak grew from. */
  setupMb?: number;
  note?: string;
}

export const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;
export const rssMb = (): number => process.memoryUsage().rss / (1024 * 1024);
/** Process CPU time (all threads: the JS thread and V8's GC helpers). */
export const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** A stage's entry point: does its work with the arguments run.ts gave it and sends the figures back. */
export async function stage(work: (args: string[]) => Promise<Figure[]> | Figure[]): Promise<void> {
  if (!process.send) throw new Error('a bench stage reports to bench/run.ts; run: npm run bench');
  let reported = false;
  // run.ts gone (killed, crashed): stop rather than load the machine for nobody.
  process.on('disconnect', () => { if (!reported) process.exit(1); });
  const figures = await work(process.argv.slice(2));
  reported = true;
  process.send(figures, () => process.disconnect());
}

const running = new Set<ChildProcess>();

/** Ends the stage processes still running, when run.ts is interrupted. */
export function stopStages(): void {
  for (const child of running) child.kill();
}

/**
 * Runs bench/stages/<name> in a fresh Node process (compiled, or TypeScript through tsx when this
 * runs under tsx) and waits for its figures. With `profileDir`, the process writes V8 CPU profiles
 * into <profileDir>/<name>/.
 */
export function runStage(name: string, args: readonly string[], profileDir?: string): Promise<Figure[]> {
  const file = join(BENCH_DIR, 'stages', `${name}.${COMPILED ? 'js' : 'ts'}`);
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, name)}`] : [];
  const loader = COMPILED ? [] : ['--import', 'tsx'];
  const child = spawn(process.execPath, [...cliFlags(), ...profile, ...loader, file, ...args], {
    cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  running.add(child);
  return new Promise((resolve, reject) => {
    let figures: Figure[] | undefined;
    child.on('message', (m) => { figures = m as Figure[]; });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      running.delete(child);
      if (figures && code === 0) resolve(figures);
      else reject(new Error(`stage ${name} ended with ${signal ?? `exit code ${code}`}${figures ? '' : ' before reporting'}`));
    });
  });
}
