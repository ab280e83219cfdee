#!/usr/bin/env node
// credit-etl entry point: run the command line and exit with its status.
import { run } from './program.js';

process.exitCode = await run(process.argv.slice(2));
