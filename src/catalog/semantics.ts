// Cross-file rules the JSON Schema cannot express: references between units, subjects, items
// and code tables; alias clashes; renames that must point into the superseded version.
import type { SourceMap } from './assemble.js';
import { headerKey } from './header-key.js';
import type { Catalog, CodeTable, Condition, DataItem, DataSubject } from './model.js';
import type { CatalogProblem, CatalogProblemCode, Location } from './problems.js';

// Values of these types identify a person: they must be flagged personal so logs, reports and
// errors mask them.
const PERSONAL_TYPES = new Set(['resident-id', 'id-number', 'phone']);
const ONE_PER_SUBJECT = new Set(['entity-name', 'entity-type', 'uscc', 'id-number', 'id-type', 'legal-rep']);

/** Every spelling a code-table entry accepts, as header keys. */
export function entryKeys(table: CodeTable): Map<string, string> {
  const keys = new Map<string, string>();
  for (const e of table.entries) {
    for (const s of [e.label, e.code, ...e.aliases]) if (!keys.has(headerKey(s))) keys.set(headerKey(s), e.label);
  }
  return keys;
}

export function checkCatalog(catalog: Catalog, sources: SourceMap, predecessor?: Catalog): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const add = (code: CatalogProblemCode, at: Location, message: string) => problems.push({ code, ...at, message });
  const tables = new Map(catalog.codeTables.map((t) => [t.code, t]));
  const subjects = new Map(catalog.subjects.map((s) => [s.code, s]));
  const delivered = new Set<string>();

  for (const table of catalog.codeTables) {
    const src = sources.get(`table:${table.code}`)!;
    const seen = new Map<string, number>();
    table.entries.forEach((e, i) => {
      for (const s of [e.code, e.label, ...e.aliases]) {
        const other = seen.get(headerKey(s));
        if (other !== undefined && other !== i) {
          add('catalog/duplicate-code', src.at('entries', i), `code table ${table.code}: "${s}" already names entry ${table.entries[other]!.label}`);
        }
        seen.set(headerKey(s), i);
      }
    });
  }

  for (const unit of catalog.units) {
    const src = sources.get(`unit:${unit.code}`)!;
    const once = new Set<string>();
    unit.delivers.forEach((code, i) => {
      if (once.has(code)) add('catalog/duplicate-code', src.at('delivers', i), `unit ${unit.code} lists ${code} twice`);
      once.add(code);
      if (!subjects.has(code)) add('catalog/unknown-subject', src.at('delivers', i), `unit ${unit.code} delivers ${code}, which no file defines`);
      delivered.add(code);
    });
  }

  for (const subject of catalog.subjects) {
    const src = sources.get(`subject:${subject.code}`)!;
    if (!delivered.has(subject.code)) add('catalog/undelivered-subject', src.at('code'), `data subject ${subject.code} is delivered by no unit`);
    checkSubject(subject, tables, sources, add);
  }

  if (predecessor) checkRenames(catalog, predecessor, sources, add);
  else {
    for (const subject of catalog.subjects) {
      if (subject.renamedFrom !== undefined) add('catalog/renamed-from', sources.get(`subject:${subject.code}`)!.at('renamed_from'), `${subject.code} has renamed_from but the catalog supersedes no version`);
      for (const it of subject.items) {
        if (it.renamedFrom !== undefined) {
          add('catalog/renamed-from', sources.get(`item:${subject.code}/${it.code}`)!.at('renamed_from'), `${subject.code}.${it.code} has renamed_from but the catalog supersedes no version`);
        }
      }
    }
  }
  return problems;
}

type Add = (code: CatalogProblemCode, at: Location, message: string) => void;

