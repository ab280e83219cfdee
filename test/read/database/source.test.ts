import type { Knex } from 'knex';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseSourceError, knexWatermarkStore, pullDatabaseSource } from '../../../src/read/database/index.js';
import type { WatermarkStore } from '../../../src/read/database/index.js';
import {
  createPenaltyTable,
  drain,
  PENALTY_HEADERS,
  SERVERS,
  sqliteWarehouse,
  uniqueName,
  type PenaltyRow,
} from './servers.js';

const NIGHT_1: PenaltyRow[] = [
  { id: 1, 当事人名称: '某某科技有限公司', 罚款金额: '2000.00', 决定日期: '2026-01-05', 备注: null, updated_at: '2026-01-05 08:00:00.100001' },
  { id: 2, 当事人名称: '张三', 罚款金额: null, 决定日期: '2026-01-04', 备注: '警告；罚款', updated_at: '2026-01-05 07:59:59.999999' },
  { id: 3, 当事人名称: '某某餐饮店（个体工商户）', 罚款金额: '500.50', 决定日期: null, 备注: '', updated_at: '2026-01-06 00:00:00.000001' },
];
const NIGHT_1_CELLS = [
  ['2', '张三', '', '2026-01-04', '警告；罚款', '2026-01-05T07:59:59.999999'],
  ['1', '某某科技有限公司', '2000.00', '2026-01-05', '', '2026-01-05T08:00:00.100001'],
  ['3', '某某餐饮店（个体工商户）', '500.50', '', '', '2026-01-06T00:00:00.000001'],
];

/** A store that keeps nothing between pulls, for tests about one pull. */
function emptyStore(): WatermarkStore {
  return { get: async () => undefined, set: async () => undefined };
}

