// Backslash escapes differ by where they appear: MySQL strings, PostgreSQL E'' strings and
// PostgreSQL COPY text each have their own table. All work on bytes, because an octal or hex
// escape is one byte of a UTF-8 sequence (\345\274\240 is 张), decoded only once a value is whole.

export interface EscapeRules {
  /** Letter after the backslash → the byte it stands for. */
  named: ReadonlyMap<number, number>;
  /** Letters whose backslash is kept: MySQL's \% and \_ are LIKE escapes and stay two characters. */
  keepBackslash: ReadonlySet<number>;
  /** \o, \oo, \ooo octal and \xh, \xhh hex bytes. */
  numeric: boolean;
  /** \uXXXX and \UXXXXXXXX code points (E'' strings only). */
  unicode: boolean;
}

const code = (c: string): number => c.charCodeAt(0);
const named = (pairs: [string, number][]): ReadonlyMap<number, number> => new Map(pairs.map(([c, b]) => [code(c), b]));

/** MySQL string literals (refman "String Literals", table 11.1). */
export const MYSQL_ESCAPES: EscapeRules = {
  named: named([['0', 0x00], ['b', 0x08], ['n', 0x0a], ['r', 0x0d], ['t', 0x09], ['Z', 0x1a]]),
  keepBackslash: new Set([code('%'), code('_')]),
  numeric: false,
  unicode: false,
};

/** PostgreSQL E'' strings (docs 4.1.2.2): \v is not among them, it stands for a plain v. */
export const PG_STRING_ESCAPES: EscapeRules = {
  named: named([['b', 0x08], ['f', 0x0c], ['n', 0x0a], ['r', 0x0d], ['t', 0x09]]),
  keepBackslash: new Set(),
  numeric: true,
  unicode: true,
};

/** PostgreSQL COPY text format (docs COPY "Text Format"). */
export const COPY_ESCAPES: EscapeRules = {
  named: named([['b', 0x08], ['f', 0x0c], ['n', 0x0a], ['r', 0x0d], ['t', 0x09], ['v', 0x0b]]),
  keepBackslash: new Set(),
  numeric: true,
  unicode: false,
};

export type Escape =
  | { bytes: Uint8Array; next: number }
  | 'more'
  | { invalid: string };

const SINGLE = Array.from({ length: 256 }, (_, b) => Uint8Array.of(b));
const BACKSLASH = 0x5c;
const isOctal = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x37;
const hexValue = (b: number | undefined): number =>
  b === undefined ? -1 : b >= 0x30 && b <= 0x39 ? b - 0x30 : b >= 0x41 && b <= 0x46 ? b - 55 : b >= 0x61 && b <= 0x66 ? b - 87 : -1;

/**
 * The escape whose letter is at `at` (just past the backslash). 'more' when the buffer ends
 * before the escape can be known whole and more bytes may follow (`final` is false).
 */
export function readEscape(rules: EscapeRules, buf: Uint8Array, at: number, end: number, final: boolean): Escape {
  if (at >= end) return final ? { invalid: 'a backslash at the very end' } : 'more';
  const c = buf[at]!;
  const mapped = rules.named.get(c);
  if (mapped !== undefined) return { bytes: SINGLE[mapped]!, next: at + 1 };
  if (rules.keepBackslash.has(c)) return { bytes: Uint8Array.of(BACKSLASH, c), next: at + 1 };
  if (rules.numeric && isOctal(c)) {
    let n = 0;
    let i = at;
    while (i < at + 3 && i < end && isOctal(buf[i])) n = n * 8 + (buf[i++]! - 0x30);
    if (i < at + 3 && i === end && !final) return 'more';
    return { bytes: SINGLE[n & 0xff]!, next: i };
  }
  if (rules.numeric && c === code('x') && (hexValue(buf[at + 1]) >= 0 || (at + 1 >= end && !final))) {
    if (at + 2 >= end && !final) return 'more';
    const hi = hexValue(buf[at + 1]);
    const lo = hexValue(buf[at + 2]);
    return lo >= 0 ? { bytes: SINGLE[hi * 16 + lo]!, next: at + 3 } : { bytes: SINGLE[hi]!, next: at + 2 };
  }
  if (rules.unicode && (c === code('u') || c === code('U'))) {
    const digits = c === code('u') ? 4 : 8;
    if (at + digits >= end && !final) return 'more';
    let cp = 0;
    for (let i = 1; i <= digits; i++) {
      const h = hexValue(buf[at + i]);
      if (h < 0) return { invalid: `\\${String.fromCharCode(c)} needs ${digits} hex digits` };
      cp = cp * 16 + h;
    }
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return { invalid: `\\${String.fromCharCode(c)} names no Unicode character` };
    return { bytes: Buffer.from(String.fromCodePoint(cp), 'utf8'), next: at + 1 + digits };
  }
  // Any other letter stands for itself: \' \" \\ and, in MySQL, every unknown escape.
  return { bytes: SINGLE[c]!, next: at + 1 };
}
