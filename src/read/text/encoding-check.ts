// Every byte of the file is checked against the sniffed encoding as it streams past: the sniff
// saw only the first 64 KiB, and a decoder would turn a bad byte further on into U+FFFD silently.
import { Transform } from 'node:stream';
import { encodingError, faultDetail, faultOf, scannerFor, type Fault, type TextEncoding } from './encoding.js';

/** A pass-through stream that fails with a `file/encoding` DeliveryError at the first byte not in `encoding`; `start` is the file offset of its first byte. */
export function encodingCheck(path: string, encoding: TextEncoding, start: number): Transform {
  const scan = scannerFor(encoding);
  // A character cut between two chunks, and the file offset where it begins.
  let carry: Buffer = Buffer.alloc(0);
  let offset = start;
  const fail = (bytes: Buffer, fault: Fault, callback: (err: Error) => void): void => {
    const detail = `${faultDetail(encoding, bytes, fault, offset)}, though the start of the file is ${encoding}: the file mixes encodings or is damaged`;
    encodingError(path, { offset: offset + fault.at, validBefore: encoding, detail }).then(callback, callback);
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      const result = scan(bytes);
      const fault = faultOf(result, bytes.length, false);
      if (fault) return fail(bytes, fault, callback);
      carry = Buffer.from(bytes.subarray(result.whole));
      offset += result.whole;
      callback(null, chunk);
    },
    flush(callback) {
      const fault = faultOf(scan(carry), carry.length, true);
      if (fault) return fail(carry, fault, callback);
      callback();
    },
  });
}
