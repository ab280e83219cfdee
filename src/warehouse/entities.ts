// Looking an entity up in the warehouse: by any identifier it is known by or its exact name, to its
// consolidated record across every data subject — each record with its source unit, file and date,
// the rule that linked it, and only the items the asking role may see.
import type { Knex } from 'knex';
import { OPENNESS_LEVELS, STORAGE, type Catalog, type DataItem, type DataSubject, type EntityType, type Openness } from '../catalog/index.js';
import { nameKey } from '../cleanse/index.js';
import { IDENTIFIER_ORDER, type KeySource } from '../identity/evidence.js';
import { hashResidentId } from '../identity/id-key.js';
import { maskIdNumber, maskPersonal } from '../mask.js';
import { checkOrgCode, checkRegNo, checkResidentId, checkTaxNo, checkUscc } from '../validate/identifiers/index.js';
import type { Warehouse } from './connect.js';
import { itemColumn, L, subjectTable, T } from './tables.js';

/** How a key was read: which identifier kind, or a name. */
export interface KeyReading {
  kind: KeySource | 'name';
  value: string;
  /** What to show of it (a resident ID masked). */
  shown: string;
}

/**
 * Every way a lookup key can be read: a code that passes its check (a 15-digit number may be both
 * a registration number and an old resident ID), else an exact name. `idKey` is needed only for a
 * resident ID; without it one is refused by the caller.
 */
export function readKey(raw: string, idKey: (() => Buffer) | undefined): KeyReading[] {
  const readings: KeyReading[] = [];
  // A key shaped like a resident ID is shown masked whatever else it is read as.
  const personal = RESIDENT_ID_SHAPE.test(raw.trim());
  const add = (kind: KeySource, value: string, shown = value) => readings.push({ kind, value, shown: personal ? maskIdNumber(shown) : shown });
  const uscc = checkUscc(raw);
  if (uscc.valid) add('uscc', uscc.value);
  const org = checkOrgCode(raw);
  if (org.valid) add('org-code', org.value);
  const tax = checkTaxNo(raw);
  if (tax.valid && tax.kind === 'division-org-code') add('org-code', tax.orgCode!, tax.value);
  // Registration numbers are 13 or 15 digits: a name with a house number in it is still a name,
  // an 18-digit number a resident ID.
  const reg = checkRegNo(raw);
  if (reg.valid && /^(\d{13}|\d{15})$/.test(reg.value)) add('reg-no', reg.value);
  const id = checkResidentId(raw);
  if (id.valid && idKey !== undefined) {
    const hashed = hashResidentId(idKey(), id.value);
    readings.push({ kind: 'resident-id', value: hashed.hash, shown: hashed.masked });
  }
  const key = nameKey(raw.trim());
  if (key !== '' && !personal) readings.push({ kind: 'name', value: key, shown: raw.trim() });
  return readings;
}

const RESIDENT_ID_SHAPE = /^(\d{17}[\dXx]|\d{15})$/;

/** How a key that reads as nothing is repeated back: masked when it is shaped like a resident ID. */
export function shownKey(raw: string): string {
  return RESIDENT_ID_SHAPE.test(raw.trim()) ? maskIdNumber(raw.trim()) : JSON.stringify(raw);
}

/** Whether a key is a resident ID: looking it up takes the key it was hashed with. */
export const isResidentId = (raw: string): boolean => checkResidentId(raw).valid;

export interface EntitySummary {
  id: number;
  type: EntityType | null;
  name: string | null;
  uscc: string | null;
}

export interface FileSighting {
  fileId: number;
  file: string;
  unit: string;
  /** When the file was loaded (UTC, ISO). */
  at: string;
  row: number;
}

export interface IdentifierShown {
  kind: KeySource;
  /** The value, or for a resident ID its masked form. */
  value: string;
  first: FileSighting;
  last: FileSighting;
}

export interface RecordShown {
  subject: string;
  subjectName: string;
  id: number;
  unit: string;
  file: string;
  row: number;
  /** When the version was loaded, and closed (null while in force). */
  validFrom: string;
  validTo: string | null;
  withdrawn: boolean;
  /** The entity id the record was linked to, when it is not the entity shown (merged or name-only). */
  linkedTo: number | null;
  rule: string | null;
  evidence: string | null;
  values: { item: string; name: string; value: string }[];
}

