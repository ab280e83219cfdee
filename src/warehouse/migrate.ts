// Moves a warehouse from one catalog version to the next. The catalog diff, weighed against the
// rows the warehouse actually holds, becomes a list of steps; no step drops or cuts a stored value.
import {
  diffCatalogs, type Catalog, type CatalogChange, type DataItem, type DataSubject,
} from '../catalog/index.js';
import { appendAudit } from './audit.js';
import { columnShape, countMisfits, describeShape, holdsAll, misfitWhy, sameShape, type ColumnShape } from './column-fit.js';
import type { Warehouse } from './connect.js';
import { ensureSchema, itemColumnType, SchemaMismatch, schemaState, setMeta } from './schema.js';
import { itemColumn, subjectTable } from './tables.js';

export type StepAction = 'rename-table' | 'create-table' | 'keep-table' | 'rename-column' | 'add-column' | 'alter-column' | 'keep-column';

// Tables first, so column steps find their table under its new name; column renames before
// additions, so a new item may take the code an old one was renamed away from.
const ORDER: readonly StepAction[] = ['rename-table', 'create-table', 'keep-table', 'rename-column', 'add-column', 'alter-column', 'keep-column'];

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
    if (c.kind === 'renamed') {
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

/** One line per step, for the audit event: what was done where. */
function stepLine(s: MigrationStep): string {
  const what = s.action === 'rename-table' || s.action === 'rename-column' ? `${s.from} → ${place(s)}` : place(s);
  const types = s.before !== undefined ? ` ${s.before} → ${s.after}` : '';
  const note = [!s.ddl && s.action === 'alter-column' && 'no DDL', s.breaking && `breaking, ${plural(s.rows ?? 0, 'row')}`].filter(Boolean).join(', ');
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
    case 'keep-table':
    case 'keep-column':
      return;
  }
}

/**
 * Applies a plan: refuses (naming each) breaking steps unless accepted and blocked steps always;
 * then runs the steps one by one, each checking first whether an earlier, interrupted attempt
 * already did it (MySQL commits every DDL statement, so there is no all-or-nothing); and only at
 * the end records the new catalog version and one 'migration' audit event, together.
 */
export async function applyMigration(wh: Warehouse, plan: MigrationPlan, { acceptBreaking }: ApplyOptions): Promise<void> {
  if (plan.upToDate) return;
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
