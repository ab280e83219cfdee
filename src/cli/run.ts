// `credit-etl run`: the nightly job — every pending delivery read, checked, linked to its entities
// and loaded into the warehouse, files moved to the archive or to quarantine — with a summary at
// the end and exit statuses cron and monitoring rely on.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { LevelWithSilent, Logger } from 'pino';
import { loadCatalog, type Catalog } from '../catalog/index.js';
import { IdKeyError, KEY_ENV, KEY_FILE_ENV, loadIdKey } from '../identity/id-key.js';
import { needsIdKey } from '../identity/record-evidence.js';
import { isNight } from '../run/inbox.js';
import { LOG_LEVELS, runLog } from '../run/log.js';
import { runNight, type FileResult, type NightResult } from '../run/night.js';
import type { Pipeline } from '../run/pipeline.js';
import { maskText } from '../mask.js';
import { buildRunReport } from '../report/build.js';
import { headline } from '../report/text.js';
import { writeRunReport } from '../report/write.js';
import { formatTable } from '../text-table.js';
import { openWarehouse, type Warehouse } from '../warehouse/connect.js';
import { ensureSchema } from '../warehouse/schema.js';
import { out, UsageError } from './output.js';
import { pipelineOption, warehouseOption } from './warehouse-option.js';

export interface RunFlags {
  catalog?: string;
  pipeline: string;
  date?: string;
  unit?: string[];
  warehouse?: string;
  dryRun?: boolean;
  logLevel: LevelWithSilent;
}

function night(value: string): string {
  if (!isNight(value)) throw new InvalidArgumentError(`"${value}" is not a real date written YYYY-MM-DD`);
  return value;
}

/** The resident-ID key: the environment's, else the pipeline's key file; none is an error when the catalog can carry IDs. */
export function idKeyFor(pipeline: Pipeline, catalog: Catalog): Buffer | undefined {
  const env = process.env;
  if (env[KEY_ENV] || env[KEY_FILE_ENV] || pipeline.idKeyFile === undefined) {
    if (!needsIdKey(catalog.subjects) && !env[KEY_ENV] && !env[KEY_FILE_ENV]) return undefined;
    return loadIdKey(env);
  }
  if (!existsSync(pipeline.idKeyFile)) {
    throw new IdKeyError(`the pipeline ${pipeline.source} names the resident-ID key file ${pipeline.idKeyFile}, which does not exist: ` +
      `make one with \`openssl rand -hex 32 > ${pipeline.idKeyFile} && chmod 600 ${pipeline.idKeyFile}\` (keep it: IDs hashed with another key never match)`);
  }
  return loadIdKey({ [KEY_FILE_ENV]: pipeline.idKeyFile });
}

const counted = (r: FileResult): string => {
  const c = r.counts;
  if (!c) return '';
  return `${c.rowsRead} read: ${c.loaded} loaded, ${c.updated} updated, ${c.unchanged} unchanged, ${c.duplicate} duplicate, ${c.rejected} rejected`;
};

/** The terminal summary: one line per file, then the totals and where things went. */
export function summary(result: NightResult, pipeline: Pipeline, dryRun: boolean): string[] {
  const lines: string[] = [];
  const head = dryRun ? 'dry run (nothing committed, nothing moved)' : `run ${result.batchId}`;
  const owed = result.missing.length > 0
    ? [`${result.missing.length} deliveries missing past their deadline, from ${new Set(result.missing.map((m) => m.unit)).size} unit(s): recorded in etl_missing, listed in the run's report`]
    : [];
  if (result.files.length === 0) return [`${head}: no deliveries waiting in ${pipeline.folders.inbox}`, ...owed];
  lines.push(`${head}: ${result.files.length} file(s)`);
  // File names and reasons are the units' text: a name can hold a resident ID.
  lines.push(...formatTable(result.files.map((r) => [
    maskText(r.date && r.unit ? `${r.date}/${r.unit}/${r.name}` : r.name), r.outcome,
    r.outcome === 'loaded' ? [counted(r), ...(r.reason ? [maskText(r.reason)] : [])].join(' — ') : maskText(r.reason ?? ''),
  ]), '  '));
  const tally = (o: FileResult['outcome']) => result.files.filter((r) => r.outcome === o).length;
  const rows = result.files.reduce((n, r) => n + (r.counts?.rowsRead ?? 0), 0);
  const entities = result.files.reduce((n, r) => n + (r.counts?.entities.entities ?? 0), 0);
  const merges = result.files.reduce((n, r) => n + (r.counts?.entities.merges ?? 0), 0);
  const sources = tally('unavailable') + tally('nothing-new') > 0 ? ` · ${tally('unavailable')} database sources unavailable · ${tally('nothing-new')} with nothing new` : '';
  lines.push(`${tally('loaded')} loaded · ${tally('duplicate')} duplicate deliveries · ${tally('quarantined')} quarantined · ${tally('failed')} failed${sources} · ` +
    `${rows} rows read · ${entities} entities written · ${merges} merges`);
  if (result.notStarted > 0) lines.push(`${result.notStarted} file(s) not started (stopped): the next run takes them`);
  if (!dryRun && tally('quarantined') > 0) lines.push(`quarantined files and their .reason.json: ${pipeline.folders.quarantine}`);
  if (tally('failed') > 0) lines.push('failed files stay in the inbox for the next run; the log says why');
  const noReceipt = result.files.filter((r) => r.receiptError !== undefined).length;
  if (noReceipt > 0) lines.push(`${noReceipt} receipt(s) could not be written to ${pipeline.folders.receipts}; the log says why`);
  return [...lines, ...owed];
}

