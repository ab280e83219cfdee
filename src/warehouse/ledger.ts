// The row ledger read back: every source row of a delivery file with its one outcome. Loaded and
// updated rows are answered by the record versions the file brought (their lineage columns),
// unchanged, duplicate and rejected rows by etl_ledger — so the identity "rows read = sum of
// outcomes" is checked against the rows really stored. Everything is read in keyset pages: a file
// of a million rows never sits in memory.
import { resolve } from 'node:path';
import type { Knex } from 'knex';
import { STORAGE, type Catalog, type DataItem, type DataSubject } from '../catalog/index.js';
import { maskPersonal, maskText } from '../mask.js';
import type { Warehouse } from './connect.js';
import { ROW_OUTCOMES, type RowOutcome } from './load.js';
import { itemColumn, L, subjectTable, T } from './tables.js';

export const LEDGER_PAGE = 5000;

/** The ledger and the warehouse disagree, or the file asked for is not there. */
export class LedgerError extends Error {
  override name = 'LedgerError';
}

export type FileOutcome = 'loaded' | 'quarantined' | 'duplicate';
const FILE_OUTCOMES: FileOutcome[] = ['loaded', 'quarantined', 'duplicate'];

/** One delivery file as etl_files records it. */
export interface LedgerFile {
  id: number;
  batchId: number;
  unit: string;
  path: string;
  name: string;
  sha256: string;
  outcome: FileOutcome;
  reason: string | null;
  duplicateOf: number | null;
  /** Codes of the data subjects its rows went to. */
  subjects: string[];
  rowsRead: number;
  startedAt: string;
  finishedAt: string | null;
}

export interface LedgerReason {
  code: string;
  message: string;
  item?: string;
}

/** One source row's fate. */
export interface LedgerLine {
  level: 'row';
  fileId: number;
  file: string;
  /** The sheet (table) of a workbook; null for one-table files. */
  sheet: string | null;
  /** The row number as a person counts it in the delivered file. */
  row: number;
  subject: string;
  outcome: RowOutcome;
  reasons: LedgerReason[];
  entityId: number | null;
  /** The record version the row became (loaded, updated) or matched (unchanged). */
  recordId: number | null;
}

/** A file none of whose rows were loaded: it stands in the ledger as one line. */
export interface FileLine {
  level: 'file';
  fileId: number;
  file: string;
  outcome: Exclude<FileOutcome, 'loaded'>;
  reason: string | null;
  duplicateOf: number | null;
}

export type LedgerEntry = LedgerLine | FileLine;

type Stored = Record<string, unknown>;
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function toFile(r: Stored): LedgerFile {
  return {
    id: Number(r['id']), batchId: Number(r['batch_id']), unit: String(r['unit']), path: String(r['path']), name: String(r['name']),
    sha256: String(r['sha256']), outcome: r['outcome'] as FileOutcome, reason: (r['reason'] as string | null) ?? null,
    duplicateOf: num(r['duplicate_of']), subjects: r['subjects'] ? (JSON.parse(String(r['subjects'])) as string[]) : [],
    rowsRead: Number(r['rows_read']), startedAt: String(r['started_at']), finishedAt: (r['finished_at'] as string | null) ?? null,
  };
}

// A file still loading is inside its own transaction; only finished loads are the ledger's.
const finished = (knex: Knex) => knex(T.files).whereIn('outcome', FILE_OUTCOMES);

export async function ledgerFile(wh: Warehouse, fileId: number): Promise<LedgerFile | undefined> {
  const r = (await finished(wh.knex).where('id', fileId).first()) as Stored | undefined;
  return r && toFile(r);
}

/** The files of a run in load order; undefined when there is no such run. */
export async function runFiles(wh: Warehouse, batchId: number): Promise<LedgerFile[] | undefined> {
  if (!(await wh.knex(T.batches).where('id', batchId).first('id'))) return undefined;
  return ((await finished(wh.knex).where('batch_id', batchId).orderBy('id')) as Stored[]).map(toFile);
}

