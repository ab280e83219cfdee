// Moves a warehouse from one catalog version to the next. The catalog diff, weighed against the
// rows the warehouse actually holds, becomes a list of steps; no step drops or cuts a stored value.
import {
  diffCatalogs, STORAGE, type Catalog, type CatalogChange, type DataItem, type DataSubject,
} from '../catalog/index.js';
import { appendAudit } from './audit.js';
import { columnShape, countMisfits, describeShape, holdsAll, misfitWhy, sameShape, type ColumnShape } from './column-fit.js';
import type { Warehouse } from './connect.js';
import { keyDigest, versionDigest } from './load.js';
import { ensureSchema, itemColumnType, SchemaMismatch, schemaState, setMeta, upgradeSchema } from './schema.js';
import { itemColumn, L, subjectTable } from './tables.js';

export type StepAction = 'rename-table' | 'create-table' | 'keep-table' | 'rename-column' | 'add-column' | 'alter-column' | 'keep-column' | 'rekey';

// Tables first, so column steps find their table under its new name; column renames before
// additions, so a new item may take the code an old one was renamed away from; re-keying last,
// when every key item's column is in place under its new name and type.
const ORDER: readonly StepAction[] = ['rename-table', 'create-table', 'keep-table', 'rename-column', 'add-column', 'alter-column', 'keep-column', 'rekey'];

export interface MigrationStep {
  action: StepAction;
  /** The subject or item it follows, as the catalog diff names it: XZCF or XZCF.CF_WSH. */
  target: string;
  table: string;
  column?: string;
  /** Renames: the old table or column name. */
  from?: string;
  /** alter-column: the column type before and after, e.g. varchar(128) → varchar(200). */
  before?: string;
  after?: string;
  /** False where nothing in the database changes (a kept column; SQLite, which enforces no length or type). */
  ddl: boolean;
  breaking: boolean;
  /**
   * Rows the step touches: values a kept column or table still holds, or values the altered column
   * could not hold (left out where the new column holds anything the old one could: nothing to count).
   */
  rows?: number;
  /** The altered column could not hold `rows` stored values: refused even when breaking changes are accepted. */
  blocked: boolean;
  /** rekey, once applied: open versions sharing their new `_key` with another open version, and the first few ids. */
  shared?: { versions: number; ids: number[] };
  /** What the step does and why, for people. */
  says: string;
}

export interface MigrationPlan {
  /** The warehouse, as safe to print. */
  warehouse: string;
  from: string;
  to: string;
  /** The warehouse already follows `to`: there is nothing to do. */
  upToDate: boolean;
  steps: MigrationStep[];
  /** Catalog changes the tables need no step for: labels, required rules, openness, masking, code tables, units. */
  catalogOnly: number;
  /** The catalog moved to: what new tables and columns are built from. */
  catalog: Catalog;
}

export interface ApplyOptions {
  /** Apply breaking steps too: keep columns and tables that hold data no longer delivered, narrow columns whose data fits. */
  acceptBreaking: boolean;
}

/** A migration refused before it began, or stopped by a failing step. */
export class MigrationError extends Error {
  override name = 'MigrationError';
}

const STRUCTURAL = new Set<CatalogChange['property']>(['type', 'length', 'precision', 'scale']);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const place = (s: Pick<MigrationStep, 'table' | 'column'>) => (s.column === undefined ? s.table : `${s.table}.${s.column}`);

/** Row counts and names as the warehouse holds them now, which after a half-finished attempt may already be the new ones. */
class Holdings {
  private readonly rowCounts = new Map<string, number>();
  constructor(private readonly wh: Warehouse) {}

  async table(...names: string[]): Promise<string | undefined> {
    for (const n of names) if (await this.wh.knex.schema.hasTable(n)) return n;
    return undefined;
  }

  async column(table: string, ...names: string[]): Promise<string | undefined> {
    for (const n of names) if (await this.wh.knex.schema.hasColumn(table, n)) return n;
    return undefined;
  }

  async rows(table: string): Promise<number> {
    let n = this.rowCounts.get(table);
    if (n === undefined) {
      const [row] = (await this.wh.knex(table).count({ n: '*' })) as { n: number | string }[];
      this.rowCounts.set(table, (n = Number(row?.n ?? 0)));
    }
    return n;
  }

