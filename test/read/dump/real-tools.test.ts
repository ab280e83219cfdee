// Every character a value can hold, through the real servers and the real dump tools and back:
// whatever mysqldump and pg_dump escape, the readers must undo exactly.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import knex from 'knex';
import { afterAll, describe, expect, it } from 'vitest';
import { readMysqlDump, readPgDump } from '../../../src/read/dump/index.js';
import type { SourceTable } from '../../../src/read/model.js';

const scratch = mkdtempSync(join(tmpdir(), 'credit-etl-real-dumps-'));
const table = `h4_roundtrip_${process.pid}`;
const ascii = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)).join('');
const texts = [ascii, '张三 "李四" \'王五\' \\ 𠀀😀 ；', '', '\r\n\t\\N\\.'];
const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function cellsOf(tables: AsyncIterable<SourceTable>): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const t of tables) for await (const row of t.rows) rows.push(row.cells);
  return rows;
}

describe('dumps written by the real tools', () => {
  it('reads back from mysqldump, with and without --hex-blob, what MariaDB holds', async () => {
    const db = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: 'test', charset: 'utf8mb4' });
    try {
      await db.query(`CREATE TABLE ${table} (id int PRIMARY KEY, t longtext CHARACTER SET utf8mb4, b blob)`);
      for (const [i, text] of texts.entries()) await db.query(`INSERT INTO ${table} VALUES (?, ?, ?)`, [i, text, i === 0 ? bytes : null]);
      const expected = texts.map((text, i) => [String(i), text, i === 0 ? `\\x${bytes.toString('hex')}` : '']);
      for (const options of [[], ['--hex-blob'], ['--skip-extended-insert', '--complete-insert']]) {
        const path = join(scratch, `mysqldump${options.join('')}.sql`);
        writeFileSync(path, execFileSync('mysqldump', ['-h', '127.0.0.1', '-u', 'root', ...options, 'test', table]));
        expect(await cellsOf(readMysqlDump(path))).toEqual(expected);
      }
    } finally {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
      await db.end();
    }
  });

  it('reads back from pg_dump, as COPY and as --inserts, what PostgreSQL holds', async () => {
    const db = knex({ client: 'pg', connection: { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' } });
    try {
      await db.raw(`CREATE TABLE ${table} (id int PRIMARY KEY, t text, b bytea)`);
      // PostgreSQL text cannot hold NUL: the ASCII row starts at 1 there.
      const pgTexts = texts.map((t) => t.replace('\0', ''));
      for (const [i, text] of pgTexts.entries()) await db(table).insert({ id: i, t: text, b: i === 0 ? bytes : null });
      const expected = pgTexts.map((text, i) => [String(i), text, i === 0 ? `\\x${bytes.toString('hex')}` : '']);
      for (const options of [[], ['--inserts'], ['--column-inserts', '--rows-per-insert=3']]) {
        const path = join(scratch, `pgdump${options.join('')}.sql`);
        writeFileSync(path, execFileSync('pg_dump', ['-h', '127.0.0.1', '-U', 'postgres', ...options, '-t', `public.${table}`, 'test']));
        expect(await cellsOf(readPgDump(path))).toEqual(expected);
      }
    } finally {
      await db.raw(`DROP TABLE IF EXISTS ${table}`);
      await db.destroy();
    }
  });
});
