// Everything decided about a text file before its rows are read, from its first bytes: whether
// it is text at all, its encoding and its delimiter. Files that cannot be read fail here, before
// a single row is handed on.
import { open, type FileHandle } from 'node:fs/promises';
import { extname } from 'node:path';
import { DeliveryError } from '../model.js';
import { binaryEvidence, binarySignature } from './binary.js';
import { detectDelimiter } from './delimiter.js';
import type { Delimiter } from './dialect.js';
import { bomOf, chooseEncoding, encodingError, faultDetail, faultOf, scannerFor, textDecoder, type TextEncoding } from './encoding.js';

/** Enough for the header and a hundred rows or so; short samples misjudge the encoding. */
const HEAD_BYTES = 64 * 1024;
const SAMPLE_BYTES = 64 * 1024;

export interface TextSniff {
  encoding: TextEncoding;
  /** Bytes of byte-order mark before the text. */
  bomLength: number;
  delimiter: Delimiter;
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const { buffer, bytesRead } = await file.read({ buffer: Buffer.alloc(length), position, length });
  return buffer.subarray(0, bytesRead);
}

/** File offset of the first byte that is not ASCII, or -1: where encodings begin to differ. */
async function firstNonAscii(file: FileHandle, head: Buffer, size: number): Promise<number> {
  let chunk = head;
  for (let position = 0; chunk.length > 0; ) {
    const i = chunk.findIndex((b) => b >= 0x80);
    if (i >= 0) return position + i;
    position += chunk.length;
    chunk = position < size ? await readAt(file, position, HEAD_BYTES) : Buffer.alloc(0);
  }
  return -1;
}

function utf16Units(bytes: Uint8Array, littleEndian: boolean): Uint16Array {
  const units = new Uint16Array(bytes.length >> 1);
  for (let i = 0; i < units.length; i++) {
    const [a, b] = [bytes[2 * i]!, bytes[2 * i + 1]!];
    units[i] = littleEndian ? a | (b << 8) : (a << 8) | b;
  }
  return units;
}

function assertText(path: string, head: Buffer, encoding: TextEncoding | undefined, bomLength: number): void {
  const signature = binarySignature(head);
  if (signature) throw new DeliveryError('file/binary', `binary content where text was expected: the file is ${signature}`, path);
  const wide = encoding === 'utf-16le' || encoding === 'utf-16be';
  const units = wide ? utf16Units(head.subarray(bomLength), encoding === 'utf-16le') : head;
  const evidence = binaryEvidence(units);
  if (!evidence) return;
  const offset = (unitIndex: number): number => (wide ? bomLength + 2 * unitIndex : unitIndex);
  const code = `0x${evidence.unit.toString(16).toUpperCase().padStart(2, '0')}`;
  const what = evidence.unit === 0
    ? `a NUL character (0x00) at offset ${offset(evidence.index)}`
    : `${evidence.count} control characters in the first ${head.length} bytes, the first ${code} at offset ${offset(evidence.index)}`;
  throw new DeliveryError('file/binary', `binary content where text was expected: ${what}`, path);
}

async function detectEncoding(path: string, file: FileHandle, head: Buffer, size: number): Promise<TextEncoding> {
  const start = await firstNonAscii(file, head, size);
  if (start < 0) return 'utf-8';
  const sample = await readAt(file, start, SAMPLE_BYTES);
  const verdict = chooseEncoding(sample, start, start + sample.length === size);
  if ('problem' in verdict) throw await encodingError(path, verdict.problem);
  return verdict.encoding;
}

/** A BOM names the encoding; the bytes after it must still be in it. */
async function checkBomText(path: string, encoding: TextEncoding, body: Buffer, bomLength: number, endsFile: boolean): Promise<void> {
  const fault = faultOf(scannerFor(encoding)(body), body.length, endsFile);
  if (fault) {
    const detail = `the file starts with a ${encoding} byte-order mark, but ${faultDetail(encoding, body, fault, bomLength)}`;
    throw await encodingError(path, { offset: bomLength + fault.at, validBefore: encoding, detail });
  }
}

export async function sniffText(path: string): Promise<TextSniff> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    if (size === 0) throw new DeliveryError('file/empty', 'the file has 0 bytes', path);
    const head = await readAt(file, 0, HEAD_BYTES);
    const bom = bomOf(head);
    const bomLength = bom?.length ?? 0;
    if (bom && size === bomLength) throw new DeliveryError('file/empty', `the file holds only a byte-order mark (${bom.encoding}), no text`, path);
    assertText(path, head, bom?.encoding, bomLength);
    const endsFile = head.length === size;
    const body = head.subarray(bomLength);
    let encoding: TextEncoding;
    if (bom) {
      encoding = bom.encoding;
      await checkBomText(path, encoding, body, bomLength, endsFile);
    } else {
      encoding = await detectEncoding(path, file, head, size);
    }
    const text = textDecoder(encoding).decode(body.subarray(0, scannerFor(encoding)(body).whole));
    const delimiter = detectDelimiter(text, endsFile, extname(path).toLowerCase() === '.tsv' ? '\t' : ',');
    return { encoding, bomLength, delimiter };
  } finally {
    await file.close();
  }
}
