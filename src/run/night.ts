// The nightly run: every pending delivery in the inbox read, checked, linked to its entities and
// loaded, one transaction per file; each processed file moved to the archive, each one that cannot
// load to quarantine with its reason beside it. A run killed at any moment and started again
// finishes the rest: a file is moved only after its transaction commits, and a file whose bytes
// are already loaded is recognised by its sha256 and archived as a duplicate delivery.
import { createHash } from 'node:crypto';
import { cpus } from 'node:os';
import { lstat } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { Catalog } from '../catalog/index.js';
import { DatabaseSourceError, DeliveryError, knexWatermarkStore, pullDatabaseSource, readDelivery, typedTable, type DatabasePull, type ReadContext } from '../read/index.js';
import { maskText } from '../mask.js';
import { writeReceipt, type Receipt, type ReceiptRow } from '../report/receipt.js';
import { FileCheck } from '../validate/index.js';
import { finishBatch, startBatch } from '../warehouse/batch.js';
import { hidePassword, type Warehouse } from '../warehouse/connect.js';
import { FileLoad, loadedFileWithHash, recordUnloadedFile, type DeliveryFile, type LoadCounts } from '../warehouse/load.js';
import { acquireLocks, unitLockName } from '../warehouse/lock.js';
import { EntityRegistry } from '../warehouse/registry.js';
import { fingerprint, moveInto, quarantine, scanInbox, type InboxFile, type Stray } from './inbox.js';
import { addDays, today } from './deadlines.js';
import { missingDeliveries, recordMissing, type MissingDelivery } from './missing.js';
import { checkHere, CheckPool, unitSubjects, type CheckedDelivery } from './checked.js';
import { subjectByRules, type Pipeline, type SourceRule } from './pipeline.js';
import { Progress } from './progress.js';

/** Files from this size up are read and checked on a worker thread (smaller ones are done before a thread would start). */
const THREAD_FROM = 4 * 2 ** 20;
/** Rejected rows a receipt lists; past them it counts (a delivery of a million bad rows is fixed at the source, not row by row). */
const RECEIPT_ROWS = 10_000;

/** `unavailable`: a database source could not be pulled; `nothing-new`: it had no new rows. */
export type FileOutcome = 'loaded' | 'duplicate' | 'quarantined' | 'failed' | 'unavailable' | 'nothing-new';

export interface FileResult {
  date: string;
  unit: string;
  name: string;
  outcome: FileOutcome;
  /** Why a file did not load: the quarantine reason, the original of a duplicate, the failure. */
  reason?: string;
  reasonCode?: string;
  fileId?: number;
  counts?: LoadCounts;
  /** Where the file went: archive or quarantine (absent on a dry run, or when it failed and stays). */
  movedTo?: string;
  /** Why the unit's receipt for it could not be written. */
  receiptError?: string;
  ms: number;
}

export interface NightOptions {
  wh: Warehouse;
  catalog: Catalog;
  pipeline: Pipeline;
  log: Logger;
  idKey: Buffer | undefined;
  date?: string;
  units?: readonly string[];
  /** Everything but commit: files are read, checked, linked and loaded, then rolled back; nothing moves. */
  dryRun?: boolean;
  /** Asked before each file: once true, no new file starts (SIGTERM finishes the current one). */
  stopping?: () => boolean;
  /** Where progress is drawn when it is a terminal (stderr). */
  progressTo?: NodeJS.WriteStream;
  /** Files of at least this many bytes are read and checked on a worker thread (default 4 MiB; 0: every file). */
  threadFrom?: number;
}

export interface NightResult {
  batchId: number | undefined;
  files: FileResult[];
  strays: Stray[];
  /** Deliveries left for a later run because the run was stopped. */
  notStarted: number;
  /** Deliveries units owed by a deadline within the nights run, that never came. */
  missing: MissingDelivery[];
  /** 0 everything loaded, 2 something was quarantined or a database source unavailable, 1 a delivery failed for a reason of the warehouse or the toolkit. */
  exitCode: 0 | 1 | 2;
}

