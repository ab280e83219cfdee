// An xlsx is a zip. SheetJS neither checks CRCs nor bounds its pure-JavaScript inflate: a damaged
// deflate stream makes it loop forever, and damage that still inflates yields wrong cell text in
// silence. So every entry is inflated once with Node's zlib and checked against the size and
// CRC-32 the central directory records, before SheetJS sees the bytes.
import { inflateRawSync } from 'node:zlib';

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
// The end-of-central-directory record is 22 bytes plus a comment of at most 65,535.
const END_RECORD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const STORED = 0;
const DEFLATED = 8;

/** What is wrong with the zip archive (`truncated: …`, `corrupt: …`), or undefined when every entry is whole. */
export function zipProblem(bytes: Buffer): string | undefined {
  const end = findEndOfDirectory(bytes);
  if (end < 0) return `truncated: no central directory at the end of its ${bytes.length} bytes`;
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== DIRECTORY_ENTRY) {
      return `corrupt: central directory entry ${i + 1} of ${count} is missing at offset ${at}`;
    }
    // A damaged length can make the name a run of garbage; a hundred characters identify it.
    const name = bytes.toString('utf8', at + 46, Math.min(at + 46 + bytes.readUInt16LE(at + 28), at + 146));
    const problem = entryProblem(bytes, {
      method: bytes.readUInt16LE(at + 10),
      crc: bytes.readUInt32LE(at + 16),
      compressedSize: bytes.readUInt32LE(at + 20),
      size: bytes.readUInt32LE(at + 24),
      offset: bytes.readUInt32LE(at + 42),
    });
    if (problem !== undefined) return `corrupt: entry ${name} ${problem}`;
    at += 46 + bytes.readUInt16LE(at + 28) + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  return undefined;
}

function findEndOfDirectory(bytes: Buffer): number {
  const lowest = Math.max(0, bytes.length - END_RECORD_SIZE - MAX_COMMENT);
  for (let at = bytes.length - END_RECORD_SIZE; at >= lowest; at--) {
    if (bytes.readUInt32LE(at) === END_OF_DIRECTORY) return at;
  }
  return -1;
}

interface Entry { method: number; crc: number; compressedSize: number; size: number; offset: number }

function entryProblem(bytes: Buffer, entry: Entry): string | undefined {
  const { offset } = entry;
  if (offset + 30 > bytes.length || bytes.readUInt32LE(offset) !== LOCAL_HEADER) return `has no local header at offset ${offset}`;
  const start = offset + 30 + bytes.readUInt16LE(offset + 26) + bytes.readUInt16LE(offset + 28);
  if (start + entry.compressedSize > bytes.length) return 'is cut short';
  const stored = bytes.subarray(start, start + entry.compressedSize);
  let content: Buffer;
  if (entry.method === STORED) content = stored;
  else if (entry.method !== DEFLATED) return `uses compression method ${entry.method}, which xlsx never uses`;
  else {
    try {
      content = inflateRawSync(stored, { maxOutputLength: Math.max(1, entry.size) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return `inflates past the ${entry.size} bytes the directory records`;
      return `does not inflate: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  if (content.length !== entry.size || crc32(content) !== entry.crc) return 'fails its CRC-32 check';
  return undefined;
}

// CRC-32 (ISO 3309, the zip polynomial 0xEDB88320); zlib.crc32 only exists from Node 20.15.
const CRC_TABLE = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

function crc32(data: Buffer): number {
  let crc = -1;
  for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}
