// `credit-etl warehouse …`: build a warehouse for a catalog, say what it holds, and move it to a
// newer catalog version.
import { Command, Option } from 'commander';
import { loadCatalog } from '../catalog/index.js';
import { formatTable } from '../text-table.js';
import type { Warehouse } from '../warehouse/connect.js';
import { acquireLocks, unitLockName } from '../warehouse/lock.js';
import { applyMigration, MigrationError, planMigration, type MigrationPlan, type MigrationStep } from '../warehouse/migrate.js';
import { ensureSchema, schemaState } from '../warehouse/schema.js';
import { L, SYSTEM_PREFIX, subjectTable, T } from '../warehouse/tables.js';
import { err, json, out, UsageError, type Format } from './output.js';
import { warehouseOption, withWarehouse } from './warehouse-option.js';

const catalogOption = (what: string) => new Option('--catalog <version|path>', what).makeOptionMandatory();
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;


function initCommand(): Command {
  return new Command('init')
    .description('build a new warehouse for a catalog version: the toolkit\'s tables and one table per data subject')
    .addOption(catalogOption('the catalog version (catalog/<version>) or folder the warehouse follows'))
    .addOption(warehouseOption())
    .addHelpText('after', `
Creates only what is missing, so running it again changes nothing. A warehouse that already
follows another catalog version is left alone: move it with \`credit-etl warehouse migrate\`.

Examples:
  credit-etl warehouse init --catalog v2
  credit-etl warehouse init --catalog v2 --warehouse postgres://etl@db.example:5432/credit`)
    .action(async (opts: { catalog: string; warehouse?: string }) => {
      const catalog = loadCatalog(opts.catalog);
      await withWarehouse(opts.warehouse, async (wh) => {
        const created = await ensureSchema(wh, catalog);
        if (created.length === 0) {
          out(`the warehouse ${wh.shown} already follows catalog ${catalog.version.id}: nothing to create`);
          return;
        }
        const toolkit = created.filter((t) => t.startsWith(SYSTEM_PREFIX));
        const subjects = created.filter((t) => !t.startsWith(SYSTEM_PREFIX));
        out([
          `built the warehouse ${wh.shown} for catalog ${catalog.version.id}: created ${plural(created.length, 'table')}`,
          ...(toolkit.length > 0 ? [`  toolkit (${toolkit.length}): ${toolkit.join(', ')}`] : []),
          ...(subjects.length > 0 ? [`  data subjects (${subjects.length}): ${subjects.join(', ')}`] : []),
        ]);
      });
    });
}

interface SubjectCount {
  subject: string;
  table: string;
  current: number;
  historic: number;
}

interface Status {
  warehouse: string;
  dialect: string;
  catalog: string;
  schemaVersion: number | undefined;
  runs: number;
  files: number;
  /** Data-subject tables that hold records; the others are left out. */
  subjects: SubjectCount[];
}

async function count(q: Promise<unknown>): Promise<number> {
  const [row] = (await q) as { n: number | string }[];
  return Number(row?.n ?? 0);
}

async function status(wh: Warehouse): Promise<Status> {
  const state = await schemaState(wh.knex);
  if (state.catalog === undefined) {
    throw new UsageError(`the warehouse ${wh.shown} has not been built: build it with \`credit-etl warehouse init --catalog v2 --warehouse ${wh.shown}\``);
  }
  const catalog = loadCatalog(state.catalog);
  const subjects: SubjectCount[] = [];
  for (const s of catalog.subjects) {
    const table = subjectTable(s);
    if (!(await wh.knex.schema.hasTable(table))) continue;
    // A version whose valid-to is set was superseded (historic); the rest are current.
    const [row] = (await wh.knex(table).count({ total: '*' }).count({ historic: L.validTo })) as { total: number | string; historic: number | string }[];
    const [total, historic] = [Number(row?.total ?? 0), Number(row?.historic ?? 0)];
    if (total > 0) subjects.push({ subject: s.code, table, current: total - historic, historic });
  }
  return {
    warehouse: wh.shown, dialect: wh.dialect, catalog: state.catalog, schemaVersion: state.schemaVersion,
    runs: await count(wh.knex(T.batches).count({ n: '*' })),
    files: await count(wh.knex(T.files).count({ n: '*' })),
    subjects,
  };
}

function renderStatus(s: Status): string[] {
  return [
    `warehouse ${s.warehouse} (${s.dialect})`,
    `  catalog ${s.catalog} · schema version ${s.schemaVersion ?? 'unknown'} · ${plural(s.runs, 'run')} · ${plural(s.files, 'file')}`,
    '',
    ...(s.subjects.length === 0
      ? ['no data-subject table holds records yet']
      : [`data subjects with records (${s.subjects.length}):`, ...formatTable([['SUBJECT', 'TABLE', 'CURRENT', 'HISTORIC'], ...s.subjects.map((x) => [x.subject, x.table, String(x.current), String(x.historic)])])]),
  ];
}

function statusCommand(): Command {
  return new Command('status')
    .description('what the warehouse holds: catalog and schema version, record versions per data subject, runs and files')
    .addOption(warehouseOption())
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', `
Per data-subject table with rows: current record versions (valid to is open) and historic ones
(superseded by a correction). Tables without rows are left out.

Examples:
  credit-etl warehouse status
  credit-etl warehouse status --warehouse mysql://etl@db.example:3306/credit --format json`)
    .action(async (opts: { warehouse?: string; format: Format }) => {
      const s = await withWarehouse(opts.warehouse, status, { create: false });
      if (opts.format === 'json') json(s);
      else out(renderStatus(s));
    });
}

