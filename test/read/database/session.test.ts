import type { Knex } from 'knex';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseSourceError, pullDatabaseSource, type WatermarkStore } from '../../../src/read/database/index.js';
import { createPenaltyTable, drain, SERVERS, uniqueName, type PenaltyRow } from './servers.js';

const nothingStored: WatermarkStore = { get: async () => undefined, set: async () => undefined };

async function eventually(count: () => Promise<number>): Promise<number> {
  let n = await count();
  for (let tries = 0; n > 0 && tries < 100; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    n = await count();
  }
  return n;
}

describe.each(SERVERS)('a pull’s connection to $name', (server) => {
  let admin: Knex;
  const cleanups: (() => Promise<unknown>)[] = [];
  beforeAll(() => {
    admin = server.connect();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await admin.destroy();
  });
  const penaltyTable = async (rows: PenaltyRow[]) => {
    const table = uniqueName('h5_penalty');
    cleanups.push(() => admin.schema.dropTableIfExists(table));
    await createPenaltyTable(admin, table, rows);
    return table;
  };

  it('is read-only: an INSERT made through it fails and writes nothing', async () => {
    const table = await penaltyTable([
      { id: 1, 当事人名称: '某某科技有限公司', 罚款金额: '2000.00', 决定日期: '2026-01-05', 备注: null, updated_at: '2026-01-05 08:00:00' },
    ]);
    const log = uniqueName('h5_log');
    const writer = uniqueName('h5_write');
    cleanups.push(() => admin.schema.dropTableIfExists(log));
    await admin.schema.createTable(log, (t) => t.integer('x'));
    await server.createWriter(admin, writer, log);
    cleanups.push(() => server.dropWriter(admin, writer));
    const query = `select id, updated_at, ${writer}() as 写入 from ${admin.raw('??', [table]).toQuery()}`;

    // MariaDB refuses the statement before running it, PostgreSQL when the INSERT is reached.
    const error = await pullDatabaseSource({ id: 'SCJG/writes', url: server.url, query, watermark: 'updated_at' }, nothingStored)
      .then((pull) => drain(pull.table))
      .then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseSourceError);
    expect(error).toMatchObject({ sourceId: 'SCJG/writes' });
    expect((error as Error).message).toMatch(/^database source SCJG\/writes .*: .*read[- ]only transaction/i);
    expect(Number((await admin(log).count({ n: '*' }))[0]!.n)).toBe(0);

    // The same function writes on an ordinary connection: the refusal above was the read-only one.
    await admin.raw('select ??()', [writer]);
    expect(Number((await admin(log).count({ n: '*' }))[0]!.n)).toBe(1);
  });

  it('is given back when the pull is abandoned part-way', async () => {
    const table = await penaltyTable([]);
    const padding = '行政处罚决定书内容'.repeat(20);
    const rows = Array.from({ length: 5_000 }, (_, i): PenaltyRow => ({
      id: i + 1, 当事人名称: `当事人${i + 1}`, 罚款金额: null, 决定日期: null, 备注: padding, updated_at: '2026-03-01 00:00:00',
    }));
    await admin.batchInsert(table, rows, 1000);
    // Each row says which server session is pulling it.
    const query = `select id, 备注, updated_at, ${server.sessionIdSql} as 会话 from ${admin.raw('??', [table]).toQuery()}`;
    const pull = await pullDatabaseSource({ id: 'SCJG/abandoned', url: server.url, query, watermark: 'updated_at', batchSize: 10 }, nothingStored);

    let session = '';
    for await (const row of pull.table.rows) {
      session = row.cells[3]!;
      expect(await server.sessionAlive(admin, session)).toBe(true);
      if (row.row === 25) break;
    }
    expect(await eventually(async () => Number(await server.sessionAlive(admin, session)))).toBe(0);
    expect(() => pull.highWatermark()).toThrow('rows were not read to the end');
  });

  it.each([
    { case: 'refuses the connection', url: server.url.replace(/\/\/([^@/]+)@[^/]+/, '//$1:S3cret-pw@127.0.0.1:1') },
    {
      case: 'rejects the login',
      url: server.name === 'PostgreSQL'
        ? 'postgres://h5_nobody:S3cret-pw@127.0.0.1:5432/test'
        : 'mysql://root:S3cret-pw@127.0.0.1:3306/test',
    },
  ])('names the source and host, not the password, when the server $case', async ({ url }) => {
    const error = await pullDatabaseSource({ id: 'SCJG/penalties', url, table: 'penalties', watermark: 'updated_at' }, nothingStored)
      .then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseSourceError);
    expect(error).toMatchObject({ stage: 'connect', sourceId: 'SCJG/penalties' });
    const message = (error as Error).message;
    expect(message).toContain(`database source SCJG/penalties (${url.replace('S3cret-pw', '***')}): cannot connect: `);
    expect(message).not.toContain('S3cret-pw');
    expect(String((error as Error).stack)).not.toContain('S3cret-pw');
  });
});
