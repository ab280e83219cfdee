import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/catalog/index.js';
import { readPgDump } from '../../../src/read/dump/index.js';
import { DeliveryError, type SourceRow } from '../../../src/read/model.js';

const fixture = (name: string): string => `fixtures/dump/${name}`;
const scratch = mkdtempSync(join(tmpdir(), 'credit-etl-pgdump-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function scratchFile(name: string, content: string): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

async function readAll(path: string): Promise<{ name: string; headers: string[]; rows: SourceRow[] }[]> {
  const out = [];
  for await (const table of readPgDump(path)) {
    const rows: SourceRow[] = [];
    for await (const row of table.rows) rows.push(row);
    out.push({ name: table.name, headers: table.headers, rows });
  }
  return out;
}

async function readUntilError(path: string): Promise<{ error: DeliveryError; rows: SourceRow[] }> {
  const rows: SourceRow[] = [];
  try {
    for await (const table of readPgDump(path)) for await (const row of table.rows) rows.push(row);
  } catch (error) {
    expect(error).toBeInstanceOf(DeliveryError);
    return { error: error as DeliveryError, rows };
  }
  throw new Error(`${path} was read without an error`);
}

const HEADER = '--\n-- PostgreSQL database dump\n--\n\n\\restrict k\n\nSET client_encoding = \'UTF8\';\n';
const FOOTER = '\n--\n-- PostgreSQL database dump complete\n--\n\n\\unrestrict k\n';

describe('readPgDump on pg_dump fixtures', () => {
  const xzxk = loadCatalog('v2').subjects.find((s) => s.code === 'XZXK')!;

  it('reads the 行政许可 COPY block: \\N as empty, tab, CRLF and backslash escapes undone', async () => {
    const [table, ...rest] = await readAll(fixture('pgdump-licensing-copy.sql'));
    expect(rest).toEqual([]);
    expect(table!.name).toBe('xzxk');
    expect(table!.headers).toEqual(['id', ...xzxk.items.map((i) => i.code)]);
    expect(table!.rows.map((r) => r.row)).toEqual([1, 2, 3]);
    const third = Object.fromEntries(table!.headers.map((h, i) => [h, table!.rows[2]!.cells[i]]));
    expect(third).toMatchObject({
      id: '3',
      XK_XDR_MC: '浦东新区\t周浦镇"惠民"便利店',
      XK_FRDB: '',
      XK_NR: '卷烟、雪茄烟零售\r\n（限周浦镇康沈路店）',
      XK_JDRQ: '2024-01-09',
      BZ: '材料目录：\\\\nas01\\许可\\2024\\0003\\',
    });
    expect(table!.rows[1]!.cells.slice(0, 3)).toEqual(['2', '陈静', '自然人']);
  });

  it('reads the --inserts form of the same table to the same rows', async () => {
    const copy = await readAll(fixture('pgdump-licensing-copy.sql'));
    const inserts = await readAll(fixture('pgdump-licensing-inserts.sql'));
    expect(readFileSync(fixture('pgdump-licensing-inserts.sql'), 'utf8')).toContain('INSERT INTO public.xzxk OVERRIDING SYSTEM VALUE VALUES (1, ');
    expect(inserts).toEqual(copy);
  });
});

describe('readPgDump on generated dumps', () => {
  it('undoes octal and hex COPY escapes byte by byte and E string escapes', async () => {
    const sql = `${HEADER}CREATE TABLE public."T" (a text, "B" text);\n` +
      'COPY public."T" (a, "B") FROM stdin;\n\\345\\274\\240\\x41\\v\\b\\f\\\\N\t\\N\n\t\n\\.\n' +
      "INSERT INTO public.\"T\" VALUES (E'\\345\\274\\240\\x41\\u4e09\\'\\v', 'C:\\dir''s'), (NULL, -1.5) ON CONFLICT DO NOTHING;\n" +
      `CREATE FUNCTION public.f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END; $$;${FOOTER}`;
    expect(await readAll(scratchFile('escapes.sql', sql))).toEqual([
      {
        name: 'T',
        headers: ['a', 'B'],
        rows: [
          { row: 1, cells: ['张A\v\b\f\\N', ''] },
          { row: 2, cells: ['', ''] },
          { row: 3, cells: ["张A三'v", "C:\\dir's"] },
          { row: 4, cells: ['', '-1.5'] },
        ],
      },
    ]);
  });

  it('takes headers from CREATE TABLE when COPY has no column list, folding unquoted names', async () => {
    const sql = `${HEADER}CREATE UNLOGGED TABLE IF NOT EXISTS Public.XK (ID integer, "Name" text, CONSTRAINT c CHECK (id > 0));\nCOPY public.xk FROM stdin;\n1\ta\n\\.\n${FOOTER}`;
    expect(await readAll(scratchFile('no-list.sql', sql))).toEqual([{ name: 'xk', headers: ['id', 'Name'], rows: [{ row: 1, cells: ['1', 'a'] }] }]);
  });

  it('rejects a COPY line with the wrong number of fields, naming the statement and the data line', async () => {
    const sql = `${HEADER}COPY public.t (a, b) FROM stdin;\n1\ta\n2\n\\.\n${FOOTER}`;
    const { error, rows } = await readUntilError(scratchFile('fields.sql', sql));
    expect(rows).toEqual([{ row: 1, cells: ['1', 'a'] }]);
    expect(error.code).toBe('file/sql-syntax');
    expect(error.message).toContain('statement 2 (line 8): COPY data line 10 has 1 fields, but public.t has 2 columns');
  });

  it('rejects COPY data that runs to the end of the file without \\.', async () => {
    // Without pg_dump's header lines, as other tools write COPY: only the missing \. shows the cut.
    const { error } = await readUntilError(scratchFile('unended.sql', "SET client_encoding = 'UTF8';\nCOPY t (a) FROM stdin;\n1\n2\n"));
    expect(error.code).toBe('file/sql-syntax');
    expect(error.message).toContain('statement 2 (line 2): the COPY data is not ended by a line \\. before the end of the file');
  });

  it('rejects a pg_dump whose last lines are missing', async () => {
    const whole = readFileSync(fixture('pgdump-licensing-copy.sql'), 'utf8');
    const { error } = await readUntilError(scratchFile('cut.sql', whole.slice(0, whole.indexOf('\\.\n') + 3)));
    expect(error.code).toBe('file/corrupt');
    expect(error.message).toContain('does not end with its "-- PostgreSQL database dump complete" line');
  });

  it('rejects COPY forms that are not pg_dump text data', async () => {
    const { error } = await readUntilError(scratchFile('csv.sql', `${HEADER}COPY t (a) FROM stdin WITH (FORMAT csv);\n1\n\\.\n${FOOTER}`));
    expect(error.code).toBe('file/format');
    expect(error.message).toContain("statement 2 (line 8): only COPY … FROM stdin; in pg_dump's text format carries rows in a dump, found `WITH` instead");
  });
});
