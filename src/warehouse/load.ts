// The load stage: one delivery file into the warehouse in one transaction. Every row's outcome is
// decided against the latest stored version of its business key — loaded (a new key), updated (a
// new version; the old one is closed, never overwritten), unchanged (same values), duplicate (the
// key twice in the file) or rejected — and every row is answerable afterwards: loaded and updated
// rows by their record's lineage columns, the rest by a ledger row.
import { hash } from 'node:crypto';
import type { Knex } from 'knex';
import type { DataSubject } from '../catalog/index.js';
import type { Reason } from '../reasons.js';
import type { CheckedRow, CleanRecord } from '../validate/index.js';
import { appendAudit } from './audit.js';
import type { Warehouse } from './connect.js';
import type { EntityRegistry, RecordLink, SavedChanges } from './registry.js';
import { recordColumns } from './schema.js';
import { L, subjectTable, T } from './tables.js';
import { CHUNK, insertId, knexWriter, pgText, pgWriter, sqliteInserter, sqliteWriter, type LatestVersion, type SubjectWriter } from './writers.js';

export type RowOutcome = 'loaded' | 'updated' | 'unchanged' | 'duplicate' | 'rejected';
export const ROW_OUTCOMES: readonly RowOutcome[] = ['loaded', 'updated', 'unchanged', 'duplicate', 'rejected'];

/** What the run knows of a delivery file before loading it. */
export interface DeliveryFile {
  batchId: number;
  unit: string;
  /** Where the file was read from (the inbox path). */
  path: string;
  name: string;
  sha256: string;
  bytes: number;
  format?: string;
  encoding?: string;
  /** The inbox's night folder (YYYY-MM-DD) the file was delivered in. */
  night?: string;
}

/** One checked row and its cells as delivered (kept for a rejected row). */
export interface LoadRow {
  checked: CheckedRow;
  cells: readonly string[];
}

const LEDGER_COLUMNS = ['file_id', 'row', 'sheet', 'subject', 'outcome', 'record_id', 'entity_id', 'reasons', 'raw'] as const;
const REPAIR_COLUMNS = ['file_id', 'row', 'sheet', 'item', 'raw', 'clean'] as const;

export type LoadCounts = Record<RowOutcome, number> & {
  rowsRead: number;
  repairs: number;
  /** Entities the file created or changed, merges its records proved, conflicts they raised. */
  entities: SavedChanges;
  /** Records whose identity evidence contradicts itself (a USCC of another type than stated, …). */
  identityWarnings: number;
};

export interface LoadOptions {
  /** Links every record to its entity; without it records carry no entity. */
  registry?: EntityRegistry;
}

const now = (): string => new Date().toISOString();

/** 128 bits of sha256, hex: collision-proof for keys and versions, and half an index entry of the full hash. */
export function digest(text: string): string {
  return hash('sha256', text, 'hex').slice(0, 32);
}

/** `_key`: the digest of a record's business-key values, in the order of the subject's business key. */
export function keyDigest(values: readonly (string | number | null | undefined)[]): string {
  return digest(JSON.stringify(values.map((v) => v ?? null)));
}

/**
 * `_hash`: the digest of a record's non-empty values by item code. Empty items and the catalog's
 * item order take no part, so an item a later catalog adds (or reorders) leaves every stored
 * version's hash as it was: the same record delivered again stays `unchanged`.
 */
export function versionDigest(record: CleanRecord, codesInOrder: readonly string[]): string {
  const pairs: (string | number)[] = [];
  for (const code of codesInOrder) {
    const v = record[code];
    if (v !== undefined) pairs.push(code, v);
  }
  return digest(JSON.stringify(pairs));
}

/** A row rejected only for repeating a business key earlier in the file is a duplicate, not an error. */
function outcomeOfRejected(reasons: readonly Reason[]): RowOutcome {
  return reasons.every((r) => r.code === 'row/duplicate-in-file') ? 'duplicate' : 'rejected';
}

interface SubjectPlan {
  subject: DataSubject;
  writer: SubjectWriter;
  /** Item columns in catalog order, then lineage: the order of every inserted row's values. */
  columns: string[];
  keyItems: string[];
  /** Item codes sorted: the order values enter the version digest in. */
  byCode: string[];
}

