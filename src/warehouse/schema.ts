// The warehouse's tables, built from the catalog through knex so one definition serves SQLite,
// PostgreSQL and MySQL/MariaDB: the toolkit's own tables (runs, files, ledger, repairs, audit,
// locks, entities) and one table per data subject, typed from its items.
import type { Knex } from 'knex';
import pLimit from 'p-limit';
import { STORAGE, type Catalog, type DataItem, type DataSubject, type Storage } from '../catalog/index.js';
import { ensureAuditHead } from './audit.js';
import type { Warehouse, WarehouseDialect } from './connect.js';
import { whileLocked } from './lock.js';
import { itemColumn, L, REGISTRY_VERSION, subjectTable, T } from './tables.js';

/** Bumped when the toolkit's own tables change shape; kept in etl_meta. */
export const SCHEMA_VERSION = 3;

/** Tables created at once on a database server: with the schema lock's session and a migration's unit locks, the pool's 8 connections. */
const DDL_CONCURRENCY = 6;

// Timestamps of the toolkit's own events are ISO 8601 UTC text: the same in every dialect, sortable.
const STAMP = 30;
// MySQL's TEXT holds 64 KB: a migration's audit event or a hostile row's raw cells can be longer.
// The other dialects ignore the size.
const LONG_TEXT = 'mediumtext';
const CODE = 40;
const HASH = 64;
/** A record's key and version digests: 128 bits of sha256 in hex (see load.ts). */
const DIGEST = 32;
/** A name's matching key: names are at most 200 characters (the catalog's lengths). */
const NAME_KEY = 255;
const LEDGER_ENTITY_INDEX = 'etl_ledger_entity_id_index';
/** Where a name or identifier was first and last seen: file id and row. */
const SIGHTING = ['first_file', 'first_row', 'last_file', 'last_row'] as const;

