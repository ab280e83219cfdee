// INSERT … VALUES (…), (…); as mysqldump (extended inserts) and pg_dump --inserts write it. The
// tuples are read one at a time, so a statement of any size streams.
import { hexText } from '../database/cells.js';
import { type DataStatement, dataColumns } from './data.js';
import { expectPunct, isPunct, isWord, readColumnList, readQualifiedName, skipStatement, type TableDefinitions } from './sql.js';
import type { StatementLexer } from './statements.js';

const MODIFIERS = new Set(['LOW_PRIORITY', 'DELAYED', 'HIGH_PRIORITY', 'IGNORE']);

/** After `INSERT` or `REPLACE`: the statement's table, columns and a reader of its tuples. */
export async function readInsert(lx: StatementLexer, tables: TableDefinitions): Promise<DataStatement> {
  await lx.next();
  while (lx.kind === 'word' && MODIFIERS.has(lx.text.toUpperCase())) await lx.next();
  if (isWord(lx, 'INTO')) await lx.next();
  const name = await readQualifiedName(lx);
  const listed = isPunct(lx, '(') ? await readColumnList(lx) : undefined;
  // pg_dump --inserts writes this for GENERATED ALWAYS identity columns.
  if (isWord(lx, 'OVERRIDING')) for (let i = 0; i < 3; i++) await lx.next();
  if (!isWord(lx, 'VALUES') && !isWord(lx, 'VALUE')) {
    throw lx.fail(`expected VALUES after INSERT INTO ${name.join('.')}, found ${lx.describe()} (INSERT … SELECT or … SET is not a dump of rows)`);
  }
  await lx.next();
  const { headers, binary } = dataColumns(lx, tables, name, listed);
  let tuple = 0;
  let done = false;
  return {
    name,
    headers,
    async nextRow() {
      if (done) return undefined;
      if (tuple > 0) {
        if (lx.kind === 'end' || isWord(lx, 'ON')) {
          // ON DUPLICATE KEY UPDATE / ON CONFLICT DO NOTHING decide clashes, not row content.
          await skipStatement(lx);
          done = true;
          return undefined;
        }
        await expectPunct(lx, ',', `after VALUES tuple ${tuple}`);
      }
      tuple++;
      if (!isPunct(lx, '(')) throw lx.fail(`expected \`(\` to open VALUES tuple ${tuple}, found ${lx.describe()}`);
      // mysqldump puts thousands of tuples in one statement: the tuple's own line finds it.
      const line = lx.line;
      const cells = await readTuple(lx, binary, tuple);
      if (cells.length !== headers.length) {
        throw lx.fail(`VALUES tuple ${tuple} on line ${line} has ${cells.length} values, but ${name.join('.')} has ${headers.length} columns`);
      }
      return cells;
    },
  };
}

/**
 * One `( … )`, its `(` current, as cell texts; leaves the lexer after the `)`. NULL becomes ''
 * (SourceRow cells are text: NULL and '' both mean "not given" downstream). Binary values become
 * `\x…` hex, as pg_dump shows bytea and the database reader shows every binary value.
 */
async function readTuple(lx: StatementLexer, binary: readonly boolean[], tuple: number): Promise<string[]> {
  const cells: string[] = [];
  for (;;) {
    // The synchronous path: one promise per token would dominate the cost of a large dump.
    if (!lx.scan()) await lx.refill();
    if (cells.length === 0 && isPunct(lx, ')')) break;
    const isBinary = binary[cells.length] ?? false;
    cells.push(singleTokenValue(lx, isBinary) ?? (await multiTokenValue(lx, isBinary, tuple)));
    if (!lx.scan()) await lx.refill();
    if (isPunct(lx, ')')) break;
    if (!isPunct(lx, ',')) throw lx.fail(`expected \`,\` or \`)\` after value ${cells.length} of VALUES tuple ${tuple}, found ${lx.describe()}`);
  }
  if (!lx.scan()) await lx.refill();
  return cells;
}

/** A value that is one token, synchronously; undefined when it takes more (a sign, an introducer). */
function singleTokenValue(lx: StatementLexer, binary: boolean): string | undefined {
  switch (lx.kind) {
    case 'string':
      return binary ? hexText(lx.bytes) : lx.stringText();
    case 'number':
      return lx.text;
    case 'hex':
      return hexText(Buffer.from(lx.text, 'hex'));
    case 'word': {
      const word = lx.text.toUpperCase();
      if (word === 'NULL') return '';
      if (word === 'TRUE' || word === 'FALSE') return lx.text;
      return undefined;
    }
    default:
      return undefined;
  }
}

async function multiTokenValue(lx: StatementLexer, binary: boolean, tuple: number): Promise<string> {
  // A character set introducer: _binary '…' (MySQL 8 dumps), _utf8mb4 '…'.
  if (lx.kind === 'word' && lx.text.startsWith('_')) {
    const introducer = lx.text.toUpperCase();
    if ((await lx.next()) !== 'string') throw lx.fail(`expected a string after ${introducer} in VALUES tuple ${tuple}, found ${lx.describe()}`);
    return binary || introducer === '_BINARY' ? hexText(lx.bytes) : lx.stringText();
  }
  if (isPunct(lx, '-') || isPunct(lx, '+')) {
    const sign = lx.text === '-' ? '-' : '';
    if ((await lx.next()) === 'number') return sign + lx.text;
  }
  throw lx.fail(`${lx.describe()} is not a value (VALUES tuple ${tuple})`);
}
