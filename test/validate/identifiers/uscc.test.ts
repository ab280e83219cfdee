import { describe, expect, it } from 'vitest';
import { checkUscc } from '../../../src/validate/identifiers/index.js';
import { usccCheckChar } from '../../../src/validate/identifiers/checksums.js';
import { invalidVectors, validVectors } from './conformance.js';

const valid = validVectors('cn-uscc-valid.txt');
const invalid = invalidVectors('cn-uscc-invalid.txt');

// Where this check and the source's reason part ways on purpose.
const DIVERGES: Record<string, string> = {
  // python-stdnum wants digits in positions 1–8; GB 32100 allows letters in 1–2, so the wrong
  // check character is what is left to report.
  A1110000600037341L: 'checksum',
};

describe('checkUscc: conformance vectors', () => {
  it('reads all 220 valid and 13 invalid vectors', () => {
    expect([valid.length, invalid.length]).toEqual([220, 13]);
  });

  it.each(valid)('accepts %s without a warning', (code) => {
    expect(checkUscc(code)).toEqual({ valid: true, value: code, warnings: [] });
  });

  it.each(invalid.filter((v) => v.treatment === 'reject'))('rejects $value ($reason)', ({ value, named }) => {
    const verdict = checkUscc(value);
    expect(verdict.valid).toBe(false);
    expect(DIVERGES[value] ?? [...named]).toContain(verdict.failure);
  });

  it.each(invalid.filter((v) => v.treatment === 'real-nonconforming'))('keeps the early pilot code $value, warning that its check character does not follow GB 32100', ({ value, reason }) => {
    const verdict = checkUscc(value);
    expect(verdict.valid).toBe(true);
    expect(verdict.value).toBe(value);
    expect(verdict.expected).toBe(/computes to (\w)/.exec(reason)![1]);
    expect(verdict.warnings).toEqual([expect.stringMatching(/does not follow GB 32100.*Fujian\/Xiamen pilot/)]);
  });

  it.each(invalid.filter((v) => v.treatment === 'policy'))('accepts $value with a warning about its registration authority ($reason)', ({ value }) => {
    const verdict = checkUscc(value);
    expect(verdict.valid).toBe(true);
    expect(verdict.warnings).toEqual([expect.stringContaining(`registration authority "${value[0]}" is not one of GB 32100-2015's 1, 5, 9, Y`)]);
  });
});

describe('checkUscc: the standard and real input', () => {
  it('accepts the GB 32100 Annex B worked example and rejects its wrong-check variant', () => {
    expect(checkUscc('91350100M000100Y43').valid).toBe(true);
    expect(checkUscc('91350100M000100Y4Z')).toMatchObject({ valid: false, failure: 'checksum', expected: '3', detail: 'fails its check character (expected 3)' });
  });

  it('reads full-width characters, spaces and lower case as the code', () => {
    expect(checkUscc('９１３５０１００ｍ０００１００ｙ４３')).toEqual({ valid: true, value: '91350100M000100Y43', warnings: [] });
    expect(checkUscc(' 9135 0100 m000-100y4 3\u3000')).toMatchObject({ valid: true, value: '91350100M000100Y43' });
  });

  it('checks the organisation code inside it on its own', () => {
    // Both check characters of A1320621MA1MRHG20? pass only with 0 at position 17.
    expect(checkUscc('A1320621MA1MRHG217')).toMatchObject({ valid: false, failure: 'org-check', expected: '0' });
    expect(checkUscc('A1320621MA1MRHG217').detail).toContain('organisation code (characters 9–17)');
  });

  it('names each failure kind', () => {
    expect(checkUscc('9135010')).toMatchObject({ failure: 'length', detail: 'has 7 characters; a unified social credit code has 18' });
    expect(checkUscc('91350100M000100Y43A')).toMatchObject({ failure: 'length' });
    expect(checkUscc('913501OOM000100Y43')).toMatchObject({ failure: 'format', detail: 'has "O" at position 7, which a unified social credit code never has' });
    expect(checkUscc('91350100MI00100Y43')).toMatchObject({ failure: 'format', detail: expect.stringContaining('"I" at position 10') });
    expect(checkUscc('91350100M000100Y4*')).toMatchObject({ failure: 'format', detail: expect.stringContaining('position 18') });
    expect(checkUscc('91110000600037341N')).toMatchObject({ failure: 'checksum', expected: 'L', detail: 'fails its check character (expected L)' });
  });

  it('keeps any Fujian/Xiamen M000 code with a wrong check character, flagged: a typo there cannot be told from a pilot code', () => {
    expect(checkUscc('91350100M000100Y44')).toMatchObject({ valid: true, expected: '3', warnings: [expect.stringContaining('does not follow GB 32100')] });
  });

  it('does not extend the pilot exemption beyond Fujian/Xiamen M000 bodies whose organisation code holds', () => {
    // The pilot code 91350100M0001TGQXM registered in 3503xx instead: a plain checksum failure.
    expect(checkUscc('91350300M0001TGQXM')).toMatchObject({ valid: false, failure: 'checksum', warnings: [] });
    // The same code with its organisation code's check character altered.
    expect(checkUscc('91350100M0001TGQ1M')).toMatchObject({ valid: false, failure: 'checksum' });
    // Not M000 in the body.
    expect(checkUscc('91350100MA001TGQXM')).toMatchObject({ valid: false });
  });

  it('warns on a category GB 32100-2015 does not list for the authority', () => {
    const body = '94350100M000100Y4';
    expect(checkUscc(body + usccCheckChar(body))).toMatchObject({ valid: true, warnings: [expect.stringContaining('organisation category "4" is not listed for registration authority "9"')] });
  });

  it('says a code Excel turned into a number was corrupted, not mistyped', () => {
    expect(checkUscc('9.13101E+17')).toMatchObject({ valid: false, failure: 'corrupted-by-excel', detail: expect.stringContaining('scientific notation') });
    // 913101203509708598 rounded to 15 significant digits, as Excel stores it.
    expect(checkUscc('913101203509709000')).toMatchObject({ valid: false, failure: 'corrupted-by-excel' });
  });
});