/** The run's report written to <reports>/<run id>/, and its short form for the terminal; a report that fails is logged, the run stands. */
async function report(wh: Warehouse, catalog: Catalog, runId: number, pipeline: Pipeline, log: Logger): Promise<string[]> {
  try {
    const model = await buildRunReport(wh, catalog, runId);
    const written = await writeRunReport(pipeline.folders.reports, model);
    log.info({ report: written.html }, 'report written');
    return [...headline(model), `report: ${written.html} (also report.json, report.md); receipts: ${pipeline.folders.receipts}`];
  } catch (error) {
    log.error({ err: error instanceof Error ? error.message : String(error) }, 'the run\'s report could not be written: `credit-etl report --run ID` builds it again');
    return [`the report could not be written (see the log); \`credit-etl report --run ${runId}\` builds it again`];
  }
}

/** Runs the pipeline once: what `run` and each tick of `schedule` do. Returns the exit status. */
export async function runOnce(flags: RunFlags, stopping?: () => boolean): Promise<number> {
  const pipeline = pipelineOption(flags.pipeline);
  const catalog = loadCatalog(flags.catalog ?? pipeline.catalog);
  const unknown = (flags.unit ?? []).filter((u) => !catalog.units.some((x) => x.code === u));
  if (unknown.length > 0) throw new UsageError(`--unit ${unknown.join(', ')}: not a unit of catalog ${catalog.version.id} (\`credit-etl catalog show\` lists them)`);
  const idKey = idKeyFor(pipeline, catalog);
  const wh = await openWarehouse(flags.warehouse ?? pipeline.warehouse);
  const logFile = pipeline.folders.logs === undefined ? undefined : join(pipeline.folders.logs, `run-${new Date().toISOString().replaceAll(':', '')}.log`);
  const { log, close } = runLog({ level: flags.logLevel, catalog, ...(logFile !== undefined && { file: logFile }) });
  try {
    const created = await ensureSchema(wh, catalog);
    if (created.length > 0) log.info({ warehouse: wh.shown, tables: created.length }, 'built the warehouse');
    log.info({ pipeline: pipeline.name, catalog: catalog.version.id, warehouse: wh.shown, ...(flags.date !== undefined && { date: flags.date }) }, 'run starts');
    const result = await runNight({
      wh, catalog, pipeline, log, idKey,
      ...(flags.date !== undefined && { date: flags.date }),
      ...(flags.unit && { units: flags.unit }),
      ...(flags.dryRun && { dryRun: true }),
      ...(stopping && { stopping }),
      progressTo: process.stderr,
    });
    log.info({ run: result.batchId, files: result.files.length, exitCode: result.exitCode }, 'run finished');
    out(summary(result, pipeline, flags.dryRun === true));
    if (result.batchId !== undefined) out(await report(wh, catalog, result.batchId, pipeline, log));
    if (logFile !== undefined) out(`log: ${logFile}`);
    return result.exitCode;
  } finally {
    await close();
    await wh.close();
  }
}

export function runCommand(): Command {
  return new Command('run')
    .description('the nightly job: load every pending delivery of the inbox into the warehouse, archive or quarantine each file')
    .option('--catalog <version|path>', 'the catalog version deliveries are read against (default: the pipeline\'s)')
    .option('--pipeline <name|file>', 'pipelines/<name>.json (or .yaml) in the working folder, then the package; or a file path', 'nightly')
    .option('--date <YYYY-MM-DD>', 'only this night\'s folder of the inbox (default: every night waiting, oldest first)', night)
    .option('--unit <code...>', 'only these units\' deliveries')
    .addOption(warehouseOption())
    .option('--dry-run', 'read, check, link and load every file, then roll back: nothing committed, nothing moved')
    .addOption(new Option('--log-level <level>', 'least severe log lines written').choices([...LOG_LEVELS]).default('info'))
    .addHelpText('after', `
Deliveries arrive as <inbox>/<YYYY-MM-DD>/<unit code>/<file> (the pipeline names the inbox). Each
file loads in a transaction of its own, whole or not at all, then moves to <archive>/<date>/<unit>/;
a file that cannot load moves to <quarantine>/<date>/<unit>/ with <file>.reason.json beside it.
Nothing is deleted. The same bytes delivered again are recognised (sha256) and archived as a
duplicate delivery. A run killed at any moment and started again finishes the rest; SIGTERM or
Ctrl-C lets the file being loaded finish and starts no other.

Resident IDs are matched by a keyed hash: the key comes from ${KEY_ENV}, ${KEY_FILE_ENV}, or the
pipeline's idKeyFile.

The pipeline's database sources are pulled after the files: the rows whose watermark column grew
since the last committed pull, loaded as one delivery; the watermark moves only with the commit.

Exit status: 0 every file loaded (or was a duplicate delivery); 2 the run finished but files were
quarantined (over their error limits, unreadable, of no known subject) or a database source could
not be pulled; 1 the run could not run
(pipeline, catalog, warehouse, key) or a file failed for a reason that is not the delivery's (it
stays in the inbox); 4 another run holds a unit this run needs.

Examples:
  credit-etl run --catalog v2
  credit-etl run --date 2026-11-26 --unit SCJG SWJ --dry-run
  credit-etl run --pipeline pipelines/nightly.json --warehouse postgres://etl@db:5432/credit`)
    .action(async (flags: RunFlags) => {
      // SIGTERM or Ctrl-C: the file being loaded finishes, no other starts; a second one stops at once
      // (the file's transaction rolls back, and the next run loads it).
      let stopping = false;
      const stop = () => {
        if (stopping) process.exit(130);
        stopping = true;
        process.stderr.write('stopping: the file being loaded finishes, no other starts (again to stop at once)\n');
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
      try {
        process.exitCode = await runOnce(flags, () => stopping);
      } finally {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
      }
    });
}