export interface EntityRecord extends EntitySummary {
  formerNames: string[];
  identifiers: IdentifierShown[];
  /** Ids merged into this one, and name-only groups that resolve to it. */
  alsoKnownAs: number[];
  role: Openness;
  /** Items the role may not see, per subject: how many were left out. */
  hidden: number;
  /** Records of subjects the role may see nothing of: left out whole. */
  withheld: number;
  records: RecordShown[];
}

type Row = Record<string, unknown>;
const str = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));

function summary(r: Row): EntitySummary {
  return { id: Number(r['id']), type: str(r['type']) as EntityType | null, name: str(r['name']), uscc: str(r['uscc']) };
}

/** Follows merges to the entity an id stands for now. */
async function survivor(knex: Knex, id: number): Promise<number> {
  const seen = new Set<number>();
  let current = id;
  for (;;) {
    const r = (await knex(T.entities).where({ id: current }).first('merged_into', 'resolved_to')) as Row | undefined;
    const next = r?.['merged_into'] ?? r?.['resolved_to'] ?? null;
    if (next === null || seen.has(current)) return current;
    seen.add(current);
    current = Number(next);
  }
}

/** The entities a key names, each followed to its survivor. */
export async function findEntities(wh: Warehouse, readings: readonly KeyReading[]): Promise<EntitySummary[]> {
  const { knex } = wh;
  const ids = new Set<number>();
  for (const r of readings) {
    const rows = r.kind === 'name'
      ? ((await knex(T.entityNames).where({ name_key: r.value }).select('entity_id')) as Row[])
      : ((await knex(T.identifiers).where({ kind: r.kind, value: r.value }).select('entity_id')) as Row[]);
    for (const row of rows) ids.add(await survivor(knex, Number(row['entity_id'])));
  }
  if (ids.size === 0) return [];
  const rows = (await knex(T.entities).whereIn('id', [...ids]).orderBy('id').select('id', 'type', 'name', 'uscc')) as Row[];
  return rows.map(summary);
}

/** Every id whose records belong to `id`: itself, what was merged into it, name groups resolving to it. */
async function idsOf(knex: Knex, id: number): Promise<number[]> {
  const all = new Set([id]);
  let frontier = [id];
  while (frontier.length > 0) {
    const rows = (await knex(T.entities).whereIn('merged_into', frontier).orWhereIn('resolved_to', frontier).select('id')) as Row[];
    frontier = rows.map((r) => Number(r['id'])).filter((n) => !all.has(n));
    for (const n of frontier) all.add(n);
  }
  return [...all].sort((a, b) => a - b);
}

/** The items a role sees: its openness level and those more open. */
export function visibleTo(role: Openness, item: DataItem): boolean {
  return OPENNESS_LEVELS.indexOf(item.openness) <= OPENNESS_LEVELS.indexOf(role);
}

// MySQL hands DECIMAL back padded to its scale (0.300000), the others as numbers (0.3).
function shownValue(item: DataItem, v: unknown): string | null {
  const t = str(v);
  if (t === null) return null;
  if (item.personal) return maskPersonal(item.type, t);
  // An individual's tax number is their resident ID (with 00 after it, some years).
  if (item.type === 'tax-no' && checkTaxNo(t).kind === 'resident-id') return maskIdNumber(t);
  return STORAGE[item.type] === 'decimal' && t.includes('.') ? t.replace(/\.?0+$/, '') : t;
}

async function files(knex: Knex, ids: readonly number[]): Promise<Map<number, { name: string; unit: string; at: string }>> {
  const found = new Map<number, { name: string; unit: string; at: string }>();
  const rows = ids.length === 0 ? [] : ((await knex(T.files).whereIn('id', [...new Set(ids)]).select('id', 'name', 'unit', 'started_at')) as Row[]);
  for (const r of rows) found.set(Number(r['id']), { name: String(r['name']), unit: String(r['unit']), at: String(r['started_at']) });
  return found;
}

