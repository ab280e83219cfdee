// A data subject's records all have one shape: every item of the subject, in catalog order, with
// `undefined` for a cell that is empty or was not delivered. The validator and the loader read the
// same properties of every record, so one shape keeps their property reads monomorphic; and a
// record built property by property, each row adding a different set, cost more than the whole
// rest of the row (measured 20× slower than one object literal).
import type { DataItem } from '../catalog/index.js';
import type { CleanValue } from './item-cleaner.js';

/** A cleansed record: item code → clean value, `undefined` where the cell is empty. */
export type CleanRecord = Readonly<Record<string, CleanValue | undefined>>;

/** The record of `values`, given in the order of `items`. */
export type RecordBuilder = (values: readonly (CleanValue | undefined)[]) => CleanRecord;

export function recordBuilder(items: readonly DataItem[]): RecordBuilder {
  // One object literal per subject, compiled as ajv compiles its validators. Item codes are
  // constrained by the catalog schema; JSON.stringify quotes them whatever they hold.
  const fields = items.map((item, i) => `${JSON.stringify(item.code)}: values[${i}]`).join(',\n');
  return new Function('values', `'use strict';\nreturn {\n${fields}\n};`) as RecordBuilder;
}
