// pg_dump plain-format output (15): CREATE TABLE for column names, COPY … FROM stdin blocks (the
// default) or INSERTs (--inserts, --column-inserts) for the rows; everything else is read through.
import type { SourceTable } from '../model.js';
import { readCopy } from './copy.js';
import type { DataStatement } from './data.js';
import { readDump } from './read.js';
import { ignoreStatement, readCreate, type TableDefinitions } from './sql.js';
import type { StatementLexer } from './statements.js';
import { readInsert } from './values.js';

/** Statements pg_dump and pg_dumpall write. */
const PG_VERBS = new Set([
  'ALTER', 'ANALYZE', 'BEGIN', 'CLUSTER', 'COMMENT', 'COMMIT', 'DO', 'DROP', 'END', 'GRANT', 'LOCK', 'REFRESH',
  'REINDEX', 'RESET', 'REVOKE', 'ROLLBACK', 'SECURITY', 'SELECT', 'SET', 'START', 'TRUNCATE', 'VACUUM',
]);

async function readPgStatement(lx: StatementLexer, tables: TableDefinitions): Promise<DataStatement | undefined> {
  if (lx.kind === 'word') {
    const verb = lx.text.toUpperCase();
    if (verb === 'COPY') return readCopy(lx, tables);
    if (verb === 'INSERT') return readInsert(lx, tables);
    if (verb === 'CREATE') {
      await lx.next();
      await readCreate(lx, tables);
      return undefined;
    }
  }
  await ignoreStatement(lx, PG_VERBS);
  return undefined;
}

/** The tables of a pg_dump plain-format file, in file order, each table's rows read once as they stream. */
export function readPgDump(path: string): AsyncIterable<SourceTable> {
  return readDump(path, 'postgres', readPgStatement);
}
