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
import { subjectSchema, type ConditionalRule } from './schema.js';

export interface Repair {
  item: string;
  raw: string;
  clean: string;
}

export interface CheckedRow {
  row: number;
  /** Cleansed values by item code; empty cells are absent. */
  record: Record<string, CleanValue>;
  rejections: Reason[];
  warnings: Reason[];
  repairs: Repair[];
}

export interface SubjectRules {
  subject: DataSubject;
  items: Map<string, DataItem>;
  cleaners: Map<string, ItemCleaner>;
  validate: ValidateFunction;
  rules: ConditionalRule[];
}

const compiled = new WeakMap<Catalog, { ajv: Ajv; subjects: Map<string, SubjectRules> }>();

function catalogAjv(catalog: Catalog) {
  let c = compiled.get(catalog);
  if (!c) {
    // Dates reach the validator already proven real by the cleaners: checking their format again
    // would cost a tenth of the row's time for nothing.
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, validateFormats: false });
    addFormats.default(ajv, ['date', 'iso-date-time']);
    c = { ajv, subjects: new Map() };
    compiled.set(catalog, c);
  }
  return c;
}

/** The subject's cleaners and validator, compiled once per catalog and reused for every file. */
export function compileSubject(subject: DataSubject, catalog: Catalog): SubjectRules {
  const c = catalogAjv(catalog);
  let rules = c.subjects.get(subject.code);
  if (!rules) {
    const { schema, rules: conditional } = subjectSchema(subject, catalog);
    rules = {
      subject,
      items: new Map(subject.items.map((i) => [i.code, i])),
      cleaners: new Map(subject.items.map((i) => [i.code, itemCleaner(i, catalog)])),
      // additionalProperties can never fail here (records only hold mapped items): checking it
      // per row costs time, so the runtime copy leaves it out; the published schema keeps it.
      validate: c.ajv.compile({ ...schema, additionalProperties: true }),
      rules: conditional,
    };
    c.subjects.set(subject.code, rules);
  }
  return rules;
}

