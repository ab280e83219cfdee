// Finds a catalog by version or path, reads and checks it, and hands back the resolved model.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { packagePath } from '../paths.js';
import { assembleCatalog, type SourceMap } from './assemble.js';
import { readCatalogFiles } from './files.js';
import type { Catalog } from './model.js';
import { CatalogError, type CatalogProblem } from './problems.js';
import { checkCatalog } from './semantics.js';

export interface CatalogReading {
  dir: string;
  catalog?: Catalog;
  sources: SourceMap;
  problems: CatalogProblem[];
}

function looksLikePath(ref: string): boolean {
  return ref.includes('/') || ref.includes('\\') || ref.startsWith('.') || isAbsolute(ref);
}

/** Catalog folders searched for a bare version id, nearest first. */
export function catalogRoots(cwd = process.cwd()): string[] {
  return [...new Set([join(cwd, 'catalog'), packagePath('catalog')])];
}

export function availableVersions(cwd = process.cwd()): string[] {
  const found = new Set<string>();
  for (const root of catalogRoots(cwd)) {
    if (!existsSync(root)) continue;
    for (const name of readdirSync(root)) if (/^v\d+$/.test(name) && statSync(join(root, name)).isDirectory()) found.add(name);
  }
  return [...found].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
}

/** `v2` → the first catalog/v2 found (working directory, then the package); a path is used as is. */
export function resolveCatalogDir(ref: string, cwd = process.cwd()): string {
  if (looksLikePath(ref)) {
    const dir = resolve(cwd, ref);
    if (existsSync(dir) && statSync(dir).isDirectory()) return dir;
    throw new CatalogError(ref, [{ code: 'catalog/missing', file: dir, pointer: '', message: 'no such catalog folder' }]);
  }
  for (const root of catalogRoots(cwd)) {
    const dir = join(root, ref);
    if (existsSync(dir) && statSync(dir).isDirectory()) return dir;
  }
  const known = availableVersions(cwd);
  throw new CatalogError(ref, [{
    code: 'catalog/missing', file: ref, pointer: '',
    message: `no catalog version "${ref}" (available: ${known.join(', ') || 'none'}; looked in ${catalogRoots(cwd).join(', ')})`,
  }]);
}

function readOnly(dir: string): CatalogReading {
  const displayRoot = dirname(dirname(dir));
  const { files, problems } = readCatalogFiles(dir, displayRoot);
  if (files.length === 0 && problems.length === 0) {
    return { dir, sources: new Map(), problems: [{ code: 'catalog/missing', file: dir, pointer: '', message: 'the folder holds no catalog files (*.yaml, *.yml, *.json)' }] };
  }
  const assembled = assembleCatalog(files, dir);
  const catalog = assembled.catalog;
  const all = [...problems, ...assembled.problems];
  const folder = basename(dir);
  if (catalog && /^v\d+$/.test(folder) && catalog.version.id !== folder) {
    all.push({ code: 'catalog/version', file: folder, pointer: '/catalog/id', message: `catalog id ${catalog.version.id} does not match its folder ${folder}` });
  }
  return { dir, ...(catalog && { catalog }), sources: assembled.sources, problems: all };
}

/**
 * Reads a catalog and checks everything, including that each `renamed_from` names an item of
 * the superseded version (looked up beside it). Problems are returned, not thrown.
 */
export function readCatalog(ref: string, cwd = process.cwd()): CatalogReading {
  const dir = resolveCatalogDir(ref, cwd);
  const reading = readOnly(dir);
  const catalog = reading.catalog;
  if (!catalog) return reading;
  let predecessor: Catalog | undefined;
  const prev = catalog.version.supersedes;
  if (prev) {
    const beside = join(dirname(dir), prev);
    const prevDir = existsSync(beside) ? beside : catalogRoots(cwd).map((r) => join(r, prev)).find((d) => existsSync(d)) ?? beside;
    const before = existsSync(prevDir) ? readOnly(prevDir) : undefined;
    if (!before?.catalog || before.problems.length > 0) {
      reading.problems.push({
        code: 'catalog/version', ...reading.sources.size > 0 ? { file: basename(dir), pointer: '/catalog/supersedes' } : { file: dir, pointer: '' },
        message: before ? `the superseded catalog ${prev} has problems of its own; validate it first` : `supersedes ${prev}, but there is no ${prevDir}`,
      });
    } else predecessor = before.catalog;
  }
  reading.problems.push(...checkCatalog(catalog, reading.sources, predecessor));
  return reading;
}

/** The catalog, or a CatalogError listing what is wrong with it. */
export function loadCatalog(ref: string, cwd = process.cwd()): Catalog {
  const reading = readCatalog(ref, cwd);
  if (!reading.catalog || reading.problems.length > 0) throw new CatalogError(ref, reading.problems);
  return reading.catalog;
}