export class FileLoad {
  private readonly counts: LoadCounts = {
    rowsRead: 0, loaded: 0, updated: 0, unchanged: 0, duplicate: 0, rejected: 0, repairs: 0,
    entities: { entities: 0, merges: 0, conflicts: 0 }, identityWarnings: 0,
  };
  private readonly plans = new Map<string, SubjectPlan>();
  private readonly at = now();
  private done = false;
  /** Learned while reading: recorded with the file's counts. */
  private meta: { format?: string; encoding?: string } = {};
  /** Why a batch failed to load: the file can then only be rolled back. */
  private failed: string | undefined;
  /** SQLite: the prepared bulk INSERT of each toolkit table this load writes to. */
  private readonly inserters = new Map<string, ReturnType<typeof sqliteInserter>>();

  private constructor(
    private readonly wh: Warehouse,
    private readonly trx: Knex.Transaction,
    readonly fileId: number,
    private readonly file: DeliveryFile,
    private readonly registry: EntityRegistry | undefined,
    /** Lets the next load at the registry. */
    private readonly release: () => void,
  ) {}

  /**
   * Opens the file's transaction; its first statement is a write, so SQLite takes the write lock
   * at once. With a registry, the load holds it until it commits or rolls back.
   */
  static async begin(wh: Warehouse, file: DeliveryFile, { registry }: LoadOptions = {}): Promise<FileLoad> {
    const release = registry ? await registry.hold() : () => undefined;
    let trx: Knex.Transaction | undefined;
    try {
      trx = await wh.knex.transaction();
      // The planner judges a table by statistics taken before this transaction: on a table that
      // was empty, every business-key lookup would scan the rows the file itself just inserted
      // (quadratic in the file's size). The key index is always the right plan for those lookups.
      if (wh.dialect === 'postgres') await trx.raw('set local enable_seqscan = off');
      // Loads that link wait for each other on the registry's row (registry.ts): as long as a
      // file takes, not InnoDB's default 50 s. PostgreSQL waits without limit already.
      if (wh.dialect === 'mysql' && registry) await trx.raw('set session innodb_lock_wait_timeout = 86400');
      const row = {
        batch_id: file.batchId, unit: file.unit, path: file.path, name: file.name, sha256: file.sha256, bytes: file.bytes,
        format: file.format ?? null, encoding: file.encoding ?? null, night: file.night ?? null, outcome: 'loading', started_at: now(),
      };
      const id = await insertId(wh, trx, T.files, row);
      await registry?.sync(trx);
      return new FileLoad(wh, trx, id, file, registry, release);
    } catch (error) {
      await trx?.rollback().catch(() => undefined);
      release();
      throw error;
    }
  }

  private async plan(subject: DataSubject): Promise<SubjectPlan> {
    let p = this.plans.get(subject.code);
    if (!p) {
      // Units share subjects (行政处罚 comes from every unit with penalty powers): two loads on a
      // database server must not both find a key new and both open a version of it. The subject's
      // row lock holds the other until this transaction ends. SQLite has one writer already.
      if (this.wh.dialect !== 'sqlite') {
        const row = await this.trx(T.subjectLocks).where({ subject: subject.code }).forUpdate().first('subject');
        if (!row) throw new Error(`the warehouse has no lock row for ${subject.code}: build it with ensureSchema for this catalog`);
      }
      const typed = recordColumns(subject);
      const columns = typed.map((c) => c.name);
      const table = subjectTable(subject);
      const writer = this.wh.sqlite ? sqliteWriter(this.wh.sqlite, table, columns)
        : this.wh.dialect === 'postgres' ? pgWriter(this.trx, table, columns, typed.map((c) => c.pg))
        : knexWriter(this.trx, table, columns);
      p = { subject, writer, columns, keyItems: subject.businessKey, byCode: subject.items.map((i) => i.code).sort() };
      this.plans.set(subject.code, p);
    }
    return p;
  }

  /**
   * Loads a batch of checked rows of one data subject (a table of the file). Rows come in the
   * file's order; a batch of a few hundred to a few thousand keeps each round trip worth it.
   */
  async add(subject: DataSubject, rows: readonly LoadRow[], sheet?: string): Promise<void> {
    if (this.done) throw new Error(`the load of ${this.file.name} is already finished`);
    try {
      await this.addRows(subject, rows, sheet);
    } catch (error) {
      // Part of the batch may be written (SQLite and MySQL keep a transaction open after a failed
      // statement): such a load can only be rolled back, never committed.
      this.failed = error instanceof Error ? error.message : String(error);
      throw error;
    }
  }

