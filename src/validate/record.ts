// Cleanses and validates one row of one file against its data subject: every cell through its
// item's cleaner (repairs recorded), then the subject's compiled JSON Schema (required items,
// conditional rules, lengths), then the cross-checks between codes on the same row.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Catalog, DataItem, DataSubject } from '../catalog/index.js';
import { isEmptyMarker } from '../cleanse/index.js';
import { maskPersonal } from '../mask.js';
import { rowPrefix, type Reason, type ReasonCode } from '../reasons.js';
import type { ColumnMap } from '../read/headers.js';
import type { CellNote, SourceRow } from '../read/model.js';
import { itemCleaner, type CellResult, type CleanValue, type ItemCleaner } from './item-cleaner.js';
import { recordBuilder, type CleanRecord, type RecordBuilder } from './record-shape.js';
import { conditionLabels, runtimeSchema, subjectSchema, type ConditionalRule, type JsonSchema, type RuleGroup } from './schema.js';

export interface Repair {
  item: string;
  raw: string;
  clean: string;
}

export interface CheckedRow {
  row: number;
  /** Cleansed values by item code: every item of the subject, `undefined` where the cell is empty. */
  record: CleanRecord;
  rejections: Reason[];
  warnings: Reason[];
  repairs: Repair[];
  /** The unit withdraws or revokes the record (the subject's withdrawn_when holds): the warehouse closes it. */
  withdrawn: boolean;
}

export interface SubjectRules {
  subject: DataSubject;
  items: Map<string, DataItem>;
  cleaners: Map<string, ItemCleaner>;
  /** Passes or fails a record, stopping at the first error: what almost every row needs. */
  validate: ValidateFunction;
  /** Every error of a record that failed: compiled on the subject's first failing row. */
  explain: () => ValidateFunction;
  groups: RuleGroup[];
  /** Each item's maxLength in the published schema: the runtime schema leaves them to the checker. */
  maxLengths: Map<string, number>;
  build: RecordBuilder;
  /** Whether a record is a withdrawal, for subjects whose catalog entry says when. */
  withdrawn: ((record: CleanRecord) => boolean) | undefined;
  /** The record of a row that never reached its cells (a row the reader could not read). */
  blank: CleanRecord;
}

const compiled = new WeakMap<Catalog, { pass: Ajv; explain: Ajv; subjects: Map<string, SubjectRules> }>();

function newAjv(allErrors: boolean): Ajv {
  // Dates reach the validator already proven real by the cleaners: checking their format again
  // would cost a tenth of the row's time for nothing.
  const ajv = new Ajv({ allErrors, strict: true, strictRequired: false, validateFormats: false });
  addFormats.default(ajv, ['date', 'iso-date-time']);
  return ajv;
}

function catalogAjv(catalog: Catalog) {
  let c = compiled.get(catalog);
  if (!c) {
    // Two validators per subject: with allErrors, every failing `if` of a row that passes still
    // builds error objects, so rows are passed by one that stops at the first error, and only a
    // failing row is explained by one that finds them all.
    c = { pass: newAjv(false), explain: newAjv(true), subjects: new Map() };
    compiled.set(catalog, c);
  }
  return c;
}

/** The subject's cleaners and validator, compiled once per catalog and reused for every file. */
export function compileSubject(subject: DataSubject, catalog: Catalog): SubjectRules {
  const c = catalogAjv(catalog);
  let rules = c.subjects.get(subject.code);
  if (!rules) {
    const { schema, groups } = subjectSchema(subject, catalog);
    const build = recordBuilder(subject.items);
    const runtime = runtimeSchema(schema);
    let explain: ValidateFunction | undefined;
    rules = {
      subject,
      items: new Map(subject.items.map((i) => [i.code, i])),
      cleaners: new Map(subject.items.map((i) => [i.code, itemCleaner(i, catalog)])),
      validate: c.pass.compile(runtime),
      explain: () => (explain ??= c.explain.compile(runtime)),
      groups,
      maxLengths: new Map(Object.entries(schema['properties'] as Record<string, JsonSchema>)
        .flatMap(([code, p]) => (typeof p['maxLength'] === 'number' ? [[code, p['maxLength']] as const] : []))),
      build,
      blank: Object.freeze(build(subject.items.map(() => undefined))),
      withdrawn: withdrawal(subject, catalog),
    };
    c.subjects.set(subject.code, rules);
  }
  return rules;
}

