// The entity registry in the warehouse: the matcher of src/identity, rebuilt from the registry
// tables when a run starts, and its changes written in each file's transaction, so a file's records
// and the entities they link to commit (or vanish) together. Merged ids forward to the survivor and
// the records of the merged entity follow it.
import { createHmac } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Knex } from 'knex';
import type { Catalog, DataSubject, EntityType } from '../catalog/index.js';
import type { KeySource } from '../identity/evidence.js';
import { IdKeyError } from '../identity/id-key.js';
import { EntityMatcher, type LinkResult, type LinkRule, type RegistryChanges, type StoredEntity } from '../identity/matcher.js';
import { evidenceReader, type EvidenceReader } from '../identity/record-evidence.js';
import type { CleanRecord } from '../validate/index.js';
import { appendAudit } from './audit.js';
import { digest } from './load.js';
import type { Warehouse } from './connect.js';
import { L, REGISTRY_VERSION, subjectTable, T } from './tables.js';

/** Entities restored per round trip. */
const PAGE = 20_000;
/** Rows per multi-row statement. */
const CHUNK = 500;
const KEY_CHECK = 'id_key_check';


/** A record's link to its entity, as stored on the record. */
export interface RecordLink {
  entityId: number;
  rule: LinkRule;
  /** The value linked on as a person may see it (a resident ID masked); null for a new entity. */
  evidence: string | null;
  warnings: readonly string[];
}

export interface SavedChanges {
  entities: number;
  merges: number;
  conflicts: number;
}

type Row = Record<string, unknown>;
const num = (v: unknown): number => Number(v);

/** A fingerprint of the resident-ID key: a warehouse hashed with one key cannot match IDs hashed with another. */
function keyCheck(key: Buffer): string {
  return createHmac('sha256', key).update('credit-etl resident-id key check').digest('hex').slice(0, 16);
}

/** Rows of a table whose id column lies in (from, to], as value lists in `columns` order. */
type PageReader = (table: string, columns: readonly string[], id: string, from: number, to: number) => Promise<unknown[][]>;

// SQLite reads through the raw handle: knex's row objects cost twice the time and memory.
function pageReader(knex: Knex, sqlite: Database.Database | undefined): PageReader {
  if (sqlite) {
    return async (table, columns, id, from, to) =>
      sqlite.prepare(`select ${columns.join(', ')} from ${table} where ${id} > ? and ${id} <= ?`).raw().all(from, to) as unknown[][];
  }
  return async (table, columns, id, from, to) =>
    ((await knex(table).where(id, '>', from).andWhere(id, '<=', to).select(columns)) as Row[]).map((r) => columns.map((c) => r[c]));
}

const ENTITY_COLUMNS = ['id', 'type', 'name', 'name_key', 'uscc', 'stated_types', 'name_only', 'resolved_to', 'merged_into'] as const;
const SIGHTING_COLUMNS = ['first_file', 'first_row', 'last_file', 'last_row'] as const;
const NAME_COLUMNS = ['entity_id', 'name_key', 'name', ...SIGHTING_COLUMNS] as const;
const IDENTIFIER_COLUMNS = ['entity_id', 'kind', 'value', 'masked', 'holds', ...SIGHTING_COLUMNS] as const;

const sightings = (r: unknown[], at: number) => ({ first: { file: num(r[at]), row: num(r[at + 1]) }, last: { file: num(r[at + 2]), row: num(r[at + 3]) } });

/**
 * The matcher as the registry tables hold it: what every load starts from. Read in pages of
 * entity ids, each with its names and identifiers, so memory holds one page of rows at a time.
 */
