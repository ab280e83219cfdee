// How the load stage reads and writes one data subject's table, per dialect. SQLite goes through
// prepared better-sqlite3 statements on the transaction's own connection (knex's query builder
// per row measured 2.6× slower); PostgreSQL and MySQL through multi-row statements, a chunk at a
// time, never one row per round trip.
import type Database from 'better-sqlite3';
import type { Knex } from 'knex';
import type { Warehouse } from './connect.js';
import { L } from './tables.js';

/** The newest version stored under a business key. */
export interface LatestVersion {
  id: number;
  hash: string;
  /** Not closed: the version in force. */
  open: boolean;
  entity: number | null;
}

export interface SubjectWriter {
  /** The newest version of each key that has one. */
  latest(keys: readonly string[]): Promise<Map<string, LatestVersion>>;
  /** Closes versions superseded by this file. */
  close(ids: readonly number[], at: string, fileId: number): Promise<void>;
  /** New versions, each a list of values in the writer's column order. */
  insert(rows: readonly (readonly unknown[])[]): Promise<void>;
}

interface StoredVersion {
  _key?: string;
  _id: number | string;
  _hash: string;
  _valid_to: string | null;
  _entity_id: number | string | null;
}

const version = (r: StoredVersion): LatestVersion => ({
  id: Number(r._id), hash: r._hash, open: r._valid_to === null, entity: r._entity_id === null ? null : Number(r._entity_id),
});

/** A prepared INSERT into `table` on SQLite: rows are lists of values in `columns` order. */
export function sqliteInserter(db: Database.Database, table: string, columns: readonly string[]): (rows: readonly (readonly unknown[])[]) => void {
  const insert = db.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`);
  return (rows) => {
    for (const values of rows) insert.run(values);
  };
}

export function sqliteWriter(db: Database.Database, table: string, columns: readonly string[]): SubjectWriter {
  const select = db.prepare(`select ${L.id}, ${L.hash}, ${L.validTo}, ${L.entity} from ${table} where ${L.key} = ? order by ${L.id} desc limit 1`);
  const update = db.prepare(`update ${table} set ${L.validTo} = ?, ${L.closedBy} = ? where ${L.id} = ?`);
  const insert = sqliteInserter(db, table, columns);
  return {
    async latest(keys) {
      const found = new Map<string, LatestVersion>();
      for (const key of keys) {
        const r = select.get(key) as StoredVersion | undefined;
        if (r) found.set(key, version(r));
      }
      return found;
    },
    async close(ids, at, fileId) {
      for (const id of ids) update.run(at, fileId, id);
    },
    async insert(rows) {
      insert(rows);
    },
  };
}

// PostgreSQL allows 65,535 parameters a statement: 500 rows of a 40-column subject is 20,000.
export const CHUNK = 500;

/** A PostgreSQL array literal of `values` (text form), so a whole column travels as one parameter. */
export function pgArray(values: readonly unknown[]): string {
  return `{${values.map((v) => (v === null || v === undefined ? 'NULL' : `"${pgText(String(v)).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`)).join(',')}}`;
}

/**
 * Text PostgreSQL can store: it refuses NUL in text values outright. Cleansing removes NULs from
 * values; what is kept as delivered (a repair's raw side) shows each as U+FFFD instead.
 */
export function pgText<T>(value: T): T | string {
  return typeof value === 'string' && value.includes('\0') ? value.replaceAll('\0', '\ufffd') : value;
}

// PostgreSQL parses and binds a 500-row multi-row INSERT of a 40-column subject (20,000 parameters)
// at about 8,000 rows/s; the same rows as one array per column through unnest() go many times faster.
const PG_CHUNK = 5000;

/**
 * PostgreSQL: like knexWriter, but new versions go in as `INSERT … SELECT * FROM unnest($1::type[], …)`,
 * one array parameter per column. `types` gives each column's PostgreSQL type.
 */
export function pgWriter(trx: Knex.Transaction, table: string, columns: readonly string[], types: readonly string[]): SubjectWriter {
  const base = knexWriter(trx, table, columns);
  const sql = `insert into ?? (${columns.map(() => '??').join(', ')}) select * from unnest(${types.map((t) => `?::${t}[]`).join(', ')})`;
  return {
    ...base,
    async insert(rows) {
      for (let i = 0; i < rows.length; i += PG_CHUNK) {
        const chunk = rows.slice(i, i + PG_CHUNK);
        await trx.raw(sql, [table, ...columns, ...columns.map((_, n) => pgArray(chunk.map((r) => r[n])))]);
      }
    },
  };
}

export function knexWriter(trx: Knex.Transaction, table: string, columns: readonly string[]): SubjectWriter {
  return {
    async latest(keys) {
      const found = new Map<string, LatestVersion>();
      for (let i = 0; i < keys.length; i += CHUNK) {
        // Only the newest version of each key comes back, however long a record's history.
        const newest = trx(table).whereIn(L.key, keys.slice(i, i + CHUNK)).groupBy(L.key).max({ newest: L.id }).as('n');
        const rows = (await trx({ v: table }).join(newest, `v.${L.id}`, 'n.newest')
          .select(`v.${L.key}`, `v.${L.id}`, `v.${L.hash}`, `v.${L.validTo}`, `v.${L.entity}`)) as StoredVersion[];
        for (const r of rows) found.set(r._key!, version(r));
      }
      return found;
    },
    async close(ids, at, fileId) {
      for (let i = 0; i < ids.length; i += CHUNK) {
        await trx(table).whereIn(L.id, ids.slice(i, i + CHUNK)).update({ [L.validTo]: at, [L.closedBy]: fileId });
      }
    },
    async insert(rows) {
      for (let i = 0; i < rows.length; i += CHUNK) {
        await trx(table).insert(rows.slice(i, i + CHUNK).map((values) => Object.fromEntries(columns.map((c, n) => [c, values[n]]))));
      }
    },
  };
}

/** Inserts one row and returns its generated id (PostgreSQL needs RETURNING for it). */
export async function insertId(wh: Pick<Warehouse, 'dialect'>, trx: Knex | Knex.Transaction, table: string, row: Record<string, unknown>): Promise<number> {
  if (wh.dialect === 'postgres') {
    const [r] = (await trx(table).insert(row).returning('id')) as { id: number }[];
    return Number(r!.id);
  }
  const [id] = (await trx(table).insert(row)) as number[];
  return Number(id);
}