function systemTables(): [string, (t: Knex.CreateTableBuilder) => void][] {
  return [
    [T.meta, (t) => {
      t.string('key', 100).primary();
      t.text('value').notNullable();
    }],
    [T.batches, (t) => {
      t.increments('id').primary();
      t.string('started_at', STAMP).notNullable();
      t.string('finished_at', STAMP);
      t.string('catalog', 20).notNullable();
      t.string('pipeline', 200);
      t.string('status', 20).notNullable();
      t.string('host', 255).notNullable();
      t.integer('pid').notNullable();
      t.text('options');
    }],
    [T.files, (t) => {
      t.increments('id').primary();
      t.integer('batch_id').notNullable().index();
      t.string('unit', CODE).notNullable();
      t.text('subjects');
      t.text('path').notNullable();
      t.string('name', 255).notNullable();
      t.string('sha256', HASH).notNullable().index();
      t.bigInteger('bytes').notNullable();
      t.string('format', 20);
      t.string('encoding', 20);
      t.string('outcome', 20).notNullable();
      nightColumn(t);
      t.text('reason');
      t.integer('duplicate_of');
      for (const c of ['rows_read', 'loaded', 'updated', 'unchanged', 'duplicate', 'rejected', 'repairs']) t.integer(c).notNullable().defaultTo(0);
      t.string('started_at', STAMP).notNullable();
      t.string('finished_at', STAMP);
    }],
    // Every source row that did not become a record version of its own: unchanged, duplicate,
    // rejected (with the raw row as delivered). Loaded and updated rows are answered by the
    // lineage columns of their record (file, row), so the ledger holds no second copy of them.
    [T.ledger, (t) => {
      t.bigIncrements('id').primary();
      t.integer('file_id').notNullable();
      t.integer('row').notNullable();
      t.string('sheet', 100);
      t.string('subject', CODE);
      t.string('outcome', 12).notNullable();
      t.bigInteger('record_id');
      t.bigInteger('entity_id');
      t.text('reasons', LONG_TEXT);
      t.text('raw', LONG_TEXT);
      t.index(['file_id', 'row']);
      // A merge moves an entity's unchanged rows to the survivor (registry.ts).
      t.index(['entity_id'], LEDGER_ENTITY_INDEX);
    }],
    [T.repairs, (t) => {
      t.bigIncrements('id').primary();
      t.integer('file_id').notNullable();
      t.integer('row').notNullable();
      t.string('sheet', 100);
      t.string('item', CODE).notNullable();
      t.text('raw').notNullable();
      t.text('clean').notNullable();
      t.index(['file_id', 'row']);
    }],
    [T.audit, (t) => {
      t.bigInteger('id').primary();
      t.string('at', STAMP).notNullable();
      t.string('kind', 40).notNullable();
      t.integer('batch_id');
      t.integer('file_id');
      t.string('actor', 255).notNullable();
      t.text('details', LONG_TEXT).notNullable();
      t.string('prev_hash', HASH).notNullable();
      t.string('hash', HASH).notNullable();
    }],
    [T.auditHead, (t) => {
      t.integer('id').primary();
      t.bigInteger('seq').notNullable();
      t.string('hash', HASH).notNullable();
    }],
    [T.locks, (t) => {
      t.string('name', 100).primary();
      t.string('holder', 255).notNullable();
      t.string('host', 255).notNullable();
      t.integer('pid').notNullable();
      t.integer('batch_id');
      t.string('acquired_at', STAMP).notNullable();
      t.string('heartbeat_at', STAMP).notNullable();
    }],
    [T.subjectLocks, (t) => {
      t.string('subject', CODE).primary();
    }],
    // Ids are issued by the matcher (src/identity), never by the database, and never reused.
    [T.entities, (t) => {
      t.bigInteger('id').primary();
      t.string('type', 30);
      t.text('name');
      // Looked up by code and name through etl_identifiers and etl_entity_names; here only by
      // the ids that forward to an entity (`entity show` gathering its records).
      t.string('name_key', NAME_KEY);
      t.string('uscc', 18);
      t.string('stated_types', 100).notNullable().defaultTo('');
      t.smallint('name_only').notNullable().defaultTo(0);
      t.bigInteger('resolved_to').index();
      t.bigInteger('merged_into').index();
      t.integer('first_file_id');
      t.integer('updated_file_id');
    }],
    [T.entityNames, (t) => {
      t.bigInteger('entity_id').notNullable();
      t.string('name_key', NAME_KEY).notNullable().index();
      t.text('name').notNullable();
      for (const c of SIGHTING) t.integer(c).notNullable();
      t.primary(['entity_id', 'name_key']);
    }],
    // A resident ID's value is its keyed hash (HMAC-SHA256), with the masked form beside it.
    [T.identifiers, (t) => {
      t.bigInteger('entity_id').notNullable();
      t.string('kind', 20).notNullable();
      t.string('value', 128).notNullable();
      t.string('masked', 64);
      t.smallint('holds').notNullable();
      for (const c of SIGHTING) t.integer(c).notNullable();
      t.primary(['entity_id', 'kind', 'value']);
      t.index(['kind', 'value']);
    }],
    [T.merges, (t) => {
      t.increments('id').primary();
      t.bigInteger('from_id').notNullable();
      t.bigInteger('into_id').notNullable();
      t.string('kind', 20).notNullable();
      t.string('value', 128).notNullable();
      t.integer('file_id');
      t.integer('batch_id');
      t.string('at', STAMP).notNullable();
    }],
    // A delivery a unit owed and did not make by its deadline: once per unit, subject and period.
    [T.missing, (t) => {
      t.increments('id').primary();
      t.integer('batch_id');
      t.string('unit', CODE).notNullable();
      t.string('subject', CODE).notNullable();
      t.string('frequency', 12).notNullable();
      t.string('deadline', 8).notNullable();
      t.string('period_start', 10).notNullable();
      t.string('period_end', 10).notNullable();
      t.string('due', 10).notNullable();
      t.string('at', STAMP).notNullable();
      t.unique(['unit', 'subject', 'period_start']);
    }],
    // A conflict is written once, however many runs see it again: `digest` tells them apart.
    [T.conflicts, (t) => {
      t.increments('id').primary();
      t.string('digest', DIGEST).notNullable().unique();
      t.string('kind', 20).notNullable();
      t.string('value', NAME_KEY).notNullable();
      t.text('entities').notNullable();
      t.text('detail').notNullable();
      t.integer('file_id');
      t.integer('batch_id');
      t.string('at', STAMP).notNullable();
    }],
  ];
}