function stepRow(s: MigrationStep): string[] {
  const mark = s.blocked ? `REFUSED ${plural(s.rows ?? 0, 'row')}` : s.breaking ? `BREAKING ${plural(s.rows ?? 0, 'row')}` : '';
  return [s.action, mark, s.says];
}

export function renderPlan(plan: MigrationPlan): string[] {
  if (plan.upToDate) return [`the warehouse ${plan.warehouse} already follows catalog ${plan.to}: nothing to migrate`];
  const breaking = plan.steps.filter((s) => s.breaking);
  const others = plan.steps.filter((s) => !s.breaking);
  const blocked = breaking.filter((s) => s.blocked).length;
  const lines = [
    `migrate ${plan.warehouse} from catalog ${plan.from} to ${plan.to}: ${plural(plan.steps.length, 'step')}, ${breaking.length} breaking` +
    `${blocked > 0 ? ` (${blocked} refused even when accepted)` : ''}; ${plural(plan.catalogOnly, 'catalog change')} need no table change`,
    '',
  ];
  if (breaking.length > 0) lines.push(`BREAKING (${breaking.length}): applied only with --accept-breaking; REFUSED ones never`, ...formatTable(breaking.map(stepRow)), '');
  if (others.length > 0) lines.push(`STEPS (${others.length})`, ...formatTable(others.map(stepRow)), '');
  return lines;
}

function migrateCommand(): Command {
  return new Command('migrate')
    .description('move the warehouse to another catalog version: print the plan, then apply it step by step')
    .addOption(catalogOption('the catalog version (or folder) to move to; the one it follows now is read from the warehouse'))
    .addOption(warehouseOption())
    .option('--accept-breaking', 'apply breaking steps too: keep columns and tables of removed items and subjects that hold data, narrow columns whose data fits')
    .option('--dry-run', 'print the plan and stop; nothing changes')
    .addHelpText('after', `
Steps: create tables for new data subjects, rename tables and columns (renamed_from), add
columns for new items, widen columns (SQLite enforces no length or type: no DDL there). A removed
item keeps its column: rows loaded before stay readable, new rows leave it empty.

A subject whose business key changed is re-keyed: every stored version's key is recomputed from
its columns, so re-delivered records find their history; versions the new key no longer tells apart
are counted and named in the audit event, never merged. A subject with renamed items has its
version digests recomputed, so the same record delivered again stays unchanged.

Breaking steps are listed with the rows they touch: a removed item or subject whose column or table
holds data, a narrower type, length, precision or scale, a changed business key. They need
--accept-breaking. A column is never narrowed where a stored value would be cut: such a step is
REFUSED, naming the rows.

Each step checks whether an interrupted attempt already did it, so rerunning after a failure
continues where it stopped. The new catalog version and one 'migration' audit event are written
only at the end. Runs cannot load while a migration holds the units' locks.

Exit status: 0 migrated (or nothing to do, or --dry-run); 1 refused or could not run; 4 another
run holds a unit's lock.

Examples:
  credit-etl warehouse migrate --catalog v2 --dry-run
  credit-etl warehouse migrate --catalog v2 --accept-breaking
  credit-etl warehouse migrate --catalog v2 --warehouse postgres://etl@db.example:5432/credit --dry-run`)
    .action(async (opts: { catalog: string; warehouse?: string; acceptBreaking?: boolean; dryRun?: boolean }) => {
      const to = loadCatalog(opts.catalog);
      await withWarehouse(opts.warehouse, async (wh) => {
        // A warehouse not built yet has no older version to load: planMigration says how to build it.
        const { catalog: held } = await schemaState(wh.knex);
        const from = held === undefined || held === to.version.id ? to : loadCatalog(held);
        const plan = await planMigration(wh, from, to);
        out(renderPlan(plan));
        if (plan.upToDate) return;
        if (opts.dryRun) {
          out('dry run: nothing changed');
          return;
        }
        const acceptBreaking = opts.acceptBreaking === true;
        try {
          const units = new Set([...from.units, ...to.units].map((u) => unitLockName(u.code)));
          const locks = await acquireLocks(wh, [...units], { what: `warehouse migrate ${plan.from} → ${plan.to}` });
          try {
            await applyMigration(wh, plan, { acceptBreaking });
          } finally {
            await locks.release();
          }
        } catch (error) {
          // A held lock leaves through the CLI's own exit status for it (4).
          if (!(error instanceof MigrationError)) throw error;
          err(`credit-etl: ${error.message}`);
          process.exitCode = 1;
          return;
        }
        const breaking = plan.steps.filter((s) => s.breaking).length;
        out(`migrated ${wh.shown} from catalog ${plan.from} to ${plan.to}: ${plural(plan.steps.length, 'step')} applied` +
          `${breaking > 0 ? `, ${breaking} breaking accepted` : ''}; recorded in the audit trail`);
      });
    });
}

export function warehouseCommand(): Command {
  return new Command('warehouse')
    .description('build, inspect and migrate the credit warehouse (SQLite file, PostgreSQL or MySQL/MariaDB)')
    .addCommand(initCommand())
    .addCommand(statusCommand())
    .addCommand(migrateCommand())
    .addHelpText('after', `
Examples:
  credit-etl warehouse init --catalog v2
  credit-etl warehouse status
  credit-etl warehouse migrate --catalog v2 --dry-run`);
}
