import { describe, expect, it } from 'vitest';
import { orgCodeCheckChar, regNoCheckChar, residentIdCheckChar, usccCheckChar, usccValue } from '../../../src/validate/identifiers/checksums.js';
import { upgradePairs, validVectors } from './conformance.js';

describe('check-character formulas', () => {
  it('GB 32100 Annex B: 91350100M000100Y4 → 3 (sum 1640, 1640 mod 31 = 28)', () => {
    expect(usccCheckChar('91350100M000100Y4')).toBe('3');
  });

  it('GB 32100 writes a remainder of 0 as 0 and of 1 as Y', () => {
    expect(usccCheckChar('91620105L01510128')).toBe('0');
    expect(usccCheckChar('92340621MA2PBNTY9')).toBe('Y');
  });

  it('gives no USCC check character for a body with a letter outside the alphabet', () => {
    for (const letter of 'IOZSV') expect(usccCheckChar(`9111000060003${letter}7341`)).toBeUndefined();
    expect(usccValue('*'.charCodeAt(0))).toBe(-1);
    expect(usccValue('中'.charCodeAt(0))).toBe(-1);
  });

  it('GB 11714 Annex B: D2143569 → X (sum 199, 199 mod 11 = 1), 11 written 0, at an offset', () => {
    expect(orgCodeCheckChar('D2143569')).toBe('X');
    expect(orgCodeCheckChar('MA1MRHG2')).toBe('0');
    expect(orgCodeCheckChar('91350100M000100Y43', 8)).toBe('4');
    expect(orgCodeCheckChar('D21*3569')).toBeUndefined();
  });

  it('GB 11643 Annex A: 11010519491231002 → X and 44052418800101001 → 4', () => {
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
    expect(residentIdCheckChar('44052418800101001')).toBe('4');
    expect(residentIdCheckChar('4405241880010100A')).toBeUndefined();
  });

  it('ISO 7064 MOD 11,10 on the registration numbers of the vectors', () => {
    expect(validVectors('cn-regno15-valid.txt').map((n) => regNoCheckChar(n) === n[14])).toEqual([true, true, true]);
    expect(regNoCheckChar('1101080000000A6')).toBeUndefined();
  });

  it('every 18-digit vector, upgraded or not, carries the MOD 11-2 character', () => {
    const all = [...validVectors('cn-ric-valid.txt'), ...validVectors('cn-ric-special-valid.txt'), ...upgradePairs('cn-ric-15to18.txt').map(([, id18]) => id18)];
    expect(all.filter((id) => residentIdCheckChar(id) !== id[17])).toEqual([]);
  });

  it('every valid USCC vector carries both its mod-31 and its GB 11714 character', () => {
    const codes = validVectors('cn-uscc-valid.txt');
    expect(codes.filter((c) => usccCheckChar(c) !== c[17] || orgCodeCheckChar(c, 8) !== c[16])).toEqual([]);
  });
});