/** A file that cannot load as delivered. */
class Refusal extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export async function runNight(o: NightOptions): Promise<NightResult> {
  const { wh, catalog, pipeline, log } = o;
  const known = new Set(catalog.units.map((u) => u.code));
  const allowed = pipeline.units === 'all' ? undefined : new Set(pipeline.units);
  const asked = o.units && o.units.length > 0 ? new Set(o.units) : undefined;
  const units = asked ?? allowed;
  const scan = await scanInbox(pipeline.folders.inbox, { known, ...(units && { units }), ...(o.date !== undefined && { date: o.date }) });
  const dryRun = o.dryRun === true;
  log.info({ inbox: pipeline.folders.inbox, files: scan.deliveries.length, strays: scan.strays.length, dryRun }, 'inbox scanned');

  const tonight = o.date ?? today(pipeline.schedule?.timezone ?? 'Asia/Shanghai');
  const sources = pipeline.sources.filter((src) => !units || units.has(src.unit));
  const lockUnits = [...new Set([...scan.deliveries.map((d) => d.unit), ...sources.map((src) => src.unit)])].sort();
  const batchId = dryRun ? undefined : await startBatch(wh, {
    catalog: catalog.version.id, pipeline: pipeline.name,
    options: { ...(o.date !== undefined && { date: o.date }), ...(asked && { units: [...asked] }), files: scan.deliveries.length },
  });
  let locks: Awaited<ReturnType<typeof acquireLocks>>;
  try {
    locks = await acquireLocks(wh, lockUnits.map(unitLockName), { what: batchId === undefined ? 'dry run' : `run ${batchId}`, ...(batchId !== undefined && { batchId }) });
  } catch (error) {
    // A run that could not start is closed, not left "running".
    if (batchId !== undefined) await finishBatch(wh, batchId, 'failed', { reason: error instanceof Error ? error.message : String(error) });
    throw error;
  }
  const results: FileResult[] = [];
  let notStarted = 0;
  let missing: MissingDelivery[] = [];
  let pool: CheckPool | undefined;
  /** The deadlines this run judged: its report lists what was missing at them, whichever run first recorded it. */
  let judged: { nights: string[]; units?: string[] } | undefined;
  try {
    // The inbox again, now that its units are ours: a run sharing the inbox may have loaded and
    // archived some of these files before it let go of their units.
    const { deliveries } = await scanInbox(pipeline.folders.inbox, { known, units: new Set(lockUnits), ...(o.date !== undefined && { date: o.date }) });
    const strays: FileResult[] = [];
    if (!dryRun) {
      for (const s of scan.strays) {
        // Recorded like any quarantined delivery, under the folder it sat in, so the report can name it.
        const [date = '', unit = ''] = s.place.split(sep);
        try {
          // A link, a pipe or a device is never opened: it could point anywhere, or block for ever.
          const info = await lstat(s.path);
          const { sha256, bytes } = info.isFile() ? await fingerprint(s.path) : { sha256: createHash('sha256').update(`not a file: ${s.place}`).digest('hex'), bytes: 0 };
          const fileId = await recordUnloadedFile(wh, { batchId: batchId!, unit: unit.slice(0, 40), path: s.path, name: basename(s.path), sha256, bytes }, 'quarantined', `file/misplaced: ${s.reason}`);
          const movedTo = await quarantine(s.path, join(pipeline.folders.quarantine, dirname(s.place)), { file: maskText(s.place), code: 'file/misplaced', reason: maskText(s.reason), sha256, fileId, run: batchId, at: new Date().toISOString() });
          log.warn({ file: s.place, reason: s.reason }, 'quarantined a file that is in no delivery\'s place');
          strays.push({ date, unit, name: s.place, outcome: 'quarantined', reason: s.reason, reasonCode: 'file/misplaced', fileId, movedTo, ms: 0 });
        } catch (error) {
          // Gone since the scan: another run sharing the inbox has quarantined it.
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      }
    }
    const registry = await EntityRegistry.open(wh, catalog, o.idKey);
    // SQLite has one connection, which a file's transaction holds: files there go one at a time.
    const parallel = wh.dialect === 'sqlite' ? 1 : Math.max(1, Math.min(pipeline.concurrency ?? cpus().length, cpus().length));
    const limit = pLimit(parallel);
    pool = new CheckPool({ catalog, files: pipeline.files, errorLimits: pipeline.errorLimits }, parallel);
    const progress = o.progressTo && Progress.on(o.progressTo, deliveries.length, deliveries.reduce((n, d) => n + d.bytes, 0));
    results.push(...strays);
    // Nights in order, so a later night's correction is never overwritten by an earlier night's
    // file; the files of one night in parallel (their order within the night is not known anyway).
    for (const night of [...new Set(deliveries.map((d) => d.date))]) {
      const done = await Promise.all(deliveries.filter((d) => d.date === night).map((file) => limit(async (): Promise<FileResult | undefined> => {
        if (o.stopping?.()) {
          notStarted++;
          return undefined;
        }
        const shown = maskText(`${file.unit}/${file.name}`);
        progress?.fileStarted(shown, file.bytes);
        try {
          return await loadFile(o, registry, pool, file, batchId ?? 0, dryRun, (rows) => progress?.rowsRead(shown, rows));
        } catch (error) {
          // Whatever went wrong with this file, the others go on; this one stays in the inbox.
          const reason = error instanceof Error ? error.message : String(error);
          log.error({ file: `${file.date}/${file.unit}/${file.name}`, err: reason }, 'failed: the file stays in the inbox for the next run');
          // Recorded for the run's report, when the warehouse still answers; its bytes may never have been read.
          const unread = { batchId: batchId ?? 0, unit: file.unit, path: file.path, name: file.name, sha256: createHash('sha256').update(`unread: ${file.path}`).digest('hex'), bytes: file.bytes, night: file.date };
          const fileId = dryRun ? undefined : await recordUnloadedFile(wh, unread, 'failed', reason).catch(() => undefined);
          return { date: file.date, unit: file.unit, name: file.name, outcome: 'failed', reason, ...(fileId !== undefined && { fileId }), ms: 0 };
        } finally {
          progress?.fileDone(shown);
        }
      })));
      results.push(...done.filter((r): r is FileResult => r !== undefined));
    }
    progress?.end();
    for (const src of sources) {
      if (o.stopping?.()) break;
      results.push(await loadDatabase(o, registry, src, batchId ?? 0, dryRun, tonight));
    }
    const unfinished = notStarted > 0 || results.some((r) => r.outcome === 'failed' || r.outcome === 'unavailable');
    if (!dryRun && !unfinished) {
      // The deadlines of the nights delivered, and of last night when nothing came at all (a silent
      // unit is what this is for); never a deadline that has not passed yet.
      const nights = new Set([...deliveries.map((d) => d.date), o.date ?? addDays(tonight, -1)].filter((n) => o.date !== undefined || n < tonight));
      const scope = units ? [...units] : catalog.units.map((u) => u.code);
      missing = await missingDeliveries(wh, catalog, scope, [...nights], pipeline.deadlines);
      judged = { nights: [...nights].sort(), ...(units && { units: [...units].sort() }) };
      await recordMissing(wh, batchId!, missing);
      const byUnit = new Map<string, string[]>();
      for (const m of missing) byUnit.set(m.unit, [...(byUnit.get(m.unit) ?? []), `${m.subject} (${m.periodStart}–${m.periodEnd}, due ${m.due})`]);
      for (const [unit, owed] of byUnit) log.warn({ unit, missing: owed }, 'deliveries missing past their deadline');
    }
  } finally {
    await pool?.close();
    await locks.release();
  }
  const quarantined = results.filter((r) => r.outcome === 'quarantined' || r.outcome === 'unavailable').length;
  const failed = results.filter((r) => r.outcome === 'failed').length;
  const exitCode = failed > 0 ? 1 : quarantined > 0 ? 2 : 0;
  if (batchId !== undefined) {
    const tally = (outcome: FileOutcome) => results.filter((r) => r.outcome === outcome).length;
    await finishBatch(wh, batchId, failed > 0 ? 'failed' : 'finished', {
      files: results.length, loaded: tally('loaded'), duplicate: tally('duplicate'), quarantined, failed, notStarted, missing: missing.length,
    }, judged && { judged });
  }
  return { batchId, files: results, strays: scan.strays, notStarted, missing, exitCode };
}

/** Where a delivery's rows come from, and what becomes of the delivery once loaded or refused. */
interface Source {
  /** The row written to etl_files. */
  delivery: DeliveryFile;
  /** Its tables, read, typed and checked; a DeliveryError refuses the delivery. */
  checked: () => CheckedDelivery;
  /** After the commit: archive the file, or store the pulled watermark. */
  loaded: () => Promise<string | undefined>;
  /** After a refusal was recorded: quarantine the file with its reason. */
  refused: (reason: Record<string, unknown>) => Promise<string | undefined>;
}

async function loadFile(
  o: NightOptions, registry: EntityRegistry, pool: CheckPool | undefined, file: InboxFile, batchId: number, dryRun: boolean, onRows: (rows: number) => void,
): Promise<FileResult> {
  const { wh, catalog, pipeline } = o;
  // Child bindings bypass the log's formatters: the name is masked here (a unit may put an ID in it).
  const log = o.log.child({ file: maskText(`${file.date}/${file.unit}/${file.name}`) });
  const started = performance.now();
  const base = { date: file.date, unit: file.unit, name: file.name };
  const archiveDir = join(pipeline.folders.archive, file.date, file.unit);
  const { sha256, bytes } = await fingerprint(file.path);
  const delivery: DeliveryFile = { batchId, unit: file.unit, path: file.path, name: file.name, sha256, bytes, night: file.date };

  const original = await loadedFileWithHash(wh.knex, sha256);
  if (original) {
    const reason = `the same bytes as ${original.name} (file ${original.id}, run ${original.batchId}), already loaded`;
    log.info({ sha256, original: original.id }, 'duplicate delivery: not loaded again');
    const ms = Math.round(performance.now() - started);
    if (dryRun) return { ...base, outcome: 'duplicate', reason, ms };
    const fileId = await recordUnloadedFile(wh, delivery, 'duplicate', reason, original.id);
    const movedTo = await moveInto(file.path, archiveDir);
    const receiptError = await receipt(o, log, delivery, { fileId, outcome: 'duplicate', reasonCode: null, reason, counts: null, rows: [], rowsLeftOut: 0 });
    return { ...base, outcome: 'duplicate', reason, fileId, movedTo, ms, ...(receiptError !== undefined && { receiptError }) };
  }
  const ctx: ReadContext = {
    catalog, subjects: unitSubjects(catalog, file.unit),
    subjectFor: (name, table) => subjectByRules(pipeline.files, file.unit, name, table),
  };
  return loadDelivery(o, registry, {
    delivery,
    // A big file is read and checked on a worker thread while this one loads it.
    checked: () => (pool && bytes >= (o.threadFrom ?? THREAD_FROM) ? pool.check(file.path, file.unit, catalog)
      : checkHere(() => readDelivery(file.path, ctx), new FileCheck(catalog, file.name, pipeline.errorLimits))),
    loaded: () => moveInto(file.path, archiveDir),
    refused: (reason) => quarantine(file.path, join(pipeline.folders.quarantine, file.date, file.unit), { file: maskText(`${file.date}/${file.unit}/${file.name}`), ...reason }),
  }, base, dryRun, onRows, log, started);
}

/** A unit's live database: the rows whose watermark grew since the last committed pull. */
async function loadDatabase(
  o: NightOptions, registry: EntityRegistry, source: SourceRule, batchId: number, dryRun: boolean, night: string,
): Promise<FileResult> {
  const { wh, catalog } = o;
  const log = o.log.child({ source: source.id });
  const started = performance.now();
  const base = { date: night, unit: source.unit, name: `database ${source.id}` };
  const store = knexWatermarkStore(wh.knex);
  const since = await store.get(source.id);
  const delivery: DeliveryFile = {
    batchId, unit: source.unit, path: `${hidePassword(source.url)} ${source.table ?? 'query'}`, name: base.name,
    // No bytes to hash: the pull is named by its source, where it started and when.
    sha256: createHash('sha256').update(`${source.id}\n${since ?? ''}\n${new Date().toISOString()}`).digest('hex'), bytes: 0, night, format: 'database',
  };
  let pull: DatabasePull;
  try {
    pull = await pullDatabaseSource(source, store);
  } catch (error) {
    if (!(error instanceof DatabaseSourceError)) throw error;
    return unavailable(o, log, delivery, base, error, dryRun, started);
  }
  const ctx: ReadContext = {
    catalog, subjects: unitSubjects(catalog, source.unit), ...(source.subject !== undefined && { subjectFor: () => source.subject }),
  };
  return loadDelivery(o, registry, {
    delivery,
    checked: () => checkHere(async function* () {
      yield typedTable(pull.table, base.name, { format: 'database' }, ctx);
    }, new FileCheck(catalog, base.name, o.pipeline.errorLimits)),
    loaded: async () => {
      const high = pull.highWatermark();
      if (high !== undefined) await store.set(source.id, high);
      return undefined;
    },
    // Nothing to move: the watermark stays, so the same rows are pulled (and judged) again next run.
    refused: async () => undefined,
  }, base, dryRun, () => undefined, log, started);
}

async function loadDelivery(
  o: NightOptions, registry: EntityRegistry, source: Source, base: Pick<FileResult, 'date' | 'unit' | 'name'>, dryRun: boolean,
  onRows: (rows: number) => void, log: Logger, started: number,
): Promise<FileResult> {
  const { wh } = o;
  const ms = () => Math.round(performance.now() - started);
  const { delivery } = source;
  let load: FileLoad | undefined;
  // For the unit's receipt: the rows turned away, as far as RECEIPT_ROWS.
  const turnedAway: ReceiptRow[] = [];
  let rowsLeftOut = 0;
  // A failure after the commit (the move to the archive) leaves a loaded file, not a failed one.
  let committed = false;
  try {
    load = await FileLoad.begin(wh, delivery, { registry });
    const checked = source.checked();
    for await (const t of checked.tables) {
      load.describe({ format: t.format, ...(t.encoding !== undefined && { encoding: t.encoding }) });
      for await (const rows of t.batches) {
        for (const { checked: c } of rows) {
          if (c.rejections.length === 0) continue;
          if (turnedAway.length < RECEIPT_ROWS) turnedAway.push({ sheet: t.sheet ?? null, row: c.row, reasons: c.rejections.map(({ code, message, item }) => ({ code, message, ...(item !== undefined && { item }) })) });
          else rowsLeftOut++;
        }
        await load.add(t.subject, rows, t.sheet);
        onRows(load.tally.rowsRead);
      }
    }
    const over = checked.overLimit();
    if (over) throw new Refusal(over.code, over.message);
    if (load.tally.rowsRead === 0) {
      if (delivery.format === 'database') {
        await load.rollback({ keepLinks: true });
        log.info('no new rows');
        return { ...base, outcome: 'nothing-new', ms: ms() };
      }
      throw new Refusal('file/header-only', `${delivery.name}: no data rows`);
    }
    if (dryRun) {
      const counts = { ...load.tally };
      await load.rollback({ keepLinks: true });
      log.info({ ...counts }, 'checked and loaded, then rolled back (dry run)');
      return { ...base, outcome: 'loaded', counts, ms: ms() };
    }
    const counts = await load.commit();
    committed = true;
    log.info({ fileId: load.fileId, ...counts, ms: ms() }, 'loaded');
    const receiptError = await receipt(o, log, delivery, { fileId: load.fileId, outcome: 'loaded', reasonCode: null, reason: null, counts, rows: turnedAway, rowsLeftOut });
    const loaded = { ...base, outcome: 'loaded' as const, fileId: load.fileId, counts, ...(receiptError !== undefined && { receiptError }) };
    try {
      const movedTo = await source.loaded();
      return { ...loaded, ...(movedTo !== undefined && { movedTo }), ms: ms() };
    } catch (error) {
      // The file is in the warehouse; left in the inbox, the next run archives it as a duplicate delivery.
      const reason = `loaded, but not moved to the archive (${error instanceof Error ? error.message : String(error)}): the next run archives it as a duplicate delivery`;
      log.error({ err: reason }, 'loaded, not archived');
      return { ...loaded, reason, ms: ms() };
    }
  } catch (error) {
    await load?.rollback().catch(() => undefined);
    if (error instanceof DatabaseSourceError) return unavailable(o, log, delivery, base, error, dryRun, started);
    if (!(error instanceof DeliveryError) && !(error instanceof Refusal)) {
      // Not the delivery's fault: the file stays in the inbox for the next run.
      const reason = error instanceof Error ? error.message : String(error);
      log.error({ err: reason }, 'failed: the delivery stays for the next run');
      // Recorded for the run's report, when the warehouse still answers.
      const fileId = dryRun || committed ? undefined : await recordUnloadedFile(wh, delivery, 'failed', reason).catch(() => undefined);
      return { ...base, outcome: 'failed', reason, ...(fileId !== undefined && { fileId }), ms: ms() };
    }
    const reason = error.message;
    log.warn({ code: error.code, reason }, 'quarantined');
    if (dryRun) return { ...base, outcome: 'quarantined', reason, reasonCode: error.code, ms: ms() };
    const fileId = await recordUnloadedFile(wh, delivery, 'quarantined', `${error.code}: ${reason}`);
    const movedTo = await source.refused({ code: error.code, reason: maskText(reason), sha256: delivery.sha256, fileId, run: delivery.batchId, at: new Date().toISOString() });
    const receiptError = await receipt(o, log, delivery, {
      fileId, outcome: 'quarantined', reasonCode: error.code, reason,
      counts: load && load.tally.rowsRead > 0 ? load.tally : null, rows: turnedAway, rowsLeftOut,
    });
    return { ...base, outcome: 'quarantined', reason, reasonCode: error.code, fileId, ...(movedTo !== undefined && { movedTo }), ms: ms(), ...(receiptError !== undefined && { receiptError }) };
  }
}

/** A database source that could not be pulled: recorded for the report, pulled again next run. */
async function unavailable(
  o: NightOptions, log: Logger, delivery: DeliveryFile, base: Pick<FileResult, 'date' | 'unit' | 'name'>, error: DatabaseSourceError, dryRun: boolean, started: number,
): Promise<FileResult> {
  log.warn({ stage: error.stage, reason: error.message }, 'database source unavailable: pulled again next run');
  const fileId = dryRun ? undefined : await recordUnloadedFile(o.wh, delivery, 'unavailable', error.message).catch(() => undefined);
  return { ...base, outcome: 'unavailable', reason: error.message, ...(fileId !== undefined && { fileId }), ms: Math.round(performance.now() - started) };
}

/** The unit's receipt for a delivery; one that cannot be written is logged and its error returned, never failing the file. */
async function receipt(
  o: NightOptions, log: Logger, delivery: DeliveryFile,
  r: Pick<Receipt, 'outcome' | 'reasonCode' | 'reason' | 'rows' | 'rowsLeftOut'> & { fileId: number; counts: Receipt['counts'] },
): Promise<string | undefined> {
  const { catalog, pipeline } = o;
  try {
    await writeReceipt(pipeline.folders.receipts, {
      unit: delivery.unit, unitName: catalog.units.find((u) => u.code === delivery.unit)?.name ?? delivery.unit,
      file: delivery.name, night: delivery.night ?? null, runId: delivery.batchId, fileId: r.fileId, sha256: delivery.sha256, at: new Date().toISOString(),
      outcome: r.outcome, reasonCode: r.reasonCode, reason: r.reason,
      counts: r.counts, rows: r.rows, rowsLeftOut: r.rowsLeftOut,
    }, itemNamesOf(catalog));
    return undefined;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error({ err: message }, 'the receipt could not be written');
    return message;
  }
}

const itemNames = new WeakMap<Catalog, ReadonlyMap<string, string>>();
function itemNamesOf(catalog: Catalog): ReadonlyMap<string, string> {
  let names = itemNames.get(catalog);
  if (!names) itemNames.set(catalog, (names = new Map(catalog.subjects.flatMap((s) => s.items.map((i) => [i.code, i.name] as const)))));
  return names;
}
