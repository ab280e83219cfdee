// What changes between two catalog versions, judged from the side of a warehouse that already
// holds data loaded under the older one: can its tables follow without losing or rejecting data?
import type { Catalog, Condition, DataItem, DataSubject, ItemType } from './model.js';

export type ChangeKind = 'added' | 'removed' | 'renamed' | 'changed';
export type ChangeLevel = 'unit' | 'subject' | 'item';
export type Compatibility = 'compatible' | 'breaking';

export interface CatalogChange {
  level: ChangeLevel;
  kind: ChangeKind;
  /** `SCJG`, `XZCF` or `XZCF.CF_WSH` in the newer version (the older one for removals). */
  target: string;
  name: string;
  /** Code in the older version, for renames. */
  from?: string;
  /** For `changed`: which property. */
  property?: 'name' | 'type' | 'length' | 'precision' | 'scale' | 'required' | 'openness' | 'personal' | 'code_table' | 'delivers' | 'withdrawn_when' | 'business_key';
  before?: string;
  after?: string;
  compatibility: Compatibility;
  reason: string;
}

export interface CatalogDiff {
  from: string;
  to: string;
  changes: CatalogChange[];
}

// How a value of each type is stored: a column can widen (integer → decimal, anything → text)
// without touching stored rows; the reverse would reject or truncate them.
export type Storage = 'text' | 'integer' | 'decimal' | 'date' | 'datetime';
export const STORAGE: Readonly<Record<ItemType, Storage>> = {
  string: 'text', enum: 'text', uscc: 'text', 'org-code': 'text', 'reg-no': 'text', 'tax-no': 'text',
  'resident-id': 'text', 'id-number': 'text', phone: 'text',
  integer: 'integer', decimal: 'decimal', date: 'date', datetime: 'datetime',
};
const WIDENS: Record<Storage, Storage[]> = {
  text: [], integer: ['decimal', 'text'], decimal: ['text'], date: ['datetime', 'text'], datetime: ['text'],
};

function conditionText(c: Condition): string {
  return `${c.when} in ${c.in.join('/')}`;
}

function requirementText(it: DataItem): string {
  if (typeof it.required === 'boolean') return it.required ? 'required' : 'optional';
  return `required when ${conditionText(it.required)}`;
}

function withdrawnText(s: DataSubject): string {
  return s.withdrawnWhen ? conditionText(s.withdrawnWhen) : 'none';
}

function itemChanges(subject: string, before: DataItem, after: DataItem): CatalogChange[] {
  const out: CatalogChange[] = [];
  const target = `${subject}.${after.code}`;
  const change = (property: NonNullable<CatalogChange['property']>, b: string, a: string, compatibility: Compatibility, reason: string) =>
    out.push({ level: 'item', kind: 'changed', target, name: after.name, property, before: b, after: a, compatibility, reason });

  if (before.name !== after.name) change('name', before.name, after.name, 'compatible', 'label only; the column keeps its code');
  if (before.type !== after.type) {
    const [sb, sa] = [STORAGE[before.type], STORAGE[after.type]];
    if (sb === sa) change('type', before.type, after.type, 'compatible', `both stored as ${sa}; new deliveries are checked as ${after.type}`);
    else if (WIDENS[sb].includes(sa)) change('type', before.type, after.type, 'compatible', `widens ${sb} to ${sa}`);
    else change('type', before.type, after.type, 'breaking', `narrows ${sb} to ${sa}: stored values may not convert`);
  }
  if (before.length !== after.length && STORAGE[after.type] === 'text') {
    const [b, a] = [before.length ?? Infinity, after.length ?? Infinity];
    change('length', String(before.length ?? 'unlimited'), String(after.length ?? 'unlimited'),
      a >= b ? 'compatible' : 'breaking', a >= b ? 'widens the column' : `stored values longer than ${a} would be cut`);
  }
  for (const p of ['precision', 'scale'] as const) {
    if (before[p] !== after[p] && STORAGE[after.type] === 'decimal' && STORAGE[before.type] === 'decimal') {
      const grew = (after[p] ?? 0) >= (before[p] ?? 0);
      change(p, String(before[p]), String(after[p]), grew ? 'compatible' : 'breaking', grew ? 'widens the column' : 'stored digits would be lost');
    }
  }
  if (requirementText(before) !== requirementText(after)) {
    change('required', requirementText(before), requirementText(after), 'compatible', 'the column stays nullable; only new deliveries are held to it');
  }
  if (before.openness !== after.openness) change('openness', before.openness, after.openness, 'compatible', 'changes who may see the value, not what is stored');
  if (before.personal !== after.personal) change('personal', String(before.personal), String(after.personal), 'compatible', 'changes masking, not storage');
  if (before.type === 'enum' && after.type === 'enum' && before.codeTable !== after.codeTable) {
    change('code_table', before.codeTable ?? '', after.codeTable ?? '', 'compatible', 'stored labels stay; new deliveries use the new table');
  }
  return out;
}