export async function restoreMatcher(knex: Knex, sqlite?: Database.Database): Promise<EntityMatcher> {
  const matcher = new EntityMatcher();
  const read = pageReader(knex, sqlite);
  const top = (await knex(T.entities).max({ top: 'id' }).first()) as Row | undefined;
  const last = num(top?.['top'] ?? 0);
  for (let from = 0; from < last; from += PAGE) {
    const to = from + PAGE;
    for (const [id, type, , nameKey, , statedTypes, nameOnly, resolvedTo, mergedInto] of await read(T.entities, ENTITY_COLUMNS, 'id', from, to)) {
      const stored: StoredEntity = {
        id: num(id),
        statedTypes: String(statedTypes ?? '').split(',').filter((t) => t !== '') as EntityType[],
        nameOnly: num(nameOnly) === 1,
      };
      if (type !== null) stored.type = String(type) as EntityType;
      if (nameKey !== null) stored.nameKey = String(nameKey);
      if (resolvedTo !== null) stored.resolvedTo = num(resolvedTo);
      if (mergedInto !== null) stored.mergedInto = num(mergedInto);
      matcher.restoreEntity(stored);
    }
    for (const n of await read(T.entityNames, NAME_COLUMNS, 'entity_id', from, to)) {
      matcher.restoreName({ entity: num(n[0]), key: String(n[1]), name: String(n[2]), ...sightings(n, 3) });
    }
    for (const i of await read(T.identifiers, IDENTIFIER_COLUMNS, 'entity_id', from, to)) {
      const { first, last: lastSeen } = sightings(i, 5);
      matcher.restoreIdentifier({
        entity: num(i[0]), kind: String(i[1]) as KeySource, value: String(i[2]), holds: num(i[4]) === 1,
        firstSeen: first, lastSeen, ...(i[3] !== null && { masked: String(i[3]) }),
      });
    }
  }
  matcher.settle();
  return matcher;
}

/** Where registry rows are written: the load's transaction, and on SQLite its raw handle. */
export interface RegistryTarget {
  trx: Knex.Transaction;
  sqlite?: Database.Database;
}

/** Inserts rows (value lists in `columns` order), updating `update` where the key exists. */
async function upsert(to: RegistryTarget, table: string, columns: readonly string[], rows: unknown[][], key: string[], update: string[]): Promise<void> {
  if (rows.length === 0) return;
  if (to.sqlite) {
    const statement = to.sqlite.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')}) ` +
      `on conflict (${key.join(', ')}) do update set ${update.map((c) => `${c} = excluded.${c}`).join(', ')}`);
    for (const r of rows) statement.run(r);
    return;
  }
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK).map((r) => Object.fromEntries(columns.map((c, n) => [c, r[n]])));
    await to.trx(table).insert(chunk).onConflict(key).merge(update);
  }
}

/** Writes a drain's entities, names and identifiers; a merged entity's rows go, its survivor's hold them now. */
export async function writeEntities(to: RegistryTarget, changes: RegistryChanges, fileId: number): Promise<void> {
  await upsert(to, T.entities, [...ENTITY_COLUMNS, 'first_file_id', 'updated_file_id'], changes.entities.map((e) => [
    e.id, e.type ?? null, e.name ?? null, e.nameKey ?? null, e.uscc ?? null, e.statedTypes.join(','), e.nameOnly ? 1 : 0,
    e.resolvedTo ?? null, e.mergedInto ?? null, fileId, fileId,
  ]), ['id'], [...ENTITY_COLUMNS.slice(1), 'updated_file_id']);
  const gone = changes.entities.filter((e) => e.mergedInto !== undefined).map((e) => e.id);
  for (let i = 0; i < gone.length; i += CHUNK) {
    await to.trx(T.entityNames).whereIn('entity_id', gone.slice(i, i + CHUNK)).delete();
    await to.trx(T.identifiers).whereIn('entity_id', gone.slice(i, i + CHUNK)).delete();
  }
  const sight = (first: { file: number; row: number }, last: { file: number; row: number }) => [first.file, first.row, last.file, last.row];
  await upsert(to, T.entityNames, NAME_COLUMNS, changes.names.map((n) => [n.entity, n.key, n.name, ...sight(n.first, n.last)]),
    ['entity_id', 'name_key'], NAME_COLUMNS.slice(2));
  await upsert(to, T.identifiers, IDENTIFIER_COLUMNS, changes.identifiers.map((i) => [
    i.entity, i.kind, i.value, i.masked ?? null, i.holds ? 1 : 0, ...sight(i.firstSeen, i.lastSeen),
  ]), ['entity_id', 'kind', 'value'], IDENTIFIER_COLUMNS.slice(3));
}

