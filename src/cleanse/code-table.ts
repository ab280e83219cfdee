// Code-table items arrive as the label (罚款), the code (03) or a unit's own alias (暂扣执照), in
// any width or spacing; all become the entry's label. Multi-valued items (处罚类别) list several.
import { headerKey } from '../catalog/header-key.js';
import type { CodeTable } from '../catalog/index.js';
import { entryKeys } from '../catalog/semantics.js';
import { squeeze } from './chars.js';
import { type Cleaned, fail, ok, quote } from './cleaned.js';

export interface CodeTableOptions {
  /** The item may list several entries (DataItem.multiple). */
  multiple?: boolean;
}

export type CodeTableCleaner = (raw: string) => Cleaned<string>;

/** How units separate the entries of a multi-valued cell; kept by split so joins can be retried. */
const SEPARATORS = /([；;、,，\s]+)/;
const LIST_SEPARATOR = '；';
/** A code-table item has few distinct spellings, even dirty ones; past this many, start the memo afresh. */
const MEMO_LIMIT = 4096;

/**
 * A cleaner for one code table: label, code or alias → the entry's label, compared through
 * headerKey (the catalog's own matching) after an exact lookup that serves clean cells for free.
 * With `multiple`, a list → the labels in order, without repeats, joined with '；'.
 * Results of the slow path are memoised (and frozen): a column repeats the same few spellings.
 */
export function compileCodeTable(table: CodeTable, options: CodeTableOptions = {}): CodeTableCleaner {
  const byKey = entryKeys(table);
  const exact = new Map<string, string>();
  let longest = 1;
  for (const e of table.entries) {
    for (const spelling of [e.label, e.code, ...e.aliases]) {
      if (!exact.has(spelling)) exact.set(spelling, e.label);
      longest = Math.max(longest, (spelling.split(SEPARATORS).length + 1) / 2);
    }
  }
  const tableName = `${table.name} (${table.code})`;
  const lookup = (text: string): string | undefined => exact.get(text) ?? byKey.get(headerKey(text));
  const unknown = (text: string) => fail(`${quote(text)} is not a label, code or alias in code table ${tableName}`);

  const single: CodeTableCleaner = (raw) => {
    const label = lookup(raw);
    return label === undefined ? unknown(squeeze(raw)) : ok(label, label !== raw);
  };
  const list: CodeTableCleaner = (raw) => {
    // The whole text first: labels and aliases such as 暂扣许可证、执照 contain a separator.
    const whole = lookup(raw);
    if (whole !== undefined) return ok(whole, whole !== raw);
    const parts = squeeze(raw).split(SEPARATORS);
    const labels: string[] = [];
    // parts alternates entry, separator, entry…; at each entry try the longest run of entries an
    // alias can span (a、b、c), rejoined with the separators as written, then shorter runs.
    for (let i = 0; i < parts.length;) {
      if (parts[i] === '') { i += 2; continue; }
      let last = Math.min(parts.length - 1, i + 2 * (longest - 1));
      let label = lookup(parts.slice(i, last + 1).join(''));
      while (label === undefined && last > i) {
        last -= 2;
        label = lookup(parts.slice(i, last + 1).join(''));
      }
      if (label === undefined) return unknown(parts[i]!);
      if (!labels.includes(label)) labels.push(label);
      i = last + 2;
    }
    if (labels.length === 0) return fail(`${quote(raw)} names no entry of code table ${tableName}`);
    const value = labels.join(LIST_SEPARATOR);
    return ok(value, value !== raw);
  };

  const resolve = options.multiple ? list : single;
  const memo = new Map<string, Cleaned<string>>();
  return (raw) => {
    const label = exact.get(raw);
    if (label !== undefined) return ok(label, label !== raw);
    let result = memo.get(raw);
    if (result === undefined) {
      result = Object.freeze(resolve(raw));
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(raw, result);
    }
    return result;
  };
}