/** Every subject of the catalog, compiled: what a nightly run needs before its first file. */
export function compileCatalog(catalog: Catalog): Map<string, SubjectRules> {
  return new Map(catalog.subjects.map((s) => [s.code, compileSubject(s, catalog)]));
}

function withdrawal(subject: DataSubject, catalog: Catalog): SubjectRules['withdrawn'] {
  const cond = subject.withdrawnWhen;
  if (!cond) return undefined;
  const labels = new Set(conditionLabels(cond, subject, catalog));
  return (record) => {
    const v = record[cond.when];
    return typeof v === 'string' && labels.has(v);
  };
}

const SHOWN_MAX = 40;

/** A value as a message may show it: personal data masked, long text cut. */
export function shown(item: DataItem, value: string): string {
  const v = item.personal ? maskPersonal(item.type, value) : value.trim();
  return v.length > SHOWN_MAX ? `${v.slice(0, SHOWN_MAX)}…` : v;
}

function conditionText(rule: ConditionalRule, items: Map<string, DataItem>): string {
  return `${items.get(rule.condition.when)?.name ?? rule.condition.when} is ${rule.condition.in.join(' or ')}`;
}

/** The rule behind an error raised inside `allOf/N/then` about item `code`. */
function ruleOf(e: ErrorObject, groups: RuleGroup[], code: string): ConditionalRule | undefined {
  const m = /^#\/allOf\/(\d+)\/then/.exec(e.schemaPath);
  return m ? groups[Number(m[1])]?.rules.find((r) => r.item.code === code) : undefined;
}

// Most rows have nothing to reject, warn or repair: they share this empty list instead of three
// fresh arrays each (frozen, so a stray push fails loudly).
const NONE = Object.freeze([]) as unknown as never[];

function append<T>(list: T[], x: T): T[] {
  if (list === NONE) return [x];
  list.push(x);
  return list;
}

function reject(out: CheckedRow, file: string, code: ReasonCode, item: DataItem | undefined, message: string): void {
  out.rejections = append(out.rejections, { code, severity: 'reject', message: `${rowPrefix(file, out.row)}: ${message}`, ...(item && { item: item.code }) });
}

interface Column {
  item: DataItem;
  /** The item's place in the subject, and so in the record. */
  slot: number;
  column: number;
  clean: ItemCleaner;
  /** The item's maximum length in characters, or -1. */
  maxLength: number;
  /** Slot of the 证件类型 item this item's value is read by, or -1. */
  idTypeSlot: number;
  /** Results of the cells this column cleaned, by raw text (results are immutable). A unit's file
   * repeats most columns' values endlessly — its own name and code, a few dates, the same 处罚依据 —
   * so most cells are looked up, not cleaned; a column of unique values (文号, IDs) stops caching. */
  memo: Map<string, CellResult> | undefined;
  lookups: number;
  hits: number;
  /** The column's last cell and result: a run of one value (the unit's own name) skips the Map. */
  lastRaw: string | undefined;
  last: CellResult | undefined;
}

const MEMO_MAX = 2048;
/** After this many lookups, a column whose hits are under a tenth stops caching. */
const MEMO_TRIAL = 4096;

function remember(m: Column, raw: string, r: CellResult): void {
  const memo = m.memo!;
  if (m.lookups >= MEMO_TRIAL && m.hits * 10 < m.lookups) {
    m.memo = undefined;
    return;
  }
  if (memo.size >= MEMO_MAX) memo.clear();
  memo.set(raw, r);
}

