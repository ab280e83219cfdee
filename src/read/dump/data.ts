// Where a data statement's rows come from, and how its column names are found: from the
// statement's own column list, else from the CREATE TABLE seen earlier in the dump.
import { DeliveryError } from '../model.js';
import type { TableColumn, TableDefinitions } from './sql.js';
import type { StatementLexer } from './statements.js';

/** The rows of one INSERT or COPY statement, read on demand. */
export interface DataStatement {
  /** Qualified name as written: ['public', 'xzxk']. */
  name: string[];
  headers: string[];
  /** The next record's cells, or undefined when the statement has no more. */
  nextRow(): Promise<string[] | undefined>;
}

/** Column names, and for each whether it holds bytes, for a data statement on `name`. */
export function dataColumns(
  lx: StatementLexer,
  tables: TableDefinitions,
  name: string[],
  listed: string[] | undefined,
): { headers: string[]; binary: boolean[] } {
  const defined: TableColumn[] | undefined = tables.get(name.join('.')) ?? tables.get(name[name.length - 1]!);
  if (listed) return { headers: listed, binary: listed.map((c) => defined?.find((d) => d.name === c)?.binary ?? false) };
  if (defined) return { headers: defined.map((d) => d.name), binary: defined.map((d) => d.binary) };
  throw new DeliveryError(
    'file/no-header',
    `${lx.where()}: the rows of ${name.join('.')} come without a column list and no CREATE TABLE ${name.join('.')} comes before them ` +
      '(dump with the table definitions, or with mysqldump --complete-insert / pg_dump --column-inserts)',
    lx.file,
  );
}