/**
 * Every load of a delivered file, newest first: matched by its inbox path (as given or made
 * absolute), else by its name; `batchId` keeps to one run.
 */
export async function filesDelivered(wh: Warehouse, pathOrName: string, batchId?: number): Promise<LedgerFile[]> {
  const files = () => (batchId === undefined ? finished(wh.knex) : finished(wh.knex).where('batch_id', batchId)).orderBy('id', 'desc');
  const byPath = (await files().whereIn('path', [...new Set([pathOrName, resolve(pathOrName)])])) as Stored[];
  return (byPath.length > 0 ? byPath : ((await files().where('name', pathOrName)) as Stored[])).map(toFile);
}

/** Where one kind of source row is stored, with its columns aliased to one shape. */
interface Source {
  table: string;
  file: string;
  row: string;
  sheet: string;
  id: string;
  outcome: string;
  select: string[];
  line(r: Stored, file: LedgerFile): LedgerLine;
}

const reasonsOf = (v: unknown): LedgerReason[] => (v ? (JSON.parse(String(v)) as LedgerReason[]) : []);

const ledgerSource: Source = {
  table: T.ledger, file: 'file_id', row: 'row', sheet: 'sheet', id: 'id', outcome: 'outcome',
  select: ['id', 'row', 'sheet', 'subject', 'outcome', 'record_id', 'entity_id', 'reasons'],
  line: (r, f) => ({
    level: 'row', fileId: f.id, file: f.name, sheet: (r['sheet'] as string | null) ?? null, row: Number(r['row']), subject: String(r['subject']),
    outcome: r['outcome'] as RowOutcome, reasons: reasonsOf(r['reasons']), entityId: num(r['entity_id']), recordId: num(r['record_id']),
  }),
};

function recordSource(subject: string): Source {
  return {
    table: subjectTable(subject), file: L.file, row: L.row, sheet: L.sheet, id: L.id, outcome: L.change,
    select: [`${L.id} as id`, `${L.row} as row`, `${L.sheet} as sheet`, `${L.change} as outcome`, `${L.entity} as entity_id`],
    line: (r, f) => ({
      level: 'row', fileId: f.id, file: f.name, sheet: (r['sheet'] as string | null) ?? null, row: Number(r['row']), subject,
      outcome: r['outcome'] as RowOutcome, reasons: [], entityId: num(r['entity_id']), recordId: Number(r['id']),
    }),
  };
}

const sourcesOf = (file: LedgerFile): Source[] => [...file.subjects.map(recordSource), ledgerSource];

const ofFile = (knex: Knex, s: Source, file: LedgerFile) => knex(s.table).where(s.file, file.id);
const onSheet = (q: Knex.QueryBuilder, s: Source, sheet: string | null) => (sheet === null ? q.whereNull(s.sheet) : q.where(s.sheet, sheet));

/** One source's rows of one sheet in row order, a page at a time; the id breaks ties of a row number. */
async function* pages(knex: Knex, s: Source, file: LedgerFile, sheet: string | null, size: number): AsyncGenerator<LedgerLine> {
  let after: { row: number; id: number } | undefined;
  for (;;) {
    const q = onSheet(ofFile(knex, s, file), s, sheet);
    if (after) {
      const a = after;
      // row >= first, so every dialect reads the (file, row) index as a range.
      q.where(s.row, '>=', a.row).where((w) => w.where(s.row, '>', a.row).orWhere(s.id, '>', a.id));
    }
    const rows = (await q.orderBy([s.row, s.id]).limit(size).select(s.select)) as Stored[];
    for (const r of rows) yield s.line(r, file);
    if (rows.length < size) return;
    const last = rows[rows.length - 1]!;
    after = { row: Number(last['row']), id: Number(last['id']) };
  }
}

