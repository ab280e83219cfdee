// Turns schema-valid catalog files into one Catalog with every default resolved, remembering
// where each unit, subject, item and code table was written so later checks can point at it.
import type { CatalogFile, RawCondition, RawItem, RawSubject } from './files.js';
import type {
  Catalog, CatalogVersion, CodeTable, Condition, DataItem, DataSubject, EntityType, Frequency,
  IdentityRole, ItemType, Openness, Unit,
} from './model.js';
import type { CatalogProblem, Location } from './problems.js';

export type SourceKey = `unit:${string}` | `subject:${string}` | `item:${string}/${string}` | `table:${string}`;

/** Where a catalog element was written; `at` extends the path to one of its keys. */
export interface Source {
  at(...rest: (string | number)[]): Location;
}

export type SourceMap = Map<SourceKey, Source>;

function condition(raw: RawCondition): Condition {
  return { when: raw.when, in: [...raw.in] };
}

function item(raw: RawItem, subjectOpenness: Openness): DataItem {
  const out: DataItem = {
    code: raw.code,
    name: raw.name,
    aliases: raw.aliases ?? [],
    type: raw.type as ItemType,
    multiple: raw.multiple ?? false,
    required: typeof raw.required === 'object' ? condition(raw.required) : (raw.required ?? false),
    openness: (raw.openness as Openness | undefined) ?? subjectOpenness,
    personal: raw.personal ?? false,
  };
  if (raw.description !== undefined) out.description = raw.description;
  if (raw.length !== undefined) out.length = raw.length;
  if (raw.precision !== undefined) out.precision = raw.precision;
  if (raw.scale !== undefined) out.scale = raw.scale;
  if (raw.unit !== undefined) out.unit = raw.unit;
  if (raw.code_table !== undefined) out.codeTable = raw.code_table;
  if (raw.id_type_item !== undefined) out.idTypeItem = raw.id_type_item;
  if (raw.pattern !== undefined) out.pattern = raw.pattern;
  if (raw.empty_when !== undefined) out.emptyWhen = condition(raw.empty_when);
  if (raw.identity !== undefined) out.identity = raw.identity as IdentityRole;
  if (raw.renamed_from !== undefined) out.renamedFrom = raw.renamed_from;
  return out;
}

function subject(raw: RawSubject): DataSubject {
  const openness = (raw.openness as Openness | undefined) ?? 'public';
  const out: DataSubject = {
    code: raw.code,
    name: raw.name,
    entityTypes: raw.entity_types as EntityType[],
    businessKey: [...raw.business_key],
    frequency: raw.frequency as Frequency,
    deadline: raw.deadline,
    items: raw.items.map((i) => item(i, openness)),
  };
  if (raw.area !== undefined) out.area = raw.area;
  if (raw.description !== undefined) out.description = raw.description;
  if (raw.renamed_from !== undefined) out.renamedFrom = raw.renamed_from;
  if (raw.withdrawn_when !== undefined) out.withdrawnWhen = condition(raw.withdrawn_when);
  return out;
}

/**
 * Merges the files of one version. Duplicate codes are reported here (the first definition
 * wins) because only here is it known which two files collide.
 */
export function assembleCatalog(files: CatalogFile[], catalogDir: string): {
  catalog?: Catalog; sources: SourceMap; problems: CatalogProblem[];
} {
  const problems: CatalogProblem[] = [];
  const sources: SourceMap = new Map();
  const versions: { version: CatalogVersion; source: Source }[] = [];
  const units: Unit[] = [];
  const subjects: DataSubject[] = [];
  const codeTables: CodeTable[] = [];

  const claim = (key: SourceKey, source: Source, what: string): boolean => {
    const first = sources.get(key);
    if (first) {
      const at = first.at();
      problems.push({ code: 'catalog/duplicate-code', ...source.at('code'), message: `${what} is defined again (first at ${at.file}:${at.line ?? '?'})` });
      return false;
    }
    sources.set(key, source);
    return true;
  };
  const sourceOf = (file: CatalogFile, ...path: (string | number)[]): Source => ({ at: (...rest) => file.locate([...path, ...rest]) });

  for (const file of files) {
    const d = file.data;
    if (d.catalog) {
      const v = d.catalog;
      versions.push({
        version: {
          id: v.id, title: v.title, effective: v.effective, supersedes: v.supersedes ?? null,
          ...(v.publisher !== undefined && { publisher: v.publisher }),
          ...(v.division !== undefined && { division: v.division }),
        },
        source: sourceOf(file, 'catalog'),
      });
    }
    d.code_tables?.forEach((t, i) => {
      if (!claim(`table:${t.code}`, sourceOf(file, 'code_tables', i), `code table ${t.code}`)) return;
      codeTables.push({ code: t.code, name: t.name, entries: t.entries.map((e) => ({ code: e.code, label: e.label, aliases: e.aliases ?? [] })) });
    });
    d.units?.forEach((u, i) => {
      if (!claim(`unit:${u.code}`, sourceOf(file, 'units', i), `unit ${u.code}`)) return;
      units.push({ code: u.code, name: u.name, uscc: u.uscc, division: u.division, delivers: [...u.delivers] });
    });
    d.subjects?.forEach((s, i) => {
      if (!claim(`subject:${s.code}`, sourceOf(file, 'subjects', i), `data subject ${s.code}`)) return;
      const built = subject(s);
      built.items = built.items.filter((it, j) =>
        claim(`item:${s.code}/${it.code}`, sourceOf(file, 'subjects', i, 'items', j), `data item ${it.code} of ${s.code}`));
      subjects.push(built);
    });
  }

  const [first, ...extra] = versions;
  for (const v of extra) {
    problems.push({ code: 'catalog/version', ...v.source.at(), message: 'a second `catalog:` section; exactly one file of a version carries it' });
  }
  if (!first) {
    problems.push({ code: 'catalog/version', file: catalogDir, pointer: '', message: 'no file carries the `catalog:` section (id, title, effective date)' });
    return { sources, problems };
  }
  return { catalog: { version: first.version, codeTables, units, subjects }, sources, problems };
}