  async filled(table: string, column: string): Promise<number> {
    if ((await this.rows(table)) === 0) return 0;
    const [row] = (await this.wh.knex(table).whereNotNull(column).count({ n: '*' })) as { n: number | string }[];
    return Number(row?.n ?? 0);
  }
}

function split(target: string): [string, string] {
  const dot = target.indexOf('.');
  return [target.slice(0, dot), target.slice(dot + 1)];
}

function findSubject(catalog: Catalog, code: string): DataSubject {
  const subject = catalog.subjects.find((s) => s.code === code);
  if (!subject) throw new Error(`catalog ${catalog.version.id} has no data subject ${code}`);
  return subject;
}

function findItem(catalog: Catalog, target: string): DataItem {
  const [subject, code] = split(target);
  const item = findSubject(catalog, subject).items.find((i) => i.code === code);
  if (!item) throw new Error(`catalog ${catalog.version.id} has no data item ${target}`);
  return item;
}

interface Renames {
  /** New subject code → old. */
  subjects: Map<string, string>;
  /** New `SUBJECT.ITEM` → old item code. */
  items: Map<string, string>;
}

function renamesOf(changes: CatalogChange[]): Renames {
  const renames: Renames = { subjects: new Map(), items: new Map() };
  for (const c of changes) {
    if (c.kind !== 'renamed' || c.from === undefined) continue;
    if (c.level === 'subject') renames.subjects.set(c.target, c.from);
    if (c.level === 'item') renames.items.set(c.target, split(c.from)[1]);
  }
  return renames;
}

async function alterStep(
  wh: Warehouse, held: Holdings, target: string, before: DataItem, after: DataItem, tableNames: [string, string], changes: CatalogChange[],
): Promise<MigrationStep | undefined> {
  const [was, now] = [columnShape(before), columnShape(after)];
  const catalogBreaking = changes.filter((c) => c.compatibility === 'breaking');
  if (sameShape(was, now) && catalogBreaking.length === 0) return undefined;
  const table = tableNames[0];
  const column = itemColumn(after);
  let rows: number | undefined;
  if (!holdsAll(was, now)) {
    const current = await held.table(...tableNames);
    const col = current && (await held.column(current, column, itemColumn(before)));
    rows = current && col && (await held.rows(current)) > 0 ? await countMisfits(wh, wh.knex, current, col, now) : 0;
  }
  const misfits = rows ?? 0;
  const ddl = wh.dialect !== 'sqlite' && !sameShape(was, now);
  const types = `${describeShape(was)} → ${describeShape(now)}`;
  const why = [...new Set(changes.map((c) => c.reason))].join('; ');
  const says = [
    sameShape(was, now) ? `${place({ table, column })} stays ${describeShape(now)} (${why})` : `change ${place({ table, column })} ${types} (${why})`,
    !sameShape(was, now) && wh.dialect === 'sqlite' && 'SQLite enforces no length or type, so no DDL: new deliveries are held to it by validation',
    rows === 0 && 'every stored value fits',
    misfits > 0 && `${plural(misfits, 'stored value')} ${misfits === 1 ? 'is' : 'are'} ${misfitWhy(now)}: refused even with breaking changes accepted, data is never cut`,
  ].filter(Boolean).join('; ');
  return {
    action: 'alter-column', target, table, column, before: describeShape(was), after: describeShape(now),
    ddl, breaking: catalogBreaking.length > 0 || misfits > 0, ...(rows !== undefined && { rows }), blocked: misfits > 0, says,
  };
}

/**
 * What moving the warehouse from catalog `from` to `to` takes, step by step, with the rows each
 * breaking step touches. Throws SchemaMismatch when the warehouse follows neither version.
 */