async function sheetsOf(knex: Knex, sources: readonly Source[], file: LedgerFile): Promise<(string | null)[]> {
  const sheets = new Set<string | null>();
  for (const s of sources) {
    for (const r of (await ofFile(knex, s, file).distinct(`${s.sheet} as sheet`)) as Stored[]) sheets.add((r['sheet'] as string | null) ?? null);
  }
  // Sorted here, not in SQL: the three dialects order NULL and Chinese text differently.
  return [...sheets].sort((a, b) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1));
}

/** The sources' rows merged into sheet-then-row order, each source streamed in pages. */
async function* merged(knex: Knex, sources: readonly Source[], file: LedgerFile, size: number): AsyncGenerator<LedgerLine> {
  for (const sheet of await sheetsOf(knex, sources, file)) {
    const streams = sources.map((s) => pages(knex, s, file, sheet, size));
    const heads = await Promise.all(streams.map((g) => g.next()));
    for (;;) {
      let pick: number | undefined;
      let first: LedgerLine | undefined;
      heads.forEach((h, i) => {
        if (!h.done && (first === undefined || h.value.row < first.row)) [pick, first] = [i, h.value];
      });
      if (pick === undefined || first === undefined) break;
      yield first;
      heads[pick] = await streams[pick]!.next();
    }
  }
}

function checkSubjects(file: LedgerFile, catalog: Catalog): void {
  const unknown = file.subjects.filter((code) => !catalog.subjects.some((s) => s.code === code));
  if (unknown.length > 0) {
    throw new LedgerError(`${file.name} (file ${file.id}) was loaded into data subject ${unknown.join(', ')}, which catalog ${catalog.version.id} does not define: ` +
      'the warehouse holds data of another catalog version (see `credit-etl warehouse migrate`)');
  }
}

async function mustFile(wh: Warehouse, fileId: number): Promise<LedgerFile> {
  const file = await ledgerFile(wh, fileId);
  if (!file) throw new LedgerError(`the warehouse ${wh.shown} has no delivery file ${fileId}`);
  return file;
}

/** Every source row of a file, ordered by sheet then row. */
export async function* fileLedger(wh: Warehouse, fileId: number, catalog: Catalog, pageSize = LEDGER_PAGE): AsyncGenerator<LedgerLine> {
  const file = await mustFile(wh, fileId);
  checkSubjects(file, catalog);
  yield* merged(wh.knex, sourcesOf(file), file, pageSize);
}

/** The ledger of a run, file by file in load order; `fileIds` narrows it to some of its files. */
export async function* runLedger(
  wh: Warehouse, batchId: number, catalog: Catalog, options: { fileIds?: readonly number[]; pageSize?: number } = {},
): AsyncGenerator<LedgerEntry> {
  const files = await runFiles(wh, batchId);
  if (!files) throw new LedgerError(`the warehouse ${wh.shown} has no run ${batchId}`);
  for (const f of files) {
    if (options.fileIds && !options.fileIds.includes(f.id)) continue;
    if (f.outcome === 'loaded') yield* fileLedger(wh, f.id, catalog, options.pageSize);
    else yield { level: 'file', fileId: f.id, file: f.name, outcome: f.outcome, reason: f.reason, duplicateOf: f.duplicateOf };
  }
}

export interface LedgerIdentity {
  /** What the load counted as it read the file (etl_files.rows_read). */
  rowsRead: number;
  /** Source rows found in the warehouse, by outcome. */
  counts: Record<RowOutcome, number>;
  /** rows read = the sum of the outcomes found. */
  holds: boolean;
}