// Text up to this many characters is a VARCHAR (indexable, counted in characters in every
// dialect); longer text a TEXT column, which MySQL keeps off the row's 64 KB limit.
const VARCHAR_MAX = 255;
/** A code table's label: the catalog schema allows 200 characters; real ones are a few. */
const ENUM_LABEL_MAX = 200;

export function itemColumnType(t: Knex.CreateTableBuilder | Knex.AlterTableBuilder, item: DataItem): Knex.ColumnBuilder {
  const name = itemColumn(item);
  switch (STORAGE[item.type]) {
    case 'integer': return t.bigInteger(name);
    case 'decimal': return t.decimal(name, item.precision ?? 18, item.scale ?? 6);
    case 'date': return t.date(name);
    case 'datetime': return t.datetime(name, { useTz: false });
    default: {
      // A multi-valued enum cell joins any number of labels (警告；罚款；没收违法所得).
      const length = item.length ?? (item.type === 'enum' && !item.multiple ? ENUM_LABEL_MAX : undefined);
      return length !== undefined && length <= VARCHAR_MAX ? t.string(name, length) : t.text(name);
    }
  }
}

const PG_TYPE: Readonly<Record<Storage, string>> = { text: 'text', integer: 'int8', decimal: 'numeric', date: 'date', datetime: 'timestamp' };

/**
 * The columns a record version is inserted with, in order — the items, then lineage — and each
 * one's PostgreSQL type (the bulk path sends a column as one typed array).
 */
export function recordColumns(subject: DataSubject): { name: string; pg: string }[] {
  return [
    ...subject.items.map((i) => ({ name: itemColumn(i), pg: PG_TYPE[STORAGE[i.type]] })),
    ...([[L.key, 'text'], [L.hash, 'text'], [L.entity, 'int8'], [L.linkRule, 'text'], [L.linkEvidence, 'text'], [L.batch, 'int4'], [L.file, 'int4'], [L.row, 'int4'], [L.sheet, 'text'],
      [L.unit, 'text'], [L.change, 'text'], [L.withdrawn, 'int2'], [L.validFrom, 'text'], [L.validTo, 'text'], [L.closedBy, 'int4']] as const)
      .map(([name, pg]) => ({ name, pg })),
  ];
}

/** The inbox's night folder a file came in (schema 3). */
function nightColumn(t: Knex.CreateTableBuilder | Knex.AlterTableBuilder): void {
  t.string('night', 10);
}

/** How a record was linked to its entity (schema 2). */
function linkColumns(t: Knex.CreateTableBuilder | Knex.AlterTableBuilder): void {
  t.string(L.linkRule, 12);
  t.string(L.linkEvidence, NAME_KEY);
}

/** One data subject's table: its items' columns, then lineage and history. */
export function subjectTableBuilder(subject: DataSubject, dialect: WarehouseDialect): (t: Knex.CreateTableBuilder) => void {
  const table = subjectTable(subject);
  return (t) => {
    // SQLite: the rowid itself. AUTOINCREMENT would update sqlite_sequence on every insert, and it
    // only matters when the largest row is deleted, which never happens to a record version.
    if (dialect === 'sqlite') t.specificType(L.id, 'integer primary key');
    else t.bigIncrements(L.id).primary();
    for (const item of subject.items) itemColumnType(t, item);
    t.string(L.key, DIGEST).notNullable();
    t.string(L.hash, DIGEST).notNullable();
    t.bigInteger(L.entity);
    linkColumns(t);
    t.integer(L.batch).notNullable();
    t.integer(L.file).notNullable();
    t.integer(L.row).notNullable();
    t.string(L.sheet, 100);
    t.string(L.unit, CODE).notNullable();
    t.string(L.change, 10).notNullable();
    t.smallint(L.withdrawn).notNullable().defaultTo(0);
    t.string(L.validFrom, STAMP).notNullable();
    t.string(L.validTo, STAMP);
    t.integer(L.closedBy);
    t.index([L.key, L.id], `${table}_key_idx`);
    t.index([L.file, L.row], `${table}_source_idx`);
    t.index([L.entity], `${table}_entity_idx`);
  };
}

