import { describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../../../src/validate/identifiers/checksums.js';
import { checkResidentId, upgradeResidentId15 } from '../../../src/validate/identifiers/index.js';
import { invalidVectors, upgradePairs, validVectors } from './conformance.js';

const valid = validVectors('cn-ric-valid.txt');
const special = validVectors('cn-ric-special-valid.txt');
const valid15 = validVectors('cn-ric15-valid.txt');
const invalid = invalidVectors('cn-ric-invalid.txt');
const pairs = upgradePairs('cn-ric-15to18.txt');

const withCheck = (body17: string): string => body17 + residentIdCheckChar(body17)!;
const isoOf = (id18: string): string => `${id18.slice(6, 10)}-${id18.slice(10, 12)}-${id18.slice(12, 14)}`;

// Where this check and the source's reason part ways on purpose.
const DIVERGES: Record<string, string> = {
  // Its checksum fails too, but the birth year 1111 is checked first and says more.
  '111111111111111111': 'date',
};

describe('checkResidentId: conformance vectors', () => {
  it('reads all the vectors SOURCES.md counts', () => {
    expect([valid.length, special.length, valid15.length, invalid.length, pairs.length]).toEqual([37, 6, 7, 58, 5]);
  });

  it.each(valid)('accepts %s as a resident, with its birth date', (id) => {
    const verdict = checkResidentId(id);
    expect(verdict).toMatchObject({ valid: true, value: id, kind: 'resident', birthDate: isoOf(id) });
    expect(verdict.upgradedFrom15).toBeUndefined();
    // Only the standard's 1880 example is old enough to be flagged.
    expect(verdict.warnings).toHaveLength(id === '440524188001010014' ? 1 : 0);
  });

  it.each(special)('accepts the special-range number %s as a permit or foreigner card', (id) => {
    expect(checkResidentId(id)).toEqual({
      valid: true, value: id, birthDate: isoOf(id), warnings: [],
      kind: id.startsWith('9') ? 'foreigner-permanent' : 'residence-permit',
    });
  });

  it.each(valid15)('accepts the 15-digit %s and upgrades it to 18 digits', (id15) => {
    const verdict = checkResidentId(id15);
    expect(verdict).toMatchObject({ valid: true, kind: 'resident', upgradedFrom15: id15, warnings: [] });
    expect(verdict.value).toHaveLength(18);
    expect(verdict.value).toBe(upgradeResidentId15(id15));
    expect(verdict.birthDate).toBe(`19${id15.slice(6, 8)}-${id15.slice(8, 10)}-${id15.slice(10, 12)}`);
    expect(checkResidentId(verdict.value)).toMatchObject({ valid: true, birthDate: verdict.birthDate });
  });

  it.each(pairs)('upgrades %s to exactly %s', (id15, id18) => {
    expect(upgradeResidentId15(id15)).toBe(id18);
    expect(checkResidentId(id15)).toMatchObject({ valid: true, value: id18, upgradedFrom15: id15 });
  });

  it.each(invalid.filter((v) => v.treatment === 'reject'))('rejects $value ($reason)', ({ value, named }) => {
    const verdict = checkResidentId(value);
    expect(verdict.valid).toBe(false);
    expect(DIVERGES[value] ?? [...named]).toContain(verdict.failure);
    // The message clause never repeats the number or its birth date.
    expect(verdict.detail).not.toMatch(/\d{6,}/);
  });

  const policy = invalid.filter((v) => v.treatment === 'policy');

  it.each(policy)('accepts $value, whose only fault is in a dated county table ($reason)', ({ value }) => {
    expect(checkResidentId(value)).toMatchObject({ valid: true, value, kind: 'resident' });
  });

  // The warning the vectors ask for needs the dated GB/T 2260 county table (when each county code
  // came and went), which the project does not have: expected to fail until it does.
  it.fails.each(policy)('warns that the county code of $value was not in force in its birth year', ({ value }) => {
    expect(checkResidentId(value).warnings).not.toEqual([]);
  });
});

describe('checkResidentId: the standard and real input', () => {
  it('accepts the GB 11643 Annex A worked examples, warning on the birth before 1900', () => {
    expect(checkResidentId('11010519491231002X')).toEqual({ valid: true, value: '11010519491231002X', kind: 'resident', birthDate: '1949-12-31', warnings: [] });
    expect(checkResidentId('440524188001010014')).toEqual({
      valid: true, value: '440524188001010014', kind: 'resident', birthDate: '1880-01-01',
      warnings: [expect.stringContaining('birth date is before 1900')],
    });
  });

  it('reads a lower-case x, full-width digits and spaces as the number', () => {
    expect(checkResidentId('11010519491231002x')).toMatchObject({ valid: true, value: '11010519491231002X' });
    expect(checkResidentId('１１０１０５１９４９１２３１００２Ｘ')).toMatchObject({ valid: true, value: '11010519491231002X' });
    expect(checkResidentId('110105 19491231 002x')).toMatchObject({ valid: true, value: '11010519491231002X' });
    expect(checkResidentId('\ufeff110105-19491231-002X\u200b')).toMatchObject({ valid: true, value: '11010519491231002X' });
  });

  it('names the check character MOD 11-2 gives', () => {
    expect(checkResidentId('110105194912310021')).toMatchObject({ valid: false, failure: 'checksum', expected: 'X', detail: 'fails its check character (expected X)' });
  });

  it('rejects an X anywhere but last, and any other letter', () => {
    expect(checkResidentId('1101051949123100X2')).toMatchObject({ failure: 'format', detail: 'has "X" at position 17, which a resident ID never has' });
    expect(checkResidentId('11010519491231002Y')).toMatchObject({ failure: 'format' });
    expect(checkResidentId('11010549123100X')).toMatchObject({ failure: 'format' });
  });

  it('rejects other lengths', () => {
    expect(checkResidentId('11010519491231002')).toMatchObject({ failure: 'length', detail: 'has 17 characters; a resident ID has 18 (15 before 1999)' });
    expect(checkResidentId('1101051949123100X')).toMatchObject({ failure: 'length' });
  });

  it('checks the calendar, leap years included', () => {
    expect(checkResidentId(withCheck('11010520000229002'))).toMatchObject({ valid: true, birthDate: '2000-02-29' });
    expect(checkResidentId(withCheck('11010519000229002'))).toMatchObject({ failure: 'date', detail: 'its birth date is not a real calendar date (no such day in that month)' });
    expect(checkResidentId(withCheck('11010519910431002'))).toMatchObject({ failure: 'date', detail: "its birth date is not a real calendar date (no such day in that month)" });
    expect(checkResidentId(withCheck('11010519910001002'))).toMatchObject({ failure: 'date', detail: 'its birth date is not a real calendar date (no such month)' });
    expect(checkResidentId(withCheck('11010518491231002'))).toMatchObject({ failure: 'date', detail: 'its birth year is before 1850' });
  });

  it('rejects a birth date in the future (a Chinese calendar day) and accepts one in the past', () => {
    const day = (offset: number) => new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
    expect(checkResidentId(withCheck(`110105${day(2)}002`))).toMatchObject({ valid: false, failure: 'date', detail: 'its birth date lies in the future' });
    expect(checkResidentId(withCheck(`110105${day(-2)}002`))).toMatchObject({ valid: true });
  });

  it('checks the province: mainland, 71 Taiwan, 91 abroad, permits, and the foreigner card', () => {
    expect(checkResidentId(withCheck('71000019800101002'))).toMatchObject({ valid: true, kind: 'resident' });
    expect(checkResidentId(withCheck('91010019800101002'))).toMatchObject({ valid: true, kind: 'resident' });
    expect(checkResidentId(withCheck('81000019800101002'))).toMatchObject({ valid: true, kind: 'residence-permit' });
    // The 2023 card: 9, the issuing province (44 Guangdong), a nationality code.
    expect(checkResidentId(withCheck('94484019800101002'))).toMatchObject({ valid: true, kind: 'foreigner-permanent' });
    for (const prefix of ['00', '10', '16', '24', '38', '47', '55', '66', '70', '72', '80', '84', '90', '99']) {
      expect(checkResidentId(withCheck(`${prefix}010519800101002`))).toMatchObject({ failure: 'province', detail: `its address code starts with ${prefix}, which is no province` });
    }
  });

  it('gives a 15-digit number only to a resident: permits and the foreigner card came later', () => {
    expect(checkResidentId('810000800101002')).toMatchObject({ valid: false, failure: 'province' });
    expect(checkResidentId('944840800101002')).toMatchObject({ valid: false, failure: 'province' });
  });

  it('says Excel destroyed a number stored as a number, rather than that it was mistyped', () => {
    // 440524188001010014 rounded to 15 significant digits, and as a CSV saved from that cell shows it.
    expect(checkResidentId('440524188001010000')).toMatchObject({ valid: false, failure: 'corrupted-by-excel', detail: expect.stringContaining('last three into zeros') });
    expect(checkResidentId('4.40524E+17')).toMatchObject({ valid: false, failure: 'corrupted-by-excel', detail: expect.stringContaining('only 6 of its 18 digits') });
    expect(checkResidentId('440524188001010014.0')).toMatchObject({ valid: false, failure: 'corrupted-by-excel' });
  });

  it('refuses to upgrade anything but 15 digits', () => {
    expect(() => upgradeResidentId15('11010519491231002X')).toThrow(RangeError);
    expect(upgradeResidentId15('１５０１０２ ８８０７３０３０３')).toBe('150102198807303035');
  });
});