export async function planMigration(wh: Warehouse, from: Catalog, to: Catalog): Promise<MigrationPlan> {
  const base = { warehouse: wh.shown, from: from.version.id, to: to.version.id, catalog: to };
  const state = await schemaState(wh.knex);
  if (state.catalog === to.version.id) return { ...base, upToDate: true, steps: [], catalogOnly: 0 };
  if (state.catalog === undefined) {
    throw new SchemaMismatch(`the warehouse ${wh.shown} has not been built: build it with \`credit-etl warehouse init --catalog ${to.version.id}\`; there is nothing to migrate`);
  }
  if (state.catalog !== from.version.id) {
    throw new SchemaMismatch(`the warehouse ${wh.shown} holds catalog ${state.catalog} data, not ${from.version.id}: migrate it from ${state.catalog}`);
  }

  const { changes } = diffCatalogs(from, to);
  const renames = renamesOf(changes);
  const held = new Holdings(wh);
  const steps: MigrationStep[] = [];
  let stepless = 0;
  const tablesOf = (subjectCode: string): [string, string] => [subjectTable(subjectCode), subjectTable(renames.subjects.get(subjectCode) ?? subjectCode)];

  for (const c of changes.filter((x) => x.level === 'subject')) {
    const table = subjectTable(c.target);
    if (c.kind === 'changed' && c.property === 'business_key') {
      const current = await held.table(...tablesOf(c.target));
      const rows = current ? await held.rows(current) : 0;
      // A key item new in this version is empty in every stored version, so a re-delivery that fills it still misses them.
      const added = findSubject(to, c.target).businessKey
        .filter((code) => changes.some((x) => x.level === 'item' && x.kind === 'added' && x.target === `${c.target}.${code}`));
      steps.push({
        action: 'rekey', target: c.target, table, ddl: false, breaking: true, rows, blocked: false,
        says: [
          `re-key ${table}: recompute _key of ${plural(rows, 'stored version')} from ${c.after} (was ${c.before}), so re-delivered records find their versions`,
          'open versions the new key no longer tells apart are counted and named, never merged or closed',
          added.length > 0 && rows > 0 && `${added.join(', ')} ${added.length === 1 ? 'is' : 'are'} new in ${to.version.id} and empty in the stored versions: ` +
            'a re-delivery that fills it is keyed apart from them',
        ].filter(Boolean).join('; '),
      });
    } else if (c.kind === 'renamed') {
      steps.push({ action: 'rename-table', target: c.target, table, from: subjectTable(c.from ?? c.target), ddl: true, breaking: false, blocked: false, says: `rename table ${subjectTable(c.from ?? c.target)} → ${table}: its rows stay` });
    } else if (c.kind === 'added') {
      steps.push({ action: 'create-table', target: c.target, table, ddl: true, breaking: false, blocked: false, says: `create table ${table} for ${c.target} ${c.name} (${c.reason})` });
    } else if (c.kind === 'removed') {
      const rows = (await held.table(table)) ? await held.rows(table) : 0;
      steps.push({
        action: 'keep-table', target: c.target, table, ddl: false, breaking: rows > 0, rows, blocked: false,
        says: `keep table ${table}: ${c.target} ${c.name} is gone from ${to.version.id}; the table stays readable (${plural(rows, 'row')})`,
      });
    } else stepless++;
  }

  const structural = new Map<string, CatalogChange[]>();
  const renamedTo = new Map([...renames.subjects].map(([now, was]) => [was, now]));
  for (const c of changes.filter((x) => x.level === 'item')) {
    const [subject, code] = split(c.target);
    // A removed item is named by its subject's code in the older version.
    const tables = tablesOf(c.kind === 'removed' ? renamedTo.get(subject) ?? subject : subject);
    const table = tables[0];
    const column = itemColumn(code);
    if (c.kind === 'added') {
      steps.push({ action: 'add-column', target: c.target, table, column, ddl: true, breaking: false, blocked: false, says: `add column ${place({ table, column })} ${describeShape(columnShape(findItem(to, c.target)))}: rows loaded under ${from.version.id} have it empty` });
    } else if (c.kind === 'renamed') {
      const old = itemColumn(renames.items.get(c.target) ?? code);
      steps.push({ action: 'rename-column', target: c.target, table, column, from: old, ddl: true, breaking: false, blocked: false, says: `rename column ${table}.${old} → ${column}: its values stay` });
    } else if (c.kind === 'removed') {
      const current = await held.table(...tables);
      const rows = current && (await held.column(current, column)) ? await held.filled(current, column) : 0;
      steps.push({
        action: 'keep-column', target: c.target, table, column, ddl: false, breaking: rows > 0, rows, blocked: false,
        says: `keep column ${place({ table, column })}: ${c.target} ${c.name} is gone from ${to.version.id}; ${from.version.id} rows stay readable and new rows leave it empty (${plural(rows, 'row holds', 'rows hold')} a value)`,
      });
    } else if (c.kind === 'changed' && STRUCTURAL.has(c.property)) {
      structural.set(c.target, [...(structural.get(c.target) ?? []), c]);
    } else stepless++;
  }
  // Version digests name values by item code: after a rename the same record delivered again
  // would look changed. A subject whose key changed is re-digested by its rekey step already.
  const rekeyed = new Set(steps.filter((st) => st.action === 'rekey').map((st) => st.target));
  const renamedIn = new Set(changes.filter((c) => c.level === 'item' && c.kind === 'renamed').map((c) => split(c.target)[0]));
  for (const subject of renamedIn) {
    if (rekeyed.has(subject)) continue;
    const table = tablesOf(subject)[0];
    const current = await held.table(...tablesOf(subject));
    const rows = current ? await held.rows(current) : 0;
    if (rows === 0) continue;
    steps.push({
      action: 'rekey', target: subject, table, ddl: false, breaking: false, rows, blocked: false,
      says: `recompute the version digests (_hash) of ${plural(rows, 'stored version')} in ${table} under the renamed item codes, so the same record delivered again stays unchanged`,
    });
  }
  for (const [target, itemChanges] of structural) {
    const [subject, code] = split(target);
    const before = findItem(from, `${renames.subjects.get(subject) ?? subject}.${renames.items.get(target) ?? code}`);
    const step = await alterStep(wh, held, target, before, findItem(to, target), tablesOf(subject), itemChanges);
    if (step) steps.push(step);
    else stepless += itemChanges.length;
  }
  stepless += changes.filter((c) => c.level === 'unit').length;
  steps.sort((a, b) => ORDER.indexOf(a.action) - ORDER.indexOf(b.action));
  return { ...base, upToDate: false, steps, catalogOnly: stepless };
}

