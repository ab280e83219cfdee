// One connection to a unit's database, held for one job (reading the columns, or one pull) inside
// a read-only transaction the server has confirmed, and always given back.
import createKnex, { type Knex } from 'knex';
import { sourceFailure } from './errors.js';
import { mysql } from './mysql.js';
import { postgres } from './postgres.js';
import type { CheckedSpec, DatabaseSourceSpec, Dialect } from './spec.js';
import { columnsStatement, pullStatement, type SourceStatement } from './sql.js';

/** A value as the server wrote it out as text; null for SQL NULL. */
export type ServerText = string | null;

/** What a dialect does on a connection knex opened for it. */
export interface Driver {
  client: 'pg' | 'mysql2';
  connection(spec: DatabaseSourceSpec): Knex.StaticConnectionConfig;
  /** Start a read-only transaction and check the server says it is one. */
  begin(connection: unknown): Promise<DriverLink>;
}

/** A connection inside its read-only transaction. */
export interface DriverLink {
  columns(statement: SourceStatement): Promise<string[]>;
  /** The rows of `statement`, holding at most about `batchSize` of them in memory. */
  rows(statement: SourceStatement, batchSize: number): AsyncGenerator<ServerText[]>;
  /** End the transaction; a connection left in the middle of a result is dropped, not drained. */
  end(): Promise<void>;
}

const DRIVERS: Readonly<Record<Dialect, Driver>> = { postgres, mysql };

export interface SourceSession {
  /** Column names of the table or query, in order. */
  readonly columns: readonly string[];
  /** Rows whose watermark is greater than `since` (all rows when undefined), in watermark order. */
  rows(since: string | undefined): AsyncGenerator<ServerText[]>;
  close(): Promise<void>;
}

// knex prints a failed connect with the driver's raw error; that failure is thrown, redacted, instead.
function knexWarning(message: string): void {
  if (!message.startsWith('Acquire connection error')) process.emitWarning(message, 'KnexWarning');
}

export async function openSession({ spec, dialect, batchSize }: CheckedSpec): Promise<SourceSession> {
  const driver = DRIVERS[dialect];
  const knex = createKnex({
    client: driver.client,
    connection: driver.connection(spec),
    pool: { min: 0, max: 1 },
    log: { warn: knexWarning },
  });
  let connection: unknown;
  try {
    connection = await knex.client.acquireConnection();
  } catch (error) {
    await knex.destroy();
    throw sourceFailure(spec, 'connect', 'cannot connect', error);
  }
  const giveBack = async () => {
    await knex.client.releaseConnection(connection);
    await knex.destroy();
  };

  let link: DriverLink | undefined;
  let columns: string[];
  try {
    link = await driver.begin(connection).catch((error: unknown) => {
      throw sourceFailure(spec, 'read-only', 'cannot open a read-only transaction', error);
    });
    columns = await link.columns(columnsStatement(knex, spec)).catch((error: unknown) => {
      throw sourceFailure(spec, 'columns', `cannot read the columns of ${spec.table ?? 'the query'}`, error);
    });
  } catch (error) {
    // The first failure is the one to report; ending the transaction is only tidying up.
    await link?.end().catch(() => undefined);
    await giveBack();
    throw error;
  }
  const opened = link;
  return {
    columns,
    rows: (since) => opened.rows(pullStatement(knex, spec, since, columns.length), batchSize),
    async close() {
      try {
        await opened.end();
      } finally {
        await giveBack();
      }
    },
  };
}
