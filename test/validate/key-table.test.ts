import { describe, expect, it } from 'vitest';
import type { DataItem } from '../../src/catalog/index.js';
import { KeyTable } from '../../src/validate/key-table.js';

const items = [{ code: 'A' }, { code: 'B' }] as DataItem[];

describe('the business keys a file has shown', () => {
  it('finds a key seen before, with its row and table, and only then', () => {
    const t = new KeyTable();
    expect(t.firstSeen({ A: '惠市监罚〔2019〕1号', B: '114413000717000121' }, items, 3, 0)).toBeUndefined();
    expect(t.firstSeen({ A: '惠市监罚〔2019〕2号', B: '114413000717000121' }, items, 4, 0)).toBeUndefined();
    expect(t.firstSeen({ A: '惠市监罚〔2019〕1号', B: '114413000717000121' }, items, 9, 1)).toEqual({ row: 3, table: 0 });
  });

  it('never takes two different splits of the same characters for one key, whatever the characters', () => {
    const t = new KeyTable();
    expect(t.firstSeen({ A: 'ab', B: 'c' }, items, 2, 0)).toBeUndefined();
    expect(t.firstSeen({ A: 'a', B: 'bc' }, items, 3, 0)).toBeUndefined();
    expect(t.firstSeen({ A: 'x\u0001', B: 'y' }, items, 4, 0)).toBeUndefined();
    expect(t.firstSeen({ A: 'x', B: '\u0001y' }, items, 5, 0)).toBeUndefined();
  });

  it('keeps every key through growth (100,000 keys) and gives a record without a key part no key', () => {
    const t = new KeyTable();
    for (let n = 0; n < 100_000; n++) expect(t.firstSeen({ A: `文号${n}`, B: 'X' }, items, n + 2, 0)).toBeUndefined();
    for (let n = 0; n < 100_000; n += 9973) expect(t.firstSeen({ A: `文号${n}`, B: 'X' }, items, 200_000, 0)).toEqual({ row: n + 2, table: 0 });
    expect(t.firstSeen({ A: '文号1' }, items, 7, 0)).toBeUndefined();
    expect(t.firstSeen({ A: '文号1' }, items, 8, 0)).toBeUndefined();
  });
});
