// The warehouses the shared warehouse suite runs against, for real: a SQLite file, a database of
// its own on the PostgreSQL server and one on the MariaDB server (CI starts both). Each test gets
// a fresh, uniquely named one, so suites (and helpers running them) never see each other's rows.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import createKnex from 'knex';
import { afterEach } from 'vitest';
import { openWarehouse, type Warehouse } from '../../src/warehouse/connect.js';
import type { WarehouseDialect } from '../../src/warehouse/connect.js';

export interface TestWarehouse {
  /** What `--warehouse` takes: a file path or a URL. */
  spec: string;
  drop(): Promise<void>;
}

export interface WarehouseKind {
  name: string;
  dialect: WarehouseDialect;
  create(): Promise<TestWarehouse>;
}

const unique = (prefix: string) => `${prefix}_${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

const PG_ADMIN = 'postgres://postgres@127.0.0.1:5432/test';
const MARIA_ADMIN = { host: '127.0.0.1', port: 3306, user: 'root', password: '', database: 'test' };

async function withAdmin(client: 'pg' | 'mysql2', sql: string): Promise<void> {
  const knex = createKnex({ client, connection: client === 'pg' ? PG_ADMIN : MARIA_ADMIN, pool: { min: 0, max: 1 } });
  try {
    await knex.raw(sql);
  } finally {
    await knex.destroy();
  }
}

export const SQLITE: WarehouseKind = {
  name: 'SQLite',
  dialect: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'credit-etl-wh-'));
    return { spec: join(dir, 'credit.db'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

export const POSTGRES: WarehouseKind = {
  name: 'PostgreSQL',
  dialect: 'postgres',
  async create() {
    const db = unique('wh');
    await withAdmin('pg', `create database ${db}`);
    return {
      spec: `postgres://postgres@127.0.0.1:5432/${db}`,
      drop: () => withAdmin('pg', `drop database if exists ${db} with (force)`),
    };
  },
};

export const MARIADB: WarehouseKind = {
  name: 'MariaDB',
  dialect: 'mysql',
  async create() {
    const db = unique('wh');
    await withAdmin('mysql2', `create database ${db} character set utf8mb4 collate utf8mb4_bin`);
    return { spec: `mysql://root@127.0.0.1:3306/${db}`, drop: () => withAdmin('mysql2', `drop database if exists ${db}`) };
  },
};

/** The three kinds the shared suite runs on: `describe.each(WAREHOUSE_KINDS)`. */
export const WAREHOUSE_KINDS: readonly WarehouseKind[] = [SQLITE, POSTGRES, MARIADB];

/**
 * A fresh warehouse of `kind` for each test of the calling describe block: call the returned
 * function in a test (more than once for several); each is closed and dropped after it.
 */
export function freshWarehouse(kind: WarehouseKind): () => Promise<Warehouse> {
  let opened: { place: TestWarehouse; wh: Warehouse }[] = [];
  afterEach(async () => {
    for (const { place, wh } of opened) {
      await wh.close();
      await place.drop();
    }
    opened = [];
  });
  return async () => {
    const place = await kind.create();
    const wh = await openWarehouse(place.spec);
    opened.push({ place, wh });
    return wh;
  };
}
