// The one path every dump takes: check the file is whole, tokenize it in chunks, let the
// dialect make data statements of it, and group their rows into SourceTables.
import type { SourceTable } from '../model.js';
import { CHUNK_BYTES, fileChunks } from './chunks.js';
import type { DataStatement } from './data.js';
import type { TableDefinitions } from './sql.js';
import { type Dialect, StatementLexer } from './statements.js';
import { splitTables } from './tables.js';
import { checkWhole } from './whole.js';

/**
 * What a dialect makes of one statement, its first token current: a data statement whose rows
 * are read on demand, or undefined once it has read through a statement that carries no rows.
 */
export type StatementReader = (lx: StatementLexer, tables: TableDefinitions) => Promise<DataStatement | undefined>;

export function readDump(path: string, dialect: Dialect, readStatement: StatementReader, chunkBytes = CHUNK_BYTES): AsyncIterable<SourceTable> {
  return {
    async *[Symbol.asyncIterator]() {
      await checkWhole(path);
      const lx = new StatementLexer(fileChunks(path, chunkBytes), dialect, path);
      const tables: TableDefinitions = new Map();
      const nextData = async (): Promise<DataStatement | undefined> => {
        while ((await lx.next()) !== 'eof') {
          const data = await readStatement(lx, tables);
          if (data) return data;
        }
        return undefined;
      };
      try {
        yield* splitTables(nextData);
      } finally {
        await lx.close();
      }
    },
  };
}
