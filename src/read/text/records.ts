// CSV records from decoded text that arrives in pieces. papaparse splits text about 17 times faster
// than csv-parse (docs/benchmarks.md), but reads some text differently from csv-parse with the
// options units' files need (dialect.ts): it knows one kind of line break per parse, where a
// text editor and csv-parse break at all three in one file; after `"a"b` it looks on for a
// closing quote where csv-parse keeps the cell as typed; it drops blanks between a closing quote
// and the delimiter. A piece where any of that can happen is split by csv-parse, whose reading
// stays the contract; both hand over at a record boundary they agree on.
import type { CsvError } from 'csv-parse';
import { parse as parseCsv } from 'csv-parse/sync';
import Papa from 'papaparse';
import { csvOptions, MAX_RECORD_BYTES, type Delimiter } from './dialect.js';

type Newline = '\r\n' | '\n' | '\r';

const CR = 13;
const LF = 10;
/** V8 copies a substring shorter than this; a longer one is a slice that keeps its whole parent alive. */
const SLICE_MIN = 13;
// Excel saves CRLF records with a lone LF inside a cell where Alt+Enter was typed. papaparse splits
// such text at CRLFs with each lone LF marked as NUL + CRLF: inside quotes the mark goes back to
// the LF; one that ends a record was a lone LF between records, which only csv-parse reads so.
const LONE_LF = /(?<!\r)\n/g;
const MARK = '\0';
const MARKED_LF = '\0\r\n';

export interface Records {
  /** Every record the text so far completes that an earlier call did not return. */
  records: string[][];
  /** Why the record after the last of `records` cannot be read; nothing after it can be either. */
  failure?: CsvError;
  /** True when no cell of `records` holds a line break, so each record is one line of the file. */
  oneLineEach: boolean;
}

interface Split extends Records {
  /** The text after the last of `records`: the start of a record still to come. */
  rest: string;
}

/** The one kind of line break in `text`; 'alt-enter' for CRLFs and lone LFs; undefined for anything else. */
function lineBreak(text: string): Newline | 'alt-enter' | undefined {
  const cr = text.indexOf('\r');
  if (cr < 0) return '\n';
  const lf = text.indexOf('\n');
  if (lf < 0) return '\r';
  for (let i = cr; i >= 0; i = text.indexOf('\r', i + 1)) if (text.charCodeAt(i + 1) !== LF) return undefined;
  for (let i = lf; i >= 0; i = text.indexOf('\n', i + 1)) if (text.charCodeAt(i - 1) !== CR) return 'alt-enter';
  return '\r\n';
}

// papaparse's cells are slices of the piece they came from: one cell kept downstream (a memo key of
// the check, an entity's name) would keep the whole piece alive. The slice of a concatenation is
// cut from a new string of the cell's own length.
function ownCells(records: string[][]): void {
  for (const cells of records) {
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i]!;
      if (cell.length >= SLICE_MIN) cells[i] = `${cell} `.slice(0, -1);
    }
  }
}

/** Puts back the lone LFs of `records` marked inside quotes; false when one ended a record instead. */
function unmark(records: string[][]): boolean {
  for (const cells of records) {
    if (cells[cells.length - 1]!.endsWith(MARK)) return false;
    for (let i = 0; i < cells.length; i++) if (cells[i]!.includes(MARK)) cells[i] = cells[i]!.replaceAll(MARKED_LF, '\n');
  }
  return true;
}

/** Splits a file's decoded text, fed piece by piece, into records as csv-parse with `csvOptions(delimiter)` would. */
export class RecordSplitter {
  /** The start of a record the text so far does not end. */
  private rest = '';
  private readonly parsers = new Map<Newline, InstanceType<typeof Papa.Parser>>();
  private readonly blankAfterQuote: RegExp;

  constructor(private readonly delimiter: Delimiter) {
    this.blankAfterQuote = new RegExp(`"[^\\S\\r\\n${delimiter}]`);
  }

  /** The records `piece`, the next text of the file, completes; `end` when nothing follows it. */
  push(piece: string, end: boolean): Records {
    const text = this.rest + piece;
    const split = this.fast(text, end) ?? this.exact(text, end);
    this.rest = split.rest;
    return split;
  }

  /** papaparse's split, where it is csv-parse's too. */
  private fast(text: string, end: boolean): Split | undefined {
    // csv-parse refuses a record past MAX_RECORD_BYTES UTF-8 bytes (3 at most per UTF-16 unit): text that may hold one is its to judge.
    if (text.length * 3 > MAX_RECORD_BYTES) return undefined;
    // A CR ending the piece may be the first half of a CRLF.
    const body = !end && text.charCodeAt(text.length - 1) === CR ? text.slice(0, -1) : text;
    const kind = lineBreak(body);
    if (kind === undefined || (body.includes('"') && this.blankAfterQuote.test(body))) return undefined;
    const marked = kind === 'alt-enter';
    if (marked && body.includes(MARK)) return undefined;
    const input = marked ? body.replace(LONE_LF, MARKED_LF) : body;
    const newline = marked ? '\r\n' : kind;
    let parser = this.parsers.get(newline);
    if (!parser) this.parsers.set(newline, (parser = new Papa.Parser({ delimiter: this.delimiter, newline })));
    const whole = parser.parse(input, 0, true);
    if (whole.errors.length > 0) return undefined;
    const records = whole.data;
    let consumed = whole.meta.cursor;
    // Parsed to the end, papaparse also makes a record of the nothing after a final line break.
    if (end && consumed < input.length) {
      const last = parser.parse(input.slice(consumed), 0, false);
      if (last.errors.length > 0) return undefined;
      records.push(...last.data);
      consumed = input.length;
    }
    // One line break per record (the file's last may have none) leaves none inside a cell.
    let breaks = 0;
    for (let i = input.indexOf(newline); i >= 0 && i < consumed; i = input.indexOf(newline, i + newline.length)) breaks++;
    const ended = end && consumed > 0 && !input.endsWith(newline) ? records.length - 1 : records.length;
    if (marked && !unmark(records)) return undefined;
    ownCells(records);
    const rest = input.slice(consumed);
    return { records, rest: (marked ? rest.replaceAll(MARKED_LF, '\n') : rest) + text.slice(body.length), oneLineEach: breaks === ended };
  }

  /** csv-parse's split: whole records, up to the first it cannot read. */
  private exact(text: string, end: boolean): Split {
    const bytes = Buffer.from(text);
    const ends: number[] = [];
    let failure: CsvError | undefined;
    const records = parseCsv(bytes, {
      ...csvOptions(this.delimiter),
      on_record: (record: string[], info) => {
        ends.push(info.bytes);
        return record;
      },
      on_skip: (error) => void (failure ??= error),
    }) as string[][];
    // csv-parse/sync reads the text as a whole file: a quote still open at its end is a record the next piece goes on with.
    if (failure && (end || failure.code !== 'CSV_QUOTE_NOT_CLOSED')) {
      // Records after the failure are pieces of the broken one.
      return { records: records.slice(0, Number(failure.records)), rest: '', failure, oneLineEach: false };
    }
    let whole = records.length;
    // The last record is whole only when a line break ends it, and a CR at the end may be half a CRLF.
    if (!end && whole > 0 && ends[whole - 1] === bytes.length && text.charCodeAt(text.length - 1) !== LF) whole--;
    return { records: records.slice(0, whole), rest: bytes.subarray(whole > 0 ? ends[whole - 1] : 0).toString(), oneLineEach: false };
  }
}
