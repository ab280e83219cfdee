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

/** One conditional rule, in the order of the schema's `allOf`, so an error can say which. */
export interface ConditionalRule {
  kind: 'required' | 'empty';
  item: DataItem;
  condition: Condition;
}

export interface SubjectSchema {
  schema: JsonSchema;
  rules: ConditionalRule[];
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

function conditionSchema(cond: Condition, subject: DataSubject, catalog: Catalog): JsonSchema {
  const on = subject.items.find((i) => i.code === cond.when);
  // The catalog may name the condition by code or alias; cleansed cells hold the label.
  const table = catalog.codeTables.find((t) => t.code === on?.codeTable);
  const keys = table ? entryKeys(table) : undefined;
  const labels = [...new Set(cond.in.map((v) => keys?.get(headerKey(v)) ?? v))];
  // A multi-valued cell (警告；罚款) meets the condition when any of its labels does.
  const value = on?.multiple
    ? { type: 'string', pattern: `(^|${MULTI_SEPARATOR})(${labels.map(escapeRegExp).join('|')})(${MULTI_SEPARATOR}|$)` }
    : { enum: labels };
  return { properties: { [cond.when]: value }, required: [cond.when] };
}

export function subjectSchema(subject: DataSubject, catalog: Catalog): SubjectSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const item of subject.items) properties[item.code] = itemSchema(item, catalog);
  const rules: ConditionalRule[] = [];
  for (const item of subject.items) {
    if (typeof item.required === 'object') rules.push({ kind: 'required', item, condition: item.required });
    if (item.emptyWhen) rules.push({ kind: 'empty', item, condition: item.emptyWhen });
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
  if (rules.length > 0) {
    schema['allOf'] = rules.map((r) => ({
      if: conditionSchema(r.condition, subject, catalog),
      then: r.kind === 'required' ? { required: [r.item.code] } : { properties: { [r.item.code]: false } },
    }));
  }
  return { schema, rules };
}
