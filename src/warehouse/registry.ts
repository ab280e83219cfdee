// The entity registry in the warehouse: the matcher of src/identity, rebuilt from the registry
// tables when a run starts, and its changes written in each file's transaction, so a file's records
// and the entities they link to commit (or vanish) together. Merged ids forward to the survivor and
// the records of the merged entity follow it.
import { createHmac } from 'node:crypto';
import type { Knex } from 'knex';
import type { Catalog, DataSubject, EntityType } from '../catalog/index.js';
import type { KeySource } from '../identity/evidence.js';
import { IdKeyError } from '../identity/id-key.js';
import { EntityMatcher, type LinkResult, type LinkRule, type RegistryChanges, type StoredEntity } from '../identity/matcher.js';
import { evidenceReader, type EvidenceReader } from '../identity/record-evidence.js';
import type { CleanRecord } from '../validate/index.js';
import { appendAudit } from './audit.js';
import type { Warehouse } from './connect.js';
import { setMeta } from './schema.js';
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
const opt = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));
const sighting = (r: Row, at: 'first' | 'last') => ({ file: num(r[`${at}_file`]), row: num(r[`${at}_row`]) });

/** A fingerprint of the resident-ID key: a warehouse hashed with one key cannot match IDs hashed with another. */
function keyCheck(key: Buffer): string {
  return createHmac('sha256', key).update('credit-etl resident-id key check').digest('hex').slice(0, 16);
}

async function restore(knex: Knex): Promise<EntityMatcher> {
  const matcher = new EntityMatcher();
  const top = (await knex(T.entities).max({ top: 'id' }).first()) as Row | undefined;
  const last = num(top?.['top'] ?? 0);
  // Entities in id ranges, each with its names and identifiers: memory stays at one page of rows.
  for (let from = 0; from < last; from += PAGE) {
    const to = from + PAGE;
    const entities = (await knex(T.entities).where('id', '>', from).andWhere('id', '<=', to).orderBy('id')) as Row[];
    for (const e of entities) {
      const stored: StoredEntity = {
        id: num(e['id']),
        statedTypes: String(e['stated_types'] ?? '').split(',').filter((t) => t !== '') as EntityType[],
        nameOnly: num(e['name_only']) === 1,
      };
      const type = opt(e['type']);
      if (type !== undefined) stored.type = type as EntityType;
      const nameKey = opt(e['name_key']);
      if (nameKey !== undefined) stored.nameKey = nameKey;
      if (e['resolved_to'] !== null) stored.resolvedTo = num(e['resolved_to']);
      if (e['merged_into'] !== null) stored.mergedInto = num(e['merged_into']);
      matcher.restoreEntity(stored);
    }
    const names = (await knex(T.entityNames).where('entity_id', '>', from).andWhere('entity_id', '<=', to)) as Row[];
    for (const n of names) {
      matcher.restoreName({ entity: num(n['entity_id']), key: String(n['name_key']), name: String(n['name']), first: sighting(n, 'first'), last: sighting(n, 'last') });
    }
    const identifiers = (await knex(T.identifiers).where('entity_id', '>', from).andWhere('entity_id', '<=', to)) as Row[];
    for (const i of identifiers) {
      const masked = opt(i['masked']);
      matcher.restoreIdentifier({
        entity: num(i['entity_id']), kind: String(i['kind']) as KeySource, value: String(i['value']), holds: num(i['holds']) === 1,
        firstSeen: sighting(i, 'first'), lastSeen: sighting(i, 'last'), ...(masked !== undefined && { masked }),
      });
    }
  }
  matcher.settle();
  return matcher;
}

async function upsert(trx: Knex.Transaction, table: string, rows: Row[], key: string[], update: string[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await trx(table).insert(rows.slice(i, i + CHUNK)).onConflict(key).merge(update);
  }
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
  private keyChecked = false;

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
    this.keyChecked = stored !== undefined;
    if (stored === undefined || this.idKey === undefined) return;
    if (stored.value !== keyCheck(this.idKey)) {
      throw new IdKeyError(`the warehouse ${this.wh.shown} holds resident IDs hashed with another key than the one given: ` +
        'use the key it was built with (a new key would make every person a new entity)');
    }
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
      this.matcher = await restore(trx);
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
    await this.writeEntities(trx, changes, fileId);
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
      await trx(T.conflicts).insert(changes.conflicts.slice(i, i + CHUNK).map((c) => ({
        kind: c.kind, value: c.value, entities: JSON.stringify(c.entities), detail: c.detail, file_id: fileId, batch_id: batchId, at,
      })));
    }
    if (!this.keyChecked && this.idKey !== undefined && changes.identifiers.some((i) => i.kind === 'resident-id')) {
      await setMeta(trx, KEY_CHECK, keyCheck(this.idKey));
      this.keyChecked = true;
    }
    return { entities: changes.entities.filter((e) => e.mergedInto === undefined).length, merges: changes.merges.length, conflicts: changes.conflicts.length };
  }

  private async writeEntities(trx: Knex.Transaction, changes: RegistryChanges, fileId: number): Promise<void> {
    const rows = changes.entities.map((e) => ({
      id: e.id, type: e.type ?? null, name: e.name ?? null, name_key: e.nameKey ?? null, uscc: e.uscc ?? null,
      stated_types: e.statedTypes.join(','), name_only: e.nameOnly ? 1 : 0, resolved_to: e.resolvedTo ?? null,
      merged_into: e.mergedInto ?? null, first_file_id: fileId, updated_file_id: fileId,
    }));
    await upsert(trx, T.entities, rows, ['id'], ['type', 'name', 'name_key', 'uscc', 'stated_types', 'name_only', 'resolved_to', 'merged_into', 'updated_file_id']);
    // A merged entity's names and identifiers now live on its survivor.
    const gone = changes.entities.filter((e) => e.mergedInto !== undefined).map((e) => e.id);
    for (let i = 0; i < gone.length; i += CHUNK) {
      await trx(T.entityNames).whereIn('entity_id', gone.slice(i, i + CHUNK)).delete();
      await trx(T.identifiers).whereIn('entity_id', gone.slice(i, i + CHUNK)).delete();
    }
    const sight = (first: { file: number; row: number }, last: { file: number; row: number }) => ({
      first_file: first.file, first_row: first.row, last_file: last.file, last_row: last.row,
    });
    await upsert(trx, T.entityNames, changes.names.map((n) => ({ entity_id: n.entity, name_key: n.key, name: n.name, ...sight(n.first, n.last) })),
      ['entity_id', 'name_key'], ['name', 'first_file', 'first_row', 'last_file', 'last_row']);
    await upsert(trx, T.identifiers, changes.identifiers.map((i) => ({
      entity_id: i.entity, kind: i.kind, value: i.value, masked: i.masked ?? null, holds: i.holds ? 1 : 0, ...sight(i.firstSeen, i.lastSeen),
    })), ['entity_id', 'kind', 'value'], ['masked', 'holds', 'first_file', 'first_row', 'last_file', 'last_row']);
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
