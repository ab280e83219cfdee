// The command tree, built fresh for each invocation so tests can drive it in-process.
import { Command } from 'commander';
import { CatalogError } from '../catalog/index.js';
import { catalogCommand } from './catalog.js';
import { inspectCommand, reasonsCommand } from './inspect.js';
import { WarehouseError } from '../warehouse/connect.js';
import { SchemaMismatch } from '../warehouse/schema.js';
import { err, UsageError } from './output.js';

export function program(): Command {
  return new Command('credit-etl')
    .description('Merge government units\' credit deliveries into one consolidated credit warehouse, driven by a versioned collection catalog, with an audit trail for every value.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .addCommand(catalogCommand())
    .addCommand(inspectCommand())
    .addCommand(reasonsCommand())
    .addHelpText('after', `
Catalogs are looked up as catalog/<version> in the working directory, then in the package.

Exit status: 0 success; 1 the command could not do its job (bad catalog, bad arguments);
2 (inspect) the deliveries have rejected rows or would be quarantined.

Start here:
  credit-etl catalog validate --catalog v2
  credit-etl catalog show --catalog v2
  credit-etl catalog diff v1 v2
  credit-etl inspect fixtures/delivery/xls-biff8-penalty-dirty-quarter.xls`);
}

// Commander exits the process for --help and usage errors unless every command in the tree is
// told to throw instead; addCommand() does not pass that setting down.
function withExitOverride(cmd: Command): Command {
  cmd.exitOverride();
  for (const sub of cmd.commands) withExitOverride(sub);
  return cmd;
}

/** Runs one command line; returns the exit status instead of exiting. */
export async function run(argv: string[]): Promise<number> {
  process.exitCode = undefined;
  try {
    await withExitOverride(program()).parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CatalogError || e instanceof UsageError || e instanceof WarehouseError || e instanceof SchemaMismatch) {
      err(`credit-etl: ${e.message}`);
      return 1;
    }
    // Commander's own exits (--help, --version, usage errors) arrive here under exitOverride.
    if (e instanceof Error && 'exitCode' in e && typeof e.exitCode === 'number') return e.exitCode;
    throw e;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return code;
}