async function createMissing(warehouse: Warehouse, name: string, build: (t: Knex.CreateTableBuilder) => void): Promise<boolean> {
  const { knex } = warehouse;
  if (await knex.schema.hasTable(name)) return false;
  await knex.schema.createTable(name, (t) => {
    build(t);
    if (warehouse.dialect === 'mysql') {
      // utf8mb4 for Chinese beyond the BMP, a binary collation so 'A' and 'a' stay two codes,
      // InnoDB for transactions.
      t.charset('utf8mb4');
      t.collate('utf8mb4_bin');
      t.engine('InnoDB');
    }
  });
  return true;
}

export interface SchemaState {
  /** The catalog version the warehouse's subject tables follow, or undefined for a new warehouse. */
  catalog: string | undefined;
  schemaVersion: number | undefined;
}

export async function schemaState(knex: Knex): Promise<SchemaState> {
  if (!(await knex.schema.hasTable(T.meta))) return { catalog: undefined, schemaVersion: undefined };
  const rows = (await knex(T.meta).select('key', 'value')) as { key: string; value: string }[];
  const get = (k: string) => rows.find((r) => r.key === k)?.value;
  const v = get('schema_version');
  return { catalog: get('catalog'), schemaVersion: v === undefined ? undefined : Number(v) };
}

export async function setMeta(knex: Knex, key: string, value: string): Promise<void> {
  const updated = await knex(T.meta).where({ key }).update({ value });
  if (updated === 0) await knex(T.meta).insert({ key, value });
}

async function ensureSubjectLocks(knex: Knex, catalog: Catalog): Promise<void> {
  const have = new Set((await knex(T.subjectLocks).pluck('subject')) as string[]);
  const missing = catalog.subjects.filter((s) => !have.has(s.code)).map((s) => ({ subject: s.code }));
  for (let i = 0; i < missing.length; i += 100) await knex(T.subjectLocks).insert(missing.slice(i, i + 100));
}

/** Rejected rows as delivered, with their reasons and file: the ledger's rows an analyst asks for by name. */
export const REJECTS_VIEW = 'etl_rejects';

async function ensureRejectsView(warehouse: Warehouse): Promise<void> {
  const { knex } = warehouse;
  const select = knex({ l: T.ledger })
    .join({ f: T.files }, 'f.id', 'l.file_id')
    .where('l.outcome', 'rejected')
    .select('l.file_id', { file: 'f.name' }, 'f.unit', 'f.batch_id', 'l.sheet', 'l.row', 'l.subject', 'l.reasons', 'l.raw')
    .toQuery();
  const create = warehouse.dialect === 'sqlite' ? 'create view if not exists' : 'create or replace view';
  await knex.raw(`${create} ${knex.raw('??', [REJECTS_VIEW]).toQuery()} as ${select}`);
}

export class SchemaMismatch extends Error {
  override name = 'SchemaMismatch';
}

/**
 * Brings the toolkit's own tables of an older credit-etl up to SCHEMA_VERSION, whichever catalog
 * the warehouse follows. 1 → 2: records gain their entity link's rule and evidence; the registry
 * tables, never written by schema 1, are rebuilt in their new shape.
 */
export async function upgradeSchema(warehouse: Warehouse): Promise<void> {
  const { knex } = warehouse;
  const { schemaVersion } = await schemaState(knex);
  if (schemaVersion === undefined || schemaVersion >= SCHEMA_VERSION) return;
  if (schemaVersion < 2) await upgradeTo2(warehouse, schemaVersion);
  // 2 → 3: files keep the night (inbox folder) they were delivered in, for deadlines; etl_missing
  // is created with the other missing tables.
  if (!(await knex.schema.hasColumn(T.files, 'night'))) await knex.schema.alterTable(T.files, nightColumn);
  await setMeta(knex, 'schema_version', String(SCHEMA_VERSION));
}

