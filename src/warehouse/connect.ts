// Where the warehouse lives: a SQLite file (the default, warehouse/credit.db), or a PostgreSQL or
// MySQL/MariaDB database named by URL. Every command that reads or writes it takes `--warehouse`.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import createKnex, { type Knex } from 'knex';

export type WarehouseDialect = 'sqlite' | 'postgres' | 'mysql';

export const DEFAULT_WAREHOUSE = 'warehouse/credit.db';

export class WarehouseError extends Error {
  override name = 'WarehouseError';
}

export interface WarehouseTarget {
  dialect: WarehouseDialect;
  /** The file path, or the URL with any password hidden: safe to print and to log. */
  shown: string;
  config: Knex.Config;
  /** SQLite: the absolute file path. */
  file?: string;
}

/** A URL with its password replaced, for messages and logs. */
export function hidePassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}

// knex prints a failed connect with the driver's raw error, which may hold the password. And a
// failed statement's error would carry its values spliced into the SQL (compileSqlOnError): rows
// with resident IDs. Every config here turns that off, so errors show `?` placeholders.
function knexWarning(message: string): void {
  if (!message.startsWith('Acquire connection error')) process.emitWarning(message, 'KnexWarning');
}

// Values as the other two dialects hand them back: node-postgres would turn DATE and TIMESTAMP
// into JS Dates in the process's time zone and BIGINT and NUMERIC into strings. Calendar days and
// Beijing wall-clock times stay text; ids and amounts are far below 2⁵³. Set per connection, so the
// read stage's own connections keep theirs.
const PG_NUMBERS = new Set([20, 21, 23, 700, 701, 1700]);
const PG_PARSERS: Readonly<Record<number, (text: string) => unknown>> = {
  16: (t) => t === 't',
  114: (t) => JSON.parse(t) as unknown,
  3802: (t) => JSON.parse(t) as unknown,
  1114: (t) => t.replace(' ', 'T'),
};
const PG_TYPES = {
  getTypeParser: (oid: number) => (PG_NUMBERS.has(oid) ? Number : PG_PARSERS[oid] ?? ((t: string) => t)),
};

/** What `--warehouse` names: a postgres:// or mysql:// URL, else a SQLite file path. */
export function warehouseTarget(spec: string = DEFAULT_WAREHOUSE, cwd = process.cwd()): WarehouseTarget {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(spec)?.[1]?.toLowerCase();
  const log = { warn: knexWarning };
  if (scheme === 'postgres' || scheme === 'postgresql') {
    return {
      dialect: 'postgres',
      shown: hidePassword(spec),
      config: { client: 'pg', connection: { connectionString: spec, types: PG_TYPES } as Knex.PgConnectionConfig, pool: { min: 0, max: 8 }, log, compileSqlOnError: false },
    };
  }
  if (scheme === 'mysql' || scheme === 'mariadb') {
    const u = new URL(spec);
    const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
    if (!database) throw new WarehouseError(`--warehouse ${hidePassword(spec)}: the URL names no database (mysql://user@host:3306/credit)`);
    return {
      dialect: 'mysql',
      shown: hidePassword(spec),
      config: {
        client: 'mysql2',
        connection: {
          host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password),
          database, charset: 'utf8mb4', dateStrings: true, supportBigNumbers: true, timezone: '+08:00',
        },
        pool: { min: 0, max: 8 },
        log,
        compileSqlOnError: false,
      },
    };
  }
  if (scheme !== undefined && scheme !== 'file' && scheme.length > 1) {
    throw new WarehouseError(`--warehouse ${hidePassword(spec)}: unknown kind "${scheme}://"; give a SQLite file path, postgres://… or mysql://…`);
  }
  const file = resolve(cwd, spec.replace(/^file:\/\//, ''));
  return {
    dialect: 'sqlite',
    shown: file,
    file,
    // One connection: SQLite has one writer, and the bulk path writes through this same handle.
    config: { client: 'better-sqlite3', connection: { filename: file }, useNullAsDefault: true, pool: { min: 1, max: 1, idleTimeoutMillis: 2 ** 31 - 1 }, log, compileSqlOnError: false },
  };
}

export interface Warehouse {
  readonly dialect: WarehouseDialect;
  readonly shown: string;
  readonly knex: Knex;
  /** SQLite only: the one connection, for prepared statements on the bulk path. */
  readonly sqlite?: Database.Database;
  close(): Promise<void>;
}

export interface OpenOptions {
  cwd?: string;
  /** Create a SQLite file that does not exist (commands that write); read-only commands must not
   * leave an empty file behind a mistyped --warehouse. Default true. */
  create?: boolean;
}

/** Opens the warehouse `spec` names (creating a SQLite file and its folder); fails with a clear reason. */
export async function openWarehouse(spec?: string, { cwd, create = true }: OpenOptions = {}): Promise<Warehouse> {
  const target = warehouseTarget(spec, cwd);
  if (target.file && !create && !existsSync(target.file)) {
    throw new WarehouseError(`no warehouse at ${target.file}: check --warehouse (a SQLite file, postgres://… or mysql://…), or build one with \`credit-etl warehouse init --catalog v2\``);
  }
  if (target.file) mkdirSync(dirname(target.file), { recursive: true });
  const knex = createKnex(target.config);
  let sqlite: Database.Database | undefined;
  try {
    if (target.dialect === 'sqlite') {
      sqlite = (await knex.client.acquireConnection()) as Database.Database;
      // WAL: readers never wait for the nightly load; a commit is atomic on crash or power loss.
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = NORMAL');
      sqlite.pragma('busy_timeout = 10000');
      sqlite.pragma('foreign_keys = ON');
      // Business-key lookups and index inserts land all over a table of millions of rows: SQLite's
      // default 2 MB page cache would send most of them to the OS. 64 MB keeps the indexes' working set.
      sqlite.pragma('cache_size = -65536');
      sqlite.pragma('temp_store = MEMORY');
      await knex.client.releaseConnection(sqlite);
    } else {
      await knex.raw('select 1');
    }
  } catch (error) {
    await knex.destroy();
    const why = error instanceof Error ? error.message : String(error);
    throw new WarehouseError(`cannot open the warehouse ${target.shown}: ${why.replaceAll(/\/\/[^@\s]*@/g, '//***@')}`);
  }
  return { dialect: target.dialect, shown: target.shown, knex, ...(sqlite && { sqlite }), close: () => knex.destroy() };
}
