// Maps a table's header labels to the data items of a subject by code, name and aliases, after
// normalising the spelling (full-width, spaces, brackets, 必填 markers).
import { headerKey, type DataItem, type DataSubject } from '../catalog/index.js';

export interface ColumnMap {
  subject: DataSubject;
  /** The data item of each column, or undefined for a column the subject does not know. */
  columns: (DataItem | undefined)[];
  unmapped: { column: number; label: string; why: 'unknown' | 'duplicate' }[];
  /** Items required on every row that have no column. */
  missingRequired: DataItem[];
}

const keysBySubject = new WeakMap<DataSubject, Map<string, DataItem>>();

/** Every spelling of every item of a subject, as header keys. */
export function subjectKeys(subject: DataSubject): Map<string, DataItem> {
  let keys = keysBySubject.get(subject);
  if (!keys) {
    keys = new Map();
    for (const item of subject.items) for (const s of [item.code, item.name, ...item.aliases]) if (!keys.has(headerKey(s))) keys.set(headerKey(s), item);
    keysBySubject.set(subject, keys);
  }
  return keys;
}

/** Header keys of every item of these subjects: what a header row of the unit's files may say. */
export function headerVocabulary(subjects: readonly DataSubject[]): Set<string> {
  const out = new Set<string>();
  for (const s of subjects) for (const k of subjectKeys(s).keys()) out.add(k);
  return out;
}

// 统一社会信用代码（必填）names the item before the bracket. Only notes that carry no meaning are
// dropped: 罚款金额（元）is not 罚款金额（万元）, and 法定代表人（身份证号码）is not 法定代表人.
const EMPTY_NOTE = /[(（]\s*(必填|选填|非必填|可选|可不填|必须填写|如有|如有则填|选填项|必填项)\s*[)）]$/;

/** The header keys a label may stand for: as written, then without a 必填/选填 note. */
export function labelKeys(label: string): string[] {
  const key = headerKey(label);
  const bare = label.trim().replace(EMPTY_NOTE, '');
  return bare !== label.trim() && bare !== '' ? [key, headerKey(bare)] : [key];
}

function lookup(label: string, keys: Map<string, DataItem>): DataItem | undefined {
  for (const k of labelKeys(label)) {
    const item = keys.get(k);
    if (item) return item;
  }
  return undefined;
}

export function mapHeaders(headers: readonly string[], subject: DataSubject): ColumnMap {
  const keys = subjectKeys(subject);
  const taken = new Set<string>();
  const columns: (DataItem | undefined)[] = [];
  const unmapped: ColumnMap['unmapped'] = [];
  headers.forEach((label, column) => {
    const item = label.trim() === '' ? undefined : lookup(label, keys);
    if (item && taken.has(item.code)) {
      unmapped.push({ column, label, why: 'duplicate' });
      columns.push(undefined);
      return;
    }
    if (item) taken.add(item.code);
    else if (label.trim() !== '') unmapped.push({ column, label, why: 'unknown' });
    columns.push(item);
  });
  const missingRequired = subject.items.filter((i) => i.required === true && !taken.has(i.code));
  return { subject, columns, unmapped, missingRequired };
}
