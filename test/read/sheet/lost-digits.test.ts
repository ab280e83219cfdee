import { describe, expect, it } from 'vitest';
import { lostDigits } from '../../../src/read/sheet/lost-digits.js';

describe('lostDigits', () => {
  it('names the digits Excel dropped from an 18-digit identifier, and those the display hides', () => {
    expect(lostDigits(441302198001011000, '4.41302E+17')).toBe(
      'a number of 18 digits: Excel keeps 15 significant digits, so the last 3 are lost; shown in scientific notation as 4.41302E+17, the text keeps 6 of its 18 digits',
    );
    expect(lostDigits(441302198001011000, '441302198001011000')).toBe('a number of 18 digits: Excel keeps 15 significant digits, so the last 3 are lost');
  });

  it('flags a number whose digits survive in the cell but not in its scientific display', () => {
    expect(lostDigits(441300000123458, '4.413E+14')).toBe('shown in scientific notation as 4.413E+14, the text keeps 4 of its 15 digits');
    expect(lostDigits(-12345, '-1.23E+04')).toBe('shown in scientific notation as -1.23E+04, the text keeps 3 of its 5 digits');
  });

  it('leaves numbers whose text still carries every digit, and fractions, alone', () => {
    expect(lostDigits(441300600012341, '441300600012341')).toBeUndefined();
    expect(lostDigits(13812345678, '13812345678')).toBeUndefined();
    expect(lostDigits(0.2, '0.2')).toBeUndefined();
    expect(lostDigits(0.000012, '1.2E-05')).toBeUndefined();
  });
});
