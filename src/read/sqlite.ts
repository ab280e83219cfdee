// SQLite file deliveries: every user table is a SourceTable, read-only, rows in rowid order.
// Values become the text a person would expect: integers in full (as BigInt, so an 18-digit ID
// stored as INTEGER keeps its digits), REAL as JavaScript's shortest round-trip text, BLOB as
// `\x…` hex like every binary value credit-etl reads, NULL as ''.
import { open } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { hexText } from './database/cells.js';
import { DeliveryError, type SourceRow, type SourceTable } from './model.js';

const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
// What SQLite says when the bytes are damaged (a truncated copy, a bad disk, a renamed file).
const DAMAGED = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_SEQUENCE', 'SQLITE_CORRUPT_VTAB', 'SQLITE_IOERR_SHORT_READ']);

const quoteName = (name: string): string => `"${name.replace(/"/g, '""')}"`;

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Buffer.isBuffer(value)) return hexText(value);
  return String(value);
}

async function checkMagic(path: string): Promise<void> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(MAGIC.length);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    if (bytesRead === 0) throw new DeliveryError('file/empty', 'the file has no bytes', path);
    if (!head.subarray(0, bytesRead).equals(MAGIC)) {
      throw new DeliveryError('file/format', 'the file does not start with "SQLite format 3": it is not a SQLite database', path);
    }
  } finally {
    await file.close();
  }
}

/** Rethrows SQLite's complaint about damaged bytes as a quarantine reason naming where. */
function damaged(error: unknown, path: string, where: string): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !DAMAGED.has(code)) return error;
  return new DeliveryError('file/corrupt', `${where}: the SQLite file is damaged (${code}: ${(error as Error).message})`, path);
}

/**
 * The user tables (not sqlite_%) in the order they were created. One connection serves all
 * tables, so, as with the dumps, a table's rows are read before the next table is asked for:
 * rows left unread are abandoned when it is.
 */
export function readSqliteFile(path: string): AsyncIterable<SourceTable> {
  return {
    async *[Symbol.asyncIterator]() {
      await checkMagic(path);
      let db: Database.Database;
      try {
        db = new Database(path, { readonly: true, fileMustExist: true });
      } catch (error) {
        throw damaged(error, path, 'opening the file');
      }
      try {
        db.defaultSafeIntegers(true);
        let names: { name: string; wr: bigint }[];
        try {
          names = db
            .prepare(
              "SELECT s.name, l.wr FROM sqlite_schema s JOIN pragma_table_list l ON l.name = s.name AND l.schema = 'main' " +
                "WHERE s.type = 'table' AND s.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY s.rowid",
            )
            .all() as { name: string; wr: bigint }[];
        } catch (error) {
          throw damaged(error, path, 'listing the tables');
        }
        for (const { name, wr } of names) {
          let headers: string[];
          let select: Database.Statement;
          try {
            headers = (db.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').all(name) as { name: string }[]).map((c) => c.name);
            // WITHOUT ROWID tables have no rowid: their own order is the primary key's.
            const order = wr ? '' : ' ORDER BY rowid';
            select = db.prepare(`SELECT ${headers.map(quoteName).join(', ')} FROM ${quoteName(name)}${order}`).raw(true);
          } catch (error) {
            throw damaged(error, path, `table ${name}`);
          }
          const rows = (async function* (): AsyncGenerator<SourceRow> {
            let row = 0;
            try {
              for (const values of select.iterate() as IterableIterator<unknown[]>) yield { row: ++row, cells: values.map(cellText) };
            } catch (error) {
              throw damaged(error, path, `table ${name}, after row ${row}`);
            }
          })();
          yield { name, headers, rows, skipped: [] };
          await rows.return(undefined);
        }
      } finally {
        db.close();
      }
    },
  };
}
