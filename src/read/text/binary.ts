// Binary files that arrive with a text name: a workbook or a screenshot saved as .csv. Their
// bytes would otherwise fail as "bad encoding" or load as junk rows; naming what they are tells
// the unit what to send instead.

const SIGNATURES: { bytes: number[]; what: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive (an .xlsx workbook is one)' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], what: 'an OLE2 compound file (an old .xls workbook is one)' },
  { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], what: 'a PDF document' },
  { bytes: [0x1f, 0x8b], what: 'a gzip archive' },
];

/** What kind of binary file `head` (the first bytes of the file) starts, by its magic number. */
export function binarySignature(head: Uint8Array): string | undefined {
  return SIGNATURES.find((s) => s.bytes.every((b, i) => head[i] === b))?.what;
}

const TAB = 9;
const LF = 10;
const CR = 13;

/**
 * Why `units` (bytes, or UTF-16 code units) cannot be text: a NUL, or control characters other
 * than tab and line breaks making up more than 1 in 100. Text exported from any tool has none;
 * a stray one in a long file (a DOS end-of-file mark) stays under the share.
 */
export function binaryEvidence(units: ArrayLike<number>): { index: number; unit: number; count: number } | undefined {
  let first = -1;
  let count = 0;
  for (let i = 0; i < units.length; i++) {
    const u = units[i]!;
    if (u >= 0x20 || u === TAB || u === LF || u === CR) continue;
    if (u === 0) return { index: i, unit: u, count: count + 1 };
    if (first < 0) first = i;
    count++;
  }
  return count * 100 > units.length ? { index: first, unit: units[first]!, count } : undefined;
}
