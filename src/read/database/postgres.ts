// PostgreSQL: read-only from the first statement, rows handed over through a server-side cursor.
import { isoDateTime } from './cells.js';
import type { Driver, DriverLink, ServerText } from './session.js';
import { spliceSource, type SourceStatement } from './sql.js';

// node-postgres ships no type declarations; this is the part of its client used here.
interface PgClient {
  query(query: string | PgQuery): Promise<PgResult>;
}
interface PgQuery {
  text: string;
  values?: readonly unknown[];
  rowMode?: 'array';
  types?: PgTypes;
}
interface PgResult {
  rows: unknown[];
  fields: { name: string; dataTypeID: number }[];
}
interface PgTypes {
  getTypeParser(typeId: number): (text: string) => unknown;
}

// The server's own text for every type: no JS Date (zone shifts), no JS number (lost digits).
const SERVER_TEXT: PgTypes = { getTypeParser: () => (text) => text };

const BOOL = 16;
const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;

function cellText(typeId: number): (text: string) => string {
  switch (typeId) {
    case BOOL:
      return (text) => (text === 't' ? 'true' : 'false');
    case TIMESTAMP:
    case TIMESTAMPTZ:
      return isoDateTime;
    default:
      return (text) => text;
  }
}

const CURSOR = 'credit_etl_pull';

export const postgres: Driver = {
  client: 'pg',
  connection: (spec) => ({
    connectionString: spec.url,
    application_name: `credit-etl ${spec.id}`,
    // Read-only before the first statement; DateStyle pinned because date text is read as ISO.
    options: '-c default_transaction_read_only=on -c DateStyle=ISO,YMD',
  }),
  async begin(connection) {
    const client = connection as PgClient;
    await client.query('BEGIN READ ONLY');
    const { rows } = await client.query('SHOW transaction_read_only');
    const setting = (rows[0] as { transaction_read_only?: string } | undefined)?.transaction_read_only;
    if (setting !== 'on') throw new Error(`the server reports transaction_read_only = ${setting}`);
    return link(client);
  },
};

function link(client: PgClient): DriverLink {
  const text = (statement: SourceStatement) => spliceSource(statement.template, statement.source);
  return {
    async columns(statement) {
      const query = { text: text(statement), values: statement.bindings, rowMode: 'array' } as const;
      const result = await client.query(query);
      return result.fields.map((field) => field.name);
    },
    async *rows(statement, batchSize) {
      // One sorted result on the server, fetched batchSize rows at a time: ties on the watermark
      // cannot fall between two batches, and the client never holds more than one batch.
      const declare = `DECLARE ${CURSOR} NO SCROLL CURSOR FOR ${text(statement)}`;
      await client.query({ text: declare, values: statement.bindings });
      // FETCH takes no bound parameters; batchSize is a checked positive integer.
      const fetch = `FETCH FORWARD ${batchSize} FROM ${CURSOR}`;
      for (;;) {
        const batch = await client.query({ text: fetch, rowMode: 'array', types: SERVER_TEXT });
        const texts = batch.fields.map((field) => cellText(field.dataTypeID));
        for (const row of batch.rows as ServerText[][]) {
          yield row.map((value, i) => (value === null ? null : texts[i]!(value)));
        }
        if (batch.rows.length < batchSize) return;
      }
    },
    async end() {
      await client.query('ROLLBACK');
    },
  };
}
