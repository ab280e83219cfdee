// Excel keeps 15 significant digits (Microsoft KB 269370): an 18-character code typed into a
// General cell loses its last three digits, and a CSV saved from it may show 4.41302E+17.
// Such a value cannot be repaired from the cell; the record has to say so, not "checksum".
import { residentIdCheckChar } from './checksums.js';
import { canonicalIdentifier, digitsOnly } from './verdict.js';

const FLOAT = /^\d*(?:\.\d*)?(?:E\+?\d+)?$/;
const LEADING_ZEROS = /^0+/;
const MAX_SAFE_DIGITS = 15;
// A General cell is 11 characters wide: Excel shows longer numbers in scientific notation, so
// only such numbers lose digits to it (1.5E+3 is just 1500).
const GENERAL_WIDTH = 11;

function hasResidentIdCheck(value: string): boolean {
  return residentIdCheckChar(value) === value[17];
}

/**
 * Why Excel (or any float) destroyed this identifier text, or undefined when it shows no sign of
 * that. `fitsCheck` is the check an intact 18-digit value would pass: MOD 11-2 unless the caller
 * checks another kind of code.
 */
export function excelCorruption(text: string, fitsCheck: (value: string) => boolean = hasResidentIdCheck): string | undefined {
  const value = canonicalIdentifier(text);
  if (value.length === 18 && value.endsWith('000') && digitsOnly(value) && !fitsCheck(value)) {
    return 'ends in 000 and fails its check character: Excel kept 15 significant digits and turned the last three into zeros';
  }
  const exponent = value.indexOf('E');
  if ((exponent < 0 && value.indexOf('.') < 0) || !FLOAT.test(value)) return undefined;
  const number = Number(value);
  if (!(number >= 1)) return undefined;
  const digits = Math.floor(Math.log10(number)) + 1;
  if (exponent >= 0) {
    const kept = value.slice(0, exponent).replace('.', '').replace(LEADING_ZEROS, '').length;
    return digits > GENERAL_WIDTH && kept < digits ? `was stored as a number and written in scientific notation: only ${kept} of its ${digits} digits survive` : undefined;
  }
  return digits > MAX_SAFE_DIGITS
    ? `was written as a floating-point number: a float keeps ${MAX_SAFE_DIGITS} significant digits, so the rest of its ${digits} are not the original ones`
    : undefined;
}
