// Dump text must be UTF-8 (mysqldump's default utf8mb4, pg_dump's client_encoding UTF8); values
// are decoded one token at a time so that binary columns can keep raw bytes that are not text.
import { isUtf8 } from 'node:buffer';

/** Index of the first byte that does not belong to a well-formed UTF-8 sequence, or -1. */
export function firstNonUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0 || i + need >= bytes.length) return i;
    const b1 = bytes[i + 1] ?? 0;
    // Overlongs, surrogates and code points past U+10FFFF are not UTF-8 (RFC 3629 table 3-7).
    const lo = (b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80);
    const hi = (b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf);
    if (need > 0 && (b1 < lo || b1 > hi)) return i;
    for (let k = 2; k <= need; k++) {
      const c = bytes[i + k] ?? 0;
      if (c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** The text of `bytes`, or undefined when they are not UTF-8 (the caller says where). */
export function decodeUtf8(bytes: Buffer): string | undefined {
  return isUtf8(bytes) ? bytes.toString('utf8') : undefined;
}

/** `E5 BC` — the bytes around the first bad one, for a message that lets a person find it. */
export function badBytes(bytes: Uint8Array): string {
  const at = Math.max(0, firstNonUtf8(bytes));
  return Array.from(bytes.subarray(at, at + 4), (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}
