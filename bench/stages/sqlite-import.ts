// Stage 5b, the raw floor in C: the sqlite3 CLI's .import of the same rows. It reads only UTF-8,
// so the GBK file is decoded to a UTF-8 copy first, untimed. The peak RSS is sqlite3's own, taken
// by /usr/bin/time where it exists: Node's resourceUsage() covers only its own process.
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';
import { stage } from '../stage.js';

const TIME = '/usr/bin/time';
const LABEL = 'raw floor: sqlite3 CLI .import';

await stage(async ([csv, dbPath, dir]) => {
  if (spawnSync('sqlite3', ['-version']).error) return [{ label: LABEL, note: 'skipped: no sqlite3 on PATH' }];
  const utf8 = join(dir!, 'penalty-utf8.csv');
  await pipeline(createReadStream(csv!), iconv.decodeStream('gb18030'), createWriteStream(utf8));
  const script = [
    // Past the title row, the header names the columns of the table .import creates.
    `.import --csv --skip 1 '${utf8}' xzcf`,
    'SELECT count(*) FROM xzcf;',
  ].join('\n');
  const rssFile = join(dir!, 'sqlite3-rss.txt');
  const timed = existsSync(TIME);
  const [cmd, args] = timed ? [TIME, ['-f', '%M', '-o', rssFile, 'sqlite3', dbPath!]] : ['sqlite3', [dbPath!]];
  const t0 = performance.now();
  const run = spawnSync(cmd, args, { input: script, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (run.status !== 0 || run.stderr.trim() !== '') throw new Error(`sqlite3 .import failed: ${run.stderr || run.error?.message}`);
  const rows = Number(run.stdout.trim());
  return [{
    label: LABEL, rows, ms,
    ...(timed && { peakMb: Number(readFileSync(rssFile, 'utf8').trim()) / 1024 }),
    note: `sqlite3's own RSS; the GBK→UTF-8 copy untimed`,
  }];
});
