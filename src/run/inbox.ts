// The inbox as units fill it — <inbox>/<YYYY-MM-DD>/<unit code>/<file> — and the archive and
// quarantine folders processed files move to. Nothing is ever deleted: a name already taken in the
// destination gets a number, and a file in the wrong place is quarantined, never skipped unseen.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, lstat, mkdir, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, extname, join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { dateProblem } from '../cleanse/calendar.js';

export interface InboxFile {
  /** The night, from the folder name. */
  date: string;
  unit: string;
  name: string;
  path: string;
  bytes: number;
}

/** A file the inbox holds where no delivery can be: quarantined with the reason. */
export interface Stray {
  path: string;
  /** Where under the quarantine folder it goes: its place in the inbox. */
  place: string;
  reason: string;
}

export interface InboxScan {
  deliveries: InboxFile[];
  strays: Stray[];
}

export interface ScanOptions {
  /** Only this night. */
  date?: string;
  /** Only these units. */
  units?: ReadonlySet<string>;
  /** The unit codes the catalog knows. */
  known: ReadonlySet<string>;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Names a unit's upload is still writing, or the system's own: left in the inbox for a later run. */
export function inProgress(name: string): boolean {
  return name.startsWith('.') || /\.(part|tmp|crdownload|filepart)$/i.test(name) || name.startsWith('~$');
}

export function isNight(name: string): boolean {
  const m = DATE.exec(name);
  return m !== null && dateProblem(Number(m[1]), Number(m[2]), Number(m[3])) === undefined;
}

async function entries(dir: string): Promise<string[]> {
  return (await readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [] as string[];
    throw e;
  })).sort();
}

/** Every delivery waiting in the inbox, nights in order, and every file that is in no delivery's place. */
export async function scanInbox(inbox: string, options: ScanOptions): Promise<InboxScan> {
  const scan: InboxScan = { deliveries: [], strays: [] };
  const stray = (path: string, reason: string) => scan.strays.push({ path, place: relative(inbox, path), reason });

  // Files (not folders) below `dir`, to quarantine with `reason`; symbolic links are never followed.
  const strayTree = async (dir: string, reason: string): Promise<void> => {
    for (const name of await entries(dir)) {
      if (inProgress(name)) continue;
      const path = join(dir, name);
      const info = await lstat(path);
      if (info.isDirectory()) await strayTree(path, reason);
      else stray(path, reason);
    }
  };

  for (const night of await entries(inbox)) {
    if (inProgress(night)) continue;
    const nightPath = join(inbox, night);
    const info = await lstat(nightPath);
    if (!info.isDirectory()) {
      if (options.date === undefined) stray(nightPath, 'not in a <YYYY-MM-DD>/<unit code>/ folder of the inbox');
      continue;
    }
    if (!isNight(night)) {
      if (options.date === undefined) await strayTree(nightPath, `${night} is not a night's folder (YYYY-MM-DD)`);
      continue;
    }
    if (options.date !== undefined && night !== options.date) continue;
    for (const unit of await entries(nightPath)) {
      if (inProgress(unit)) continue;
      const unitPath = join(nightPath, unit);
      const unitInfo = await lstat(unitPath);
      if (!unitInfo.isDirectory()) {
        stray(unitPath, 'not in a unit\'s folder (<YYYY-MM-DD>/<unit code>/)');
        continue;
      }
      if (!options.known.has(unit)) {
        await strayTree(unitPath, `${unit} is not a unit of the catalog`);
        continue;
      }
      if (options.units && !options.units.has(unit)) continue;
      for (const name of await entries(unitPath)) {
        if (inProgress(name) || name.endsWith('.reason.json')) continue;
        const path = join(unitPath, name);
        const fileInfo = await lstat(path);
        if (fileInfo.isSymbolicLink()) stray(path, 'a symbolic link: deliveries are files, links are not followed');
        else if (fileInfo.isDirectory()) await strayTree(path, 'in a folder below the unit\'s: deliveries sit directly in <YYYY-MM-DD>/<unit code>/');
        else if (fileInfo.isFile()) scan.deliveries.push({ date: night, unit, name, path, bytes: fileInfo.size });
        else stray(path, 'not a regular file');
      }
    }
  }
  return scan;
}

/** sha256 (hex) and size of a file, streamed. */
export async function fingerprint(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  await pipeline(createReadStream(path), async function* (chunks: AsyncIterable<Buffer>) {
    for await (const chunk of chunks) {
      bytes += chunk.length;
      hash.update(chunk);
    }
  });
  return { sha256: hash.digest('hex'), bytes };
}

/** A name not taken in `dir`: the name itself, else name.1.ext, name.2.ext, … */
async function freeName(dir: string, name: string): Promise<string> {
  const ext = extname(name);
  const stem = basename(name, ext);
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? name : `${stem}.${n}${ext}`;
    const taken = await lstat(join(dir, candidate)).then(() => true, () => false);
    if (!taken) return join(dir, candidate);
  }
}

/** Moves a file into `dir` (made as needed) under a free name; across file systems by copy and unlink. */
export async function moveInto(path: string, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const target = await freeName(dir, basename(path));
  try {
    await rename(path, target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    await copyFile(path, target);
    await unlink(path);
  }
  return target;
}

/** Moves a file to quarantine with `<name>.reason.json` beside it, saying why. */
export async function quarantine(path: string, dir: string, reason: Record<string, unknown>): Promise<string> {
  const target = await moveInto(path, dir);
  await writeFile(`${target}.reason.json`, `${JSON.stringify(reason, null, 2)}\n`);
  return target;
}
