import type { Knex } from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { knexWatermarkStore, WATERMARK_TABLE } from '../../../src/read/database/index.js';
import { MARIADB, POSTGRES, sqliteWarehouse, uniqueName } from './servers.js';

/** An empty warehouse of each kind; `open` gives another process's connection to the same one. */
interface Warehouse {
  open(): Knex;
  remove(): Promise<void>;
}

const WAREHOUSES: { name: string; create(): Promise<Warehouse> }[] = [
  {
    name: 'a SQLite file',
    create: async () => {
      const file = sqliteWarehouse();
      return { open: file.open, remove: async () => file.remove() };
    },
  },
  {
    name: 'PostgreSQL',
    create: async () => {
      const schema = uniqueName('h5_warehouse');
      const admin = POSTGRES.connect();
      await admin.raw('create schema ??', [schema]);
      return {
        open: () => POSTGRES.connect(schema),
        remove: async () => {
          await admin.raw('drop schema ?? cascade', [schema]);
          await admin.destroy();
        },
      };
    },
  },
  {
    name: 'MariaDB',
    create: async () => {
      const database = uniqueName('h5_warehouse');
      const admin = MARIADB.connect();
      await admin.raw('create database ?? character set utf8mb4', [database]);
      return {
        open: () => MARIADB.connect(database),
        remove: async () => {
          await admin.raw('drop database ??', [database]);
          await admin.destroy();
        },
      };
    },
  },
];

describe.each(WAREHOUSES)('knexWatermarkStore in $name', ({ create }) => {
  const opened: Knex[] = [];
  let warehouse: Warehouse | undefined;
  async function fresh(): Promise<Warehouse> {
    warehouse = await create();
    return warehouse;
  }
  function open(): Knex {
    const knex = warehouse!.open();
    opened.push(knex);
    return knex;
  }
  afterEach(async () => {
    for (const knex of opened.splice(0)) await knex.destroy();
    await warehouse?.remove();
    warehouse = undefined;
  });

  it('creates source_watermarks on first use and knows no watermark yet', async () => {
    await fresh();
    const knex = open();
    expect(await knex.schema.hasTable(WATERMARK_TABLE)).toBe(false);
    expect(await knexWatermarkStore(knex).get('SCJG/penalties')).toBeUndefined();
    expect(await knex.schema.hasTable(WATERMARK_TABLE)).toBe(true);
    for (const column of ['source_id', 'watermark', 'updated_at']) {
      expect(await knex.schema.hasColumn(WATERMARK_TABLE, column)).toBe(true);
    }
  });

  it('keeps one watermark per source, replaced by the next set, for the next night’s process', async () => {
    await fresh();
    const tonight = knexWatermarkStore(open());
    await tonight.set('SCJG/penalties', '2026-01-05T08:00:00.1');
    await tonight.set('SW/licences', '1042');
    await tonight.set('SCJG/penalties', '2026-01-06T00:00:00.000001');

    const tomorrowKnex = open();
    const tomorrow = knexWatermarkStore(tomorrowKnex);
    expect(await tomorrow.get('SCJG/penalties')).toBe('2026-01-06T00:00:00.000001');
    expect(await tomorrow.get('SW/licences')).toBe('1042');
    expect(await tomorrow.get('HB/permits')).toBeUndefined();
    const rows = (await tomorrowKnex(WATERMARK_TABLE).select('source_id', 'updated_at').orderBy('source_id')) as {
      source_id: string;
      updated_at: unknown;
    }[];
    expect(rows.map((r) => r.source_id)).toEqual(['SCJG/penalties', 'SW/licences']);
    for (const row of rows) expect(row.updated_at).not.toBeNull();
  });

  it('given the load’s transaction, a rolled-back load leaves the old watermark', async () => {
    await fresh();
    const knex = open();
    await knexWatermarkStore(knex).set('SCJG/penalties', '2026-01-05T08:00:00');
    await expect(
      knex.transaction(async (load) => {
        await knexWatermarkStore(load).set('SCJG/penalties', '2026-01-06T00:00:00');
        throw new Error('the load failed after recording the watermark');
      }),
    ).rejects.toThrow('the load failed');
    expect(await knexWatermarkStore(knex).get('SCJG/penalties')).toBe('2026-01-05T08:00:00');

    await knex.transaction(async (load) => knexWatermarkStore(load).set('SCJG/penalties', '2026-01-06T00:00:00'));
    expect(await knexWatermarkStore(knex).get('SCJG/penalties')).toBe('2026-01-06T00:00:00');
  });

  it('lets several workers start on an empty warehouse at once', async () => {
    await fresh();
    const workers = Array.from({ length: 4 }, () => knexWatermarkStore(open()));
    await Promise.all(workers.map((store, i) => store.set(`unit-${i}/penalties`, String(i))));
    const check = knexWatermarkStore(open());
    expect(await Promise.all(workers.map((_, i) => check.get(`unit-${i}/penalties`)))).toEqual(['0', '1', '2', '3']);
  });
});
