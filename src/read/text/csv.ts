// CSV and TSV deliveries as a Grid: every physical record in file order (title rows, header,
// data, blank lines, trailing notes), numbered by the line it starts on. Finding the header and
// setting titles and notes aside is the shaping stage's job, not this one's.
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { CsvError } from 'csv-parse';
import { DeliveryError, type Grid, type GridRow } from '../model.js';
import { MAX_RECORD_BYTES, type Delimiter } from './dialect.js';
import { textDecoder, type TextEncoding } from './encoding.js';
import { encodingFault } from './encoding-check.js';
import { lineBreaksIn } from './lines.js';
import { RecordSplitter, type Records } from './records.js';
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

function corrupt(path: string, error: CsvError, line: number): DeliveryError {
  const column = typeof error.column === 'number' ? error.column + 1 : undefined;
  const quote = `the quote opening column ${column ?? '?'}`;
  const what =
    error.code === 'CSV_QUOTE_NOT_CLOSED' ? `${quote} of the record starting here is never closed, so the rest of the file is one cell`
    : error.code === 'CSV_MAX_RECORD_SIZE' ? `the record starting here runs past ${MAX_RECORD_BYTES} bytes without ending; ${quote} is most likely never closed`
    : `the record starting here cannot be parsed (${error.code})`;
  return new DeliveryError('file/corrupt', `line ${line}: ${what}`, path);
}

/** The file's records, a chunk's worth at a time. */
async function* splitFile(path: string, sniff: TextSniff): AsyncGenerator<Records> {
  const decoder = textDecoder(sniff.encoding);
  const splitter = new RecordSplitter(sniff.delimiter);
  async function decode(chunk?: Buffer): Promise<string> {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch (e) {
      throw (await encodingFault(path, sniff.encoding, sniff.bomLength)) ?? e;
    }
  }
  for await (const chunk of createReadStream(path, { start: sniff.bomLength, highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) {
    yield splitter.push(await decode(chunk), false);
  }
  yield splitter.push(await decode(), true);
}

async function* readRecords(path: string, sniff: TextSniff): AsyncGenerator<GridRow> {
  let line = 1;
  for await (const { records, failure, oneLineEach } of splitFile(path, sniff)) {
    for (const cells of records) {
      yield { row: line, cells };
      line += oneLineEach ? 1 : 1 + lineBreaksIn(cells);
    }
    if (failure) throw corrupt(path, failure, line);
  }
}
