import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeliveryError, type SourceRow } from '../../src/read/model.js';
import { readSqliteFile } from '../../src/read/sqlite.js';

const scratch = mkdtempSync(join(tmpdir(), 'credit-etl-sqlite-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function readUntilError(path: string): Promise<{ error: DeliveryError; rows: SourceRow[] }> {
  const rows: SourceRow[] = [];
  try {
    for await (const table of readSqliteFile(path)) for await (const row of table.rows) rows.push(row);
  } catch (error) {
    expect(error).toBeInstanceOf(DeliveryError);
    return { error: error as DeliveryError, rows };
  }
  throw new Error(`${path} was read without an error`);
}

describe('readSqliteFile', () => {
  it('reads each user table in creation order, rows in rowid (or primary key) order, values as text', async () => {
    const tables = [];
    for await (const table of readSqliteFile('fixtures/sqlite/sqlite-two-tables.sqlite')) {
      const rows: SourceRow[] = [];
      for await (const row of table.rows) rows.push(row);
      tables.push({ name: table.name, headers: table.headers, rows, skipped: table.skipped });
    }
    expect(tables).toEqual([
      {
        name: 'xzxk',
        headers: ['行政相对人名称', '证件号码', '罚款金额', '附件', '备注'],
        rows: [
          // rowid 10, inserted second, comes first; REAL 5000 is 5000, NULL is ''.
          { row: 1, cells: ["Tom's Kitchen（上海）餐饮管理有限公司", '', '5000', '', '第一行\n第二行'] },
          // An 18-digit INTEGER keeps every digit; 0.1 + 0.2 is JavaScript's shortest text; BLOB is hex.
          { row: 2, cells: ['陈静', '360426199101010071', '0.30000000000000004', '\\x2550444600ff', ''] },
        ],
        skipped: [],
      },
      {
        name: 'xzcf',
        headers: ['处罚决定书文号', '行政相对人名称', '罚款金额'],
        rows: [
          { row: 1, cells: ['沪市监浦处〔2024〕152024000123号', '张记小吃店', '1200'] },
          { row: 2, cells: ['沪市监浦处〔2024〕152024000125号', '李四', '0.2'] },
        ],
        skipped: [],
      },
      // sqlite_sequence, the index and the view are not tables of the delivery.
      { name: 'log', headers: ['id', 'note'], rows: [{ row: 1, cells: ['1', 'loaded'] }], skipped: [] },
    ]);
  });

  it('moves on to the next table when a table\'s rows are left unread', async () => {
    const names: string[] = [];
    for await (const table of readSqliteFile('fixtures/sqlite/sqlite-two-tables.sqlite')) {
      for await (const row of table.rows) {
        names.push(`${table.name}:${row.row}`);
        break;
      }
    }
    expect(names).toEqual(['xzxk:1', 'xzcf:1', 'log:1']);
  });

  it('rejects a file with a damaged page as corrupt, naming the table and the last good row', async () => {
    const { error, rows } = await readUntilError('fixtures/sqlite/sqlite-corrupt.sqlite');
    expect(error.code).toBe('file/corrupt');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(40);
    expect(error.message).toContain(`table xzcf, after row ${rows.length}: the SQLite file is damaged (SQLITE_CORRUPT`);
  });

  it('rejects a file that is not SQLite, and an empty one', async () => {
    const notSqlite = await readUntilError('fixtures/dump/pgdump-licensing-copy.sql');
    expect(notSqlite.error.code).toBe('file/format');
    const empty = join(scratch, 'empty.sqlite');
    writeFileSync(empty, '');
    expect((await readUntilError(empty)).error.code).toBe('file/empty');
  });
});
