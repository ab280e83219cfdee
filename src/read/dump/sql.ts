// Grammar shared by the MySQL and PostgreSQL readers: names, column lists, CREATE TABLE, and
// which statements a dump may hold without carrying rows. Each function starts at the lexer's
// current token and leaves it on the token after what it read.
import { DeliveryError } from '../model.js';
import type { StatementLexer } from './statements.js';

/** A column of a CREATE TABLE; `binary` columns hold bytes, not text (MySQL BLOB, BINARY, BIT). */
export interface TableColumn {
  name: string;
  binary: boolean;
}

/** CREATE TABLE columns seen so far, by qualified name and by bare table name. */
export type TableDefinitions = Map<string, TableColumn[]>;

export const isWord = (lx: StatementLexer, word: string): boolean => lx.kind === 'word' && lx.text.toUpperCase() === word;
export const isPunct = (lx: StatementLexer, punct: string): boolean => lx.kind === 'punct' && lx.text === punct;

export async function expectWord(lx: StatementLexer, word: string): Promise<void> {
  if (!isWord(lx, word)) throw lx.fail(`expected ${word}, found ${lx.describe()}`);
  await lx.next();
}

export async function expectPunct(lx: StatementLexer, punct: string, after: string): Promise<void> {
  if (!isPunct(lx, punct)) throw lx.fail(`expected \`${punct}\` ${after}, found ${lx.describe()}`);
  await lx.next();
}

/** A name as the server sees it: PostgreSQL folds unquoted names to lower case, MySQL keeps them. */
function nameText(lx: StatementLexer, what: string): string {
  if (lx.kind === 'ident') return lx.text;
  if (lx.kind === 'word') return lx.dialect === 'postgres' ? lx.text.toLowerCase() : lx.text;
  throw lx.fail(`expected ${what}, found ${lx.describe()}`);
}

/** `schema`.`table` → ['schema', 'table']. */
export async function readQualifiedName(lx: StatementLexer): Promise<string[]> {
  const parts = [nameText(lx, 'a table name')];
  for (await lx.next(); isPunct(lx, '.'); await lx.next()) {
    await lx.next();
    parts.push(nameText(lx, 'a table name'));
  }
  return parts;
}

/** `(a, "b", c)` of an INSERT or COPY. */
export async function readColumnList(lx: StatementLexer): Promise<string[]> {
  const names: string[] = [];
  do {
    await lx.next();
    names.push(nameText(lx, 'a column name'));
    await lx.next();
  } while (isPunct(lx, ','));
  await expectPunct(lx, ')', 'after the column list');
  return names;
}

/** Reads through the rest of the statement; its text must still be UTF-8. */
export async function skipStatement(lx: StatementLexer): Promise<void> {
  while (lx.kind !== 'end') {
    if (lx.kind === 'string') lx.stringText();
    await lx.next();
  }
}

const TABLE_MODIFIERS = new Set(['OR', 'REPLACE', 'TEMPORARY', 'TEMP', 'UNLOGGED', 'GLOBAL', 'LOCAL']);
const NOT_COLUMNS = new Set(['PRIMARY', 'KEY', 'INDEX', 'UNIQUE', 'CONSTRAINT', 'FOREIGN', 'FULLTEXT', 'SPATIAL', 'CHECK', 'PERIOD', 'EXCLUDE', 'LIKE']);
// mysqldump writes these columns' bytes raw inside '…' unless --hex-blob: they are not text.
const MYSQL_BINARY_TYPES = new Set(['BINARY', 'VARBINARY', 'TINYBLOB', 'BLOB', 'MEDIUMBLOB', 'LONGBLOB', 'BIT']);

/** After `CREATE`: records a table's columns (other CREATEs are read through). Ends on `end`. */
export async function readCreate(lx: StatementLexer, tables: TableDefinitions): Promise<void> {
  while (lx.kind === 'word' && TABLE_MODIFIERS.has(lx.text.toUpperCase())) await lx.next();
  if (!isWord(lx, 'TABLE')) return skipStatement(lx);
  await lx.next();
  if (isWord(lx, 'IF')) {
    await lx.next();
    await expectWord(lx, 'NOT');
    await expectWord(lx, 'EXISTS');
  }
  const name = await readQualifiedName(lx);
  // CREATE TABLE … AS SELECT, … PARTITION OF: no column list of its own.
  if (!isPunct(lx, '(')) return skipStatement(lx);
  const columns: TableColumn[] = [];
  await lx.next();
  while (!isPunct(lx, ')')) {
    if (lx.kind === 'ident' || (lx.kind === 'word' && !NOT_COLUMNS.has(lx.text.toUpperCase()))) {
      const column = nameText(lx, 'a column name');
      await lx.next();
      const type = lx.kind === 'word' ? lx.text.toUpperCase() : '';
      columns.push({ name: column, binary: lx.dialect === 'mysql' && MYSQL_BINARY_TYPES.has(type) });
    }
    await skipDefinition(lx);
  }
  tables.set(name.join('.'), columns);
  tables.set(name[name.length - 1]!, columns);
  await lx.next();
  return skipStatement(lx);
}

/** Past one column or constraint definition, to the `,` after it (consumed) or the closing `)`. */
async function skipDefinition(lx: StatementLexer): Promise<void> {
  for (let depth = 0; ; await lx.next()) {
    if (lx.kind === 'end') throw lx.fail('the column list of CREATE TABLE is not closed');
    if (lx.kind === 'string') lx.stringText();
    if (isPunct(lx, '(')) depth++;
    else if (isPunct(lx, ')')) {
      if (depth === 0) return;
      depth--;
    } else if (isPunct(lx, ',') && depth === 0) {
      await lx.next();
      return;
    }
  }
}

/** Statements that change rows in place: reading a dump's INSERTs without them would be wrong. */
const CHANGES_ROWS = new Set(['UPDATE', 'DELETE', 'MERGE']);

/**
 * A statement that carries no rows: read through it. `verbs` are the statements the dialect's
 * dump tools (and people editing their output) write; anything else is not SQL of a dump.
 */
export async function ignoreStatement(lx: StatementLexer, verbs: ReadonlySet<string>): Promise<void> {
  const verb = lx.text.toUpperCase();
  if (CHANGES_ROWS.has(verb)) {
    throw new DeliveryError('file/format', `${lx.where()}: ${verb} changes rows in place; a dump delivery must carry its rows as INSERT or COPY only`, lx.file);
  }
  if (lx.kind !== 'word' || !verbs.has(verb)) throw lx.fail(`${lx.describe()} does not start a SQL statement`);
  await skipStatement(lx);
}
