// Text renderings of a catalog and of a catalog diff, for people at a terminal. The JSON
// forms are the models themselves.
import { formatTable } from '../text-table.js';
import type { CatalogDiff, CatalogChange } from './diff.js';
import { deadlineText, ENTITY_TYPE_LABELS, FREQUENCY_LABELS, OPENNESS_LABELS } from './labels.js';
import { countCatalog, deliveringUnits, type Catalog, type Condition, type DataItem, type DataSubject, type Unit } from './model.js';

function header(catalog: Catalog): string[] {
  const v = catalog.version;
  const c = countCatalog(catalog);
  return [
    `catalog ${v.id} — ${v.title}`,
    `effective ${v.effective}${v.supersedes ? ` · supersedes ${v.supersedes}` : ''}${v.publisher ? ` · ${v.publisher}` : ''}`,
    '',
    `  ${c.units} units · ${c.subjects} data subjects · ${c.items} data items`,
    '  (a subject shared by several units counts once, and so do its items)',
  ];
}

function subjectRow(s: DataSubject, units: Unit[]): string[] {
  return [
    s.code, s.name, `${s.items.length} items`, `${FREQUENCY_LABELS[s.frequency]} ${s.deadline}`,
    units.length > 1 ? `shared by ${units.length} units` : `key ${s.businessKey.join('+')}`,
  ];
}

function itemType(it: DataItem): string {
  if (it.type === 'decimal') return `decimal(${it.precision},${it.scale})${it.unit ? ' ' + it.unit : ''}`;
  if (it.type === 'enum') return `enum ${it.codeTable}${it.multiple ? ' (multiple)' : ''}`;
  return it.length !== undefined ? `${it.type}(${it.length})` : it.type;
}

function conditionText(c: Condition): string {
  return `${c.when}=${c.in.join('/')}`;
}

function requiredText(it: DataItem): string {
  if (it.required === true) return 'required';
  if (it.required === false) return '';
  return `if ${conditionText(it.required)}`;
}

export function renderSubject(catalog: Catalog, s: DataSubject): string[] {
  const units = deliveringUnits(catalog).get(s.code) ?? [];
  const lines = [
    `${s.code} ${s.name}${s.area ? ` · ${s.area}` : ''}`,
    `  entities: ${s.entityTypes.map((t) => ENTITY_TYPE_LABELS[t]).join('、')}`,
    `  business key: ${s.businessKey.join(' + ')}`,
    `  delivery: ${FREQUENCY_LABELS[s.frequency]}, ${deadlineText(s.deadline)}`,
    `  delivered by: ${units.map((u) => u.code).join(' ') || 'no unit'}`,
    ...(s.renamedFrom ? [`  renamed from: ${s.renamedFrom}`] : []),
    ...(s.withdrawnWhen ? [`  withdrawn when: ${conditionText(s.withdrawnWhen)} (the record is closed, never deleted)`] : []),
    '',
  ];
  const rows = [['code', 'name', 'type', 'required', 'openness', 'identity', 'aliases']];
  for (const it of s.items) {
    rows.push([
      it.code + (it.renamedFrom ? ` (was ${it.renamedFrom})` : ''), it.name, itemType(it), requiredText(it),
      OPENNESS_LABELS[it.openness] + (it.personal ? ' 个人' : ''), it.identity ?? '', it.aliases.join('，'),
    ]);
  }
  return [...lines, ...formatTable(rows)];
}

export function renderUnit(catalog: Catalog, unit: Unit): string[] {
  const delivering = deliveringUnits(catalog);
  const subjects = unit.delivers.map((c) => catalog.subjects.find((s) => s.code === c)).filter((s): s is DataSubject => s !== undefined);
  return [
    `${unit.code} ${unit.name}`,
    `  USCC ${unit.uscc} · division ${unit.division} · ${subjects.length} data subjects, ${subjects.reduce((n, s) => n + s.items.length, 0)} items`,
    '',
    ...formatTable(subjects.map((s) => subjectRow(s, delivering.get(s.code) ?? []))),
  ];
}

export function renderCatalog(catalog: Catalog): string[] {
  const delivering = deliveringUnits(catalog);
  const shared = catalog.subjects.filter((s) => (delivering.get(s.code)?.length ?? 0) > 1);
  const unitRows = catalog.units.map((u) => {
    const own = u.delivers.filter((c) => (delivering.get(c)?.length ?? 0) <= 1).length;
    return [u.code, u.name, u.uscc, `${u.delivers.length} subjects (${u.delivers.length - own} shared)`];
  });
  return [
    ...header(catalog), '',
    'units', ...formatTable(unitRows), '',
    'shared data subjects', ...formatTable(shared.map((s) => subjectRow(s, delivering.get(s.code) ?? []))), '',
    'see one unit:    credit-etl catalog show --unit CODE',
    'see one subject: credit-etl catalog show --subject CODE',
  ];
}

const LEVELS = ['unit', 'subject', 'item'] as const;

function changeRow(c: CatalogChange): string[] {
  const what = c.kind === 'renamed' ? `${c.from} → ${c.target}`
    : c.property === 'delivers' ? `${c.target} delivers`
      : c.kind === 'changed' ? `${c.target} ${c.property}: ${c.before} → ${c.after}`
        : c.target;
  return [c.level, c.kind, what, c.name, c.reason];
}

export function renderDiff(diff: CatalogDiff): string[] {
  const breaking = diff.changes.filter((c) => c.compatibility === 'breaking');
  const summary = LEVELS.map((level) => {
    const of = diff.changes.filter((c) => c.level === level);
    const n = (kind: CatalogChange['kind']) => of.filter((c) => c.kind === kind).length;
    return [`${level}s`, `+${n('added')} added`, `-${n('removed')} removed`, `~${n('renamed')} renamed`, `${n('changed')} changed`];
  });
  const lines = [
    `catalog diff ${diff.from} → ${diff.to}: ${diff.changes.length} changes, ${breaking.length} breaking for a warehouse holding ${diff.from} data`,
    '', ...formatTable(summary), '',
  ];
  for (const compat of ['breaking', 'compatible'] as const) {
    const of = diff.changes.filter((c) => c.compatibility === compat);
    if (of.length === 0) continue;
    lines.push(`${compat.toUpperCase()} (${of.length})`, ...formatTable(of.map(changeRow)), '');
  }
  return lines;
}
