// The one answer every identifier check gives, and the canonical form every check starts from.

export type IdentifierFailure = 'format' | 'length' | 'checksum' | 'date' | 'province' | 'org-check' | 'corrupted-by-excel';

export interface IdentifierVerdict {
  valid: boolean;
  /** Canonical: NFKC, spaces and hyphens removed, upper-case (so a lower-case x reads X); a phone's is its national number. */
  value: string;
  failure?: IdentifierFailure;
  /** The check character the formula gives, when a check character failed. */
  expected?: string;
  /** A short English clause for messages, e.g. `fails its check character (expected 3)`; never the value itself. */
  detail?: string;
  warnings: readonly string[];
}

/** The warnings of almost every verdict: one shared empty list, not a new one per cell. */
export const NO_WARNINGS: readonly string[] = Object.freeze([]);

const NON_ASCII = /[^\x00-\x7f]/;
// Anything at or below U+0020 (space, tab, CR, LF), the dashes people and Word put between code
// groups, and the zero-width characters and BOM that copying out of web pages and Excel leaves in.
const STRIP = /[\u0000-\u0020\u007f\u00a0\u2010-\u2015\u2212\u200b-\u200d\u2060\ufeff-]/g;

/**
 * The form identifiers are compared in. Full-width input (`ＡＢ１２`, U+3000 spaces) is common in
 * Chinese spreadsheets; NFKC folds it to ASCII. Plain upper-case ASCII, the bulk of real cells,
 * is returned as it is without allocating.
 */
export function canonicalIdentifier(input: string): string {
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c <= 0x20 || c === 0x2d || c >= 0x7f || (c >= 0x61 && c <= 0x7a)) {
      return nfkc(input).replace(STRIP, '').toUpperCase();
    }
  }
  return input;
}

/** NFKC, skipped for ASCII text, which it would leave as it is: normalising costs about a microsecond. */
export function nfkc(text: string): string {
  return NON_ASCII.test(text) ? text.normalize('NFKC') : text;
}

export function accepted(value: string, warnings: readonly string[] = NO_WARNINGS): IdentifierVerdict {
  return { valid: true, value, warnings };
}

export function rejected(value: string, failure: IdentifierFailure, detail: string, expected?: string): IdentifierVerdict {
  return expected === undefined
    ? { valid: false, value, failure, detail, warnings: NO_WARNINGS }
    : { valid: false, value, failure, detail, expected, warnings: [] };
}

/** The clause for a wrong check character; `what` names a check character other than the last. */
export function checkDetail(expected: string, what = 'its check character'): string {
  return `fails ${what} (expected ${expected})`;
}

/** `length` when the characters are right but there are too few or too many, else `format`. */
export function shapeFailure(value: string, allowed: (code: number, index: number, length: number) => boolean, name: string, lengths: string): IdentifierVerdict {
  for (let i = 0; i < value.length; i++) {
    if (!allowed(value.charCodeAt(i), i, value.length)) {
      return rejected(value, 'format', `has "${value[i]}" at position ${i + 1}, which ${name} never has`);
    }
  }
  return rejected(value, 'length', `has ${value.length} characters; ${name} has ${lengths}`);
}

export const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
export const isUpperAlnum = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a);

export function digitsOnly(value: string, from = 0, to = value.length): boolean {
  for (let i = from; i < to; i++) {
    if (!isDigit(value.charCodeAt(i))) return false;
  }
  return true;
}
