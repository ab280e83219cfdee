// Which encoding a text delivery is in. Excel on Chinese Windows saves CSV in code page 936
// (GBK, read here as its superset GB18030); "CSV UTF-8" and most other tools write UTF-8, with or
// without a BOM; Excel's "Unicode text" is UTF-16LE with a BOM.
import chardet from 'chardet';
import { DeliveryError } from '../model.js';
import { lineOfByte } from './lines.js';
import { scanGb18030, scanUtf8, utf16Scanner, type Scan, type Scanner } from './scan.js';

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'gb18030';

// `name` is what iconv-lite and TextDecoder both call the encoding. TextDecoder's fatal mode
// refuses exactly the bytes the scanner does (test/read/text/scan.test.ts) and decodes GB18030
// 2-3 times faster than iconv-lite, which still counts lines and decodes the sniffed start.
const ENCODINGS: Record<TextEncoding, { name: string; scan: Scanner; label: string }> = {
  'utf-8': { name: 'utf-8', scan: scanUtf8, label: 'UTF-8' },
  'utf-8-bom': { name: 'utf-8', scan: scanUtf8, label: 'UTF-8' },
  'utf-16le': { name: 'utf-16le', scan: utf16Scanner(true), label: 'UTF-16LE' },
  'utf-16be': { name: 'utf-16be', scan: utf16Scanner(false), label: 'UTF-16BE' },
  gb18030: { name: 'gb18030', scan: scanGb18030, label: 'GB18030' },
};

export const iconvName = (encoding: TextEncoding): string => ENCODINGS[encoding].name;
export const scannerFor = (encoding: TextEncoding): Scanner => ENCODINGS[encoding].scan;

/** A strict streaming decoder for `encoding`; a byte-order mark is the caller's to skip, a U+FEFF after it is text. */
export const textDecoder = (encoding: TextEncoding): TextDecoder => new TextDecoder(ENCODINGS[encoding].name, { fatal: true, ignoreBOM: true });

const BOMS: { encoding: TextEncoding; bytes: number[] }[] = [
  { encoding: 'utf-8-bom', bytes: [0xef, 0xbb, 0xbf] },
  { encoding: 'utf-16le', bytes: [0xff, 0xfe] },
  { encoding: 'utf-16be', bytes: [0xfe, 0xff] },
];

export function bomOf(head: Uint8Array): { encoding: TextEncoding; length: number } | undefined {
  const bom = BOMS.find((b) => b.bytes.every((byte, i) => head[i] === byte));
  return bom && { encoding: bom.encoding, length: bom.bytes.length };
}

/** Bytes that fail to decode: `offset` in the file, and an encoding the bytes before it are valid in (to count lines). */
export interface EncodingProblem {
  offset: number;
  validBefore: TextEncoding;
  detail: string;
}

function hexAt(bytes: Uint8Array, at: number): string {
  return [...bytes.subarray(at, at + 4)].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

/** Where bytes stop being one encoding; `cut` when they end the file inside a character. */
export interface Fault {
  at: number;
  cut: boolean;
}

export function faultOf(scan: Scan, length: number, endsFile: boolean): Fault | undefined {
  if (scan.invalid >= 0) return { at: scan.invalid, cut: false };
  return endsFile && scan.whole < length ? { at: scan.whole, cut: true } : undefined;
}

/** The fault in words; `start` is the file offset of `bytes[0]`. */
export function faultDetail(encoding: TextEncoding, bytes: Uint8Array, fault: Fault, start: number): string {
  const where = `offset ${start + fault.at} (${hexAt(bytes, fault.at)})`;
  const label = ENCODINGS[encoding].label;
  return fault.cut ? `the file ends inside a ${label} character at ${where}` : `the bytes at ${where} start no ${label} character`;
}

// Shift_JIS, EUC-JP, EUC-KR and Big5 text is nearly always valid GB18030 byte for byte and would
// load as unrelated Chinese characters. chardet tells them apart given enough text: over 3,000
// random samples per corpus (scripts/measure-encoding-veto.ts), from 100 non-ASCII bytes up it
// flagged no GBK sample and every foreign one; below that it flagged a few GBK samples. 200 keeps
// a margin.
const FOREIGN = new Set(['Shift_JIS', 'EUC-JP', 'EUC-KR', 'Big5']);
const VETO_MIN_HIGH_BYTES = 200;
const VETO_MIN_CONFIDENCE = 50;
// chardet takes about 2 ms per KiB. It was measured on samples of up to 3,060 characters, about
// 6,000 non-ASCII bytes of GBK: it is shown the start of the sample that holds that many.
const VETO_MAX_HIGH_BYTES = 6000;

export interface ForeignVerdict {
  name: string;
  confidence: number;
  gb18030: number;
}

/** The East Asian encoding other than GB18030 that `sample` is clearly in, if any; `minHighBytes` is there to be measured. */
export function foreignEncoding(sample: Uint8Array, minHighBytes = VETO_MIN_HIGH_BYTES): ForeignVerdict | undefined {
  let high = 0;
  let end = 0;
  while (end < sample.length && high < VETO_MAX_HIGH_BYTES) if (sample[end++]! >= 0x80) high++;
  if (high < minHighBytes) return undefined;
  const matches = chardet.analyse(sample.subarray(0, end));
  const gb18030 = matches.find((m) => m.name === 'GB18030')?.confidence ?? 0;
  const best = matches.find((m) => FOREIGN.has(m.name));
  if (!best || best.confidence < VETO_MIN_CONFIDENCE || best.confidence <= gb18030) return undefined;
  return { name: best.name, confidence: best.confidence, gb18030 };
}

/**
 * The encoding of a file without a BOM, from `sample`: the bytes from its first non-ASCII byte
 * (at file offset `start`) on. Empty when the file is all ASCII, which every candidate reads alike.
 */
export function chooseEncoding(sample: Uint8Array, start: number, endsFile: boolean): { encoding: TextEncoding } | { problem: EncodingProblem } {
  const utf8Fault = faultOf(scanUtf8(sample), sample.length, endsFile);
  if (!utf8Fault) return { encoding: 'utf-8' };
  const gbFault = faultOf(scanGb18030(sample), sample.length, endsFile);
  if (gbFault) {
    return {
      problem: {
        offset: start + gbFault.at,
        validBefore: 'gb18030',
        detail: `${faultDetail('gb18030', sample, gbFault, start)}; the file is not UTF-8 either (from offset ${start + utf8Fault.at}) and has no UTF-16 byte-order mark, so it is in no encoding credit-etl reads`,
      },
    };
  }
  const foreign = foreignEncoding(sample);
  if (foreign) {
    return {
      problem: {
        offset: start,
        validBefore: 'utf-8',
        detail: `the text from offset ${start} on reads as ${foreign.name} (chardet confidence ${foreign.confidence}, GB18030 ${foreign.gb18030}), an encoding credit-etl does not read; decoded as GB18030 it would be unrelated characters`,
      },
    };
  }
  return { encoding: 'gb18030' };
}

export async function encodingError(path: string, problem: EncodingProblem): Promise<DeliveryError> {
  const line = await lineOfByte(path, problem.offset, iconvName(problem.validBefore));
  return new DeliveryError('file/encoding', `line ${line}: ${problem.detail}`, path);
}
