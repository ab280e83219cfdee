// The business keys one file has shown so far, to find a key delivered twice. It keeps a 64-bit
// hash of each key, not the key: every key string of a 2,000,000-row file would cost hundreds of
// MB, and a Map of them most of the check's time. Two different keys share a hash with odds of
// about n²/2⁶⁵ (10⁻⁷ at 2M rows). Open addressing over typed arrays: no object per key.
import type { DataItem } from '../catalog/index.js';
import type { CleanRecord } from './record-shape.js';

/** Where a key was first seen: its row and the index of its table (sheet) in the file. */
export interface FirstSeen {
  row: number;
  table: number;
}

const EMPTY = 0;

export class KeyTable {
  private hi = new Int32Array(1024);
  private lo = new Int32Array(1024);
  /** Row of the key in each slot; 0 marks an empty slot (rows count from 1). */
  private rows = new Int32Array(1024);
  private tables = new Uint16Array(1024);
  private size = 0;

  /**
   * Records the key of `record` (the values of `items`) as seen at `row` of table `table`, or
   * returns where it was seen first. A record lacking a key item has no key: undefined, unrecorded.
   */
  firstSeen(record: CleanRecord, items: readonly DataItem[], row: number, table: number): FirstSeen | undefined {
    let h1 = 0xdeadbeef;
    let h2 = 0x41c6ce57;
    for (const item of items) {
      const v = record[item.code];
      if (v === undefined) return undefined;
      const text = typeof v === 'string' ? v : String(v);
      // The length first, so ('ab','c') and ('a','bc') differ whatever characters the values hold
      // (a separator character could itself occur in a value).
      h1 = Math.imul(h1 ^ (text.length + 0x10000), 2654435761);
      h2 = Math.imul(h2 ^ (text.length + 0x10000), 1597334677);
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        h1 = Math.imul(h1 ^ c, 2654435761);
        h2 = Math.imul(h2 ^ c, 1597334677);
      }
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return this.probe(h1 | 0, h2 | 0, row, table);
  }

  private probe(h1: number, h2: number, row: number, table: number): FirstSeen | undefined {
    if (row < 1) throw new RangeError(`row ${row}: rows count from 1`);
    const mask = this.rows.length - 1;
    let slot = h1 & mask;
    while (this.rows[slot] !== EMPTY) {
      if (this.hi[slot] === h1 && this.lo[slot] === h2) return { row: this.rows[slot]!, table: this.tables[slot]! };
      slot = (slot + 1) & mask;
    }
    this.hi[slot] = h1;
    this.lo[slot] = h2;
    this.rows[slot] = row;
    this.tables[slot] = table;
    if (++this.size * 2 > this.rows.length) this.grow();
    return undefined;
  }

  private grow(): void {
    const { hi, lo, rows, tables } = this;
    const capacity = rows.length * 2;
    this.hi = new Int32Array(capacity);
    this.lo = new Int32Array(capacity);
    this.rows = new Int32Array(capacity);
    this.tables = new Uint16Array(capacity);
    this.size = 0;
    for (let s = 0; s < rows.length; s++) if (rows[s] !== EMPTY) this.probe(hi[s]!, lo[s]!, rows[s]!, tables[s]!);
  }
}