/** "Rows read = sum of outcomes", counted from the stored rows, not from the file's own counters. */
export async function ledgerIdentity(wh: Warehouse, fileId: number): Promise<LedgerIdentity> {
  const file = await mustFile(wh, fileId);
  const counts = Object.fromEntries(ROW_OUTCOMES.map((o) => [o, 0])) as Record<RowOutcome, number>;
  for (const s of sourcesOf(file)) {
    const groups = (await ofFile(wh.knex, s, file).groupBy(s.outcome).select(`${s.outcome} as outcome`).count({ n: '*' })) as Stored[];
    for (const g of groups) {
      const outcome = g['outcome'] as RowOutcome;
      if (outcome in counts) counts[outcome] += Number(g['n']);
    }
  }
  const sum = ROW_OUTCOMES.reduce((n, o) => n + counts[o], 0);
  return { rowsRead: file.rowsRead, counts, holds: sum === file.rowsRead };
}

export interface ReasonCount {
  code: string;
  count: number;
  /** The first occurrence's message. */
  example: string;
}

export interface FileReasons {
  /** Most frequent first. */
  reasons: ReasonCount[];
  /** Rejected rows in sheet-then-row order. */
  rejected: { sheet: string | null; row: number }[];
}

/** The reasons a file's rows were turned away, counted by code, and which rows were rejected. */
export async function fileReasons(wh: Warehouse, fileId: number, pageSize = LEDGER_PAGE): Promise<FileReasons> {
  const file = await mustFile(wh, fileId);
  const byCode = new Map<string, ReasonCount>();
  const rejected: FileReasons['rejected'] = [];
  for await (const line of merged(wh.knex, [ledgerSource], file, pageSize)) {
    if (line.outcome === 'rejected') rejected.push({ sheet: line.sheet, row: line.row });
    for (const r of line.reasons) {
      const c = byCode.get(r.code);
      if (c) c.count++;
      else byCode.set(r.code, { code: r.code, count: 1, example: r.message });
    }
  }
  return { reasons: [...byCode.values()].sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1)), rejected };
}

/** The lines of one row number of a file: one, or one per sheet that has that row. */
export async function sourceRow(wh: Warehouse, file: LedgerFile, row: number, sheet?: string): Promise<LedgerLine[]> {
  const lines: LedgerLine[] = [];
  for (const s of sourcesOf(file)) {
    const q = ofFile(wh.knex, s, file).where(s.row, row);
    if (sheet !== undefined) q.where(s.sheet, sheet);
    lines.push(...((await q.orderBy(s.id).select(s.select)) as Stored[]).map((r) => s.line(r, file)));
  }
  return lines;
}

/** The first and last row numbers a file's rows carry; undefined when it has none. */
export async function rowRange(wh: Warehouse, file: LedgerFile): Promise<{ first: number; last: number } | undefined> {
  let range: { first: number; last: number } | undefined;
  for (const s of sourcesOf(file)) {
    const r = (await ofFile(wh.knex, s, file).min({ first: s.row }).max({ last: s.row }).first()) as Stored | undefined;
    if (r?.['first'] === null || r?.['first'] === undefined) continue;
    const [first, last] = [Number(r['first']), Number(r['last'])];
    range = range ? { first: Math.min(range.first, first), last: Math.max(range.last, last) } : { first, last };
  }
  return range;
}

/** An item's value as a person may see it: personal items masked. */
export interface ShownValue {
  item: string;
  name: string;
  value: string | null;
}

export interface ValueChange {
  item: string;
  name: string;
  before: string | null;
  after: string | null;
}

export interface RecordVersion {
  subject: string;
  id: number;
  entityId: number | null;
  validFrom: string;
  /** null while the version is in force. */
  validTo: string | null;
  /** The file and row that brought this version. */
  from: { fileId: number; file: string; batchId: number; row: number; sheet: string | null };
  /** The file whose row superseded it. */
  closedBy: { fileId: number; file: string; batchId: number } | null;
  /** The business key's values. */
  key: ShownValue[];
}

