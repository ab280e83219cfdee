// Mainland phone numbers: mobile 1[3-9] + 9 digits; landline trunk 0 + area code (010 and 02X
// have 3 digits, every other area code 4) + a 7- or 8-digit local number, maybe with an
// extension; either with +86 or 0086 in front, which drops the trunk 0 of a landline.
import { canonicalIdentifier, digitsOnly, NO_WARNINGS, nfkc, rejected, type IdentifierFailure, type IdentifierVerdict } from './verdict.js';

export type PhoneKind = 'mobile' | 'landline';

/** `value` is the national number, digits only: 13812345678, 07522345678 (no +86, no extension). */
export interface PhoneVerdict extends IdentifierVerdict {
  kind?: PhoneKind;
  /** Digits dialled after the number: 转 123, ext. 123, -123. */
  extension?: string;
}

const WHITESPACE = /[\s\u200b-\u200d\u2060\ufeff]+/g;
const DASHES = /[\u2010-\u2015\u2212]/g;
const MOBILE = /^(?:\+86|0086|\(\+86\))?-?(1[3-9]\d)-?(\d{4})-?(\d{4})$/;
const LANDLINE = /^(?:(?:\+86|0086|\(\+86\))-?\(?0?|\(?0)(10|2\d|[3-9]\d\d)\)?-?([2-9]\d{6,7})(?:(?:-|转|分机|EXT\.?|X|#|,)(\d{1,6}))?$/;
const NON_DIGITS = /\D/g;
const SEPARATED_DIGITS = /^[\d()+-]+$/;

export function checkPhone(input: string): PhoneVerdict {
  // The bulk of the cells, a bare mobile number, without the regular expressions.
  if (input.length === 11 && input.charCodeAt(0) === 0x31 && input.charCodeAt(1) >= 0x33 && digitsOnly(input)) {
    return { valid: true, value: input, kind: 'mobile', warnings: NO_WARNINGS };
  }
  // Hyphens and brackets are kept until the number is parsed: they are what separates an
  // extension from the number. The canonical value is the national number, digits only.
  const text = nfkc(input.replace(WHITESPACE, '')).replace(DASHES, '-').toUpperCase();
  const mobile = MOBILE.exec(text);
  if (mobile) return { valid: true, value: mobile[1]! + mobile[2]! + mobile[3]!, kind: 'mobile', warnings: NO_WARNINGS };
  const landline = LANDLINE.exec(text);
  if (landline) {
    const value = `0${landline[1]!}${landline[2]!}`;
    return landline[3] === undefined
      ? { valid: true, value, kind: 'landline', warnings: NO_WARNINGS }
      : { valid: true, value, kind: 'landline', extension: landline[3], warnings: NO_WARNINGS };
  }
  return rejected(canonicalIdentifier(input), ...failureOf(text));
}

/** `length` for a run of digits that is a mobile or landline number but for its length. */
function failureOf(text: string): [IdentifierFailure, string] {
  if (SEPARATED_DIGITS.test(text)) {
    const digits = text.replace(NON_DIGITS, '');
    const national = text.startsWith('0086') ? digits.slice(4) : text.startsWith('+86') || text.startsWith('(+86)') ? digits.slice(2) : digits;
    if (national[0] === '1' && national.length !== 11) return ['length', `has ${national.length} digits; a mobile number has 11`];
    if (national[0] === '0' && (national.length < 10 || national.length > 12)) return ['length', `has ${national.length} digits; a landline has 10 to 12 with its area code`];
  }
  return ['format', 'is neither a mainland mobile number (1, then 3–9, then 9 digits) nor a landline (0, area code, 7 or 8 digits, maybe an extension)'];
}
