// A dump is read in fixed-size chunks from an open file handle, never whole (a 500 MB dump must
// stay far below the machine's memory); the lexer asks for more only when a token runs off the end.
import { open } from 'node:fs/promises';

export const CHUNK_BYTES = 1 << 20;

/**
 * The file's bytes in chunks of `size`; each chunk is a fresh buffer the lexer may keep slices
 * of. The next chunk is already being read while the lexer works on this one.
 */
export async function* fileChunks(path: string, size = CHUNK_BYTES): AsyncGenerator<Buffer> {
  const file = await open(path, 'r');
  let position = 0;
  const read = async (): Promise<Buffer> => {
    const chunk = Buffer.allocUnsafe(size);
    const { bytesRead } = await file.read(chunk, 0, size, position);
    position += bytesRead;
    return chunk.subarray(0, bytesRead);
  };
  let ahead = read();
  try {
    for (;;) {
      const chunk = await ahead;
      if (chunk.length === 0) return;
      ahead = read();
      yield chunk;
    }
  } finally {
    await ahead.catch(() => undefined);
    await file.close();
  }
}