function subjectChanges(before: DataSubject, after: DataSubject): CatalogChange[] {
  const out: CatalogChange[] = [];
  if (before.code !== after.code) {
    out.push({ level: 'subject', kind: 'renamed', target: after.code, from: before.code, name: after.name, compatibility: 'compatible', reason: 'the table is renamed; its rows stay' });
  }
  if (withdrawnText(before) !== withdrawnText(after)) {
    out.push({
      level: 'subject', kind: 'changed', target: after.code, name: after.name, property: 'withdrawn_when',
      before: withdrawnText(before), after: withdrawnText(after), compatibility: 'compatible',
      reason: 'decides which new deliveries close their record; stored rows stay as they are',
    });
  }
  // `_key` digests the key items' values in key order, so it stays only where the same values come
  // in the same order and form: a key item merely renamed keeps it; one whose storage changes
  // (text ↔ number, date → datetime) does not.
  const renamedTo = new Map(after.items.filter((i) => i.renamedFrom !== undefined).map((i) => [i.renamedFrom!, i.code]));
  const storageOf = (s: DataSubject, code: string) => {
    const type = s.items.find((i) => i.code === code)?.type;
    return type === undefined ? '?' : STORAGE[type];
  };
  const keyBefore = before.businessKey.map((c) => `${renamedTo.get(c) ?? c}:${storageOf(before, c)}`).join('+');
  const keyAfter = after.businessKey.map((c) => `${c}:${storageOf(after, c)}`).join('+');
  if (keyBefore !== keyAfter) {
    out.push({
      level: 'subject', kind: 'changed', target: after.code, name: after.name, property: 'business_key',
      before: before.businessKey.join('+'), after: after.businessKey.join('+'), compatibility: 'breaking',
      reason: 'stored records must be re-keyed: their _key comes from the old key, so a re-delivered record would load as a new one beside its still-open old version',
    });
  }
  const old = new Map(before.items.map((i) => [i.code, i]));
  const matched = new Set<string>();
  for (const it of after.items) {
    const prevCode = it.renamedFrom !== undefined && old.has(it.renamedFrom) ? it.renamedFrom : it.code;
    const prev = old.get(prevCode);
    if (!prev) {
      out.push({ level: 'item', kind: 'added', target: `${after.code}.${it.code}`, name: it.name, compatibility: 'compatible', reason: `a new nullable column; rows loaded under the old version have it empty` });
      continue;
    }
    matched.add(prevCode);
    if (prevCode !== it.code) {
      out.push({ level: 'item', kind: 'renamed', target: `${after.code}.${it.code}`, from: `${before.code}.${prevCode}`, name: it.name, compatibility: 'compatible', reason: 'the column is renamed; its values stay' });
    }
    out.push(...itemChanges(after.code, prev, it));
  }
  for (const prev of before.items) {
    if (!matched.has(prev.code)) {
      out.push({ level: 'item', kind: 'removed', target: `${before.code}.${prev.code}`, name: prev.name, compatibility: 'breaking', reason: 'the column holds data loaded under the old version' });
    }
  }
  return out;
}

export function diffCatalogs(before: Catalog, after: Catalog): CatalogDiff {
  const changes: CatalogChange[] = [];
  const oldUnits = new Map(before.units.map((u) => [u.code, u]));
  const newUnits = new Set(after.units.map((u) => u.code));
  for (const u of after.units) {
    const prev = oldUnits.get(u.code);
    if (!prev) {
      changes.push({ level: 'unit', kind: 'added', target: u.code, name: u.name, compatibility: 'compatible', reason: 'a new unit starts delivering' });
      continue;
    }
    if (prev.name !== u.name) {
      changes.push({ level: 'unit', kind: 'changed', target: u.code, name: u.name, property: 'name', before: prev.name, after: u.name, compatibility: 'compatible', reason: 'the unit was renamed or reorganised; its records stay under its code' });
    }
    const gained = u.delivers.filter((c) => !prev.delivers.includes(c));
    const dropped = prev.delivers.filter((c) => !u.delivers.includes(c));
    if (gained.length > 0 || dropped.length > 0) {
      changes.push({
        level: 'unit', kind: 'changed', target: u.code, name: u.name, property: 'delivers',
        before: prev.delivers.join(' '), after: u.delivers.join(' '), compatibility: 'compatible',
        reason: [gained.length > 0 && `now delivers ${gained.join(', ')}`, dropped.length > 0 && `no longer delivers ${dropped.join(', ')}`].filter(Boolean).join('; '),
      });
    }
  }
  for (const u of before.units) {
    if (!newUnits.has(u.code)) changes.push({ level: 'unit', kind: 'removed', target: u.code, name: u.name, compatibility: 'compatible', reason: 'the unit stops delivering; its records stay' });
  }

  const oldSubjects = new Map(before.subjects.map((s) => [s.code, s]));
  const matched = new Set<string>();
  for (const s of after.subjects) {
    const prevCode = s.renamedFrom !== undefined && oldSubjects.has(s.renamedFrom) ? s.renamedFrom : s.code;
    const prev = oldSubjects.get(prevCode);
    if (!prev) {
      changes.push({ level: 'subject', kind: 'added', target: s.code, name: s.name, compatibility: 'compatible', reason: `a new table with ${s.items.length} items` });
      continue;
    }
    matched.add(prevCode);
    changes.push(...subjectChanges(prev, s));
  }
  for (const s of before.subjects) {
    if (!matched.has(s.code)) changes.push({ level: 'subject', kind: 'removed', target: s.code, name: s.name, compatibility: 'breaking', reason: 'the table holds data loaded under the old version' });
  }
  return { from: before.version.id, to: after.version.id, changes };
}
