import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../src/read/model.js';
import { type Dialect, StatementLexer } from '../../../src/read/dump/statements.js';

/** The bytes in chunks of `size`, as a file read in pieces would deliver them. */
async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield Buffer.from(bytes.subarray(i, i + size));
}

interface Seen {
  kind: string;
  value: string;
  line: number;
  statement: number;
  statementLine: number;
}

async function tokens(sql: string | Buffer, dialect: Dialect, size = 1 << 20): Promise<Seen[]> {
  const bytes = typeof sql === 'string' ? Buffer.from(sql) : sql;
  const lx = new StatementLexer(chunked(bytes, size), dialect, 'test.sql');
  const seen: Seen[] = [];
  for (let kind = await lx.next(); kind !== 'eof'; kind = await lx.next()) {
    const value = kind === 'string' ? lx.bytes.toString('latin1') : lx.text;
    seen.push({ kind, value, line: lx.line, statement: lx.statement, statementLine: lx.statementLine });
  }
  return seen;
}

/** Each statement's tokens joined by spaces, strings shown as '…'. */
async function statements(sql: string, dialect: Dialect, size?: number): Promise<string[]> {
  const out: string[] = [];
  let current: string[] = [];
  for (const t of await tokens(sql, dialect, size)) {
    if (t.kind === 'end') {
      out.push(`${t.statement}@${t.statementLine}: ${current.join(' ')}`);
      current = [];
    } else current.push(t.kind === 'string' ? `'${Buffer.from(t.value, 'latin1').toString('utf8')}'` : t.value);
  }
  return out;
}

