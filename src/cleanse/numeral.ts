// The one reading of a written number that integers, decimals and amounts share: sign, digits
// with thousands separators, a decimal point. Kept as digit strings so a unit change or a scale
// cut is done on the decimal text, not on a binary float (0.2 stays 0.2, not 0.20000000000000001).
import { quote } from './cleaned.js';

export interface Numeral {
  negative: boolean;
  /** Integer digits, separators removed (may be '' for .5). */
  int: string;
  /** Fraction digits as written, trailing zeros included. */
  frac: string;
}

/** Any decimal with at most 15 significant digits survives the trip through a double exactly. */
export const MAX_SIGNIFICANT_DIGITS = 15;

const NUMERAL = /^([+\-\u2212]?) ?(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d*))?$/;
const SCIENTIFIC = /^[+\-\u2212]?\d*\.?\d+e[+-]?\d+$/i;
const HAS_DIGIT = /\d/;
const EDGE_ZEROS_G = /^0+|0+$/g;
const COMMAS_G = /,/g;

/** `text` must already be squeezed and half-width. */
export function parseNumeral(text: string): Numeral | string {
  const m = NUMERAL.exec(text);
  if (m && (m[2] !== '' || (m[3] ?? '') !== '')) {
    return { negative: m[1] !== '' && m[1] !== '+', int: m[2]!.includes(',') ? m[2]!.replace(COMMAS_G, '') : m[2]!, frac: m[3] ?? '' };
  }
  if (SCIENTIFIC.test(text)) return `${quote(text)} is in scientific notation, which Excel uses after dropping digits`;
  if (text.includes(',') && HAS_DIGIT.test(text)) return `${quote(text)} has misplaced thousands separators`;
  return `${quote(text)} is not a number`;
}

/** How many digits a double must carry to hold the numeral exactly. */
export function significantDigits(int: string, frac: string): number {
  return `${int}${frac}`.replace(EDGE_ZEROS_G, '').length;
}

/** The numeral's value times 10^exponent, rounded once to the nearest double. */
export function numeralValue(n: Numeral, exponent = 0): number {
  const v = Number(`${n.int || '0'}.${n.frac || '0'}e${exponent}`);
  return n.negative && v !== 0 ? -v : v;
}
