// Files a person or another program reads (reports, receipts) are replaced whole: written beside
// the target under a short temporary name, synced, then renamed over it. A killed run leaves the
// old file or the new one, never half of one.
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export async function writeFileWhole(target: string, data: string | Uint8Array): Promise<void> {
  // Short and fixed in length: the target's own name may already be at the 255-byte limit.
  const temp = join(dirname(target), `.${randomBytes(8).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
