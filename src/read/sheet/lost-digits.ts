// Excel holds a number as a double and keeps 15 significant digits (Microsoft KB 269370): an
// 18-digit resident ID or USCC typed into a General cell is stored as …000 and shown as
// 4.41302E+17. Whatever the shaping stage receives for such a cell is no longer the identifier.

const EXCEL_DIGITS = 15;
const SCIENTIFIC = /^-?(\d+(?:\.\d+)?)E[+-]?\d+$/i;

/**
 * Why an integer-valued numeric cell can no longer be the identifier it was typed as, or
 * undefined when its text still carries every digit. `shown` is the cell's displayed text.
 */
export function lostDigits(value: number, shown: string): string | undefined {
  if (!Number.isInteger(value)) return undefined;
  const digits = BigInt(Math.abs(value)).toString().length;
  const reasons: string[] = [];
  if (digits > EXCEL_DIGITS) {
    reasons.push(`a number of ${digits} digits: Excel keeps ${EXCEL_DIGITS} significant digits, so the last ${digits - EXCEL_DIGITS} are lost`);
  }
  const mantissa = SCIENTIFIC.exec(shown.trim())?.[1];
  if (mantissa !== undefined) {
    const kept = mantissa.replace('.', '').replace(/^0+/, '').length;
    reasons.push(`shown in scientific notation as ${shown.trim()}, the text keeps ${kept} of its ${digits} digits`);
  }
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}
