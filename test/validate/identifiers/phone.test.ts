import { describe, expect, it } from 'vitest';
import { checkPhone } from '../../../src/validate/identifiers/index.js';

describe('checkPhone: mobile numbers', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['138 1234 5678', '13812345678'],
    ['138-1234-5678', '13812345678'],
    ['+86 138 1234 5678', '13812345678'],
    ['+8613812345678', '13812345678'],
    ['0086-13812345678', '13812345678'],
    ['(+86)199 0000 1111', '19900001111'],
    ['１３８１２３４５６７８', '13812345678'],
    ['＋８６\u3000１５９－１２３４－５６７８', '15912345678'],
  ])('accepts %s as %s', (input, value) => {
    expect(checkPhone(input)).toEqual({ valid: true, value, kind: 'mobile', warnings: [] });
  });

  it.each(['12812345678', '10812345678', '23812345678'])('rejects %s, which no mobile number starts like', (input) => {
    expect(checkPhone(input)).toMatchObject({ valid: false, failure: 'format' });
  });

  it('rejects a mobile number with a digit too few or too many', () => {
    expect(checkPhone('1381234567')).toMatchObject({ valid: false, failure: 'length', detail: 'has 10 digits; a mobile number has 11' });
    expect(checkPhone('+86 138 1234 56789')).toMatchObject({ valid: false, failure: 'length', detail: 'has 12 digits; a mobile number has 11' });
  });

  it('does not take a bare 86 for the country code', () => {
    expect(checkPhone('8613812345678')).toMatchObject({ valid: false });
  });
});

describe('checkPhone: landlines', () => {
  it.each([
    ['010-65123456', '01065123456', undefined],
    ['(010)65123456', '01065123456', undefined],
    ['01065123456', '01065123456', undefined],
    ['020 8765 4321', '02087654321', undefined],
    ['0752-2345678', '07522345678', undefined],
    ['0752-23456789', '075223456789', undefined],
    ['075223456789', '075223456789', undefined],
    ['+86 752 2345678', '07522345678', undefined],
    ['0086-10-65123456', '01065123456', undefined],
    ['0752-2345678-801', '07522345678', '801'],
    ['0752-2345678转801', '07522345678', '801'],
    ['0752-2345678 ext. 801', '07522345678', '801'],
    ['０７５２－２３４５６７８　转　８０１', '07522345678', '801'],
  ])('accepts %s as %s (extension %s)', (input, value, extension) => {
    const verdict = checkPhone(input);
    expect(verdict).toMatchObject({ valid: true, value, kind: 'landline', warnings: [] });
    expect(verdict.extension).toBe(extension);
  });

  it('splits the area code by the rule: 010 and 02X have 3 digits, all others 4', () => {
    // 0101 is no area code: 01012345678 can only be Beijing 010 + 12345678, and a local number
    // never starts with 1, so it is rejected rather than read as 0101-2345678.
    expect(checkPhone('01012345678')).toMatchObject({ valid: false, failure: 'format' });
    expect(checkPhone('0752-1234567')).toMatchObject({ valid: false, failure: 'format' });
  });

  it('rejects a landline with too few or too many digits', () => {
    expect(checkPhone('010-651234')).toMatchObject({ valid: false, failure: 'length', detail: 'has 9 digits; a landline has 10 to 12 with its area code' });
    expect(checkPhone('0752-234567890')).toMatchObject({ valid: false, failure: 'length' });
  });

  it('rejects what is no phone number', () => {
    for (const input of ['无', '400-123-4567', '65123456', 'tel: 13812345678', '']) {
      expect(checkPhone(input)).toMatchObject({ valid: false, failure: 'format', detail: expect.stringContaining('neither a mainland mobile number') });
    }
  });
});
