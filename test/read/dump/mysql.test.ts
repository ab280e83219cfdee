import { isUtf8 } from 'node:buffer';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/catalog/index.js';
import { readMysqlDump } from '../../../src/read/dump/index.js';
import { DeliveryError, type SourceRow, type SourceTable } from '../../../src/read/model.js';

const fixture = (name: string): string => `fixtures/dump/${name}`;
const scratch = mkdtempSync(join(tmpdir(), 'credit-etl-mysqldump-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function scratchFile(name: string, content: string | Buffer): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

interface ReadTable {
  name: string;
  headers: string[];
  rows: SourceRow[];
}

async function readAll(tables: AsyncIterable<SourceTable>): Promise<ReadTable[]> {
  const out: ReadTable[] = [];
  for await (const table of tables) {
    const rows: SourceRow[] = [];
    for await (const row of table.rows) rows.push(row);
    expect(table.skipped).toEqual([]);
    out.push({ name: table.name, headers: table.headers, rows });
  }
  return out;
}

/** The error reading fails with, and the rows that came before it. */
async function readUntilError(path: string): Promise<{ error: DeliveryError; rows: SourceRow[] }> {
  const rows: SourceRow[] = [];
  try {
    for await (const table of readMysqlDump(path)) for await (const row of table.rows) rows.push(row);
  } catch (error) {
    expect(error).toBeInstanceOf(DeliveryError);
    return { error: error as DeliveryError, rows };
  }
  throw new Error(`${path} was read without an error`);
}

const HEADER = '-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n/*!40101 SET NAMES utf8mb4 */;\n';
const FOOTER = '\n-- Dump completed on 2024-03-22  2:00:01\n';

describe('readMysqlDump on mysqldump fixtures', () => {
  it('reads the 行政处罚 extended INSERT with every catalog column, unescaped text and NULLs as empty', async () => {
    const [table, ...rest] = await readAll(readMysqlDump(fixture('mysqldump-penalty-extended-insert.sql')));
    expect(rest).toEqual([]);
    const xzcf = loadCatalog('v2').subjects.find((s) => s.code === 'XZCF')!;
    expect(table!.name).toBe('xzcf');
    expect(table!.headers).toEqual(xzcf.items.map((i) => i.code));
    expect(table!.rows.map((r) => r.row)).toEqual([1, 2, 3, 4]);
    const first = Object.fromEntries(table!.headers.map((h, i) => [h, table!.rows[0]!.cells[i]]));
    expect(first).toMatchObject({
      CF_XDR_MC: "Tom's Kitchen（上海）餐饮管理有限公司",
      CF_XDR_GSZC: '',
      CF_SY: '当事人在其经营场所销售超过保质期的"好味道"牌辣椒酱3瓶，\r\n货值金额人民币45元，违法所得人民币12元。',
      CF_NR: '1.警告；\n2.罚款人民币5000元；\n3.没收违法所得人民币12元。',
      CF_NR_FK: '0.500000',
      CF_NR_ZKDX: '',
      CF_JDRQ: '2024-03-18',
      BZ: 'C:\\处罚文书\\2024\\0123.pdf\t（扫描件）',
    });
    // An empty string and NULL both arrive as '' (row 3's BZ was '', row 2's was NULL).
    const bz = table!.headers.indexOf('BZ');
    expect([table!.rows[1]!.cells[bz], table!.rows[2]!.cells[bz]]).toEqual(['', '']);
    expect(table!.rows[2]!.cells.slice(0, 2)).toEqual(['李四', '自然人']);
    for (const row of table!.rows) expect(row.cells).toHaveLength(30);
  });

  it('reads two tables in file order, Chinese column names, BLOB bytes as hex, past a DELIMITER ;; trigger', async () => {
    const path = fixture('mysqldump-two-tables.sql');
    // mysqldump writes a BLOB's bytes raw: the file is not all UTF-8, yet it is a good dump.
    expect(isUtf8(readFileSync(path))).toBe(false);
    expect(readFileSync(path).includes(Buffer.from([0x5c, 0x30, 0xff]))).toBe(true);
    const tables = await readAll(readMysqlDump(path));
    expect(tables).toEqual([
      {
        name: 'dw_xzxk',
        headers: ['id', '许可决定书文号', '行政相对人名称', '许可决定日期', '许可内容'],
        rows: [
          { row: 1, cells: ['1', '沪浦审批〔2024〕0001号', '上海浦江建材有限公司', '2024-01-05', '预包装食品销售'] },
          { row: 2, cells: ['2', '沪浦审批〔2024〕0002号', '陈静', '2024-01-08', ''] },
        ],
      },
      {
        name: 'dw_xzcf',
        headers: ['id', '处罚决定书文号', '行政相对人名称', '罚款金额', '附件', '更新时间'],
        rows: [
          { row: 1, cells: ['1', '沪市监浦处〔2024〕152024000123号', "Tom's Kitchen（上海）餐饮管理有限公司", '0.500000', '\\x89504e470d0a1a0a00ff', '2024-03-18 09:30:00'] },
          { row: 2, cells: ['2', '沪市监浦处〔2024〕152024000125号', '李四', '0.200000', '', ''] },
          { row: 3, cells: ['3', '沪市监浦处〔2024〕152024000126号', '上海浦江建材有限公司', '1.200000', '\\x', '2024-03-21 17:05:00'] },
        ],
      },
    ]);
  });

  it('reads rows up to the broken statement 7 and then rejects the dump, naming statement and line', async () => {
    const path = fixture('mysqldump-syntax-error-at-statement-7.sql');
    // The broken INSERT is the 4th, after 3 SET statements; the error must point a person at it.
    const insertLines = readFileSync(path, 'utf8').split('\n').flatMap((l, i) => (l.startsWith('INSERT') ? [i + 1] : []));
    expect(insertLines[3]).toBe(18);
    const { error, rows } = await readUntilError(path);
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3]);
    expect(error.code).toBe('file/sql-syntax');
    expect(error.file).toBe(path);
    expect(error.message).toBe(`${path}: statement 7 (line 18): VALUES tuple 1 on line 18 has 29 values, but xzcf has 30 columns`);
  });

  it('rejects a real dump cut short between two statements as truncated', async () => {
    const whole = readFileSync(fixture('mysqldump-penalty-extended-insert.sql'), 'utf8');
    const cut = whole.slice(0, whole.indexOf('/*!40000 ALTER TABLE `xzcf` ENABLE KEYS */;'));
    const error = await readUntilError(scratchFile('cut.sql', cut)).then((r) => r.error);
    expect(error.code).toBe('file/corrupt');
    expect(error.message).toContain('does not end with its "-- Dump completed" line: the file is truncated');
  });

  it('rejects the same dump in GBK bytes as not UTF-8, naming the line of the first bad value', async () => {
    const gbk = iconv.encode(readFileSync(fixture('mysqldump-penalty-extended-insert.sql'), 'utf8'), 'gbk');
    const { error, rows } = await readUntilError(scratchFile('gbk.sql', gbk));
    expect(rows).toEqual([]);
    expect(error.code).toBe('file/encoding');
    // The column comments of CREATE TABLE (statement 14, line 26) are the first Chinese text.
    expect(error.message).toMatch(/statement 14 \(line 26\): the text starting on line 27 is not UTF-8 \(bytes [0-9A-F ]+\)/);
  });
});