function sharedText(shared: NonNullable<MigrationStep['shared']>): string {
  const more = shared.versions > shared.ids.length ? ', …' : '';
  return `${plural(shared.versions, 'open version')} share a key with another (_id ${shared.ids.join(', ')}${more})`;
}

/** One line per step, for the audit event: what was done where. */
function stepLine(s: MigrationStep): string {
  const what = s.action === 'rename-table' || s.action === 'rename-column' ? `${s.from} → ${place(s)}` : place(s);
  const types = s.before !== undefined ? ` ${s.before} → ${s.after}` : '';
  const note = [
    !s.ddl && s.action === 'alter-column' && 'no DDL', s.breaking && `breaking, ${plural(s.rows ?? 0, 'row')}`,
    s.shared && s.shared.versions > 0 && `${sharedText(s.shared)}`,
  ].filter(Boolean).join(', ');
  return `${s.action} ${what}${types}${note ? ` (${note})` : ''}`;
}

function refusal(plan: MigrationPlan, acceptBreaking: boolean): string | undefined {
  const stopping = plan.steps.filter((s) => s.blocked || (s.breaking && !acceptBreaking));
  if (stopping.length === 0) return undefined;
  const blocked = stopping.filter((s) => s.blocked).length;
  const head = acceptBreaking
    ? `cannot migrate ${plan.warehouse} from catalog ${plan.from} to ${plan.to}: ${plural(blocked, 'column')} would have to cut or drop stored values, which a migration never does`
    : `refusing to migrate ${plan.warehouse} from catalog ${plan.from} to ${plan.to}: ${plural(stopping.length, 'breaking change')}`;
  return [
    head,
    ...stopping.map((s) => `  - ${s.says}`),
    ...(blocked > 0 ? [`Correct or shorten the values named (or keep the wider definition in catalog ${plan.to}), then migrate again.`] : []),
    ...(acceptBreaking ? [] : ['Read the list; if keeping that data unfilled and narrowing those columns is what you want, rerun with --accept-breaking.']),
  ].join('\n');
}

