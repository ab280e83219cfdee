// Runs credit-etl commands as processes of their own, the way cron and a data engineer do: through
// tsx from the sources, in a working folder given, with no resident-ID key from this shell.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(REPO, 'src', 'cli', 'main.ts');
// tsx's loader by path: the working folders are outside the repo, where `--import tsx` would not resolve.
export const TSX = pathToFileURL(join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

export interface Ran { code: number | null; stdout: string; stderr: string }

export const clean = { ...process.env, CREDIT_ETL_ID_KEY: '', CREDIT_ETL_ID_KEY_FILE: '' };

export function node(cwd: string, args: string[], env: NodeJS.ProcessEnv = clean): Ran {
  const r = spawnSync(process.execPath, ['--import', TSX, ...args], { cwd, encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file below `dir`, relative to it. */
export function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => !lstatSync(join(dir, f)).isDirectory()).sort();
}