async function subjectRecords(knex: Knex, subject: DataSubject, ids: readonly number[], entity: number, role: Openness): Promise<{ rows: Row[]; shown: (r: Row) => Omit<RecordShown, 'file' | 'unit'> & { fileId: number } }> {
  const rows = (await knex(subjectTable(subject)).whereIn(L.entity, ids).orderBy(L.id)) as Row[];
  const items = subject.items.filter((i) => visibleTo(role, i));
  return {
    rows,
    shown: (r) => {
      const linked = Number(r[L.entity]);
      return {
        subject: subject.code, subjectName: subject.name, id: Number(r[L.id]), fileId: Number(r[L.file]), row: Number(r[L.row]),
        validFrom: String(r[L.validFrom]), validTo: str(r[L.validTo]), withdrawn: Number(r[L.withdrawn]) === 1,
        linkedTo: linked === entity ? null : linked, rule: str(r[L.linkRule]), evidence: str(r[L.linkEvidence]),
        values: items.flatMap((i) => {
          const value = shownValue(i, r[itemColumn(i)]);
          return value === null ? [] : [{ item: i.code, name: i.name, value }];
        }),
      };
    },
  };
}

/** One entity's consolidated record, as `role` may see it. */
export async function entityRecord(wh: Warehouse, catalog: Catalog, id: number, role: Openness): Promise<EntityRecord> {
  const { knex } = wh;
  const e = (await knex(T.entities).where({ id }).first()) as Row | undefined;
  if (!e) throw new Error(`no entity ${id} in the warehouse ${wh.shown}`);
  const ids = await idsOf(knex, id);
  const names = (await knex(T.entityNames).where({ entity_id: id }).orderBy([{ column: 'last_file' }, { column: 'last_row' }]).select('name')) as Row[];
  const identifiers = (await knex(T.identifiers).where({ entity_id: id }).select()) as Row[];

  const found: { shown: Omit<RecordShown, 'file' | 'unit'> & { fileId: number } }[] = [];
  let hidden = 0;
  let withheld = 0;
  let nameSeen = false;
  for (const subject of catalog.subjects) {
    const { rows, shown } = await subjectRecords(knex, subject, ids, id, role);
    if (rows.length === 0) continue;
    // A subject the role may see no item of: that the entity has such records is itself not for it.
    if (!subject.items.some((i) => visibleTo(role, i))) {
      withheld += rows.length;
      continue;
    }
    hidden += subject.items.filter((i) => !visibleTo(role, i)).length;
    nameSeen ||= subject.items.some((i) => i.identity === 'entity-name' && visibleTo(role, i));
    for (const r of rows) found.push({ shown: shown(r) });
  }
  const fileIds = [...found.map((f) => f.shown.fileId), ...identifiers.flatMap((i) => [Number(i['first_file']), Number(i['last_file'])])];
  const byId = await files(knex, fileIds);
  const sighting = (file: number, row: number): FileSighting => {
    const f = byId.get(file);
    return { fileId: file, file: f?.name ?? '?', unit: f?.unit ?? '?', at: f?.at ?? '?', row };
  };
  const current = str(e['name']);
  // The name comes from records: only a role that may see a record's name item sees it.
  const nameShown = nameSeen || role === 'government';
  return {
    ...summary(e),
    name: nameShown ? current : null,
    formerNames: nameShown ? names.map((n) => String(n['name'])).filter((n) => n !== current) : [],
    identifiers: identifiers.sort((a, b) => IDENTIFIER_ORDER.indexOf(String(a['kind']) as KeySource) - IDENTIFIER_ORDER.indexOf(String(b['kind']) as KeySource)).map((i) => ({
      kind: String(i['kind']) as KeySource,
      value: String(i['kind']) === 'resident-id' ? String(i['masked'] ?? '(hashed)') : String(i['value']),
      first: sighting(Number(i['first_file']), Number(i['first_row'])),
      last: sighting(Number(i['last_file']), Number(i['last_row'])),
    })),
    alsoKnownAs: ids.filter((n) => n !== id),
    role,
    hidden,
    withheld,
    records: found.map(({ shown: { fileId, ...rest } }) => {
      const f = byId.get(fileId);
      return { ...rest, file: f?.name ?? '?', unit: f?.unit ?? '?' };
    }),
  };
}
