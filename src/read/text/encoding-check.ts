// The sniff saw only the first 64 KiB; the rest of the file is decoded strictly as it streams.
// A strict decoder can say that a chunk holds bytes not in the encoding, not where: this finds
// the first such byte, so the file is refused by line and byte offset.
import { createReadStream } from 'node:fs';
import type { DeliveryError } from '../model.js';
import { encodingError, faultDetail, faultOf, scannerFor, type Fault, type TextEncoding } from './encoding.js';

/**
 * The `file/encoding` error for the first bytes of the file, from offset `start`, that are not
 * `encoding`, or undefined when every byte is. `chunkBytes` is there to cut characters in tests.
 */
export async function encodingFault(path: string, encoding: TextEncoding, start: number, chunkBytes = 64 * 1024): Promise<DeliveryError | undefined> {
  const scan = scannerFor(encoding);
  // A character cut between two chunks, and the file offset where it begins.
  let carry: Buffer = Buffer.alloc(0);
  let offset = start;
  const error = (bytes: Buffer, fault: Fault): Promise<DeliveryError> => {
    const detail = `${faultDetail(encoding, bytes, fault, offset)}, though the start of the file is ${encoding}: the file mixes encodings or is damaged`;
    return encodingError(path, { offset: offset + fault.at, validBefore: encoding, detail });
  };
  for await (const chunk of createReadStream(path, { start, highWaterMark: chunkBytes }) as AsyncIterable<Buffer>) {
    const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const result = scan(bytes);
    const fault = faultOf(result, bytes.length, false);
    if (fault) return error(bytes, fault);
    carry = Buffer.from(bytes.subarray(result.whole));
    offset += result.whole;
  }
  const fault = faultOf(scan(carry), carry.length, true);
  return fault && error(carry, fault);
}
