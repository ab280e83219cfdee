// Which character separates cells: the candidate that splits the most records of the file's
// first lines into the same number (two or more) of cells. Title rows and notes split into one
// cell under every candidate, so they do not sway the choice.
import { DELIMITERS, type Delimiter } from './dialect.js';
import { RecordSplitter } from './records.js';

const SNIFF_RECORDS = 200;

interface Fit {
  delimiter: Delimiter;
  /** The most common number of cells per record. */
  width: number;
  /** How many records have that many. */
  support: number;
}

function fit(text: string, delimiter: Delimiter, complete: boolean): Fit {
  // Split as the file will be read; a sample cut short ends in a part of a record, left out.
  const { records } = new RecordSplitter(delimiter).push(text, complete);
  const counts = new Map<number, number>();
  for (const record of records.slice(0, SNIFF_RECORDS)) {
    if (record.length === 1 && record[0]!.trim() === '') continue;
    counts.set(record.length, (counts.get(record.length) ?? 0) + 1);
  }
  let width = 0;
  let support = 0;
  for (const [w, n] of counts) {
    if (n > support || (n === support && w > width)) [width, support] = [w, n];
  }
  return { delimiter, width, support };
}

/**
 * The delimiter of `text`, the start of a file (`complete` when it is the whole file). Ties go
 * to the wider split, then to the order comma, tab, semicolon, pipe; `fallback` when no
 * candidate splits any record (a one-column file).
 */
export function detectDelimiter(text: string, complete: boolean, fallback: Delimiter): Delimiter {
  let best: Fit | undefined;
  for (const delimiter of DELIMITERS) {
    const f = fit(text, delimiter, complete);
    if (f.width < 2) continue;
    if (!best || f.support > best.support || (f.support === best.support && f.width > best.width)) best = f;
  }
  return best?.delimiter ?? fallback;
}