  private async addRows(subject: DataSubject, rows: readonly LoadRow[], sheet?: string): Promise<void> {
    const p = await this.plan(subject);
    const ledger: unknown[][] = [];
    const repairs: unknown[][] = [];
    const accepted: { row: LoadRow; key: string; hash: string; values: unknown[]; link: RecordLink | undefined }[] = [];
    const items = subject.items;
    const sheetName = sheet ?? null;

    for (const row of rows) {
      const c = row.checked;
      this.counts.rowsRead++;
      for (const r of c.repairs) repairs.push([this.fileId, c.row, sheetName, r.item, r.raw, r.clean]);
      if (c.rejections.length > 0) {
        const outcome = outcomeOfRejected(c.rejections);
        this.counts[outcome]++;
        ledger.push([
          this.fileId, c.row, sheetName, subject.code, outcome, null, null,
          JSON.stringify(c.rejections.map(({ code, message, item }) => ({ code, message, ...(item && { item }) }))), JSON.stringify(row.cells),
        ]);
        continue;
      }
      // The insert's values: items first, lineage pushed once the outcome is known.
      const values: unknown[] = [];
      for (const item of items) values.push(c.record[item.code] ?? null);
      const link = this.registry?.link(subject, c.record, this.fileId, c.row);
      if (link !== undefined && link.warnings.length > 0) this.counts.identityWarnings++;
      accepted.push({ row, key: keyDigest(p.keyItems.map((k) => c.record[k])), hash: versionDigest(c.record, p.byCode), values, link });
    }

    const latest = await p.writer.latest(accepted.map((a) => a.key));
    const inserts: unknown[][] = [];
    const close: number[] = [];
    /** Stored versions that were never linked (loaded before the registry existed): linked now. */
    const unlinked: { id: number; link: RecordLink }[] = [];
    for (const a of accepted) {
      const before: LatestVersion | undefined = latest.get(a.key);
      if (before && before.hash === a.hash) {
        if (before.entity === null && a.link !== undefined && before.id > 0) unlinked.push({ id: before.id, link: a.link });
        this.counts.unchanged++;
        ledger.push([this.fileId, a.row.checked.row, sheetName, subject.code, 'unchanged', before.id, a.link?.entityId ?? before.entity, null, null]);
        continue;
      }
      const outcome: RowOutcome = before ? 'updated' : 'loaded';
      this.counts[outcome]++;
      if (before?.open) close.push(before.id);
      // A withdrawal is kept as a version of its own, closed the moment it opens: the record's
      // history shows it, and no version of the key is in force any more.
      const withdrawn = a.row.checked.withdrawn;
      const v = a.values;
      v.push(a.key, a.hash, a.link?.entityId ?? null, a.link?.rule ?? null, a.link?.evidence ?? null, this.file.batchId, this.fileId, a.row.checked.row, sheetName, this.file.unit, outcome, withdrawn ? 1 : 0, this.at,
        withdrawn ? this.at : null, withdrawn ? this.fileId : null);
      inserts.push(v);
      // A later row of the same batch with this key compares against this version.
      latest.set(a.key, { id: -1, hash: a.hash, open: !withdrawn, entity: null });
    }
    this.counts.repairs += repairs.length;
    await p.writer.close(close, this.at, this.fileId);
    await p.writer.insert(inserts);
    for (const { id, link } of unlinked) {
      await this.trx(subjectTable(subject)).where(L.id, id).update({ [L.entity]: link.entityId, [L.linkRule]: link.rule, [L.linkEvidence]: link.evidence });
    }
    await this.writeRows(T.ledger, LEDGER_COLUMNS, ledger);
    await this.writeRows(T.repairs, REPAIR_COLUMNS, repairs);
  }

