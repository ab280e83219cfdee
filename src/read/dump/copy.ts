// COPY … FROM stdin; and its data lines, as pg_dump writes table data by default: one line per
// record, fields split by tabs, \N for NULL, backslash escapes for tabs, newlines and the like.
import { DeliveryError } from '../model.js';
import { type DataStatement, dataColumns } from './data.js';
import { COPY_ESCAPES, readEscape } from './escapes.js';
import { isPunct, isWord, readColumnList, readQualifiedName, type TableDefinitions } from './sql.js';
import type { StatementLexer } from './statements.js';
import { decodeUtf8 } from './utf8.js';

const TAB = 0x09;
const BACKSLASH = 0x5c;
const N = 0x4e;

/** After `COPY`: the table, its columns and a reader of the data lines that follow. */
export async function readCopy(lx: StatementLexer, tables: TableDefinitions): Promise<DataStatement> {
  await lx.next();
  const name = await readQualifiedName(lx);
  const listed = isPunct(lx, '(') ? await readColumnList(lx) : undefined;
  const { headers } = dataColumns(lx, tables, name, listed);
  if (!isWord(lx, 'FROM')) throw notTextCopy(lx);
  await lx.next();
  if (!isWord(lx, 'STDIN')) throw notTextCopy(lx);
  await lx.next();
  if (lx.kind !== 'end') throw notTextCopy(lx);
  lx.startCopyData();
  let done = false;
  return {
    name,
    headers,
    async nextRow() {
      if (done || (await lx.nextCopyLine()) === 'end') {
        done = true;
        return undefined;
      }
      const fields = copyFields(lx.bytes);
      if (typeof fields === 'string') throw lx.fail(`COPY data line ${lx.line}: ${fields}`);
      if (fields.length !== headers.length) {
        throw lx.fail(`COPY data line ${lx.line} has ${fields.length} fields, but ${name.join('.')} has ${headers.length} columns`);
      }
      return fields.map((field) => {
        if (field === null) return '';
        const text = decodeUtf8(field);
        if (text === undefined) throw lx.notUtf8(field, lx.line);
        return text;
      });
    },
  };
}

function notTextCopy(lx: StatementLexer): DeliveryError {
  return new DeliveryError(
    'file/format',
    `${lx.where()}: only COPY … FROM stdin; in pg_dump's text format carries rows in a dump, found ${lx.describe()} instead`,
    lx.file,
  );
}

/** The fields of one data line, unescaped (null for \N), or what is wrong with the line. */
export function copyFields(line: Buffer): Array<Buffer | null> | string {
  const fields: Array<Buffer | null> = [];
  for (let start = 0; ; ) {
    if (line[start] === BACKSLASH && line[start + 1] === N && (start + 2 === line.length || line[start + 2] === TAB)) {
      fields.push(null);
      start += 3;
      if (start > line.length) return fields;
      continue;
    }
    const parts: Uint8Array[] = [];
    let seg = start;
    let i = start;
    while (i < line.length && line[i] !== TAB) {
      if (line[i] !== BACKSLASH) {
        i++;
        continue;
      }
      const escape = readEscape(COPY_ESCAPES, line, i + 1, line.length, true);
      if (escape === 'more' || 'invalid' in escape) return 'the line ends in a lone backslash';
      parts.push(line.subarray(seg, i), escape.bytes);
      i = escape.next;
      seg = i;
    }
    parts.push(line.subarray(seg, i));
    fields.push(parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts));
    if (i >= line.length) return fields;
    start = i + 1;
  }
}
