// From a stream of data statements to SourceTables: one per run of consecutive data statements
// on the same table with the same columns (mysqldump splits a big table into many INSERTs).
import type { SourceRow, SourceTable } from '../model.js';
import type { DataStatement } from './data.js';

/** Reads the dump's next data statement, or undefined at the end of the file. */
export type NextData = () => Promise<DataStatement | undefined>;

const sameTable = (a: DataStatement, b: DataStatement): boolean =>
  a.name.join('.') === b.name.join('.') && a.headers.length === b.headers.length && a.headers.every((h, i) => h === b.headers[i]);

/**
 * Tables in file order. The dump is one stream, read once: a table's rows must be consumed
 * before the next table is asked for; rows left unread are read through (and still checked)
 * when it is. Row numbers count a table's records through the whole file.
 */
export async function* splitTables(nextData: NextData): AsyncGenerator<SourceTable> {
  const counted = new Map<string, number>();
  let data = await nextData();
  while (data) {
    const first: DataStatement = data;
    const name = first.name[first.name.length - 1]!;
    let ordinal = counted.get(first.name.join('.')) ?? 0;
    let finished = false;
    const nextRow = async (): Promise<SourceRow | undefined> => {
      while (!finished && data) {
        const cells = await data.nextRow();
        if (cells) {
          counted.set(first.name.join('.'), ++ordinal);
          return { row: ordinal, cells };
        }
        data = await nextData();
        finished = !data || !sameTable(first, data);
      }
      finished = true;
      return undefined;
    };
    yield {
      name,
      headers: first.headers,
      rows: {
        async *[Symbol.asyncIterator]() {
          for (let row = await nextRow(); row; row = await nextRow()) yield row;
        },
      },
      skipped: [],
    };
    while (await nextRow());
  }
}
