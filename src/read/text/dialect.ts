// How a record is split: csv-parse with these settings is the contract (records.ts), for the
// delimiter sniff and the real parse alike.
import type { Options } from 'csv-parse';

export const DELIMITERS = [',', '\t', ';', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** Longer than any real record (30 items of at most 4,000 characters); past it, a quote was never closed. */
export const MAX_RECORD_BYTES = 1024 * 1024;

export function csvOptions(delimiter: Delimiter): Options {
  return {
    delimiter,
    // csv-parse would otherwise settle on the first line ending it meets and glue every line
    // that ends differently onto its neighbour; a text editor breaks lines at all three.
    record_delimiter: ['\r\n', '\n', '\r'],
    // A quote inside an unquoted cell (12" 显示器, 某"某"公司) is text, as Excel reads it.
    relax_quotes: true,
    // Ragged rows come through as they are: the shaping stage turns them into row problems.
    relax_column_count: true,
    skip_empty_lines: false,
    // What is still an error (a quote never closed, a record past MAX_RECORD_BYTES) is reported
    // through on_skip instead of failing the stream, which would drop the records parsed before it.
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_BYTES,
  };
}