/** Every subject of the catalog, compiled: what a nightly run needs before its first file. */
export function compileCatalog(catalog: Catalog): Map<string, SubjectRules> {
  return new Map(catalog.subjects.map((s) => [s.code, compileSubject(s, catalog)]));
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

/** The rule behind an error raised inside `allOf/N/then`. */
function ruleOf(e: ErrorObject, rules: ConditionalRule[]): ConditionalRule | undefined {
  const m = /^#\/allOf\/(\d+)\/then/.exec(e.schemaPath);
  return m ? rules[Number(m[1])] : undefined;
}

// Most rows have nothing to reject, warn or repair: they share this empty list instead of three
// fresh arrays each (frozen, so a stray push fails loudly).
const NONE = Object.freeze([]) as unknown as never[];

function append<T>(list: T[], x: T): T[] {
  if (list === NONE) return [x];
  list.push(x);
  return list;
}

interface Column {
  item: DataItem;
  column: number;
  clean: ItemCleaner;
  /** The last cell this column cleaned, and its result: results are immutable, and a unit's file
   * repeats a column's value for long runs (its own name and code, the same 处罚依据). */
  lastRaw?: string;
  lastIdType?: string | undefined;
  last?: CellResult;
}

// Empty markers (无, /, NULL, \\N, 暂无 …) are short or padded with blanks; most cells are neither.
const MARKER_MAX = 6;
function mayBeEmpty(raw: string): boolean {
  return raw.length <= MARKER_MAX || raw.charCodeAt(0) <= 0x20 || raw.charCodeAt(raw.length - 1) <= 0x20
    || raw.charCodeAt(0) === 0x3000 || raw.charCodeAt(raw.length - 1) === 0x3000;
}

function noteAt(notes: readonly CellNote[] | undefined, column: number): CellNote | undefined {
  if (!notes) return undefined;
  for (const n of notes) if (n.column === column) return n;
  return undefined;
}

/**
 * A checker for the rows of one file: `columns` says which item each column holds. Rows keep
 * their number; every rejection and warning names file, row, item and (masked) value.
 */
export function recordChecker(rules: SubjectRules, columns: ColumnMap, file: string): (row: SourceRow) => CheckedRow {
  const mapped: Column[] = columns.columns.flatMap((item, column) => (item ? [{ item, column, clean: rules.cleaners.get(item.code)! }] : []));
  // 证件号码 is checked after its 证件类型, wherever the two columns stand.
  const ordered = [...mapped.filter((m) => m.item.type !== 'id-number'), ...mapped.filter((m) => m.item.type === 'id-number')];
  const roles = new Map(rules.subject.items.flatMap((i) => (i.identity ? [[i.identity, i] as const] : [])));
  const uscc = roles.get('uscc');
  const orgCode = roles.get('org-code');

  return (row: SourceRow): CheckedRow => {
    const out: CheckedRow = { row: row.row, record: {}, rejections: NONE, warnings: NONE, repairs: NONE };
    if (row.problem) {
      out.rejections = [row.problem];
      return out;
    }
    const reject = (code: ReasonCode, item: DataItem | undefined, message: string) => {
      out.rejections = append(out.rejections, { code, severity: 'reject', message: `${rowPrefix(file, row.row)}: ${message}`, ...(item && { item: item.code }) });
    };
    // A cell already rejected is absent from the record: the schema must not call it missing too.
    let failed: Set<string> | undefined;
    const record = out.record;
    for (const m of ordered) {
      const raw = row.cells[m.column];
      if (raw === undefined || raw === '') continue;
      const note = noteAt(row.notes, m.column);
      if (!note && mayBeEmpty(raw) && isEmptyMarker(raw)) {
        if (raw.trim() !== '') out.repairs = append(out.repairs, { item: m.item.code, raw: m.item.personal ? maskPersonal(m.item.type, raw) : raw, clean: '' });
        continue;
      }
      let idType: string | undefined;
      if (m.item.idTypeItem !== undefined) {
        const t = record[m.item.idTypeItem];
        if (typeof t === 'string') idType = t;
      }
      let r: CellResult;
      if (!note && m.last && m.lastRaw === raw && m.lastIdType === idType) r = m.last;
      else {
        r = m.clean(raw, note, idType);
        if (!note) { m.lastRaw = raw; m.lastIdType = idType; m.last = r; }
      }
      if (r.warnings) for (const w of r.warnings) {
        out.warnings = append(out.warnings, { code: r.ok ? identityCode(m.item) : r.code, severity: 'warn', message: `${rowPrefix(file, row.row)}: ${m.item.name} ${shown(m.item, raw)} ${w}`, item: m.item.code });
      }
      if (!r.ok) {
        (failed ??= new Set()).add(m.item.code);
        reject(r.code, m.item, r.code.startsWith('identity/') ? `${m.item.name} ${shown(m.item, raw)} ${r.detail}` : `${m.item.name}: ${r.detail}`);
        continue;
      }
      record[m.item.code] = r.value;
      // Repairs go to the audit and reports: a personal value is recorded masked, both sides.
      if (r.repaired) {
        out.repairs = append(out.repairs, m.item.personal
          ? { item: m.item.code, raw: maskPersonal(m.item.type, raw), clean: maskPersonal(m.item.type, String(r.value)) }
          : { item: m.item.code, raw, clean: String(r.value) });
      }
    }

    if (!rules.validate(record)) {
      for (const e of rules.validate.errors ?? []) schemaReason(e, rules, record, reject, failed);
    }
    if (uscc && orgCode) {
      const u = record[uscc.code];
      const o = record[orgCode.code];
      if (typeof u === 'string' && typeof o === 'string' && u.length === 18 && u.slice(8, 17) !== o) {
        reject('row/conflicting-codes', orgCode, `${orgCode.name} ${o} is not the organisation code inside ${uscc.name} ${u} (${u.slice(8, 17)})`);
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

function schemaReason(
  e: ErrorObject, rules: SubjectRules, record: Record<string, CleanValue>,
  reject: (code: ReasonCode, item: DataItem | undefined, message: string) => void, failed: Set<string> | undefined,
): void {
  if (e.keyword === 'if') return;
  const code = e.keyword === 'required' ? String(e.params['missingProperty']) : e.instancePath.slice(1);
  if (failed?.has(code)) return;
  const item = rules.items.get(code);
  const name = item?.name ?? code;
  const value = record[code];
  const rule = ruleOf(e, rules.rules);
  switch (e.keyword) {
    case 'required':
      reject('cell/required', item, `${name} is empty${rule ? ` but required when ${conditionText(rule, rules.items)}` : ' but required'}`);
      return;
    case 'false schema':
      reject('cell/not-empty', item, `${name} must be empty when ${rule ? conditionText(rule, rules.items) : 'so'} (holds ${item ? shown(item, String(value)) : String(value)})`);
      return;
    case 'maxLength':
      reject('cell/too-long', item, `${name} has ${String(value).length} characters; at most ${String(e.params['limit'])}`);
      return;
    case 'pattern':
      reject('cell/pattern', item, `${name} ${item ? shown(item, String(value)) : String(value)} does not match ${String(e.params['pattern'])}`);
      return;
    case 'format':
      reject('cell/date', item, `${name} ${String(value)} is not a real ${String(e.params['format']) === 'date' ? 'date' : 'date and time'}`);
      return;
    case 'enum':
      reject('cell/code-table', item, `${name} ${String(value)} is not in its code table`);
      return;
    default:
      reject('cell/type', item, `${name} ${String(value)} ${e.message ?? 'is not valid'}`);
  }
}
