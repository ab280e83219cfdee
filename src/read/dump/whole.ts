// A dump cut short in transfer can end exactly between two statements and still parse, losing
// the rows after the cut without a trace. mysqldump and pg_dump both sign off with a last
// comment line; a dump that starts with a tool's header but lacks its sign-off is truncated.
import { open } from 'node:fs/promises';
import { DeliveryError } from '../model.js';

const TOOLS = [
  { tool: 'mysqldump', header: /^-- (?:MySQL|MariaDB) dump \d/m, footer: /^-- Dump completed/m, signOff: '-- Dump completed' },
  {
    tool: 'pg_dump',
    header: /^-- PostgreSQL database (?:cluster )?dump$/m,
    footer: /^-- PostgreSQL database (?:cluster )?dump complete$/m,
    signOff: '-- PostgreSQL database dump complete',
  },
];
const HEAD_BYTES = 512;
const TAIL_BYTES = 1024;

/** Rejects an empty dump, and one that its tool began but did not finish writing. */
export async function checkWhole(path: string): Promise<void> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    if (size === 0) throw new DeliveryError('file/empty', 'the file has no bytes', path);
    const read = async (at: number, length: number): Promise<string> => {
      const bytes = Buffer.alloc(Math.min(length, size));
      await file.read(bytes, 0, bytes.length, at);
      return bytes.toString('latin1');
    };
    const head = await read(0, HEAD_BYTES);
    const tail = await read(Math.max(0, size - TAIL_BYTES), TAIL_BYTES);
    for (const { tool, header, footer, signOff } of TOOLS) {
      if (header.test(head) && !footer.test(tail)) {
        throw new DeliveryError('file/corrupt', `the dump starts with ${tool}'s header but does not end with its "${signOff}" line: the file is truncated`, path);
      }
    }
  } finally {
    await file.close();
  }
}