describe.each(SERVERS)('pullDatabaseSource on $name', (server) => {
  let admin: Knex;
  const tables: string[] = [];
  const newTable = () => {
    const name = uniqueName('h5_penalty');
    tables.push(name);
    return name;
  };

  beforeAll(() => {
    admin = server.connect();
  });
  afterEach(async () => {
    for (const name of tables.splice(0)) await admin.schema.dropTableIfExists(name);
  });
  afterAll(async () => {
    await admin.destroy();
  });

  it('first pull gets every row as text, in watermark order, numbered from 1', async () => {
    const table = newTable();
    await createPenaltyTable(admin, table, NIGHT_1);
    const pull = await pullDatabaseSource(
      { id: 'SCJG/penalties', url: server.url, table, watermark: 'updated_at' },
      emptyStore(),
    );
    expect(pull.table.name).toBe(table);
    expect(pull.table.headers).toEqual(PENALTY_HEADERS);
    const rows = await drain(pull.table);
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3]);
    expect(rows.map((r) => r.cells)).toEqual(NIGHT_1_CELLS);
    expect(pull.table.skipped).toEqual([]);
    expect(pull.highWatermark()).toBe('2026-01-06T00:00:00.000001');
  });

  describe.each([
    { warehouse: 'a SQLite file' },
    { warehouse: 'PostgreSQL' },
  ])('with the watermark kept in $warehouse', ({ warehouse }) => {
    let night: () => Knex;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      if (warehouse === 'PostgreSQL') {
        const schema = uniqueName('h5_warehouse');
        const setup = SERVERS[0]!.connect();
        await setup.raw('create schema ??', [schema]);
        night = () => SERVERS[0]!.connect(schema);
        cleanup = async () => {
          await setup.raw('drop schema ?? cascade', [schema]);
          await setup.destroy();
        };
      } else {
        const file = sqliteWarehouse();
        night = file.open;
        cleanup = async () => file.remove();
      }
    });
    afterAll(async () => cleanup());

    /** One night's process: pull, load (here: collect), and store the watermark only if told the load committed. */
    async function runNight(table: string, sourceId: string, loadCommits: boolean) {
      const warehouse = night();
      try {
        const store = knexWatermarkStore(warehouse);
        const pull = await pullDatabaseSource({ id: sourceId, url: server.url, table, watermark: 'updated_at' }, store);
        const rows = await drain(pull.table);
        const high = pull.highWatermark();
        if (loadCommits && high !== undefined) await store.set(sourceId, high);
        return { rows, high, stored: await store.get(sourceId) };
      } finally {
        await warehouse.destroy();
      }
    }

    it('the second night pulls only rows whose watermark passed the stored one', async () => {
      const table = newTable();
      const sourceId = `SCJG/${table}`;
      await createPenaltyTable(admin, table, NIGHT_1);

      const first = await runNight(table, sourceId, true);
      expect(first.rows.map((r) => r.cells)).toEqual(NIGHT_1_CELLS);
      expect(first.stored).toBe('2026-01-06T00:00:00.000001');

      await admin(table).insert([
        { id: 4, 当事人名称: '李四', 罚款金额: '0.20', 决定日期: '2026-01-06', 备注: null, updated_at: '2026-01-06 09:30:00.000000' },
        // Its watermark is not past the stored one: it is not the pull's to take.
        { id: 5, 当事人名称: '迟到的记录', 罚款金额: null, 决定日期: null, 备注: null, updated_at: '2026-01-05 12:00:00.000000' },
      ]);
      await admin(table).where({ id: 2 }).update({ 备注: '已更正', updated_at: '2026-01-06 10:00:00.000000' });

      const second = await runNight(table, sourceId, true);
      expect(second.rows).toEqual([
        { row: 1, cells: ['4', '李四', '0.20', '2026-01-06', '', '2026-01-06T09:30:00'] },
        { row: 2, cells: ['2', '张三', '', '2026-01-04', '已更正', '2026-01-06T10:00:00'] },
      ]);
      expect(second.stored).toBe('2026-01-06T10:00:00');

      const third = await runNight(table, sourceId, true);
      expect(third.rows).toEqual([]);
      expect(third.high).toBeUndefined();
      expect(third.stored).toBe('2026-01-06T10:00:00');
    });

    it('a night whose load did not commit leaves the watermark, so the next night pulls the same rows', async () => {
      const table = newTable();
      const sourceId = `SCJG/${table}`;
      await createPenaltyTable(admin, table, NIGHT_1);

      const failed = await runNight(table, sourceId, false);
      expect(failed.rows).toHaveLength(3);
      expect(failed.stored).toBeUndefined();

      const retried = await runNight(table, sourceId, true);
      expect(retried.rows).toEqual(failed.rows);
      expect(retried.stored).toBe('2026-01-06T00:00:00.000001');
    });
  });

  it('rows sharing one watermark all come, in key order, across batches of 2', async () => {
    const table = newTable();
    const at = (id: number, updated_at: string): PenaltyRow => ({ id, 当事人名称: `当事人${id}`, 罚款金额: null, 决定日期: null, 备注: null, updated_at });
    const tie = '2026-02-01 00:00:00.000000';
    // Inserted out of order; five rows share a watermark that straddles batch boundaries.
    await createPenaltyTable(admin, table, [
      at(5, tie), at(7, '2026-02-02 00:00:00.000000'), at(3, tie), at(1, tie), at(8, '2026-01-31 00:00:00.000000'),
      at(4, tie), at(2, tie), at(6, '2026-02-01 00:00:00.000001'),
    ]);
    const sourceId = `SCJG/${table}`;
    const stored = new Map([[sourceId, '2026-01-31T00:00:00']]);
    const store: WatermarkStore = { get: async (id) => stored.get(id), set: async (id, v) => void stored.set(id, v) };
    const spec = { id: sourceId, url: server.url, table, watermark: 'updated_at', batchSize: 2 };

    const pull = await pullDatabaseSource(spec, store);
    const rows = await drain(pull.table);
    expect(rows.map((r) => [r.row, r.cells[0]])).toEqual([
      [1, '1'], [2, '2'], [3, '3'], [4, '4'], [5, '5'], [6, '6'], [7, '7'],
    ]);

    await store.set(sourceId, '2026-02-01T00:00:00');
    const after = await drain((await pullDatabaseSource(spec, store)).table);
    expect(after.map((r) => r.cells[0])).toEqual(['6', '7']);
  });

  it('takes an increasing id as the watermark and compares it as a number', async () => {
    const table = newTable();
    const penalty = (id: number): PenaltyRow => ({ id, 当事人名称: `当事人${id}`, 罚款金额: null, 决定日期: null, 备注: null, updated_at: null });
    await createPenaltyTable(admin, table, [1, 2, 8, 9].map(penalty));
    const stored = new Map<string, string>();
    const store: WatermarkStore = { get: async (id) => stored.get(id), set: async (id, v) => void stored.set(id, v) };
    const spec = { id: 'SCJG/penalties', url: server.url, table, watermark: 'id' };

    const first = await pullDatabaseSource(spec, store);
    expect((await drain(first.table)).map((r) => r.cells[0])).toEqual(['1', '2', '8', '9']);
    await store.set(spec.id, first.highWatermark()!);
    expect(stored.get(spec.id)).toBe('9');

    // As text, '10' and '11' sort before '9'; bound against the id column they are greater.
    await admin(table).insert([penalty(10), penalty(11)]);
    const second = await pullDatabaseSource(spec, store);
    expect((await drain(second.table)).map((r) => r.cells[0])).toEqual(['10', '11']);
  });

  it('a row with no watermark comes with the first pull only', async () => {
    const table = newTable();
    await createPenaltyTable(admin, table, [
      ...NIGHT_1,
      { id: 9, 当事人名称: '无更新时间', 罚款金额: null, 决定日期: null, 备注: null, updated_at: null },
    ]);
    const stored = new Map<string, string>();
    const store: WatermarkStore = { get: async (id) => stored.get(id), set: async (id, v) => void stored.set(id, v) };
    const spec = { id: 'SCJG/penalties', url: server.url, table, watermark: 'updated_at' };

    const first = await pullDatabaseSource(spec, store);
    const ids = (await drain(first.table)).map((r) => r.cells[0]);
    expect(ids.sort()).toEqual(['1', '2', '3', '9']);
    expect(first.highWatermark()).toBe('2026-01-06T00:00:00.000001');

    await store.set(spec.id, first.highWatermark()!);
    expect(await drain((await pullDatabaseSource(spec, store)).table)).toEqual([]);
  });

  it('pulls a query as a subquery, named by the source id, its text left as written', async () => {
    const table = newTable();
    await createPenaltyTable(admin, table, NIGHT_1);
    const query = `select id, 当事人名称 as 名称, updated_at, '?' as 问号, '$1 $&' as 符号
      from ${admin.raw('??', [table]).toQuery()}
      where 备注 is null or 备注 <> '?' -- 只取有备注或空备注的记录
      ;`;
    const pull = await pullDatabaseSource(
      { id: 'SCJG/penalties-query', url: server.url, query, watermark: 'updated_at' },
      { get: async () => '2026-01-05T07:59:59.999999', set: async () => undefined },
    );
    expect(pull.table.name).toBe('SCJG/penalties-query');
    expect(pull.table.headers).toEqual(['id', '名称', 'updated_at', '问号', '符号']);
    expect((await drain(pull.table)).map((r) => r.cells)).toEqual([
      ['1', '某某科技有限公司', '2026-01-05T08:00:00.100001', '?', '$1 $&'],
      ['3', '某某餐饮店（个体工商户）', '2026-01-06T00:00:00.000001', '?', '$1 $&'],
    ]);
  });

  it('quotes table and column names, and binds the stored watermark as a value', async () => {
    const table = uniqueName('行政 处罚');
    tables.push(table);
    await admin.schema.createTable(table, (t) => {
      t.integer('序号').primary();
      t.string('批次 编号', 20);
    });
    await admin(table).insert([
      { 序号: 1, '批次 编号': '20260105-001' },
      { 序号: 2, '批次 编号': '20260106-001' },
    ]);
    const spec = { id: 'SCJG/batches', url: server.url, table, watermark: '批次 编号' };

    const byBatch = await pullDatabaseSource(spec, { get: async () => '20260105-001', set: async () => undefined });
    expect((await drain(byBatch.table)).map((r) => r.cells)).toEqual([['2', '20260106-001']]);

    // Spliced into the SQL this would read `> 'x' OR '1'='1'` and return every row.
    const hostile = await pullDatabaseSource(spec, { get: async () => "x' OR '1'='1", set: async () => undefined });
    expect(await drain(hostile.table)).toEqual([]);
    expect(Number((await admin(table).count({ n: '*' }))[0]!.n)).toBe(2);
  });

  it('says which source and table when the table does not exist', async () => {
    const table = uniqueName('h5_missing');
    const error = await pullDatabaseSource({ id: 'SCJG/gone', url: server.url, table, watermark: 'updated_at' }, emptyStore())
      .then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseSourceError);
    expect(error).toMatchObject({ sourceId: 'SCJG/gone', stage: 'columns' });
    expect((error as Error).message).toContain(`database source SCJG/gone (${server.url}): cannot read the columns of ${table}`);
  });

  it('says which columns there are when the watermark column is not one of them', async () => {
    const table = newTable();
    await createPenaltyTable(admin, table, NIGHT_1);
    await expect(
      pullDatabaseSource({ id: 'SCJG/penalties', url: server.url, table, watermark: '更新时间' }, emptyStore()),
    ).rejects.toThrow(
      `database source SCJG/penalties (${server.url}): the watermark column 更新时间 is not among its columns (${PENALTY_HEADERS.join(', ')})`,
    );
  });

  it('gives a high watermark only once the rows were read to the end', async () => {
    const table = newTable();
    await createPenaltyTable(admin, table, NIGHT_1);
    const pull = await pullDatabaseSource({ id: 'SCJG/penalties', url: server.url, table, watermark: 'updated_at', batchSize: 1 }, emptyStore());
    expect(() => pull.highWatermark()).toThrow('rows were not read to the end');
    for await (const row of pull.table.rows) {
      expect(row.row).toBe(1);
      break;
    }
    expect(() => pull.highWatermark()).toThrow('rows were not read to the end');
    await drain(pull.table);
    expect(pull.highWatermark()).toBe('2026-01-06T00:00:00.000001');
  });
});
