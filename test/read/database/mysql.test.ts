import { afterAll, beforeAll, expect, it } from 'vitest';
import { pullDatabaseSource } from '../../../src/read/database/index.js';
import { drain, MARIADB, uniqueName } from './servers.js';

const admin = MARIADB.connect();
const table = uniqueName('h5_mysql_types');

beforeAll(async () => {
  await admin.raw(
    `create table ?? (
      id int primary key, 名称 varchar(50) character set utf8mb4, 旧名称 varchar(50) character set gbk,
      金额 decimal(30,10), 大编号 bigint unsigned, 比例 double, 单精度 float, 有效 tinyint(1),
      决定时间 timestamp(3) null, 决定日期 date, 时刻 time, 年份 year, 附件 varbinary(4), 标志 bit(3),
      数据 json, 状态 enum('有效','撤销'), updated_at datetime(6)
    ) character set utf8mb4`,
    [table],
  );
  await admin.raw(
    `insert into ?? values
      (1, '某某科技有限公司', '某某商行', 12345678901234567890.0123456789, 18446744073709551615, 0.1, 1.1, 1,
       '2026-01-05 08:00:00.120', '2026-01-05', '12:34:56', 2026, 0x00ff, b'101',
       '{"类别": "罚款", "金额": 0.2}', '撤销', '2026-01-05 08:00:00.500000'),
      (2, null, null, null, null, null, null, 0, null, null, null, null, null, null, null, null, '2026-01-06 00:00:00')`,
    [table],
  );
});
afterAll(async () => {
  await admin.schema.dropTableIfExists(table);
  await admin.destroy();
});

it('gives MariaDB values as the server’s text: digits kept, GBK columns decoded, ISO date-times, binary as hex', async () => {
  const pull = await pullDatabaseSource(
    { id: 'SCJG/types', url: MARIADB.url, table, watermark: 'updated_at' },
    { get: async () => undefined, set: async () => undefined },
  );
  expect((await drain(pull.table)).map((r) => r.cells)).toEqual([
    [
      '1', '某某科技有限公司', '某某商行', '12345678901234567890.0123456789', '18446744073709551615', '0.1', '1.1', '1',
      '2026-01-05T08:00:00.12', '2026-01-05', '12:34:56', '2026', '\\x00ff', '\\x05',
      '{"类别": "罚款", "金额": 0.2}', '撤销', '2026-01-05T08:00:00.5',
    ],
    ['2', '', '', '', '', '', '', '0', '', '', '', '', '', '', '', '', '2026-01-06T00:00:00'],
  ]);
});
