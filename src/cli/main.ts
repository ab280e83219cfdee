#!/usr/bin/env node
// credit-etl entry point: run the command line and exit with its status.
import { run } from './program.js';

// `credit-etl catalog diff v1 v2 | head` closes the pipe early; that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = await run(process.argv.slice(2));
