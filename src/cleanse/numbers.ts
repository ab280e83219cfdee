// Integers and decimals as spreadsheets and dumps write them: thousands separators, full-width
// digits, a float's noise digits (0.30000000000000004), an integer exported as 12.0.
import { narrow } from './chars.js';
import { type Cleaned, fail, ok, quote } from './cleaned.js';
import { MAX_SIGNIFICANT_DIGITS, type Numeral, numeralValue, parseNumeral, significantDigits } from './numeral.js';

// Already canonical: no sign but minus, no leading zero, no separator; short enough to be exact.
const PLAIN_INTEGER = /^-?(?:0|[1-9]\d{0,14})$/;
const PLAIN_DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;
const ALL_ZEROS = /^0*$/;
// What a binary float leaves after the true digits when printed in full: a run of 0s or of 9s.
const FLOAT_NOISE = /^(?:0{6,}|9{6,})/;

function tooPrecise(text: string, n: Numeral): string | undefined {
  const digits = significantDigits(n.int, n.frac);
  return digits > MAX_SIGNIFICANT_DIGITS
    ? `${quote(text)} has ${digits} significant digits, more than the ${MAX_SIGNIFICANT_DIGITS} a number holds exactly`
    : undefined;
}

/** Whole numbers; 12.0 and 12.00 are accepted as 12 (a repair), 12.5 is not. */
export function cleanInteger(raw: string): Cleaned<number> {
  if (PLAIN_INTEGER.test(raw)) return ok(raw === '-0' ? 0 : Number(raw), false);
  const text = narrow(raw);
  const n = parseNumeral(text);
  if (typeof n === 'string') return fail(n);
  if (!ALL_ZEROS.test(n.frac)) return fail(`${quote(text)} is not a whole number`);
  const whole: Numeral = { ...n, frac: '' };
  const problem = tooPrecise(text, whole);
  return problem ? fail(problem) : ok(numeralValue(whole), true);
}

/**
 * Decimals with at most `scale` fraction digits. Extra digits are accepted when all zero, rounded
 * when they are a float's noise (…0000001, …9999997), and refused otherwise: 2.345 is not 2.35.
 */
export function cleanDecimal(raw: string, scale: number): Cleaned<number> {
  const plain = PLAIN_DECIMAL.test(raw);
  if (plain && raw.length <= MAX_SIGNIFICANT_DIGITS) {
    const point = raw.indexOf('.');
    if (point < 0 || raw.length - point - 1 <= scale) return ok(Number(raw) || 0, false);
  }
  const text = narrow(raw);
  const n = parseNumeral(text);
  if (typeof n === 'string') return fail(n);
  const extra = n.frac.slice(scale);
  const kept: Numeral = { ...n, frac: n.frac.slice(0, scale) };
  const problem = tooPrecise(text, kept);
  if (problem) return fail(problem);
  if (ALL_ZEROS.test(extra)) return ok(numeralValue(kept), !plain);
  if (!FLOAT_NOISE.test(extra)) return fail(`${quote(text)} has ${n.frac.length} decimal places; the item allows ${scale}`);
  const rounded = Number(numeralValue(n).toFixed(scale));
  return ok(rounded === 0 ? 0 : rounded, true);
}
