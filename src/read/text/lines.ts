// Line numbers as a person sees them in a text editor: CRLF, a lone LF and a lone CR each end a
// line. csv-parse's own counter cannot be used: it counts a CRLF inside quotes as two lines.
import { createReadStream } from 'node:fs';
import iconv from 'iconv-lite';

const LF = 10;
const CR = 13;

/** Counts lines over text that arrives in pieces (a CRLF may be split between two). */
export class LineCounter {
  line = 1;
  private afterCr = false;

  feed(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === LF) {
        if (!this.afterCr) this.line++;
        this.afterCr = false;
      } else {
        if (c === CR) this.line++;
        this.afterCr = c === CR;
      }
    }
  }
}

/** Line breaks inside a record's cells, i.e. how many more lines the record spans than one. */
export function lineBreaksIn(cells: readonly string[]): number {
  let counter: LineCounter | undefined;
  for (const cell of cells) {
    if (!cell.includes('\n') && !cell.includes('\r')) continue;
    counter ??= new LineCounter();
    counter.feed(cell);
    // A cell never continues into the next one, so a CR ending one cannot pair with the next.
    counter.feed('\0');
  }
  return counter ? counter.line - 1 : 0;
}

/** The line on which byte `offset` of the file lies; the bytes before it must be valid in `encoding` (an iconv-lite name). */
export async function lineOfByte(path: string, offset: number, encoding: string): Promise<number> {
  const counter = new LineCounter();
  if (offset === 0) return counter.line;
  const decoder = iconv.getDecoder(encoding);
  for await (const chunk of createReadStream(path, { end: offset - 1 })) counter.feed(decoder.write(chunk as Buffer));
  return counter.line;
}
