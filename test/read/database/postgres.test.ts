import { afterAll, beforeAll, expect, it } from 'vitest';
import { pullDatabaseSource } from '../../../src/read/database/index.js';
import { drain, POSTGRES, uniqueName } from './servers.js';

const admin = POSTGRES.connect();
const table = uniqueName('h5_pg_types');

beforeAll(async () => {
  await admin.raw(
    `create table ?? (
      id integer primary key, 名称 text, 金额 numeric(20,6), 大编号 bigint, 比例 double precision, 有效 boolean,
      决定时间 timestamptz(3), 决定日期 date, 附件 bytea, 标签 text[], 数据 jsonb, updated_at timestamp(6))`,
    [table],
  );
  await admin.raw(
    `insert into ?? values
      (1, '某某科技有限公司', 12345678901234.123456, 9007199254740993, 0.1, true,
       '2026-01-05 08:00:00.120+08', '2026-01-05', '\\x00ff', '{行政处罚,警告}', '{"类别": "罚款", "金额": 0.2}',
       '2026-01-05 08:00:00.5'),
      (2, null, null, null, null, false, null, null, null, null, null, '2026-01-06 00:00:00')`,
    [table],
  );
});
afterAll(async () => {
  await admin.schema.dropTableIfExists(table);
  await admin.destroy();
});

it('gives PostgreSQL values as the server’s text: digits kept, ISO date-times with their offset', async () => {
  const pull = await pullDatabaseSource(
    { id: 'SCJG/types', url: POSTGRES.url, table, watermark: 'updated_at' },
    { get: async () => undefined, set: async () => undefined },
  );
  expect((await drain(pull.table)).map((r) => r.cells)).toEqual([
    [
      '1', '某某科技有限公司', '12345678901234.123456', '9007199254740993', '0.1', 'true',
      // The test server runs in UTC: the instant keeps its offset, shown in the server's zone.
      '2026-01-05T00:00:00.12+00:00', '2026-01-05', '\\x00ff', '{行政处罚,警告}', '{"类别": "罚款", "金额": 0.2}',
      '2026-01-05T08:00:00.5',
    ],
    ['2', '', '', '', '', 'false', '', '', '', '', '', '2026-01-06T00:00:00'],
  ]);
});
