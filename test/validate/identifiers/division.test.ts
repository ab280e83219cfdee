import { describe, expect, it } from 'vitest';
import { isMainlandProvince, twoDigits } from '../../../src/validate/identifiers/division.js';

describe('isMainlandProvince', () => {
  it('knows exactly the 31 province-level codes of GB/T 2260', () => {
    const all = Array.from({ length: 100 }, (_, p) => String(p).padStart(2, '0')).filter((p) => isMainlandProvince(p));
    expect(all).toEqual([
      '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
      '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
    ]);
  });

  it('reads at an offset and refuses non-digits', () => {
    expect(isMainlandProvince('944840', 1)).toBe(true);
    expect(isMainlandProvince('1A')).toBe(false);
    expect(isMainlandProvince('4')).toBe(false);
    expect(twoDigits('x07', 1)).toBe(7);
    expect(twoDigits('0X')).toBe(-1);
  });
});