  private async writeRows(table: string, columns: readonly string[], rows: unknown[][]): Promise<void> {
    if (rows.length === 0) return;
    if (this.wh.sqlite) {
      let insert = this.inserters.get(table);
      if (!insert) this.inserters.set(table, (insert = sqliteInserter(this.wh.sqlite, table, columns)));
      insert(rows);
      return;
    }
    const text = this.wh.dialect === 'postgres' ? pgText : <T>(v: T) => v;
    for (let i = 0; i < rows.length; i += CHUNK) {
      await this.trx(table).insert(rows.slice(i, i + CHUNK).map((r) => Object.fromEntries(columns.map((c, n) => [c, text(r[n])]))));
    }
  }

  /** What reading found the file to be (format, text encoding), for its etl_files row. */
  describe(meta: { format?: string; encoding?: string }): void {
    this.meta = { ...this.meta, ...meta };
  }

  /** Counts so far. */
  get tally(): Readonly<LoadCounts> {
    return this.counts;
  }

  /** Records the file's counts and its audit event, then commits: the file is in, whole. */
  async commit(subjects: readonly string[] = [...this.plans.keys()]): Promise<LoadCounts> {
    if (this.failed !== undefined) throw new Error(`the load of ${this.file.name} failed (${this.failed}): roll it back; it cannot be committed`);
    const c = this.counts;
    if (this.registry) c.entities = await this.registry.save(this.trx, this.fileId, this.file.batchId, this.at);
    await this.trx(T.files).where({ id: this.fileId }).update({
      outcome: 'loaded', subjects: JSON.stringify(subjects), finished_at: now(),
      ...(this.meta.format !== undefined && { format: this.meta.format }), ...(this.meta.encoding !== undefined && { encoding: this.meta.encoding }),
      rows_read: c.rowsRead, loaded: c.loaded, updated: c.updated, unchanged: c.unchanged, duplicate: c.duplicate, rejected: c.rejected, repairs: c.repairs,
    });
    await appendAudit(this.trx, {
      kind: 'file-accepted', batchId: this.file.batchId, fileId: this.fileId,
      details: { unit: this.file.unit, file: this.file.name, sha256: this.file.sha256, subjects, ...c },
    });
    this.done = true;
    try {
      await this.trx.commit();
    } catch (error) {
      this.registry?.discard();
      throw error;
    } finally {
      this.release();
    }
    return { ...c, entities: { ...c.entities } };
  }

  /**
   * Leaves nothing of the file in the warehouse, nor of its links in the registry — unless
   * `keepLinks` (a dry run: the next file is linked as if this one had been committed).
   */
  async rollback({ keepLinks = false }: { keepLinks?: boolean } = {}): Promise<void> {
    if (this.done) return;
    this.done = true;
    if (!keepLinks) this.registry?.discard();
    try {
      await this.trx.rollback();
    } finally {
      this.release();
    }
  }
}

/** A file already loaded with these exact bytes, if any: the same delivery sent again. */
export async function loadedFileWithHash(knex: Knex, sha256: string): Promise<{ id: number; batchId: number; name: string } | undefined> {
  const r = (await knex(T.files).where({ sha256, outcome: 'loaded' }).orderBy('id').first('id', 'batch_id', 'name')) as { id: number; batch_id: number; name: string } | undefined;
  return r && { id: Number(r.id), batchId: Number(r.batch_id), name: r.name };
}

/**
 * A file that will not load — quarantined, a duplicate delivery, failed for a reason that is not
 * the delivery's (it stays in the inbox for the next run), or a database source that could not be
 * pulled — recorded with its reason and audit event in a transaction of its own, so the run's
 * report and the ledger can name it.
 */
export async function recordUnloadedFile(
  wh: Warehouse, file: DeliveryFile, outcome: 'quarantined' | 'duplicate' | 'failed' | 'unavailable', reason: string, duplicateOf?: number,
): Promise<number> {
  return wh.knex.transaction(async (trx) => {
    const at = now();
    const id = await insertId(wh, trx, T.files, {
      batch_id: file.batchId, unit: file.unit, path: file.path, name: file.name, sha256: file.sha256, bytes: file.bytes,
      format: file.format ?? null, encoding: file.encoding ?? null, night: file.night ?? null, outcome, reason, duplicate_of: duplicateOf ?? null, started_at: at, finished_at: at,
    });
    await appendAudit(trx, {
      kind: `file-${outcome}`, batchId: file.batchId, fileId: id,
      details: { unit: file.unit, file: file.name, sha256: file.sha256, reason, ...(duplicateOf !== undefined && { duplicateOf }) },
    });
    return id;
  });
}
