// The JSON Schema of one data subject's cleansed record, generated from the catalog: types,
// lengths, patterns, code tables, required items and the conditional rules (法定代表人 required
// for 法人及非法人组织, organisation codes empty for 自然人). ajv compiles it; `credit-etl catalog
// schemas` writes it out for inspection.
import { headerKey } from '../catalog/header-key.js';
import type { Catalog, Condition, DataItem, DataSubject } from '../catalog/model.js';
import { entryKeys } from '../catalog/semantics.js';

export type JsonSchema = { [key: string]: unknown };

/** Labels of a multi-valued enum cell are joined with this after cleansing. */
export const MULTI_SEPARATOR = '；';

/** One conditional rule of the catalog: an item required, or required empty, under a condition. */
export interface ConditionalRule {
  kind: 'required' | 'empty';
  item: DataItem;
  condition: Condition;
}

/** The rules that share one condition: one `if/then` of the schema's `allOf`, in this order, so an
 * error inside `allOf/N/then` can say which rule it broke. */
export interface RuleGroup {
  condition: Condition;
  rules: ConditionalRule[];
}

export interface SubjectSchema {
  schema: JsonSchema;
  groups: RuleGroup[];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function itemSchema(item: DataItem, catalog: Catalog): JsonSchema {
  const title = `${item.code} ${item.name}`;
  switch (item.type) {
    case 'integer': return { title, type: 'integer' };
    case 'decimal': {
      const whole = (item.precision ?? 18) - (item.scale ?? 0);
      return { title, type: 'number', exclusiveMaximum: 10 ** whole, exclusiveMinimum: -(10 ** whole) };
    }
    case 'date': return { title, type: 'string', format: 'date' };
    case 'datetime': return { title, type: 'string', format: 'iso-date-time' };
    case 'enum': {
      const labels = catalog.codeTables.find((t) => t.code === item.codeTable)?.entries.map((e) => e.label) ?? [];
      if (!item.multiple) return { title, enum: labels };
      const one = `(${labels.map(escapeRegExp).join('|')})`;
      return { title, type: 'string', pattern: `^${one}(${MULTI_SEPARATOR}${one})*$` };
    }
    default: {
      const s: JsonSchema = { title, type: 'string' };
      if (item.length !== undefined) s['maxLength'] = item.length;
      if (item.pattern !== undefined) s['pattern'] = item.pattern;
      return s;
    }
  }
}

/** The labels a condition names: the catalog may name them by code or alias; cleansed cells hold the label. */
export function conditionLabels(cond: Condition, subject: DataSubject, catalog: Catalog): string[] {
  const on = subject.items.find((i) => i.code === cond.when);
  const table = catalog.codeTables.find((t) => t.code === on?.codeTable);
  const keys = table ? entryKeys(table) : undefined;
  return [...new Set(cond.in.map((v) => keys?.get(headerKey(v)) ?? v))];
}

function conditionSchema(cond: Condition, subject: DataSubject, catalog: Catalog): JsonSchema {
  const on = subject.items.find((i) => i.code === cond.when);
  const labels = conditionLabels(cond, subject, catalog);
  // A multi-valued cell (警告；罚款) meets the condition when any of its labels does.
  const value = on?.multiple
    ? { type: 'string', pattern: `(^|${MULTI_SEPARATOR})(${labels.map(escapeRegExp).join('|')})(${MULTI_SEPARATOR}|$)` }
    : { enum: labels };
  return { properties: { [cond.when]: value }, required: [cond.when] };
}

function consequence(group: RuleGroup): JsonSchema {
  const then: JsonSchema = {};
  const required = group.rules.filter((r) => r.kind === 'required').map((r) => r.item.code);
  const empty = group.rules.filter((r) => r.kind === 'empty');
  if (required.length > 0) then['required'] = required;
  if (empty.length > 0) then['properties'] = Object.fromEntries(empty.map((r) => [r.item.code, false]));
  return then;
}

export function subjectSchema(subject: DataSubject, catalog: Catalog): SubjectSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const item of subject.items) properties[item.code] = itemSchema(item, catalog);
  // Rules under the same condition share one `if`: every `if` that fails costs the validator an
  // error object per row, and most rows fail most conditions (a 自然人 row is not an organisation).
  const groups = new Map<string, { test: JsonSchema; group: RuleGroup }>();
  const add = (kind: ConditionalRule['kind'], item: DataItem, condition: Condition) => {
    const test = conditionSchema(condition, subject, catalog);
    const key = JSON.stringify(test);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { test, group: { condition, rules: [] } }));
    g.group.rules.push({ kind, item, condition });
  };
  for (const item of subject.items) {
    if (typeof item.required === 'object') add('required', item, item.required);
    if (item.emptyWhen) add('empty', item, item.emptyWhen);
  }
  const schema: JsonSchema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `credit-etl:${catalog.version.id}:${subject.code}`,
    title: `${subject.code} ${subject.name} (catalog ${catalog.version.id})`,
    description: 'A cleansed record: item code → value; empty cells are absent.',
    type: 'object',
    additionalProperties: false,
    properties,
    required: subject.items.filter((i) => i.required === true).map((i) => i.code),
  };
  if (groups.size > 0) schema['allOf'] = [...groups.values()].map(({ test, group }) => ({ if: test, then: consequence(group) }));
  return { schema, groups: [...groups.values()].map((g) => g.group) };
}

/**
 * The copy of a subject's schema the record checker runs on every row. It leaves out what cannot
 * fail there or costs more than it checks: additionalProperties (records only ever hold the
 * subject's items) and maxLength, which ajv measures by walking every string's code points; the
 * checker compares lengths itself, walking only a string whose UTF-16 length is over the limit.
 * The published schema keeps both.
 */
export function runtimeSchema(schema: JsonSchema): JsonSchema {
  const properties = schema['properties'] as Record<string, JsonSchema>;
  return {
    ...schema,
    additionalProperties: true,
    properties: Object.fromEntries(Object.entries(properties).map(([code, p]) => {
      const { maxLength: _, ...rest } = p;
      return [code, rest];
    })),
  };
}
