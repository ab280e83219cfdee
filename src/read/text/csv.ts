// CSV and TSV deliveries as a Grid: every physical record in file order (title rows, header,
// data, blank lines, trailing notes), numbered by the line it starts on. Finding the header and
// setting titles and notes aside is the shaping stage's job, not this one's.
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { pipeline } from 'node:stream';
import { parse, type CsvError, type Parser } from 'csv-parse';
import iconv from 'iconv-lite';
import { DeliveryError, type Grid, type GridRow } from '../model.js';
import { csvOptions, MAX_RECORD_BYTES, type Delimiter } from './dialect.js';
import { iconvName, isUtf8, type TextEncoding } from './encoding.js';
import { encodingCheck } from './encoding-check.js';
import { lineBreaksIn } from './lines.js';
import { sniffText, type TextSniff } from './sniff.js';

export interface TextMeta {
  format: 'csv' | 'tsv';
  encoding: TextEncoding;
  delimiter: Delimiter;
}

const CHUNK_BYTES = 64 * 1024;

/**
 * Opens a CSV or TSV delivery: sniffs it now (throwing `file/empty`, `file/binary` or
 * `file/encoding`), streams its records when `grid.rows` is iterated (each iteration reads the
 * file afresh). A blank line comes as a row with cells `['']`. Iteration throws `file/encoding`
 * at a bad byte past the sniffed start, and `file/corrupt` after the last whole record when a
 * quote is never closed.
 */
export async function openTextGrid(path: string): Promise<{ meta: TextMeta; grid: Grid }> {
  const sniff = await sniffText(path);
  return {
    meta: { format: sniff.delimiter === '\t' ? 'tsv' : 'csv', encoding: sniff.encoding, delimiter: sniff.delimiter },
    grid: { name: basename(path), rows: { [Symbol.asyncIterator]: () => readRecords(path, sniff) } },
  };
}

// csv-parse builds a CsvError (stack trace, JSON copy of the record) for every record whose width
// differs from the FIRST record's, relax_column_count or not. Behind a one-cell title row that is
// every data row: 200,000 GBK rows took 23-25 s and 142 MB without this, 6-11 s and 93 MB with it.
// Measuring each record against the one before keeps the cost to rows where the width changes.
function expectWidth(parser: Parser, width: number): void {
  (parser as unknown as { state: { expectedRecordLength: number } }).state.expectedRecordLength = width;
}

function corrupt(path: string, error: CsvError, line: number): DeliveryError {
  const column = typeof error.column === 'number' ? error.column + 1 : undefined;
  const quote = `the quote opening column ${column ?? '?'}`;
  const what =
    error.code === 'CSV_QUOTE_NOT_CLOSED' ? `${quote} of the record starting here is never closed, so the rest of the file is one cell`
    : error.code === 'CSV_MAX_RECORD_SIZE' ? `the record starting here runs past ${MAX_RECORD_BYTES} bytes without ending; ${quote} is most likely never closed`
    : `the record starting here cannot be parsed (${error.code})`;
  return new DeliveryError('file/corrupt', `line ${line}: ${what}`, path);
}

async function* readRecords(path: string, sniff: TextSniff): AsyncGenerator<GridRow> {
  let failure: CsvError | undefined;
  const parser = parse({ ...csvOptions(sniff.delimiter), on_skip: (error) => void (failure ??= error) });
  const source = createReadStream(path, { start: sniff.bomLength, highWaterMark: CHUNK_BYTES });
  const check = encodingCheck(path, sniff.encoding, sniff.bomLength);
  // Stream errors reach the loop below through the parser, which pipeline destroys with them.
  const settled = (): void => undefined;
  // csv-parse works on UTF-8 bytes and decodes each cell itself: UTF-8 needs no decoding pass.
  if (isUtf8(sniff.encoding)) pipeline(source, check, parser, settled);
  else pipeline(source, check, iconv.decodeStream(iconvName(sniff.encoding)), parser, settled);

  let line = 1;
  let yielded = 0;
  for await (const cells of parser as AsyncIterable<string[]>) {
    // Records csv-parse emits after a failure are pieces of the broken one.
    if (failure && yielded >= Number(failure.records)) break;
    yield { row: line, cells };
    line += 1 + lineBreaksIn(cells);
    yielded++;
    expectWidth(parser, cells.length);
  }
  if (failure) throw corrupt(path, failure, line);
}