async function failure(sql: string | Buffer, dialect: Dialect): Promise<DeliveryError> {
  const error = await tokens(sql, dialect).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('MySQL statements', () => {
  it('ends statements only at semicolons outside strings, names and comments', async () => {
    const sql = [
      '-- a comment; not a statement',
      '# another; comment',
      "/*!40101 SET NAMES utf8mb4 */;",
      'INSERT INTO `a;b` VALUES (\'x;y\',"z;w") /* c; */ ;',
      '',
      'SET @x=1--1;',
    ].join('\n');
    expect(await statements(sql, 'mysql')).toEqual([
      '1@3: ',
      "2@4: INSERT INTO a;b VALUES ( 'x;y' , 'z;w' )",
      // `--` not followed by a space is two minus signs in MySQL.
      '3@6: SET @ x = 1 - - 1',
    ]);
  });

  it('does not count the MariaDB sandbox line or empty statements', async () => {
    const sql = '/*M!999999\\- enable the sandbox mode */ \n-- MariaDB dump 10.19\n;\n/*!40101 SET NAMES utf8mb4 */;\nDROP TABLE t;';
    expect(await statements(sql, 'mysql')).toEqual(['1@4: ', '2@5: DROP TABLE t']);
  });

  it('unescapes every MySQL backslash escape and doubled quotes, keeping \\% and \\_', async () => {
    const [string] = await tokens(String.raw`'\0\'\"\b\n\r\t\Z\\\%\_\q''张';`, 'mysql');
    expect(Buffer.from(string!.value, 'latin1')).toEqual(
      Buffer.concat([Buffer.from([0, 0x27, 0x22, 8, 10, 13, 9, 0x1a, 0x5c]), Buffer.from("\\%\\_q'张")]),
    );
    const [double] = await tokens(String.raw`"say ""hi"" \"there\"";`, 'mysql');
    expect(double!.value).toBe('say "hi" "there"');
  });

  it('reads backquoted names with doubled backquotes, hex literals and numbers', async () => {
    const seen = await tokens("`a``b` 0x00FfA1 X'4142' -12.5e-3 .5 _binary'x';", 'mysql');
    expect(seen.map((t) => `${t.kind}:${t.value}`)).toEqual([
      'ident:a`b', 'hex:00FFA1', 'hex:4142', 'punct:-', 'number:12.5e-3', 'number:.5', 'word:_binary', 'string:x', 'end:',
    ]);
  });

  it('follows DELIMITER, as mysqldump writes around triggers', async () => {
    const sql = [
      'DELIMITER ;;',
      '/*!50003 CREATE*/ /*!50003 TRIGGER t BEFORE UPDATE ON x FOR EACH ROW BEGIN SET NEW.a = 1; END */;;',
      'SELECT 1; SELECT 2;;',
      'DELIMITER ;',
      'UNLOCK TABLES;',
    ].join('\n');
    expect(await statements(sql, 'mysql')).toEqual(['1@2: ', '2@3: SELECT 1 ; SELECT 2', '3@5: UNLOCK TABLES']);
  });

  it('counts lines inside strings and comments', async () => {
    const sql = "SELECT 'a\nb\nc',\n/* x\ny */ 1;\nSELECT 2;";
    const seen = await tokens(sql, 'mysql');
    expect(seen.filter((t) => t.kind === 'number').map((t) => [t.value, t.line])).toEqual([['1', 5], ['2', 6]]);
  });

  it('skips a UTF-8 byte order mark', async () => {
    expect(await statements('\ufeffSET a=1;', 'mysql')).toEqual(['1@1: SET a = 1']);
  });
});

describe('PostgreSQL statements', () => {
  it('keeps backslashes in standard strings, unescapes E strings, hides semicolons in $$ bodies', async () => {
    const sql = [
      '\\restrict abc',
      "SET standard_conforming_strings = on;",
      "SELECT 'C:\\dir''s', E'\\t\\n\\\\\\'\\v\\345\\274\\240\\x41\\u4e09';",
      'CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql;',
      '/* nested /* comment; */ still; */ SELECT "Mixed""Case";',
      '\\unrestrict abc',
    ].join('\n');
    expect(await statements(sql, 'postgres')).toEqual([
      '1@2: SET standard_conforming_strings = on',
      "2@3: SELECT 'C:\\dir's' , '\t\n\\'v张A三'",
      "3@4: CREATE FUNCTION f ( ) RETURNS int AS ' BEGIN RETURN 1; END; ' LANGUAGE plpgsql",
      '4@5: SELECT Mixed"Case',
    ]);
  });

  it('hands out COPY data lines up to \\. and goes on with the statements after', async () => {
    const sql = 'COPY t (a) FROM stdin;\na\\tb\r\n\\N\n\\.\nSELECT 1;\n';
    for (const size of [1, 2, 3, 5, 64]) {
      const lx = new StatementLexer(chunked(Buffer.from(sql), size), 'postgres', 'test.sql');
      while ((await lx.next()) !== 'end');
      lx.startCopyData();
      const lines: string[] = [];
      while ((await lx.nextCopyLine()) === 'row') lines.push(`${lx.line}:${lx.bytes.toString()}`);
      expect(lines).toEqual(['2:a\\tb', '3:\\N']);
      expect(await lx.next()).toBe('word');
      expect([lx.text, lx.statement, lx.statementLine]).toEqual(['SELECT', 2, 5]);
    }
  });
});

describe('chunk boundaries', () => {
  const mysql = [
    '/*M!999999\\- enable the sandbox mode */ ',
    '-- MariaDB dump 10.19',
    '/*!40101 SET NAMES utf8mb4 */;',
    "INSERT INTO `行政处罚` VALUES (1,'a\\'b\\\\c\\nd\\0','张三',-1.50,0x00FF,NULL),(2,'It''s','李四\\Z',1e-7,_binary 'x',NULL);",
    'DELIMITER ;;',
    '/*!50003 CREATE*/ /*!50003 TRIGGER t BEFORE UPDATE ON x FOR EACH ROW SET NEW.a = 1 */;;',
    'DELIMITER ;',
    '# done',
    'UNLOCK TABLES;',
  ].join('\n');
  const postgres = [
    '\\restrict k',
    "SELECT pg_catalog.set_config('search_path', '', false);",
    "INSERT INTO public.\"许可\" VALUES (1, E'\\345\\274\\240\\x41\\u4e09\\'', 'a''b', $$x;y$$, $q$;$q$);",
    '/* a /* b */ c */ COPY public.t (a, b) FROM stdin;',
  ].join('\n');

  it.each([
    ['mysql', mysql],
    ['postgres', postgres],
  ] as const)('gives the same %s tokens whatever the chunk size', async (dialect, sql) => {
    const whole = await tokens(sql, dialect);
    expect(whole.length).toBeGreaterThan(30);
    for (let size = 1; size <= 24; size++) expect(await tokens(sql, dialect, size)).toEqual(whole);
  });

  it('reads a 1 MB string whose escapes straddle 64 KiB chunks', async () => {
    const piece = "张三\\n\\'"; // 6 bytes of text, 4 of escapes
    const body = piece.repeat(110_000);
    const sql = `INSERT INTO t VALUES ('${body}');`;
    expect(Buffer.byteLength(sql)).toBeGreaterThan(1_000_000);
    const seen = await tokens(sql, 'mysql', 65_536);
    const string = seen.find((t) => t.kind === 'string')!;
    expect(Buffer.from(string.value, 'latin1').toString('utf8')).toBe("张三\n'".repeat(110_000));
    expect(seen.at(-1)).toMatchObject({ kind: 'end', statement: 1 });
  });
});

describe('errors', () => {
  it('names the statement and the line of a string left open at the end of the file', async () => {
    const error = await failure("SET a=1;\nSET b=2;\nINSERT INTO t VALUES\n(1,'ok'),\n(2,'cut off", 'mysql');
    expect(error.code).toBe('file/sql-syntax');
    expect(error.message).toBe("test.sql: statement 3 (line 3): the string opened on line 5 is not closed before the end of the file");
  });

  it('rejects a last statement without its terminator', async () => {
    const error = await failure('SET a=1;\nSET b=2', 'mysql');
    expect(error.message).toBe("test.sql: statement 2 (line 2): the file ends before the statement's closing ; (is the dump truncated?)");
  });

  it('rejects bytes that are not UTF-8 in a name or comment', async () => {
    const gbk = Buffer.concat([Buffer.from('SET a=1;\n-- '), Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), Buffer.from('\nSET b=2;')]);
    const error = await failure(gbk, 'mysql');
    expect(error.code).toBe('file/encoding');
    expect(error.message).toContain('statement 2 (line 2): the text starting on line 2 is not UTF-8 (bytes D5 C5 C8 FD)');
  });

  it('rejects an E string escape that names no character', async () => {
    const error = await failure("SELECT E'\\uD800';", 'postgres');
    expect(error.message).toBe("test.sql: statement 1 (line 1): the string opened on line 1 has \\u names no Unicode character");
  });
});
