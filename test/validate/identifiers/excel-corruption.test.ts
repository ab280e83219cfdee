import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { checkResidentId, checkUscc, excelCorruption } from '../../../src/validate/identifiers/index.js';
import { usccCheckChar } from '../../../src/validate/identifiers/checksums.js';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/identifiers/${name}`, import.meta.url));

describe('excelCorruption on what Excel really leaves', () => {
  // Made by scripts/make-identifier-fixtures.ts: codes typed into General cells.
  const sheet = XLSX.read(fixture('ids-typed-as-numbers.xlsx')).Sheets['行政处罚']!;
  const cells = (column: string) => [2, 3, 4].map((row) => sheet[`${column}${row}`] as XLSX.CellObject);

  it('flags every numeric ID cell as Excel displays it, and as the number where the check shows it', () => {
    const [first, unlucky] = cells('C').filter((cell) => cell.t === 'n');
    for (const cell of [first!, unlucky!]) {
      expect(excelCorruption(cell.w!)).toBe('was stored as a number and written in scientific notation: only 6 of its 18 digits survive');
      expect(checkResidentId(cell.w!).failure).toBe('corrupted-by-excel');
    }
    expect(excelCorruption(String(first!.v))).toContain('last three into zeros');
    expect(checkResidentId(String(first!.v)).failure).toBe('corrupted-by-excel');
    // 110102199101010078 rounded to …000 passes MOD 11-2 by chance: as text it is a valid ID,
    // which is why a reader must treat a numeric cell in an ID column as damaged on its own.
    expect(String(unlucky!.v)).toBe('110102199101010000');
    expect(checkResidentId(String(unlucky!.v)).valid).toBe(true);
  });

  it('flags numeric USCC cells against the USCC check, and leaves text cells alone', () => {
    const [number, text] = [cells('B').filter((c) => c.t === 'n'), cells('B').filter((c) => c.t === 's')];
    expect([number.length, text.length]).toEqual([2, 1]);
    for (const cell of number) {
      expect(checkUscc(String(cell.v)).failure).toBe('corrupted-by-excel');
      expect(checkUscc(cell.w!).failure).toBe('corrupted-by-excel');
    }
    expect(checkUscc(String(text[0]!.v))).toMatchObject({ valid: true });
    expect(checkResidentId(String(cells('C').find((c) => c.t === 's')!.v))).toMatchObject({ valid: true });
  });

  it('flags the cells of the CSV Excel saves from that sheet (GBK)', () => {
    const rows = iconv.decode(fixture('ids-typed-as-numbers-saved-as.csv'), 'gbk').trimEnd().split('\r\n').map((line) => line.split(','));
    expect(rows[0]).toEqual(['行政相对人名称', '统一社会信用代码', '法定代表人身份证号']);
    const verdicts = rows.slice(1).map(([, uscc, id]) => [checkUscc(uscc!).failure, checkResidentId(id!).failure]);
    expect(verdicts).toEqual([
      ['corrupted-by-excel', 'corrupted-by-excel'],
      [undefined, undefined],
      ['corrupted-by-excel', 'corrupted-by-excel'],
    ]);
  });
});

describe('excelCorruption: each sign', () => {
  it('reads scientific notation in either case, saying how many digits are left', () => {
    expect(excelCorruption('4.41302E+17')).toBe('was stored as a number and written in scientific notation: only 6 of its 18 digits survive');
    expect(excelCorruption('4.41302e17')).toContain('only 6 of its 18 digits');
    expect(excelCorruption('1.10101E+14')).toContain('only 6 of its 15 digits');
    expect(excelCorruption('４.４１３０２Ｅ＋１７')).toContain('only 6 of its 18 digits');
  });

  it('flags a float written out with more than 15 digits', () => {
    expect(excelCorruption('440524188001010014.0')).toBe('was written as a floating-point number: a float keeps 15 significant digits, so the rest of its 18 are not the original ones');
    expect(excelCorruption('913101203509708598.00')).toContain('18 are not the original ones');
  });

  it('flags 18 digits ending in 000 only when the check fails', () => {
    expect(excelCorruption('440524188001010000')).toContain('ends in 000');
    // An intact ID whose sequence ends in 00 and whose MOD 11-2 check character is 0.
    expect(excelCorruption('110105198001011000')).toBeUndefined();
    expect(checkResidentId('110105198001011000')).toMatchObject({ valid: true });
    // An all-digit USCC ending in 0000 whose mod-31 check holds (and MOD 11-2's does not).
    expect(excelCorruption('911100006000130000')).toContain('ends in 000');
    expect(excelCorruption('911100006000130000', (v) => usccCheckChar(v) === v[17])).toBeUndefined();
  });

  it('leaves intact values alone', () => {
    for (const text of ['440524188001010014', '11010519491231002X', '110101491001001', '110101491001001.0', '1.5E+3', '91350100M000100Y43', '', 'E', '.']) {
      expect(excelCorruption(text)).toBeUndefined();
    }
  });
});
