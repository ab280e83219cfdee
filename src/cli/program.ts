// The command tree, built fresh for each invocation so tests can drive it in-process.
import { Command } from 'commander';
import { CatalogError } from '../catalog/index.js';
import { auditCommand } from './audit.js';
import { catalogCommand } from './catalog.js';
import { entityCommand } from './entity.js';
import { inspectCommand, reasonsCommand } from './inspect.js';
import { ledgerCommand, traceCommand } from './ledger.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { scheduleCommand } from './schedule.js';
import { warehouseCommand } from './warehouse.js';
import { WarehouseError } from '../warehouse/connect.js';
import { SchemaMismatch } from '../warehouse/schema.js';
import { IdKeyError } from '../identity/id-key.js';
import { LockHeld } from '../warehouse/lock.js';
import { MigrationError } from '../warehouse/migrate.js';
import { err, EXIT, UsageError } from './output.js';

export function program(): Command {
  return new Command('credit-etl')
    .description('Merge government units\' credit deliveries into one consolidated credit warehouse, driven by a versioned collection catalog, with an audit trail for every value.')
    .version('0.1.0')
    // `report units --format csv`: a subcommand's options are its own, not its parent's.
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)')
    .addCommand(runCommand())
    .addCommand(scheduleCommand())
    .addCommand(catalogCommand())
    .addCommand(inspectCommand())
    .addCommand(reasonsCommand())
    .addCommand(ledgerCommand())
    .addCommand(traceCommand())
    .addCommand(reportCommand())
    .addCommand(auditCommand())
    .addCommand(warehouseCommand())
    .addCommand(entityCommand())
    .addHelpText('after', `
Catalogs are looked up as catalog/<version> in the working directory, then in the package.

The warehouse is a SQLite file (default: the nightly pipeline's, var/warehouse/credit.db) or a
PostgreSQL or MySQL/MariaDB database: every command that reads or writes it takes --warehouse URL|PATH.

Exit status: 0 success; 1 the command could not do its job (bad catalog, bad arguments, no
warehouse); 2 a finding: inspect found rejected rows or a file it would quarantine, audit verify
found the chain broken; 4 another run holds a unit this command needs (it says who and since when).

Start here:
  credit-etl run --catalog v2
  credit-etl catalog validate --catalog v2
  credit-etl catalog show --catalog v2
  credit-etl catalog diff v1 v2
  credit-etl inspect fixtures/delivery/xls-biff8-penalty-dirty-quarter.xls
  credit-etl warehouse init --catalog v2
  credit-etl ledger --run 1
  credit-etl trace 行政处罚.xlsx --row 57
  credit-etl audit verify`);
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
    if (e instanceof LockHeld) {
      err(`credit-etl: ${e.message}`);
      return EXIT.locked;
    }
    if (e instanceof CatalogError || e instanceof UsageError || e instanceof WarehouseError || e instanceof SchemaMismatch
      || e instanceof MigrationError || e instanceof IdKeyError) {
      err(`credit-etl: ${e.message}`);
      return EXIT.failed;
    }
    // Commander's own exits (--help, --version, usage errors) arrive here under exitOverride.
    if (e instanceof Error && 'exitCode' in e && typeof e.exitCode === 'number') return e.exitCode;
    throw e;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return code;
}
