// Byte-level validity of the encodings credit-etl reads. Decoders (iconv-lite, Buffer) replace
// bad bytes with U+FFFD silently and cannot say where they were; these scanners find the exact
// offset, so an undecodable file is rejected by byte offset instead of loaded as mojibake.

/** How far a run of bytes holds whole, valid characters. */
export interface Scan {
  /** Bytes from the start that form whole characters; the rest is a character cut off at the end. */
  whole: number;
  /** Offset of the first byte that starts no valid character, or -1. */
  invalid: number;
}

export type Scanner = (bytes: Uint8Array) => Scan;

const inRange = (b: number | undefined, lo: number, hi: number): boolean => b !== undefined && b >= lo && b <= hi;

/** UTF-8 as WHATWG and TextDecoder({ fatal: true }) define it: no overlongs, surrogates or code points past U+10FFFF. */
export function scanUtf8(bytes: Uint8Array): Scan {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) { i++; continue; }
    let length: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) { length = 3; if (b === 0xe0) lo = 0xa0; if (b === 0xed) hi = 0x9f; }
    else if (b >= 0xf0 && b <= 0xf4) { length = 4; if (b === 0xf0) lo = 0x90; if (b === 0xf4) hi = 0x8f; }
    else return { whole: i, invalid: i };
    // Only the second byte has a narrowed range; the others are plain continuation bytes.
    for (let k = 1; k < length; k++) {
      if (i + k >= n) return { whole: i, invalid: -1 };
      if (!inRange(bytes[i + k], k === 1 ? lo : 0x80, k === 1 ? hi : 0xbf)) return { whole: i, invalid: i };
    }
    i += length;
  }
  return { whole: n, invalid: -1 };
}

// GB18030 four-byte sequences count through a linear index; WHATWG's decoder (and
// TextDecoder('gb18030')) rejects indexes past the BMP block and past U+10FFFF, where iconv-lite
// instead makes up characters.
const GB_BMP_LAST = 39419;
const GB_SUPPLEMENTARY_FIRST = 189000;
const GB_SUPPLEMENTARY_LAST = 1237575;

/** GB18030 (GBK and GB2312 are subsets): one, two or four bytes per character, 0x80 read as € like Windows does. */
export function scanGb18030(bytes: Uint8Array): Scan {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b1 = bytes[i]!;
    if (b1 <= 0x80) { i++; continue; }
    if (b1 === 0xff) return { whole: i, invalid: i };
    if (i + 1 >= n) return { whole: i, invalid: -1 };
    const b2 = bytes[i + 1]!;
    if (inRange(b2, 0x40, 0x7e) || inRange(b2, 0x80, 0xfe)) { i += 2; continue; }
    if (!inRange(b2, 0x30, 0x39)) return { whole: i, invalid: i };
    if (i + 2 >= n) return { whole: i, invalid: -1 };
    const b3 = bytes[i + 2]!;
    if (!inRange(b3, 0x81, 0xfe)) return { whole: i, invalid: i };
    if (i + 3 >= n) return { whole: i, invalid: -1 };
    const b4 = bytes[i + 3]!;
    if (!inRange(b4, 0x30, 0x39)) return { whole: i, invalid: i };
    const index = (((b1 - 0x81) * 10 + (b2 - 0x30)) * 126 + (b3 - 0x81)) * 10 + (b4 - 0x30);
    if (index > GB_SUPPLEMENTARY_LAST || (index > GB_BMP_LAST && index < GB_SUPPLEMENTARY_FIRST)) return { whole: i, invalid: i };
    i += 4;
  }
  return { whole: n, invalid: -1 };
}

/** UTF-16 in either byte order: surrogates only in high-low pairs. */
export function utf16Scanner(littleEndian: boolean): Scanner {
  return (bytes) => {
    const n = bytes.length;
    const unit = (at: number): number => (littleEndian ? bytes[at]! | (bytes[at + 1]! << 8) : (bytes[at]! << 8) | bytes[at + 1]!);
    let i = 0;
    while (i + 1 < n) {
      const u = unit(i);
      if (u >= 0xdc00 && u <= 0xdfff) return { whole: i, invalid: i };
      if (u >= 0xd800 && u <= 0xdbff) {
        if (i + 3 >= n) return { whole: i, invalid: -1 };
        const low = unit(i + 2);
        if (low < 0xdc00 || low > 0xdfff) return { whole: i, invalid: i };
        i += 4;
      } else {
        i += 2;
      }
    }
    return { whole: i, invalid: -1 };
  };
}
