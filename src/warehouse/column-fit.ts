// Whether the values a column stores would survive a change of its type: a migration asks before
// it narrows a column, because a dialect may cut instead of refusing (PostgreSQL's cast to
// varchar(n) truncates without a word; MySQL outside strict mode does the same).
import type { Knex } from 'knex';
import type { DataItem } from '../catalog/index.js';
import type { Warehouse } from './connect.js';
import { itemColumnType } from './schema.js';

export type ColumnShape =
  | { kind: 'text' }
  | { kind: 'varchar'; length: number }
  | { kind: 'bigint' }
  | { kind: 'decimal'; precision: number; scale: number }
  | { kind: 'date' }
  | { kind: 'datetime' };

/** The column itemColumnType builds for an item, read off a recording builder so the column rules stay in schema.ts alone. */
export function columnShape(item: DataItem): ColumnShape {
  let shape: ColumnShape = { kind: 'text' };
  const record = (make: (...args: unknown[]) => ColumnShape) => (_name: string, ...args: unknown[]) => {
    shape = make(...args);
  };
  const recorder = {
    text: record(() => ({ kind: 'text' })),
    string: record((length) => ({ kind: 'varchar', length: Number(length) })),
    bigInteger: record(() => ({ kind: 'bigint' })),
    decimal: record((precision, scale) => ({ kind: 'decimal', precision: Number(precision), scale: Number(scale) })),
    date: record(() => ({ kind: 'date' })),
    datetime: record(() => ({ kind: 'datetime' })),
  };
  itemColumnType(recorder as unknown as Knex.AlterTableBuilder, item);
  return shape;
}

export function describeShape(shape: ColumnShape): string {
  switch (shape.kind) {
    case 'varchar': return `varchar(${shape.length})`;
    case 'decimal': return `decimal(${shape.precision},${shape.scale})`;
    default: return shape.kind;
  }
}

export function sameShape(a: ColumnShape, b: ColumnShape): boolean {
  return describeShape(a) === describeShape(b);
}

/** True when every value a column shaped `before` can hold fits `after` as it is: no need to look at the rows. */
export function holdsAll(before: ColumnShape, after: ColumnShape): boolean {
  if (after.kind === 'text') return true;
  if (before.kind === 'varchar' && after.kind === 'varchar') return after.length >= before.length;
  if (before.kind === 'decimal' && after.kind === 'decimal') {
    return after.scale >= before.scale && after.precision - after.scale >= before.precision - before.scale;
  }
  return before.kind === after.kind;
}

/** What a stored value that does not fit looks like, for messages: "longer than 12 characters". */
export function misfitWhy(shape: ColumnShape): string {
  switch (shape.kind) {
    case 'text': return 'none';
    case 'varchar': return `longer than ${shape.length} characters`;
    case 'bigint': return 'not in whole-number form (at most 18 digits)';
    case 'decimal': return `not in number form with at most ${shape.precision - shape.scale} digits before the point and ${shape.scale} after it`;
    case 'date': return 'not in date form (YYYY-MM-DD)';
    case 'datetime': return 'not in date-time form (YYYY-MM-DD hh:mm:ss)';
  }
}

// Each value is judged by its text form, the one thing all three dialects can show for any column
// type; trailing zeros (5.000000, 2024-01-05 00:00:00) are not digits that would be lost.
function pattern(shape: Exclude<ColumnShape, { kind: 'text' | 'varchar' }>): string {
  const day = '[0-9]{4}-[0-9]{2}-[0-9]{2}';
  switch (shape.kind) {
    case 'bigint': return '^-?[0-9]{1,18}(\\.0*)?$';
    case 'decimal': return `^(?=.*[0-9])-?0*[0-9]{0,${shape.precision - shape.scale}}(\\.[0-9]{0,${shape.scale}}0*)?$`;
    case 'date': return `^${day}([ T]00:00(:00(\\.0+)?)?)?$`;
    case 'datetime': return `^${day}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?)?$`;
  }
}

const compiled = new Map<string, RegExp>();
function sqliteRegexp(wh: Warehouse): void {
  // SQLite parses `x REGEXP y` but ships no function behind it.
  wh.sqlite?.function('regexp', { deterministic: true }, (source: unknown, value: unknown) => {
    const key = String(source);
    let re = compiled.get(key);
    if (!re) compiled.set(key, (re = new RegExp(key)));
    return re.test(String(value)) ? 1 : 0;
  });
}

/**
 * How many stored values of `table.column` a column shaped `shape` could not hold. `db` may be a
 * transaction, so the count and the change that depends on it see the same rows.
 */
export async function countMisfits(wh: Warehouse, db: Knex | Knex.Transaction, table: string, column: string, shape: ColumnShape): Promise<number> {
  if (shape.kind === 'text') return 0;
  const text = { postgres: '??::text', mysql: 'cast(?? as char)', sqlite: 'cast(?? as text)' }[wh.dialect];
  let test: string;
  let bound: string | number;
  if (shape.kind === 'varchar') {
    test = `${wh.dialect === 'sqlite' ? 'length' : 'char_length'}(${text}) > ?`;
    bound = shape.length;
  } else {
    if (wh.dialect === 'sqlite') sqliteRegexp(wh);
    test = wh.dialect === 'postgres' ? `${text} !~ ?` : `${text} not regexp ?`;
    bound = pattern(shape);
  }
  const [row] = (await db(table).whereNotNull(column).whereRaw(test, [column, bound]).count({ n: '*' })) as { n: number | string }[];
  return Number(row?.n ?? 0);
}