async function upgradeTo2(warehouse: Warehouse, schemaVersion: number): Promise<void> {
  const { knex } = warehouse;
  for (const name of [T.entities, T.identifiers]) {
    if (!(await knex.schema.hasTable(name))) continue;
    const row = await knex(name).first();
    if (row) throw new SchemaMismatch(`the warehouse ${warehouse.shown} has rows in ${name}, which schema ${schemaVersion} never writes: it was changed by hand; it cannot be upgraded`);
    await knex.schema.dropTable(name);
  }
  for (const name of [T.entities, T.identifiers]) {
    const build = systemTables().find(([n]) => n === name)![1];
    await createMissing(warehouse, name, build);
  }
  await knex.schema.alterTable(T.ledger, (t) => t.index(['entity_id'], LEDGER_ENTITY_INDEX)).catch((e: unknown) => {
    // An upgrade interrupted after this step (MySQL commits each DDL statement) finds it done.
    if (!/exist|duplicate/i.test(String(e))) throw e;
  });
  const subjects = (await knex(T.subjectLocks).pluck('subject')) as string[];
  for (const code of subjects) {
    const table = subjectTable(code);
    if (!(await knex.schema.hasTable(table)) || (await knex.schema.hasColumn(table, L.linkRule))) continue;
    await knex.schema.alterTable(table, linkColumns);
  }
}

/**
 * Makes the warehouse ready for `catalog`: creates what is missing (a new warehouse gets every
 * table). A warehouse that follows another catalog version is left alone: moving it is a migration
 * (`credit-etl warehouse migrate`), never a side effect of a run. Returns the tables it created.
 */
export async function ensureSchema(warehouse: Warehouse, catalog: Catalog): Promise<string[]> {
  // Workers started together on a new warehouse would each find a table missing and create it.
  return whileLocked(warehouse, 'schema', () => buildSchema(warehouse, catalog));
}

async function buildSchema(warehouse: Warehouse, catalog: Catalog): Promise<string[]> {
  const { knex } = warehouse;
  await upgradeSchema(warehouse);
  const state = await schemaState(knex);
  if (state.catalog !== undefined && state.catalog !== catalog.version.id) {
    throw new SchemaMismatch(
      `the warehouse ${warehouse.shown} holds catalog ${state.catalog} data, not ${catalog.version.id}: ` +
      `move it with \`credit-etl warehouse migrate --catalog ${catalog.version.id}\` (it shows what changes first)`);
  }
  if (state.schemaVersion !== undefined && state.schemaVersion > SCHEMA_VERSION) {
    throw new SchemaMismatch(`the warehouse ${warehouse.shown} was built by a newer credit-etl (schema ${state.schemaVersion}; this one knows ${SCHEMA_VERSION})`);
  }
  const created: string[] = [];
  for (const [name, build] of systemTables()) if (await createMissing(warehouse, name, build)) created.push(name);
  // A catalog has a table per subject (147 in v2), four DDL statements each: a server builds
  // them side by side (v2 here: PostgreSQL 9.6 → 3.6 s, MariaDB 6.9 → 3.3 s); SQLite takes them in turn.
  const limit = pLimit(warehouse.dialect === 'sqlite' ? 1 : DDL_CONCURRENCY);
  const made = await Promise.all(catalog.subjects.map((subject) => limit(async () => {
    const name = subjectTable(subject);
    return (await createMissing(warehouse, name, subjectTableBuilder(subject, warehouse.dialect))) ? name : undefined;
  })));
  created.push(...made.filter((n): n is string => n !== undefined));
  await ensureSubjectLocks(knex, catalog);
  await ensureRejectsView(warehouse);
  await ensureAuditHead(knex);
  if ((await knex(T.meta).where({ key: REGISTRY_VERSION }).first()) === undefined) await setMeta(knex, REGISTRY_VERSION, '0');
  if (state.catalog === undefined) {
    await setMeta(knex, 'catalog', catalog.version.id);
    await setMeta(knex, 'schema_version', String(SCHEMA_VERSION));
  }
  return created;
}