async function applyStep(wh: Warehouse, plan: MigrationPlan, step: MigrationStep): Promise<void> {
  const { knex } = wh;
  const held = new Holdings(wh);
  switch (step.action) {
    case 'rename-table': {
      const old = step.from ?? step.table;
      if (await held.table(old)) {
        if (await held.table(step.table)) throw new MigrationError(`both ${old} and ${step.table} exist: move or drop one of them by hand`);
        await knex.schema.renameTable(old, step.table);
      } else if (!(await held.table(step.table))) throw new MigrationError(`neither ${old} nor ${step.table} exists`);
      return;
    }
    case 'create-table': {
      // ensureSchema is the one place tables are created with the dialect's table options;
      // handed the subject under the version the warehouse still follows, it builds just that.
      const subject = findSubject(plan.catalog, step.target);
      await ensureSchema(wh, { ...plan.catalog, version: { ...plan.catalog.version, id: plan.from }, subjects: [subject] });
      return;
    }
    case 'rename-column': {
      const old = step.from ?? '';
      const column = step.column ?? '';
      const has = await held.column(step.table, old, column);
      if (has === old) {
        if (await held.column(step.table, column)) throw new MigrationError(`both ${step.table}.${old} and ${column} exist: move the values and drop one of them by hand`);
        await knex.schema.alterTable(step.table, (t) => { t.renameColumn(old, column); });
      } else if (has === undefined) throw new MigrationError(`${step.table} has neither ${old} nor ${column}`);
      return;
    }
    case 'add-column': {
      if (await held.column(step.table, step.column ?? '')) return;
      const item = findItem(plan.catalog, step.target);
      await knex.schema.alterTable(step.table, (t) => { itemColumnType(t, item); });
      return;
    }
    case 'alter-column': {
      const item = findItem(plan.catalog, step.target);
      const shape: ColumnShape = columnShape(item);
      const column = step.column ?? '';
      if (step.rows === undefined) {
        if (step.ddl) await knex.schema.alterTable(step.table, (t) => { itemColumnType(t, item).alter(); });
        return;
      }
      // Counted again in the same transaction as the change (PostgreSQL: under its lock), so rows
      // loaded since the plan was made are judged too.
      await knex.transaction(async (trx) => {
        if (wh.dialect === 'postgres') await trx.raw('lock table ?? in access exclusive mode', [step.table]);
        const misfits = await countMisfits(wh, trx, step.table, column, shape);
        if (misfits > 0) throw new MigrationError(`${plural(misfits, 'stored value')} of ${place(step)} ${misfits === 1 ? 'is' : 'are'} ${misfitWhy(shape)}: not narrowed, data is never cut`);
        if (step.ddl) await trx.schema.alterTable(step.table, (t) => { itemColumnType(t, item).alter(); });
      });
      return;
    }
    case 'rekey': {
      step.shared = await rekey(wh, step.table, findSubject(plan.catalog, step.target));
      step.says += step.shared.versions > 0
        ? `; applied: ${sharedText(step.shared)}: two records the new key no longer tells apart, to be reviewed`
        : '; applied: every open version has a key of its own';
      return;
    }
    case 'keep-table':
    case 'keep-column':
      return;
  }
}

const REKEY_BATCH = 1000;
const SHARED_IDS = 5;

/**
 * A stored value as the loader had it when it built the key: numbers as numbers (MySQL hands
 * decimals back as strings, '0.200000' for a delivered 0.2), days as YYYY-MM-DD, times as
 * YYYY-MM-DDTHH:MM:SS (MySQL separates them with a space).
 */
function keyValue(item: DataItem, v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  switch (STORAGE[item.type]) {
    case 'integer':
    case 'decimal': return Number(v);
    case 'date': return String(v).slice(0, 10);
    case 'datetime': return String(v).replace(' ', 'T').slice(0, 19);
    default: return typeof v === 'number' ? v : String(v);
  }
}

/**
 * Recomputes `_key` of every stored version of `subject` from its business-key columns, a batch of
 * rows at a time by `_id`; rows whose key is already right are left alone, so a rerun after an
 * interruption just finishes the job. Then counts the open versions that now share a key.
 */