describe('readMysqlDump on generated dumps', () => {
  it('streams a 1.5 MB value and 3000 statements across 1 MiB chunks, rows numbered through the table', async () => {
    const big = "长文本'\\\n".repeat(150_000); // 1.5 MB of text with quotes, backslashes and newlines
    const escaped = big.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n');
    const inserts = Array.from({ length: 3000 }, (_, i) => `INSERT INTO \`t\` VALUES (${2 * i + 1},'第${i}条'),(${2 * i + 2},NULL);`);
    const sql = `${HEADER}CREATE TABLE \`t\` (\n  \`id\` int,\n  \`v\` longtext\n);\nINSERT INTO \`t\` VALUES (0,'${escaped}');\n${inserts.join('\n')}${FOOTER}`;
    const tables = await readAll(readMysqlDump(scratchFile('big.sql', sql)));
    expect(tables).toHaveLength(1);
    const { rows } = tables[0]!;
    expect(rows).toHaveLength(6001);
    expect(rows[0]!.cells[1]).toBe(big);
    expect(rows.map((r) => r.row)).toEqual(Array.from({ length: 6001 }, (_, i) => i + 1));
    expect(rows.at(-1)).toEqual({ row: 6001, cells: ['6000', ''] });
    expect(rows[5999]).toEqual({ row: 6000, cells: ['5999', '第2999条'] });
  });

  it('names statement and line of a string left open at the end of the file', async () => {
    const sql = `${HEADER}CREATE TABLE \`t\` (\`a\` int, \`b\` text);\nINSERT INTO \`t\` VALUES (1,'x'),\n(2,'y;\n-- Dump completed\n`;
    const { error, rows } = await readUntilError(scratchFile('open-string.sql', sql));
    expect(rows).toEqual([{ row: 1, cells: ['1', 'x'] }]);
    expect(error.code).toBe('file/sql-syntax');
    expect(error.message).toContain('statement 3 (line 4): the string opened on line 5 is not closed before the end of the file');
  });

  it('names the line of the tuple with a missing value, not only the statement', async () => {
    const sql = `${HEADER}CREATE TABLE t (a int, b text);\nINSERT INTO t VALUES\n(1,'a'),\n(2,'b'),\n(3),\n(4,'d');${FOOTER}`;
    const { error, rows } = await readUntilError(scratchFile('tuple.sql', sql));
    expect(rows.map((r) => r.cells[0])).toEqual(['1', '2']);
    expect(error.message).toContain('statement 3 (line 4): VALUES tuple 3 on line 7 has 1 values, but t has 2 columns');
  });

  it('rejects rows that have neither a column list nor a CREATE TABLE before them', async () => {
    const { error } = await readUntilError(scratchFile('no-header.sql', `${HEADER}INSERT INTO \`t\` VALUES (1,'a');${FOOTER}`));
    expect(error.code).toBe('file/no-header');
    expect(error.message).toContain('statement 2 (line 3): the rows of t come without a column list and no CREATE TABLE t comes before them');
  });

  it('takes headers from the INSERT column list, and marks binary columns from CREATE TABLE', async () => {
    const sql = `${HEADER}CREATE TABLE \`t\` (\`a\` varbinary(4), \`b\` varchar(9), PRIMARY KEY (\`a\`), KEY \`k\` (\`b\`(3)));\n` +
      `REPLACE INTO \`t\` (\`b\`, \`a\`) VALUES ('中',_binary 'AB'),(_utf8mb4'文',0x4142) ON DUPLICATE KEY UPDATE b=VALUES(b);\n` +
      `INSERT IGNORE INTO t (a, b) VALUES (X'00', -3), ('x', TRUE);${FOOTER}`;
    expect(await readAll(readMysqlDump(scratchFile('columns.sql', sql)))).toEqual([
      {
        name: 't',
        headers: ['b', 'a'],
        rows: [
          { row: 1, cells: ['中', '\\x4142'] },
          { row: 2, cells: ['文', '\\x4142'] },
        ],
      },
      { name: 't', headers: ['a', 'b'], rows: [{ row: 3, cells: ['\\x00', '-3'] }, { row: 4, cells: ['\\x78', 'TRUE'] }] },
    ]);
  });

  it('reads through rows the consumer skipped and still yields the next table', async () => {
    const sql = `${HEADER}CREATE TABLE a (x int);\nCREATE TABLE b (y int);\nINSERT INTO a VALUES (1),(2);\nINSERT INTO a VALUES (3);\nINSERT INTO b VALUES (9);${FOOTER}`;
    const seen: string[] = [];
    for await (const table of readMysqlDump(scratchFile('skip.sql', sql))) {
      if (table.name === 'a') continue;
      for await (const row of table.rows) seen.push(`${table.name}:${row.row}:${row.cells[0]}`);
    }
    expect(seen).toEqual(['b:1:9']);
  });

  it('rejects garbage and statements that change rows in place', async () => {
    const garbage = await readUntilError(scratchFile('garbage.sql', `${HEADER}SET a=1;\nFOO bar;${FOOTER}`));
    expect(garbage.error.code).toBe('file/sql-syntax');
    expect(garbage.error.message).toContain('statement 3 (line 4): `FOO` does not start a SQL statement');
    const update = await readUntilError(scratchFile('update.sql', `${HEADER}CREATE TABLE a (x int);\nUPDATE a SET x=1;${FOOTER}`));
    expect(update.error.code).toBe('file/format');
    expect(update.error.message).toContain('statement 3 (line 4): UPDATE changes rows in place');
  });

  it('rejects an empty file', async () => {
    const { error } = await readUntilError(scratchFile('empty.sql', ''));
    expect(error.code).toBe('file/empty');
  });
});
