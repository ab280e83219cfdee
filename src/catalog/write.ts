// Writes a catalog model back out as a catalog folder in the published layout: the version,
// the code tables, shared subjects once each, and one file per unit with its own subjects.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document } from 'yaml';
import type { RawCatalogFile, RawItem, RawSubject } from './files.js';
import { deliveringUnits, type Catalog, type DataItem, type DataSubject } from './model.js';

function rawItem(it: DataItem): RawItem {
  const raw: RawItem = { code: it.code, name: it.name, type: it.type };
  if (it.aliases.length > 0) raw.aliases = it.aliases;
  if (it.description !== undefined) raw.description = it.description;
  if (it.length !== undefined) raw.length = it.length;
  if (it.precision !== undefined) raw.precision = it.precision;
  if (it.scale !== undefined) raw.scale = it.scale;
  if (it.unit !== undefined) raw.unit = it.unit;
  if (it.codeTable !== undefined) raw.code_table = it.codeTable;
  if (it.multiple) raw.multiple = true;
  if (it.idTypeItem !== undefined) raw.id_type_item = it.idTypeItem;
  if (it.pattern !== undefined) raw.pattern = it.pattern;
  if (it.required !== false) raw.required = it.required;
  if (it.emptyWhen !== undefined) raw.empty_when = it.emptyWhen;
  raw.openness = it.openness;
  if (it.personal) raw.personal = true;
  if (it.identity !== undefined) raw.identity = it.identity;
  if (it.renamedFrom !== undefined) raw.renamed_from = it.renamedFrom;
  return raw;
}

export function rawSubject(s: DataSubject): RawSubject {
  const raw: RawSubject = {
    code: s.code, name: s.name, entity_types: s.entityTypes, business_key: s.businessKey,
    frequency: s.frequency, deadline: s.deadline, items: s.items.map(rawItem),
  };
  if (s.area !== undefined) raw.area = s.area;
  if (s.description !== undefined) raw.description = s.description;
  if (s.renamedFrom !== undefined) raw.renamed_from = s.renamedFrom;
  if (s.withdrawnWhen !== undefined) raw.withdrawn_when = s.withdrawnWhen;
  return raw;
}

function yamlText(data: RawCatalogFile, comment: string): string {
  const doc = new Document(data);
  doc.commentBefore = ` ${comment}`;
  // One item per line, as the hand-written catalogs are laid out.
  for (const subject of (doc.get('subjects', true) as { items?: unknown[] } | undefined)?.items ?? []) {
    const items = (subject as { get(k: string, keep: true): { items: { flow?: boolean }[] } }).get('items', true);
    for (const it of items.items) it.flow = true;
  }
  return doc.toString({ lineWidth: 0 });
}

/** A published version is never overwritten: a target folder must be absent or empty. */
export function isFreshFolder(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

/** Writes `catalog` into `dir`, which must be absent or empty. */
export function writeCatalogFolder(catalog: Catalog, dir: string): string[] {
  if (!isFreshFolder(dir)) throw new Error(`${dir} already exists and is not empty`);
  mkdirSync(join(dir, 'shared'), { recursive: true });
  mkdirSync(join(dir, 'units'), { recursive: true });
  const written: string[] = [];
  const put = (rel: string, data: RawCatalogFile, comment: string) => {
    writeFileSync(join(dir, rel), yamlText(data, comment));
    written.push(rel);
  };
  const v = catalog.version;
  put('catalog.yaml', { catalog: { ...v } }, `${v.title}`);
  put('shared/code-tables.yaml', {
    code_tables: catalog.codeTables.map((t) => ({
      code: t.code, name: t.name,
      entries: t.entries.map((e) => ({ code: e.code, label: e.label, ...(e.aliases.length > 0 && { aliases: e.aliases }) })),
    })),
  }, 'Code tables of this version.');
  const delivering = deliveringUnits(catalog);
  const shared = catalog.subjects.filter((s) => (delivering.get(s.code)?.length ?? 0) !== 1);
  if (shared.length > 0) put('shared/subjects.yaml', { subjects: shared.map(rawSubject) }, 'Data subjects adopted by several units, defined once.');
  for (const unit of catalog.units) {
    const own = catalog.subjects.filter((s) => delivering.get(s.code)?.length === 1 && unit.delivers.includes(s.code));
    put(`units/${unit.code}.yaml`, {
      units: [{ ...unit }],
      ...(own.length > 0 && { subjects: own.map(rawSubject) }),
    }, `${unit.name}`);
  }
  return written;
}