/**
 * One process's view of the registry. Loads hold it one at a time (`hold`), from a file's first
 * row to its commit or rollback: linking is in memory, and a rolled-back file's links must not
 * leak into the next file's. Across processes (two runs on one warehouse), each load takes the
 * registry's version row in its transaction (`sync`): loads that link wait for each other, and a
 * process whose matcher another process's save has outdated rebuilds it first.
 */
export class EntityRegistry {
  private matcher: EntityMatcher | undefined;
  /** The registry version the matcher was rebuilt at or last saved as. */
  private version: string | undefined;
  private readonly readers = new Map<string, EvidenceReader | undefined>();
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    private readonly wh: Warehouse,
    private readonly catalog: Catalog,
    private readonly idKey: Buffer | undefined,
  ) {}

  /** The registry of the warehouse; `idKey` hashes resident IDs (required once any were stored with one). */
  static async open(wh: Warehouse, catalog: Catalog, idKey?: Buffer): Promise<EntityRegistry> {
    const registry = new EntityRegistry(wh, catalog, idKey);
    await registry.checkKey(wh.knex);
    return registry;
  }

  private async checkKey(knex: Knex): Promise<void> {
    const stored = (await knex(T.meta).where({ key: KEY_CHECK }).first('value')) as { value: string } | undefined;
    if (stored !== undefined && this.idKey !== undefined && stored.value !== keyCheck(this.idKey)) throw this.otherKey();
  }

  private otherKey(): IdKeyError {
    return new IdKeyError(`the warehouse ${this.wh.shown} holds resident IDs hashed with another key than the one given: ` +
      'use the key it was built with (a new key would make every person a new entity)');
  }

  /**
   * Under the registry's row lock: the first resident IDs stored fix the key's fingerprint; a
   * process that opened with another key before that stops here, its file rolled back.
   */
  private async settleKey(trx: Knex.Transaction, key: Buffer): Promise<void> {
    const stored = (await trx(T.meta).where({ key: KEY_CHECK }).first('value')) as { value: string } | undefined;
    if (stored === undefined) await trx(T.meta).insert({ key: KEY_CHECK, value: keyCheck(key) });
    else if (stored.value !== keyCheck(key)) throw this.otherKey();
  }

  /** Waits for the loads before to finish; the returned release lets the next one in. */
  async hold(): Promise<() => void> {
    let release!: () => void;
    const previous = this.queue;
    this.queue = new Promise((resolve) => { release = resolve; });
    await previous;
    return release;
  }

  /**
   * In a load's transaction, before its first link: locks the registry's version row until the
   * transaction ends, and rebuilds the matcher when there is none (first use, after a rollback) or
   * another process saved since.
   */
  async sync(trx: Knex.Transaction): Promise<void> {
    const q = trx(T.meta).where({ key: REGISTRY_VERSION }).first('value');
    // SQLite: the load's first statement already took the database's one write lock.
    const row = (await (this.wh.dialect === 'sqlite' ? q : q.forUpdate())) as { value: string } | undefined;
    if (row === undefined) throw new Error(`the warehouse has no ${REGISTRY_VERSION} in ${T.meta}: build it with ensureSchema`);
    if (this.matcher === undefined || this.version !== row.value) {
      this.matcher = await restoreMatcher(trx, this.wh.sqlite);
      this.version = row.value;
    }
  }

  /** Forgets what was linked since the last save: the file it belonged to was rolled back. */
  discard(): void {
    this.matcher = undefined;
  }

  /** The reader of a subject's records; undefined when its records name no entity. */
  private reader(subject: DataSubject): EvidenceReader | undefined {
    if (!this.readers.has(subject.code)) this.readers.set(subject.code, evidenceReader(subject, this.idKey));
    return this.readers.get(subject.code);
  }

  /** Links a checked record to its entity; undefined when the subject's records name none. */
  link(subject: DataSubject, record: CleanRecord, fileId: number, row: number): RecordLink | undefined {
    const read = this.reader(subject);
    if (read === undefined) return undefined;
    if (this.matcher === undefined) throw new Error('the entity registry is not in step with the warehouse: sync() it in the load\'s transaction first');
    const evidence = read(record);
    const r: LinkResult = this.matcher.link(evidence, { file: fileId, row });
    const shown = r.evidence === undefined ? null : r.rule === 'resident-id' ? evidence.residentIdMasked ?? null : r.evidence;
    return { entityId: r.entityId, rule: r.rule, evidence: shown, warnings: r.warnings };
  }

  /**
   * Writes what linking changed since the last save, in the file's transaction: entities,
   * names, identifiers, merges (records re-pointed to the survivor, one audit event) and conflicts.
   */
  async save(trx: Knex.Transaction, fileId: number, batchId: number, at: string): Promise<SavedChanges> {
    if (this.matcher === undefined) return { entities: 0, merges: 0, conflicts: 0 };
    const changes = this.matcher.drain();
    this.version = String(Number(this.version ?? 0) + 1);
    await trx(T.meta).where({ key: REGISTRY_VERSION }).update({ value: this.version });
    await writeEntities({ trx, ...(this.wh.sqlite && { sqlite: this.wh.sqlite }) }, changes, fileId);
    if (changes.merges.length > 0) {
      await trx(T.merges).insert(changes.merges.map((m) => ({
        from_id: m.from, into_id: m.into, kind: m.evidence.kind, value: m.evidence.value, file_id: fileId, batch_id: batchId, at,
      })));
      await this.followMerges(trx, changes);
      await appendAudit(trx, {
        kind: 'entity-merge', batchId, fileId,
        details: { merges: changes.merges.map((m) => ({ from: m.from, into: m.into, on: m.evidence.kind, value: m.evidence.value })) },
      });
    }
    for (let i = 0; i < changes.conflicts.length; i += CHUNK) {
      await trx(T.conflicts).insert(changes.conflicts.slice(i, i + CHUNK).map((c) => {
        const entities = JSON.stringify(c.entities);
        return { digest: digest(JSON.stringify([c.kind, c.value, entities, c.detail])), kind: c.kind, value: c.value, entities, detail: c.detail, file_id: fileId, batch_id: batchId, at };
      })).onConflict('digest').ignore();
    }
    if (this.idKey !== undefined && changes.identifiers.some((i) => i.kind === 'resident-id')) await this.settleKey(trx, this.idKey);
    return { entities: changes.entities.filter((e) => e.mergedInto === undefined).length, merges: changes.merges.length, conflicts: changes.conflicts.length };
  }

  /** Every record and ledger row of a merged entity points to the survivor from now on. */
  private async followMerges(trx: Knex.Transaction, changes: RegistryChanges): Promise<void> {
    const matcher = this.matcher!;
    const moved = [...new Set(changes.merges.map((m) => m.from))].map((from) => [from, matcher.resolve(from)] as const);
    const targets: [string, string][] = [...this.catalog.subjects.map((s): [string, string] => [subjectTable(s), L.entity]), [T.ledger, 'entity_id']];
    for (let i = 0; i < moved.length; i += CHUNK) {
      const part = moved.slice(i, i + CHUNK);
      // Ids written as literals: a bound THEN value is text to PostgreSQL, which a bigint column refuses.
      const cases = part.map(([from, into]) => `when ${from} then ${into}`).join(' ');
      for (const [table, column] of targets) {
        await trx(table).whereIn(column, part.map(([from]) => from)).update({ [column]: trx.raw(`case ?? ${cases} end`, [column]) });
      }
    }
  }
}
