import { describe, expect, it } from 'vitest';
import { checkRegNo } from '../../../src/validate/identifiers/index.js';
import { invalidVectors, validVectors } from './conformance.js';

const valid = validVectors('cn-regno15-valid.txt');
const invalid = invalidVectors('cn-regno15-invalid.txt');

describe('checkRegNo: conformance vectors', () => {
  it('reads all 3 valid and 2 invalid vectors', () => {
    expect([valid.length, invalid.length]).toEqual([3, 2]);
  });

  it.each(valid)('accepts %s without a warning', (number) => {
    expect(checkRegNo(number)).toEqual({ valid: true, value: number, warnings: [] });
  });

  it.each(invalid)('rejects $value ($reason)', ({ value, named }) => {
    const verdict = checkRegNo(value);
    expect(verdict.valid).toBe(false);
    expect([...named]).toContain(verdict.failure);
  });
});

describe('checkRegNo: GS 15-2006 and older numbers', () => {
  it('names the check digit ISO 7064 MOD 11,10 gives', () => {
    expect(checkRegNo('110108000000017')).toMatchObject({ failure: 'checksum', expected: '6', detail: 'fails its check character (expected 6)' });
  });

  it('accepts the national bureau prefix 100000 and rejects a prefix that is no province', () => {
    // 10000000000001: p runs 2 4 8 5 10 9 7 3 6 1 2 4 8 7 over the 14 digits; (11 − 7) mod 10 = 4.
    expect(checkRegNo('100000000000014')).toEqual({ valid: true, value: '100000000000014', warnings: [] });
    // 191108000000014 with its correct check digit 7: only the prefix is wrong.
    expect(checkRegNo('191108000000017')).toMatchObject({ valid: false, failure: 'province', detail: expect.stringContaining('starts with 19') });
  });

  it('reads full-width and spaced digits', () => {
    expect(checkRegNo('１１０１０８ ０００００００１６')).toEqual({ valid: true, value: '110108000000016', warnings: [] });
  });

  it('accepts a 13-digit pre-2007 number without a checksum, with a warning', () => {
    expect(checkRegNo('4403011234567')).toEqual({ valid: true, value: '4403011234567', warnings: [expect.stringContaining('13-digit registration number from before GS 15-2006')] });
  });

  it('accepts an odd local legacy format without a checksum, with a warning', () => {
    expect(checkRegNo('企合粤惠总字第001234号')).toEqual({ valid: true, value: '企合粤惠总字第001234号', warnings: [expect.stringContaining('not in the 15-digit GS 15-2006 form')] });
    expect(checkRegNo('44030112345678').warnings).toEqual([expect.stringContaining('(14 characters)')]);
  });

  it('rejects what is no number at all', () => {
    expect(checkRegNo('无')).toMatchObject({ valid: false, failure: 'format' });
    expect(checkRegNo('12345')).toMatchObject({ valid: false, failure: 'length', detail: expect.stringContaining('has 5 characters') });
    expect(checkRegNo('11010800000001A')).toMatchObject({ valid: false, failure: 'format', detail: expect.stringContaining('"A" at position 15') });
  });
});
