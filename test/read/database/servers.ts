// The real servers the database-source tests run against (CI starts them), and throwaway things
// in them: uniquely named tables, functions, schemas and SQLite warehouse files.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import createKnex, { type Knex } from 'knex';
import type { SourceRow, SourceTable } from '../../../src/read/model.js';

export interface TestServer {
  name: 'PostgreSQL' | 'MariaDB';
  /** The source URL a pipeline would name. */
  url: string;
  /** The same database with a writable connection, to set up and inspect what the tests pull. */
  connect(database?: string): Knex;
  /** A function that INSERTs one row into `logTable` when called. */
  createWriter(admin: Knex, fn: string, logTable: string): Promise<void>;
  dropWriter(admin: Knex, fn: string): Promise<void>;
  /** SQL for the id of the session that evaluates it. */
  sessionIdSql: string;
  /** Whether the session with this id is still connected. */
  sessionAlive(admin: Knex, id: string): Promise<boolean>;
}

export const POSTGRES: TestServer = {
  name: 'PostgreSQL',
  url: 'postgres://postgres@127.0.0.1:5432/test',
  connect: (schema) =>
    createKnex({
      client: 'pg',
      connection: 'postgres://postgres@127.0.0.1:5432/test',
      searchPath: schema ? [schema] : undefined,
      pool: { min: 0, max: 2 },
    }),
  async createWriter(admin, fn, logTable) {
    await admin.raw(`create function ??() returns integer language sql volatile as $$ insert into ${
      admin.raw('??', [logTable]).toQuery()
    } values (1) returning 1 $$`, [fn]);
  },
  async dropWriter(admin, fn) {
    await admin.raw('drop function if exists ??()', [fn]);
  },
  sessionIdSql: 'pg_backend_pid()',
  async sessionAlive(admin, id) {
    const result = (await admin.raw('select count(*)::int as n from pg_stat_activity where pid = ?', [Number(id)])) as {
      rows: { n: number }[];
    };
    return result.rows[0]!.n > 0;
  },
};

export const MARIADB: TestServer = {
  name: 'MariaDB',
  url: 'mysql://root@127.0.0.1:3306/test',
  connect: (database) =>
    createKnex({
      client: 'mysql2',
      connection: { host: '127.0.0.1', port: 3306, user: 'root', password: '', database: database ?? 'test', charset: 'utf8mb4' },
      pool: { min: 0, max: 2 },
    }),
  async createWriter(admin, fn, logTable) {
    await admin.raw(`create function ??() returns int modifies sql data begin insert into ?? values (1); return 1; end`, [
      fn,
      logTable,
    ]);
  },
  async dropWriter(admin, fn) {
    await admin.raw('drop function if exists ??', [fn]);
  },
  sessionIdSql: 'connection_id()',
  async sessionAlive(admin, id) {
    const [rows] = (await admin.raw('select count(*) as n from information_schema.processlist where id = ?', [
      Number(id),
    ])) as [{ n: number }[]];
    return Number(rows[0]!.n) > 0;
  },
};

export const SERVERS = [POSTGRES, MARIADB];

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

/** A warehouse in a SQLite file of its own; `open` again to play the next night's process. */
export function sqliteWarehouse(): { open(): Knex; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'credit-etl-h5-'));
  return {
    open: () =>
      createKnex({ client: 'better-sqlite3', connection: { filename: join(dir, 'warehouse.sqlite') }, useNullAsDefault: true }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function drain(table: SourceTable): Promise<SourceRow[]> {
  const rows: SourceRow[] = [];
  for await (const row of table.rows) rows.push(row);
  return rows;
}

/** The administrative-penalty table the pulls read: Chinese text, NULLs, a date and a timestamp. */
export const PENALTY_HEADERS = ['id', '当事人名称', '罚款金额', '决定日期', '备注', 'updated_at'];

export interface PenaltyRow {
  id: number;
  当事人名称: string | null;
  罚款金额: string | null;
  决定日期: string | null;
  备注: string | null;
  updated_at: string | null;
}

export async function createPenaltyTable(admin: Knex, name: string, rows: PenaltyRow[]): Promise<void> {
  await admin.schema.createTable(name, (t) => {
    t.integer('id').primary();
    t.string('当事人名称', 100);
    t.decimal('罚款金额', 12, 2);
    t.date('决定日期');
    t.string('备注', 200);
    t.datetime('updated_at', { precision: 6, useTz: false });
  });
  if (rows.length > 0) await admin(name).insert(rows);
}