async function rekey(wh: Warehouse, table: string, subject: DataSubject): Promise<NonNullable<MigrationStep['shared']>> {
  const { knex } = wh;
  const items = subject.businessKey.map((code) => {
    const item = subject.items.find((i) => i.code === code);
    if (!item) throw new MigrationError(`the business key of ${subject.code} names ${code}, which is not one of its items`);
    return item;
  });
  const columns = items.map(itemColumn);
  for (const c of columns) {
    if (!(await knex.schema.hasColumn(table, c))) throw new MigrationError(`${table} has no column ${c} to build the new key from`);
  }
  // The version digest reads every item of the new version that has a column, by its new code.
  const stored = await knex(table).columnInfo();
  const hashed = subject.items.filter((i) => itemColumn(i) in stored);
  const codes = hashed.map((i) => i.code).sort();
  let after = 0;
  for (;;) {
    const rows = (await knex(table).where(L.id, '>', after).orderBy(L.id).limit(REKEY_BATCH)
      .select(L.id, L.key, L.hash, ...new Set([...columns, ...hashed.map(itemColumn)]))) as Record<string, unknown>[];
    if (rows.length === 0) break;
    const changed: [number, string, string][] = [];
    for (const r of rows) {
      const key = keyDigest(items.map((item, i) => keyValue(item, r[columns[i]!])));
      const record = Object.fromEntries(hashed.map((i) => [i.code, keyValue(i, r[itemColumn(i)]) ?? undefined]));
      const hash = versionDigest(record, codes);
      if (key !== r[L.key] || hash !== r[L.hash]) changed.push([Number(r[L.id]), key, hash]);
    }
    if (changed.length > 0) {
      await knex.transaction(async (trx) => {
        for (const [id, key, hash] of changed) await trx(table).where(L.id, id).update({ [L.key]: key, [L.hash]: hash });
      });
    }
    after = Number(rows[rows.length - 1]![L.id]);
  }
  // Counted, not resolved: which of two records to keep is a judgement for people, not a migration.
  const groups = () => knex(table).whereNull(L.validTo).groupBy(L.key).havingRaw('count(*) > 1');
  const [total] = (await knex.from(groups().select(L.key).count({ n: '*' }).as('g')).sum({ versions: 'n' })) as { versions: number | string | null }[];
  const versions = Number(total?.versions ?? 0);
  if (versions === 0) return { versions: 0, ids: [] };
  const keys = (await groups().select(L.key).min({ first: L.id }).orderBy('first').limit(SHARED_IDS)) as Record<string, string>[];
  const ids = (await knex(table).whereNull(L.validTo).whereIn(L.key, keys.map((k) => k[L.key]!)).orderBy(L.id).limit(SHARED_IDS).pluck(L.id)) as (number | string)[];
  return { versions, ids: ids.map(Number) };
}

/**
 * Applies a plan: refuses (naming each) breaking steps unless accepted and blocked steps always;
 * then runs the steps one by one, each checking first whether an earlier, interrupted attempt
 * already did it (MySQL commits every DDL statement, so there is no all-or-nothing); and only at
 * the end records the new catalog version and one 'migration' audit event, together.
 */
export async function applyMigration(wh: Warehouse, plan: MigrationPlan, { acceptBreaking }: ApplyOptions): Promise<void> {
  if (plan.upToDate) return;
  await upgradeSchema(wh);
  const state = await schemaState(wh.knex);
  if (state.catalog === plan.to) return;
  if (state.catalog !== plan.from) {
    throw new SchemaMismatch(`the warehouse ${wh.shown} now holds catalog ${state.catalog ?? 'none'}, not ${plan.from} as planned: plan the migration again`);
  }
  const refused = refusal(plan, acceptBreaking);
  if (refused) throw new MigrationError(refused);
  for (const [i, step] of plan.steps.entries()) {
    try {
      await applyStep(wh, plan, step);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new MigrationError(
        `step ${i + 1} of ${plan.steps.length} failed (${stepLine(step)}): ${why}. The steps before it are in place and the warehouse ` +
        `still counts as catalog ${plan.from}; fix the cause and migrate again: it continues where it stopped`);
    }
  }
  await wh.knex.transaction(async (trx) => {
    await setMeta(trx, 'catalog', plan.to);
    await appendAudit(trx, {
      kind: 'migration',
      details: {
        from: plan.from, to: plan.to, acceptBreaking,
        breaking: plan.steps.filter((s) => s.breaking).length,
        steps: plan.steps.map(stepLine),
      },
    });
  });
}
