// mysqldump output (MySQL and MariaDB, 10.x): CREATE TABLE for the column names and which
// columns are binary, extended INSERTs for the rows; everything else is read through.
import type { SourceTable } from '../model.js';
import { readDump } from './read.js';
import { ignoreStatement, readCreate, type TableDefinitions } from './sql.js';
import type { StatementLexer } from './statements.js';
import { readInsert } from './values.js';
import type { DataStatement } from './data.js';

/** Statements mysqldump writes (with --master-data, --dump-slave, --routines, --system too). */
const MYSQL_VERBS = new Set([
  'ALTER', 'ANALYZE', 'BEGIN', 'CALL', 'CHANGE', 'COMMIT', 'DO', 'DROP', 'FLUSH', 'GRANT', 'INSTALL', 'LOCK',
  'OPTIMIZE', 'RENAME', 'RESET', 'REVOKE', 'ROLLBACK', 'SAVEPOINT', 'SELECT', 'SET', 'SHOW', 'START', 'STOP',
  'TRUNCATE', 'UNLOCK', 'USE',
]);

async function readMysqlStatement(lx: StatementLexer, tables: TableDefinitions): Promise<DataStatement | undefined> {
  // A statement that was only a version comment, /*!40101 SET NAMES utf8mb4 */;
  if (lx.kind === 'end') return undefined;
  if (lx.kind === 'word') {
    const verb = lx.text.toUpperCase();
    if (verb === 'INSERT' || verb === 'REPLACE') return readInsert(lx, tables);
    if (verb === 'CREATE') {
      await lx.next();
      await readCreate(lx, tables);
      return undefined;
    }
  }
  await ignoreStatement(lx, MYSQL_VERBS);
  return undefined;
}

/** The tables of a mysqldump file, in file order, each table's rows read once as they stream. */
export function readMysqlDump(path: string): AsyncIterable<SourceTable> {
  return readDump(path, 'mysql', readMysqlStatement);
}
