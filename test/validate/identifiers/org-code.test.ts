import { describe, expect, it } from 'vitest';
import { checkOrgCode } from '../../../src/validate/identifiers/index.js';
import { validVectors } from './conformance.js';

const valid = validVectors('cn-orgcode-valid.txt');

describe('checkOrgCode: conformance vectors', () => {
  it('reads all 4 valid vectors', () => {
    expect(valid).toHaveLength(4);
  });

  it.each(valid)('accepts %s, with and without the printed hyphen', (code) => {
    expect(checkOrgCode(code)).toEqual({ valid: true, value: code, warnings: [] });
    expect(checkOrgCode(`${code.slice(0, 8)}-${code[8]}`)).toEqual({ valid: true, value: code, warnings: [] });
  });

  it.each(valid)('rejects %s with any other check character, naming the right one', (code) => {
    for (const other of '0123456789X') {
      if (other === code[8]) continue;
      expect(checkOrgCode(code.slice(0, 8) + other)).toMatchObject({ valid: false, failure: 'checksum', expected: code[8] });
    }
  });
});

describe('checkOrgCode: the standard and real input', () => {
  it('accepts the GB 11714 Annex B worked example D2143569-X', () => {
    expect(checkOrgCode('D2143569-X')).toEqual({ valid: true, value: 'D2143569X', warnings: [] });
    expect(checkOrgCode('D2143569-0')).toMatchObject({ valid: false, failure: 'checksum', expected: 'X', detail: 'fails its check character (expected X)' });
  });

  it('reads full-width, lower-case and spaced input', () => {
    expect(checkOrgCode('ｄ２１４３５６９－ｘ')).toMatchObject({ valid: true, value: 'D2143569X' });
    expect(checkOrgCode(' d2143569 x ')).toMatchObject({ valid: true, value: 'D2143569X' });
    expect(checkOrgCode('D2143569—X')).toMatchObject({ valid: true, value: 'D2143569X' });
  });

  it('values all 26 letters, I O S V Z included, unlike the USCC alphabet', () => {
    // IOSVZ123: 18·3 + 24·7 + 28·9 + 31·10 + 35·5 + 1·8 + 2·4 + 3·2 = 981; 981 mod 11 = 2; 11 − 2 = 9.
    expect(checkOrgCode('IOSVZ123-9')).toMatchObject({ valid: true, value: 'IOSVZ1239' });
  });

  it('writes 11 as 0 and 10 as X', () => {
    expect(checkOrgCode('MA1MRHG2-0').valid).toBe(true);
    expect(checkOrgCode('D2143569-X').valid).toBe(true);
  });

  it('warns on the PDY range GB 11714 reserves for codes made up inside one system', () => {
    // PDY00001: 25·3 + 13·7 + 34·9 + 1·2 = 474; 474 mod 11 = 1; 11 − 1 = 10 → X.
    expect(checkOrgCode('PDY00001-X')).toEqual({ valid: true, value: 'PDY00001X', warnings: [expect.stringContaining('PDY range')] });
    // PDYA0001 is outside the range (PDY + 5 digits): 75 + 91 + 306 + 100 + 2 = 574; 574 mod 11 = 2 → 9.
    expect(checkOrgCode('PDYA0001-9')).toEqual({ valid: true, value: 'PDYA00019', warnings: [] });
  });

  it('names format and length failures', () => {
    expect(checkOrgCode('D214356')).toMatchObject({ failure: 'length', detail: 'has 7 characters; an organisation code has 9 (8 and a check character)' });
    expect(checkOrgCode('D2143569XX')).toMatchObject({ failure: 'length' });
    expect(checkOrgCode('D21435*9X')).toMatchObject({ failure: 'format', detail: 'has "*" at position 7, which an organisation code never has' });
    expect(checkOrgCode('D2143569/X')).toMatchObject({ failure: 'format' });
  });
});
