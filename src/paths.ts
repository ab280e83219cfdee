// Files shipped with the package (catalogs, schemas, pipelines) are found relative to the
// package root, so the CLI works from any working directory and from dist/ as from src/.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'schemas'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('credit-etl: cannot find the package root (package.json beside schemas/)');
    dir = parent;
  }
  return dir;
}

export const PACKAGE_ROOT = findPackageRoot();

export function packagePath(...segments: string[]): string {
  return join(PACKAGE_ROOT, ...segments);
}