function checkSubject(subject: DataSubject, tables: Map<string, CodeTable>, sources: SourceMap, add: Add): void {
  const src = sources.get(`subject:${subject.code}`)!;
  const items = new Map(subject.items.map((i) => [i.code, i]));
  const where = (it: DataItem, ...rest: (string | number)[]) => sources.get(`item:${subject.code}/${it.code}`)!.at(...rest);

  subject.businessKey.forEach((code, i) => {
    const item = items.get(code);
    if (!item) add('catalog/business-key', src.at('business_key', i), `business key of ${subject.code} names ${code}, which is not one of its items`);
    // A record missing a key part has no key to the checker but a null one to the loader: every part must always be delivered.
    else if (item.required !== true) {
      add('catalog/business-key', src.at('business_key', i), `business key of ${subject.code} includes ${code}, which is not required: every business-key item must be required: true`);
    }
  });

  const claimed = new Map<string, string>();
  const roles = new Map<string, string>();
  for (const it of subject.items) {
    for (const spelling of new Set([it.code, it.name, ...it.aliases].map(headerKey))) {
      const owner = claimed.get(spelling);
      if (owner !== undefined) add('catalog/alias-clash', where(it, 'aliases'), `"${spelling}" is claimed by both ${owner} and ${it.code} in ${subject.code}`);
      else claimed.set(spelling, it.code);
    }
    if (it.identity && ONE_PER_SUBJECT.has(it.identity)) {
      const other = roles.get(it.identity);
      if (other) add('catalog/identity', where(it, 'identity'), `identity role ${it.identity} is held by both ${other} and ${it.code} in ${subject.code}`);
      roles.set(it.identity, it.code);
    }
    if (PERSONAL_TYPES.has(it.type) && !it.personal) {
      add('catalog/personal', where(it, 'personal'), `${subject.code}.${it.code} is a ${it.type}; it must be marked personal: true`);
    }
    if (it.personal && it.openness === 'public') {
      add('catalog/personal', where(it, 'openness'), `${subject.code}.${it.code} is personal data; its openness cannot be public`);
    }
    if (it.type === 'enum' && it.codeTable !== undefined && !tables.has(it.codeTable)) {
      add('catalog/unknown-code-table', where(it, 'code_table'), `${subject.code}.${it.code} uses code table ${it.codeTable}, which no file defines`);
    }
    if (it.type !== 'enum' && it.codeTable !== undefined) {
      add('catalog/unknown-code-table', where(it, 'code_table'), `${subject.code}.${it.code} is ${it.type}; only enum items take a code table`);
    }
    if (it.precision !== undefined && it.scale !== undefined && it.scale > it.precision) {
      add('catalog/decimal', where(it, 'scale'), `${subject.code}.${it.code}: scale ${it.scale} exceeds precision ${it.precision}`);
    }
    if (it.pattern !== undefined) {
      try { new RegExp(it.pattern, 'u'); } catch (e) {
        add('catalog/pattern', where(it, 'pattern'), `${subject.code}.${it.code}: pattern does not compile (${(e as Error).message})`);
      }
    }
    if (it.idTypeItem !== undefined && items.get(it.idTypeItem)?.type !== 'enum') {
      add('catalog/unknown-item', where(it, 'id_type_item'), `${subject.code}.${it.code}: id_type_item ${it.idTypeItem} is not an enum item of ${subject.code}`);
    }
    const conditions: [string, Condition][] = [];
    if (typeof it.required === 'object') conditions.push(['required', it.required]);
    if (it.emptyWhen) conditions.push(['empty_when', it.emptyWhen]);
    for (const [key, cond] of conditions) {
      checkCondition(`${subject.code}.${it.code}`, key, cond, subject, items, tables, (...rest) => where(it, key, ...rest), add);
    }
  }
  if (subject.withdrawnWhen) {
    checkCondition(subject.code, 'withdrawn_when', subject.withdrawnWhen, subject, items, tables, (...rest) => src.at('withdrawn_when', ...rest), add);
  }
  if (!roles.has('entity-name')) add('catalog/identity', src.at('items'), `${subject.code} has no item with identity: entity-name, so its records cannot name their entity`);
}

/** `owner` (`XZXK.XK_FRDB` or `XZXK`) holds the condition under `key`; `at` locates its parts. */
function checkCondition(
  owner: string, key: string, cond: Condition, subject: DataSubject, items: Map<string, DataItem>,
  tables: Map<string, CodeTable>, at: (...rest: (string | number)[]) => Location, add: Add,
): void {
  const target = items.get(cond.when);
  if (!target) {
    add('catalog/condition', at('when'), `${owner}: ${key} depends on ${cond.when}, which is not an item of ${subject.code}`);
    return;
  }
  if (target.type !== 'enum' || target.codeTable === undefined) {
    add('catalog/condition', at('when'), `${owner}: ${key} depends on ${cond.when}, a ${target.type} item; it must be an enum item of ${subject.code}`);
    return;
  }
  const table = tables.get(target.codeTable);
  if (!table) return;
  const accepted = entryKeys(table);
  cond.in.forEach((label, i) => {
    if (!accepted.has(headerKey(label))) {
      add('catalog/condition', at('in', i), `${owner}: "${label}" is not in code table ${table.code} of ${cond.when}`);
    }
  });
}

function checkRenames(catalog: Catalog, predecessor: Catalog, sources: SourceMap, add: Add): void {
  const before = new Map(predecessor.subjects.map((s) => [s.code, s]));
  for (const subject of catalog.subjects) {
    const src = sources.get(`subject:${subject.code}`)!;
    if (subject.renamedFrom !== undefined && !before.has(subject.renamedFrom)) {
      add('catalog/renamed-from', src.at('renamed_from'), `${subject.code} renamed_from ${subject.renamedFrom}, but ${predecessor.version.id} has no such data subject`);
    }
    const old = before.get(subject.renamedFrom ?? subject.code);
    for (const it of subject.items) {
      if (it.renamedFrom === undefined) continue;
      if (!old || !old.items.some((o) => o.code === it.renamedFrom)) {
        add('catalog/renamed-from', sources.get(`item:${subject.code}/${it.code}`)!.at('renamed_from'),
          `${subject.code}.${it.code} renamed_from ${it.renamedFrom}, but ${predecessor.version.id} ${old ? `${old.code} has no such item` : `has no data subject ${subject.renamedFrom ?? subject.code}`}`);
      }
    }
  }
}
