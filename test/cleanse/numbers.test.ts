import { describe, expect, it } from 'vitest';
import { cleanDecimal, cleanInteger } from '../../src/cleanse/index.js';

describe('cleanInteger', () => {
  it.each([['2019', 2019], ['0', 0], ['-5', -5], ['-0', 0], ['999999999999999', 999999999999999]])('leaves %j alone', (raw, value) => {
    expect(cleanInteger(raw)).toEqual({ ok: true, value, repaired: false });
  });

  it.each([
    ['thousands separators', '1,234,567', 1234567],
    ['full-width digits', '２０１９', 2019],
    ['full-width separators and sign', '－１，２３４', -1234],
    ['an integer exported as a float', '12.0', 12],
    ['trailing decimal zeros', '12.000', 12],
    ['blanks and invisibles', ' 42\u200b ', 42],
    ['explicit plus', '+5', 5],
    ['leading zeros', '007', 7],
    ['minus sign U+2212', '\u22125', -5],
  ])('repairs %s', (_case, raw, value) => {
    expect(cleanInteger(raw)).toEqual({ ok: true, value, repaired: true });
  });

  it.each([
    ['12.5', '"12.5" is not a whole number'],
    ['1,23', '"1,23" has misplaced thousands separators'],
    ['12,34,567', '"12,34,567" has misplaced thousands separators'],
    ['4.40102E+17', '"4.40102E+17" is in scientific notation, which Excel uses after dropping digits'],
    ['440102198001011234', '"440102198001011234" has 18 significant digits, more than the 15 a number holds exactly'],
    ['十二', '"十二" is not a number'],
    ['12个', '"12个" is not a number'],
    ['', '"" is not a number'],
    ['-', '"-" is not a number'],
  ])('refuses %j', (raw, failure) => {
    expect(cleanInteger(raw)).toEqual({ ok: false, failure });
  });
});

describe('cleanDecimal', () => {
  it.each([
    ['2.34', 2, 2.34], ['1500', 2, 1500], ['0.5', 2, 0.5], ['-1.5', 2, -1.5], ['0.2', 6, 0.2], ['12.345678', 6, 12.345678],
    ['2.3400', 2, 2.34], ['1234567890123.45', 2, 1234567890123.45], ['7', 0, 7],
  ])('leaves %j (scale %d) alone', (raw, scale, value) => {
    expect(cleanDecimal(raw, scale)).toEqual({ ok: true, value, repaired: false });
  });

  it.each([
    ['thousands separators', '1,234.5', 2, 1234.5],
    ['full-width digits and point', '５．５', 2, 5.5],
    ['no integer digit', '.5', 2, 0.5],
    ['blanks', ' 3.25 ', 2, 3.25],
    ['a float printed in full, noise of 9s', '27709.609999999997', 2, 27709.61],
    ['a float printed in full, noise of 0s', '0.30000000000000004', 2, 0.3],
    ['noise past scale 6', '2.7709610000000002', 6, 2.770961],
  ])('repairs %s', (_case, raw, scale, value) => {
    expect(cleanDecimal(raw, scale)).toEqual({ ok: true, value, repaired: true });
  });

  it.each([
    ['2.345', 2, '"2.345" has 3 decimal places; the item allows 2'],
    ['0.5', 0, '"0.5" has 1 decimal places; the item allows 0'],
    ['12345678901234.56', 2, '"12345678901234.56" has 16 significant digits, more than the 15 a number holds exactly'],
    ['1.5e-3', 6, '"1.5e-3" is in scientific notation, which Excel uses after dropping digits'],
    ['1.2.3', 2, '"1.2.3" is not a number'],
    ['约3.5', 2, '"约3.5" is not a number'],
  ])('refuses %j at scale %d', (raw, scale, failure) => {
    expect(cleanDecimal(raw, scale)).toEqual({ ok: false, failure });
  });
});