// Empty markers (无, /, NULL, \\N, 暂无 …) are short or padded with blanks; most cells are neither.
const MARKER_MAX = 6;
function mayBeEmpty(raw: string): boolean {
  return raw.length <= MARKER_MAX || raw.charCodeAt(0) <= 0x20 || raw.charCodeAt(raw.length - 1) <= 0x20
    || raw.charCodeAt(0) === 0x3000 || raw.charCodeAt(raw.length - 1) === 0x3000;
}

// A UTF-16 length is never below the count of characters (code points), so only a string over the
// limit by that measure is counted again.
function characters(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function noteAt(notes: readonly CellNote[], column: number): CellNote | undefined {
  for (const n of notes) if (n.column === column) return n;
  return undefined;
}

/**
 * A checker for the rows of one file: `columns` says which item each column holds. Rows keep
 * their number; every rejection and warning names file, row, item and (masked) value.
 */
export function recordChecker(rules: SubjectRules, columns: ColumnMap, file: string): (row: SourceRow) => CheckedRow {
  const items = rules.subject.items;
  const slotOf = new Map(items.map((item, slot) => [item.code, slot]));
  const mapped: Column[] = columns.columns.flatMap((item, column) => (item ? [{
    item, column, slot: slotOf.get(item.code)!, clean: rules.cleaners.get(item.code)!,
    maxLength: rules.maxLengths.get(item.code) ?? -1,
    idTypeSlot: item.idTypeItem === undefined ? -1 : slotOf.get(item.idTypeItem) ?? -1,
    // 证件号码's verdict depends on its row's 证件类型 too, and the numbers hardly repeat.
    memo: item.type === 'id-number' ? undefined : new Map<string, CellResult>(), lookups: 0, hits: 0, lastRaw: undefined, last: undefined,
  }] : []));
  // 证件号码 is checked after its 证件类型, wherever the two columns stand.
  const ordered = [...mapped.filter((m) => m.item.type !== 'id-number'), ...mapped.filter((m) => m.item.type === 'id-number')];
  const roles = new Map(items.flatMap((i) => (i.identity ? [[i.identity, i] as const] : [])));
  const uscc = roles.get('uscc');
  const orgCode = roles.get('org-code');
  // The row's clean values by slot, reused row after row: the record is built from it in one go.
  const values: (CleanValue | undefined)[] = items.map(() => undefined);

  return (row: SourceRow): CheckedRow => {
    const out: CheckedRow = { row: row.row, record: rules.blank, rejections: NONE, warnings: NONE, repairs: NONE, withdrawn: false };
    if (row.problem) {
      out.rejections = [row.problem];
      return out;
    }
    // A cell already rejected is absent from the record: the schema must not call it missing too.
    let failed: Set<string> | undefined;
    const { cells, notes } = row;
    for (let k = 0; k < ordered.length; k++) {
      const m = ordered[k]!;
      values[m.slot] = undefined;
      const raw = cells[m.column];
      if (raw === undefined || raw === '') continue;
      const note = notes === undefined ? undefined : noteAt(notes, m.column);
      if (note === undefined && mayBeEmpty(raw) && isEmptyMarker(raw)) {
        if (raw.trim() !== '') out.repairs = append(out.repairs, { item: m.item.code, raw: m.item.personal ? maskPersonal(m.item.type, raw) : raw, clean: '' });
        continue;
      }
      let idType: string | undefined;
      if (m.idTypeSlot >= 0) {
        const t = values[m.idTypeSlot];
        if (typeof t === 'string') idType = t;
      }
      let r: CellResult | undefined;
      if (note !== undefined || m.memo === undefined) r = m.clean(raw, note, idType);
      else if (m.lastRaw === raw) r = m.last!;
      else {
        m.lookups++;
        r = m.memo.get(raw);
        if (r === undefined) {
          r = m.clean(raw, undefined, idType);
          remember(m, raw, r);
        } else m.hits++;
        m.lastRaw = raw;
        m.last = r;
      }
      if (r.warnings) for (const w of r.warnings) {
        out.warnings = append(out.warnings, { code: r.ok ? identityCode(m.item) : r.code, severity: 'warn', message: `${rowPrefix(file, row.row)}: ${m.item.name} ${shown(m.item, raw)} ${w}`, item: m.item.code });
      }
      if (!r.ok) {
        (failed ??= new Set()).add(m.item.code);
        reject(out, file, r.code, m.item, r.code.startsWith('identity/') ? `${m.item.name} ${shown(m.item, raw)} ${r.detail}` : `${m.item.name}: ${r.detail}`);
        continue;
      }
      const v = r.value;
      if (m.maxLength >= 0 && typeof v === 'string' && v.length > m.maxLength) {
        const length = characters(v);
        if (length > m.maxLength) {
          (failed ??= new Set()).add(m.item.code);
          reject(out, file, 'cell/too-long', m.item, `${m.item.name} has ${length} characters; at most ${m.maxLength}`);
          continue;
        }
      }
      values[m.slot] = v;
      // Repairs go to the audit and reports: a personal value is recorded masked, both sides.
      if (r.repaired) {
        out.repairs = append(out.repairs, m.item.personal
          ? { item: m.item.code, raw: maskPersonal(m.item.type, raw), clean: maskPersonal(m.item.type, String(r.value)) }
          : { item: m.item.code, raw, clean: String(r.value) });
      }
    }
    const record = rules.build(values);
    out.record = record;
    if (rules.withdrawn) out.withdrawn = rules.withdrawn(record);

    if (!rules.validate(record)) {
      const explain = rules.explain();
      explain(record);
      for (const e of explain.errors ?? []) schemaReason(e, rules, out, file, failed);
    }
    if (uscc && orgCode) {
      const u = record[uscc.code];
      const o = record[orgCode.code];
      if (typeof u === 'string' && typeof o === 'string' && u.length === 18 && u.slice(8, 17) !== o) {
        reject(out, file, 'row/conflicting-codes', orgCode, `${orgCode.name} ${o} is not the organisation code inside ${uscc.name} ${u} (${u.slice(8, 17)})`);
      }
    }
    return out;
  };
}

function identityCode(item: DataItem): ReasonCode {
  switch (item.type) {
    case 'uscc': return 'identity/uscc-check';
    case 'org-code': return 'identity/org-code-check';
    case 'reg-no': return 'identity/reg-no-check';
    case 'tax-no': return 'identity/tax-no-check';
    case 'phone': return 'identity/phone';
    default: return 'identity/resident-id-check';
  }
}

function schemaReason(e: ErrorObject, rules: SubjectRules, out: CheckedRow, file: string, failed: Set<string> | undefined): void {
  if (e.keyword === 'if') return;
  const code = e.keyword === 'required' ? String(e.params['missingProperty']) : e.instancePath.slice(1);
  if (failed?.has(code)) return;
  const item = rules.items.get(code);
  const name = item?.name ?? code;
  const value = out.record[code];
  const rule = ruleOf(e, rules.groups, code);
  const fail = (reason: ReasonCode, message: string) => reject(out, file, reason, item, message);
  switch (e.keyword) {
    case 'required':
      fail('cell/required', `${name} is empty${rule ? ` but required when ${conditionText(rule, rules.items)}` : ' but required'}`);
      return;
    case 'false schema':
      fail('cell/not-empty', `${name} must be empty when ${rule ? conditionText(rule, rules.items) : 'so'} (holds ${item ? shown(item, String(value)) : String(value)})`);
      return;
    case 'pattern':
      fail('cell/pattern', `${name} ${item ? shown(item, String(value)) : String(value)} does not match ${String(e.params['pattern'])}`);
      return;
    case 'format':
      fail('cell/date', `${name} ${String(value)} is not a real ${String(e.params['format']) === 'date' ? 'date' : 'date and time'}`);
      return;
    case 'enum':
      fail('cell/code-table', `${name} ${String(value)} is not in its code table`);
      return;
    default:
      fail('cell/type', `${name} ${String(value)} ${e.message ?? 'is not valid'}`);
  }
}
