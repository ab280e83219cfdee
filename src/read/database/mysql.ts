// MySQL/MariaDB: a read-only session and transaction, rows streamed off one sorted result.
import type { Connection, FieldPacket, TypeCast } from 'mysql2';
import { hexText, isoDateTime } from './cells.js';
import type { Driver, DriverLink, ServerText } from './session.js';
import { spliceSource, type SourceStatement } from './sql.js';

// Every value as the server's text (numbers keep their digits, dates their zone); binary as hex.
const serverText: TypeCast = (field, next) => {
  // MySQL labels JSON text with the binary character set, MariaDB sends it as a BLOB marked json
  // (which mysql2 would parse into an object); either way it is UTF-8 text.
  if (field.type === 'JSON' || field.extendedFormat === 'json') return field.string('utf8');
  switch (field.type) {
    case 'DATETIME':
    case 'TIMESTAMP': {
      const text = field.string();
      return text === null ? null : isoDateTime(text);
    }
    case 'BIT':
    case 'GEOMETRY': {
      const bytes = field.buffer();
      return bytes === null ? null : hexText(bytes);
    }
    case 'TINY_BLOB':
    case 'MEDIUM_BLOB':
    case 'LONG_BLOB':
    case 'BLOB':
    case 'VAR_STRING':
    case 'STRING': {
      // The driver's own decoding: text in its character set, a Buffer for binary columns.
      const value = next();
      return Buffer.isBuffer(value) ? hexText(value) : value;
    }
    default:
      return field.string();
  }
};

export const mysql: Driver = {
  client: 'mysql2',
  connection: (spec) => {
    const url = new URL(spec.url);
    return {
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port ? Number(url.port) : 3306,
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      database: decodeURIComponent(url.pathname.slice(1)),
      charset: 'utf8mb4',
    };
  },
  async begin(connection) {
    const conn = connection as Connection;
    await run(conn, 'SET SESSION TRANSACTION READ ONLY');
    // Rows stream as fast as the loader takes them; the server drops a connection whose writes
    // stall longer than net_write_timeout (60 s by default), so give a slow night room.
    await run(conn, 'SET SESSION net_write_timeout = 3600');
    await run(conn, 'START TRANSACTION READ ONLY');
    // MariaDB before 11.1 names the setting tx_read_only, MySQL 8 transaction_read_only.
    const [settings] = await run(
      conn,
      "SHOW SESSION VARIABLES WHERE Variable_name IN ('tx_read_only', 'transaction_read_only')",
    );
    const values = (settings as { Value: string }[]).map((row) => row.Value);
    if (values.length === 0 || values.some((value) => value !== 'ON')) {
      throw new Error(`the server reports tx_read_only = ${values.join(', ') || 'nothing'}`);
    }
    return link(conn);
  },
};

function link(conn: Connection): DriverLink {
  // mysql2 binds `?` on the client over the whole text, so values go in before the source does.
  const sql = (statement: SourceStatement) =>
    spliceSource(conn.format(statement.template, [...statement.bindings]), statement.source);
  let abandoned = false;
  return {
    async columns(statement) {
      const [, fields] = await run(conn, sql(statement));
      return fields.map((field) => field.name);
    },
    async *rows(statement, batchSize) {
      const stream = conn.query({ sql: sql(statement), rowsAsArray: true, typeCast: serverText }).stream({
        highWaterMark: batchSize,
      });
      let finished = false;
      try {
        for await (const row of stream) yield row as ServerText[];
        finished = true;
      } finally {
        abandoned ||= !finished;
      }
    },
    async end() {
      if (abandoned) conn.destroy();
      else await run(conn, 'ROLLBACK');
    },
  };
}

function run(conn: Connection, sql: string): Promise<[unknown, FieldPacket[]]> {
  return new Promise((resolve, reject) => {
    conn.query(sql, (error: Error | null, result: unknown, fields: FieldPacket[]) => {
      if (error) reject(error);
      else resolve([result, fields]);
    });
  });
}