/** One source row told in full. */
export interface RowStory {
  line: LedgerLine;
  /** The version the row became or matched; null when it has none (rejected, duplicate) or it is gone. */
  version: RecordVersion | null;
  /** The version an updated row superseded, and what it changed. */
  replaced: RecordVersion | null;
  changes: ValueChange[];
  repairs: { item: string; name: string | null; raw: string; clean: string }[];
}

const text = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));

// MySQL hands DECIMAL back padded to its scale (0.300000), the others as numbers (0.3).
function value(item: DataItem, v: unknown): string | null {
  const t = text(v);
  return t !== null && STORAGE[item.type] === 'decimal' && t.includes('.') ? t.replace(/\.?0+$/, '') : t;
}

function shown(item: DataItem, v: unknown): string | null {
  const t = value(item, v);
  return t !== null && item.personal ? maskPersonal(item.type, t) : t;
}

async function version(wh: Warehouse, subject: DataSubject, stored: Stored): Promise<RecordVersion> {
  const from = await ledgerFile(wh, Number(stored[L.file]));
  const closedId = num(stored[L.closedBy]);
  const closed = closedId === null ? undefined : await ledgerFile(wh, closedId);
  return {
    subject: subject.code, id: Number(stored[L.id]), entityId: num(stored[L.entity]),
    validFrom: String(stored[L.validFrom]), validTo: text(stored[L.validTo]),
    from: { fileId: Number(stored[L.file]), file: from?.name ?? '?', batchId: Number(stored[L.batch]), row: Number(stored[L.row]), sheet: text(stored[L.sheet]) },
    closedBy: closedId === null ? null : { fileId: closedId, file: closed?.name ?? '?', batchId: closed?.batchId ?? Number.NaN },
    key: subject.businessKey.map((code) => {
      const item = subject.items.find((i) => i.code === code)!;
      return { item: code, name: item.name, value: shown(item, stored[itemColumn(item)]) };
    }),
  };
}

/** A row's outcome, reasons, the record version it became or matched, what it replaced, its repairs. */
export async function rowStory(wh: Warehouse, line: LedgerLine, catalog: Catalog): Promise<RowStory> {
  const subject = catalog.subjects.find((s) => s.code === line.subject);
  if (!subject) throw new LedgerError(`row ${line.row} of ${line.file} went to data subject ${line.subject}, which catalog ${catalog.version.id} does not define`);
  const table = subjectTable(subject);
  const stored = line.recordId === null ? undefined : ((await wh.knex(table).where(L.id, line.recordId).first()) as Stored | undefined);
  let replaced: Stored | undefined;
  if (stored && line.outcome === 'updated') {
    replaced = (await wh.knex(table).where(L.key, stored[L.key] as string).where(L.id, '<', line.recordId!).orderBy(L.id, 'desc').first()) as Stored | undefined;
  }
  const changes: ValueChange[] = [];
  if (stored && replaced) {
    for (const item of subject.items) {
      const [was, is] = [replaced[itemColumn(item)], stored[itemColumn(item)]];
      if (value(item, was) !== value(item, is)) changes.push({ item: item.code, name: item.name, before: shown(item, was), after: shown(item, is) });
    }
  }
  const q = wh.knex(T.repairs).where({ file_id: line.fileId, row: line.row });
  const repairs = (await (line.sheet === null ? q.whereNull('sheet') : q.where('sheet', line.sheet)).orderBy('id').select('item', 'raw', 'clean')) as Stored[];
  return {
    line,
    version: stored ? await version(wh, subject, stored) : null,
    replaced: replaced ? await version(wh, subject, replaced) : null,
    changes,
    repairs: repairs.map((r) => {
      const item = subject.items.find((i) => i.code === r['item']);
      // Repairs are stored masked already; an item the catalog no longer names is masked by shape.
      const mask = (v: unknown) => (item ? shown(item, v) ?? '' : maskText(String(v ?? '')));
      return { item: String(r['item']), name: item?.name ?? null, raw: mask(r['raw']), clean: mask(r['clean']) };
    }),
  };
}
