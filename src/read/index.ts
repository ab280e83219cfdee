// The read stage: a delivery's bytes → tables of rows, each table tied to the data subject it
// holds and each column to a data item. Everything that makes a file unreadable surfaces as a
// DeliveryError naming the file and the reason, so the caller quarantines it and goes on.
import { open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Catalog, DataSubject } from '../catalog/index.js';
import { readMysqlDump, readPgDump } from './dump/index.js';
import { headerVocabulary, mapHeaders, type ColumnMap } from './headers.js';
import { DeliveryError, type DeliveryFormat, type DeliveryMeta, type Grid, type SourceTable } from './model.js';
import { shapeGrid } from './shape.js';
import { openWorkbookGrids } from './sheet/workbook.js';
import { SNIFF_BYTES, sniffFormat } from './sniff.js';
import { readSqliteFile } from './sqlite.js';
import { decideSubject, describeCandidates, type SubjectCandidate } from './subject.js';
import { openTextGrid } from './text/index.js';

export * from './model.js';
export { mapHeaders, headerVocabulary, type ColumnMap } from './headers.js';
export { decideSubject, type SubjectCandidate } from './subject.js';
export { sniffFormat } from './sniff.js';
export * from './database/index.js';

export interface ReadContext {
  catalog: Catalog;
  /** The subjects the delivering unit may send; the whole catalog when unknown. */
  subjects?: readonly DataSubject[];
  /** The pipeline's file patterns: the subject code a file (or one of its sheets) holds. */
  subjectFor?: (file: string, table: string) => string | undefined;
  /** Told of each sheet set aside as no table (an instructions sheet, a code list). */
  onSetAside?: (sheet: string, why: string) => void;
}

export interface ReadTable {
  format: DeliveryFormat;
  encoding?: string;
  delimiter?: string;
  table: SourceTable;
  /** The subject the table holds and the item behind each column; unmapped columns listed. */
  columns: ColumnMap;
  /** How the subject was chosen: from the pipeline, or the best header match and its rivals. */
  chosenBy: 'pipeline' | 'headers';
  candidates: SubjectCandidate[];
}

async function head(path: string): Promise<Buffer> {
  const f = await open(path, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await f.read(buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await f.close();
  }
}

interface Opened { format: DeliveryFormat; encoding?: string; delimiter?: string; grids?: Grid[]; tables?: AsyncIterable<SourceTable> }

async function openFormat(path: string, file: string): Promise<Opened> {
  const info = await stat(path).catch((e: NodeJS.ErrnoException) => {
    throw new DeliveryError('file/unreadable', `cannot be opened (${e.code ?? e.message})`, file);
  });
  if (!info.isFile()) throw new DeliveryError('file/unreadable', 'is not a regular file', file);
  if (info.size === 0) throw new DeliveryError('file/empty', 'the file has no bytes', file);
  const format = sniffFormat(await head(path));
  switch (format) {
    case 'xlsx': case 'xls': case 'html-table': {
      const wb = openWorkbookGrids(file, await readFile(path), format);
      return { format, grids: wb.grids, ...(wb.encoding !== undefined && { encoding: wb.encoding }) };
    }
    case 'mysqldump': return { format, tables: readMysqlDump(path) };
    case 'pgdump': return { format, tables: readPgDump(path) };
    case 'sqlite': return { format, tables: readSqliteFile(path) };
    default: {
      const { meta, grid } = await openTextGrid(path);
      return { format: meta.format, encoding: meta.encoding, delimiter: meta.delimiter, grids: [grid] };
    }
  }
}

function subjectOf(table: SourceTable, file: string, ctx: ReadContext, subjects: readonly DataSubject[]): Omit<ReadTable, 'format' | 'table'> {
  const named = ctx.subjectFor?.(file, table.name);
  if (named !== undefined) {
    const subject = ctx.catalog.subjects.find((s) => s.code === named);
    if (!subject) throw new DeliveryError('file/unknown-subject', `the pipeline assigns "${table.name}" to ${named}, which catalog ${ctx.catalog.version.id} does not define`, file);
    return { columns: mapHeaders(table.headers, subject), chosenBy: 'pipeline', candidates: [] };
  }
  const d = decideSubject(table.headers, subjects);
  if (d.kind === 'match') return { columns: d.columns, chosenBy: 'headers', candidates: d.candidates };
  const code = d.kind === 'ambiguous' ? 'file/ambiguous-subject' : 'file/unknown-subject';
  const what = d.kind === 'ambiguous' ? 'matches several data subjects equally well' : 'matches no data subject of the unit';
  throw new DeliveryError(code, `"${table.name}" ${what}; candidates: ${describeCandidates(d.candidates) || 'none'}`, file);
}

/**
 * Reads one delivery file. Tables come one at a time and a table's rows must be consumed
 * before the next table is asked for (dumps are streamed once). Throws DeliveryError — at open,
 * or while rows are read — for anything that makes the file unloadable.
 */
export async function* readDelivery(path: string, ctx: ReadContext): AsyncGenerator<ReadTable> {
  const file = basename(path);
  const subjects = ctx.subjects ?? ctx.catalog.subjects;
  const opened = await openFormat(path, file);
  const meta = {
    format: opened.format,
    ...(opened.encoding !== undefined && { encoding: opened.encoding }),
    ...(opened.delimiter !== undefined && { delimiter: opened.delimiter }),
  };
  const vocabulary = opened.grids ? headerVocabulary(subjects) : undefined;
  const grids = opened.grids ?? [];
  const tables: AsyncIterable<SourceTable> = opened.tables ?? (async function* () {
    let found = 0;
    for (const grid of grids) {
      // In a workbook of several sheets, one with no header is instructions or a code list, not
      // a delivery; a lone sheet (or CSV) without one is refused.
      const table = await shapeGrid(grid, file, vocabulary!).catch((e: unknown) => {
        if (grids.length > 1 && e instanceof DeliveryError && (e.code === 'file/no-header' || e.code === 'file/empty')) {
          ctx.onSetAside?.(grid.name, e.message);
          return undefined;
        }
        throw e;
      });
      if (table) { found++; yield table; }
    }
    if (found === 0) throw new DeliveryError('file/no-header', `no sheet of ${grids.length} has a header naming catalog data items (${grids.map((g) => g.name).join(', ')})`, file);
  })();
  for await (const table of tables) yield typedTable(table, file, meta, ctx);
}

/**
 * One table with its data subject decided (the pipeline's, else the headers') and every required
 * item's column present: what readDelivery yields per table, and what a database source's pull becomes.
 */
export function typedTable(table: SourceTable, file: string, meta: DeliveryMeta, ctx: ReadContext): ReadTable {
  const chosen = subjectOf(table, file, ctx, ctx.subjects ?? ctx.catalog.subjects);
  const missing = chosen.columns.missingRequired;
  if (missing.length > 0) {
    throw new DeliveryError('file/missing-columns', `"${table.name}" (${chosen.columns.subject.code} ${chosen.columns.subject.name}) has no column for required ${missing.map((i) => `${i.name} (${i.code})`).join(', ')}`, file);
  }
  return { ...meta, table, ...chosen };
}
