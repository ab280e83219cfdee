// Text as units type it: stray blanks, invisibles pasted from web pages, full-width forms from
// Chinese input methods. Free text and names keep their display form (names must read exactly as
// on the certificate); codes are rewritten to their one canonical spelling (FACTS §7).
import { type Cleaned, ok } from './cleaned.js';
import { INVISIBLE, squeeze } from './chars.js';

/** Free text and names: trimmed, blanks collapsed to one space, invisibles removed; nothing else touched. */
export function cleanText(raw: string): Cleaned<string> {
  const value = squeeze(raw);
  return ok(value, value !== raw);
}

const PLAIN_CODE = /^[0-9A-Z]*$/;
// After NFKC: blanks, invisibles, every dash a keyboard or an IME produces, and the apostrophe
// Excel users type in front of a long number to keep it text.
const CODE_NOISE_G = new RegExp(`[\\s${INVISIBLE}\\-\\u2010-\\u2015\\u2212]+|^'+`, 'g');

/** Identifiers and codes (USCC, org code, ID numbers, item codes): NFKC, no blanks or hyphens, upper case. */
export function cleanCode(raw: string): Cleaned<string> {
  if (PLAIN_CODE.test(raw)) return ok(raw, false);
  const value = raw.normalize('NFKC').trim().replace(CODE_NOISE_G, '').toUpperCase();
  return ok(value, value !== raw);
}

// ASCII without blanks or the brackets the key rewrites, and the CJK block: NFKC leaves these alone.
const PLAIN_NAME = /^[\x21-\x5a\x5c\x5e-\x7a\x7c\x7e\u4e00-\u9fff]*$/;
const OPEN_G = /[[{【〔〖]/g;
const CLOSE_G = /[\]}】〕〗]/g;
// Minority and foreign personal names join their parts with a middle dot typed half a dozen ways.
const DOTS_G = /[\u00b7\u2022\u2027\u2219\u30fb]/g;
// A blank beside a CJK character is layout, not part of the name; between Latin words it is kept.
const CJK_SPACE_G = / (?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) /g;

/**
 * The key two spellings of one name share: NFKC (full-width letters, digits, brackets to ASCII),
 * every bracket style as ( ), one middle dot, blanks collapsed. For matching only, never displayed.
 */
export function nameKey(raw: string): string {
  if (PLAIN_NAME.test(raw)) return raw;
  return squeeze(raw.normalize('NFKC'))
    .replace(OPEN_G, '(')
    .replace(CLOSE_G, ')')
    .replace(DOTS_G, '\u00b7')
    .replace(CJK_SPACE_G, '');
}
