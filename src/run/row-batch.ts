// Checked rows as one string, to cross from the thread that reads and checks a delivery to the
// thread that loads it. Structured clone of row objects cost the loading thread 17 µs a row and
// JSON.parse more (measured here); splitting one string per batch costs a few, and the record is
// rebuilt in the subject's one shape. Only what the load needs travels: the record's values in
// item order, reasons and repairs (JSON, and rare), and a rejected row's cells (for the ledger).
import type { DataSubject } from '../catalog/index.js';
import type { Reason } from '../reasons.js';
import type { CleanValue, Repair } from '../validate/index.js';
import { recordBuilder, type RecordBuilder } from '../validate/record-shape.js';
import type { LoadRow } from '../warehouse/load.js';

const ROW = '\u001e';
const FIELD = '\u001f';
const EMPTY = '\u0000';
const NUMBER = '\u0002';
const QUOTED = '\u0003';
// A value holding a separator or a marker travels as JSON (which escapes control characters).
const NEEDS_QUOTING = /[\u0000-\u0003\u001e\u001f]/;
const FIXED = 6;

const json = (v: readonly unknown[]): string => (v.length === 0 ? '' : JSON.stringify(v));

function encodeValue(v: CleanValue | undefined): string {
  if (v === undefined) return EMPTY;
  if (typeof v === 'number') return NUMBER + String(v);
  return NEEDS_QUOTING.test(v) || v.startsWith(QUOTED) ? QUOTED + JSON.stringify(v) : v;
}

function decodeValue(s: string): CleanValue | undefined {
  if (s === EMPTY) return undefined;
  const mark = s.charCodeAt(0);
  if (mark === 2) return Number(s.slice(1));
  if (mark === 3) return JSON.parse(s.slice(1)) as string;
  return s;
}

/** The rows of one subject's table, in its items' order. */
export function encodeRows(subject: DataSubject, rows: readonly LoadRow[]): string {
  const items = subject.items;
  const out: string[] = [];
  for (const { checked: c, cells } of rows) {
    const f = [String(c.row), c.withdrawn ? 'w' : '', json(c.rejections), json(c.warnings), json(c.repairs), c.rejections.length > 0 ? JSON.stringify(cells) : ''];
    for (const item of items) f.push(encodeValue(c.record[item.code]));
    out.push(f.join(FIELD));
  }
  return out.join(ROW);
}

const builders = new WeakMap<DataSubject, RecordBuilder>();

export function decodeRows(subject: DataSubject, text: string): LoadRow[] {
  if (text === '') return [];
  let build = builders.get(subject);
  if (!build) builders.set(subject, (build = recordBuilder(subject.items)));
  const n = subject.items.length;
  const values = new Array<CleanValue | undefined>(n);
  return text.split(ROW).map((line) => {
    const f = line.split(FIELD);
    for (let i = 0; i < n; i++) values[i] = decodeValue(f[FIXED + i]!);
    return {
      checked: {
        row: Number(f[0]), withdrawn: f[1] === 'w', record: build(values),
        rejections: f[2] ? (JSON.parse(f[2]) as Reason[]) : [], warnings: f[3] ? (JSON.parse(f[3]) as Reason[]) : [],
        repairs: f[4] ? (JSON.parse(f[4]) as Repair[]) : [],
      },
      cells: f[5] ? (JSON.parse(f[5]) as string[]) : [],
    };
  });
}
