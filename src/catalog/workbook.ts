// The catalog as the spreadsheet the credit centre publishes — one row per data item — and
// back. Import reports every problem by sheet, row and column, then runs the same schema and
// cross-reference checks as a catalog folder.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import * as XLSX from 'xlsx';
import { assembleCatalog } from './assemble.js';
import { schemaProblems, type CatalogFile, type RawCatalogFile, type RawCodeTable, type RawItem, type RawSubject, type RawUnit } from './files.js';
import {
  ENTITY_TYPE_LABELS, FREQUENCY_LABELS, IDENTITY_LABELS, invert, ITEM_TYPE_LABELS, OPENNESS_LABELS,
} from './labels.js';
import { loadCatalog } from './load.js';
import { deliveringUnits, type Catalog, type Condition, type DataItem } from './model.js';
import type { CatalogProblem, Location } from './problems.js';
import { checkCatalog } from './semantics.js';

type Cell = string | number;
// An optional column came after workbooks were already published: those still import, without it.
interface SheetSpec { name: string; columns: { key: string; header: string; optional?: true }[] }

const VERSION_SHEET = '目录信息';
const VERSION_ROWS: { key: 'id' | 'title' | 'effective' | 'supersedes' | 'publisher' | 'division'; label: string }[] = [
  { key: 'id', label: '版本' }, { key: 'title', label: '标题' }, { key: 'effective', label: '生效日期' },
  { key: 'supersedes', label: '替代版本' }, { key: 'publisher', label: '发布单位' }, { key: 'division', label: '行政区划代码' },
];
const UNITS: SheetSpec = {
  name: '报送单位',
  columns: [
    { key: 'code', header: '单位代码' }, { key: 'name', header: '单位名称' }, { key: 'uscc', header: '统一社会信用代码' },
    { key: 'division', header: '行政区划代码' }, { key: 'delivers', header: '报送数据主题' },
  ],
};
const SUBJECTS: SheetSpec = {
  name: '数据主题',
  columns: [
    { key: 'code', header: '主题代码' }, { key: 'name', header: '主题名称' }, { key: 'area', header: '信息类别' },
    { key: 'entity_types', header: '主体类型' }, { key: 'business_key', header: '业务主键' }, { key: 'frequency', header: '更新频率' },
    { key: 'deadline', header: '报送时限' }, { key: 'renamed_from', header: '原主题代码' }, { key: 'description', header: '说明' },
    { key: 'withdrawn_when', header: '撤销条件', optional: true },
  ],
};
const ITEMS: SheetSpec = {
  name: '数据项',
  columns: [
    { key: 'unit', header: '报送单位' }, { key: 'subject', header: '主题代码' }, { key: 'subject_name', header: '主题名称' },
    { key: 'code', header: '数据项代码' }, { key: 'name', header: '数据项名称' }, { key: 'type', header: '类型' },
    { key: 'length', header: '长度' }, { key: 'precision', header: '精度' }, { key: 'scale', header: '小数位' },
    { key: 'unit_of_measure', header: '计量单位' }, { key: 'code_table', header: '代码表' }, { key: 'multiple', header: '多值' },
    { key: 'id_type_item', header: '证件类型项' }, { key: 'required', header: '必填' }, { key: 'empty_when', header: '为空条件' },
    { key: 'openness', header: '公开属性' }, { key: 'personal', header: '个人信息' }, { key: 'identity', header: '身份角色' },
    { key: 'pattern', header: '格式' }, { key: 'aliases', header: '别名' }, { key: 'renamed_from', header: '原数据项代码' },
    { key: 'description', header: '说明' },
  ],
};
const TABLES: SheetSpec = {
  name: '代码表',
  columns: [
    { key: 'table', header: '代码表代码' }, { key: 'table_name', header: '代码表名称' }, { key: 'code', header: '代码' },
    { key: 'label', header: '名称' }, { key: 'aliases', header: '别名' },
  ],
};

const YES = '是';
const NO = '否';
const SHARED = '共享';
// Aliases and code lists are one per line inside a cell: labels themselves may hold 、 and ，.
const LIST = '\n';
const OR = ' 或 ';
const WITHDRAWN = '撤销';

function conditionText(c: Condition, tail: string): string {
  return `当 ${c.when} 为 ${c.in.join(OR)} 时${tail}`;
}

function itemRow(unit: string, subjectCode: string, subjectName: string, it: DataItem): Cell[] {
  return [
    unit, subjectCode, subjectName, it.code, it.name, ITEM_TYPE_LABELS[it.type],
    it.length ?? '', it.precision ?? '', it.scale ?? '', it.unit ?? '', it.codeTable ?? '', it.multiple ? YES : '',
    it.idTypeItem ?? '',
    it.required === true ? YES : it.required === false ? NO : conditionText(it.required, '必填'),
    it.emptyWhen ? conditionText(it.emptyWhen, '为空') : '',
    OPENNESS_LABELS[it.openness], it.personal ? YES : NO, it.identity ? IDENTITY_LABELS[it.identity] : '',
    it.pattern ?? '', it.aliases.join(LIST), it.renamedFrom ?? '', it.description ?? '',
  ];
}

function sheet(spec: SheetSpec, rows: Cell[][]): XLSX.WorkSheet {
  const ws = XLSX.utils.aoa_to_sheet([spec.columns.map((c) => c.header), ...rows]);
  ws['!cols'] = spec.columns.map((c) => ({ wch: Math.max(8, c.header.length * 2 + 2) }));
  ws['!autofilter'] = { ref: XLSX.utils.encode_range({ s: { r: 0, c: 0 }, e: { r: rows.length, c: spec.columns.length - 1 } }) };
  return ws;
}

export function catalogWorkbook(catalog: Catalog): XLSX.WorkBook {
  const wb = XLSX.utils.book_new();
  const v = catalog.version;
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['项目', '内容'], ...VERSION_ROWS.map((r) => [r.label, v[r.key] ?? ''])]), VERSION_SHEET);
  XLSX.utils.book_append_sheet(wb, sheet(UNITS, catalog.units.map((u) => [u.code, u.name, u.uscc, u.division, u.delivers.join(LIST)])), UNITS.name);
  XLSX.utils.book_append_sheet(wb, sheet(SUBJECTS, catalog.subjects.map((s) => [
    s.code, s.name, s.area ?? '', s.entityTypes.map((t) => ENTITY_TYPE_LABELS[t]).join(LIST), s.businessKey.join(LIST),
    FREQUENCY_LABELS[s.frequency], s.deadline, s.renamedFrom ?? '', s.description ?? '',
    s.withdrawnWhen ? conditionText(s.withdrawnWhen, WITHDRAWN) : '',
  ])), SUBJECTS.name);
  const delivering = deliveringUnits(catalog);
  const items: Cell[][] = [];
  for (const s of catalog.subjects) {
    const units = delivering.get(s.code) ?? [];
    const unit = units.length === 1 ? units[0]!.code : SHARED;
    for (const it of s.items) items.push(itemRow(unit, s.code, s.name, it));
  }
  XLSX.utils.book_append_sheet(wb, sheet(ITEMS, items), ITEMS.name);
  XLSX.utils.book_append_sheet(wb, sheet(TABLES, catalog.codeTables.flatMap((t) =>
    t.entries.map((e) => [t.code, t.name, e.code, e.label, e.aliases.join(LIST)]))), TABLES.name);
  return wb;
}

export function exportCatalog(catalog: Catalog, out: string): void {
  writeFileSync(out, XLSX.write(catalogWorkbook(catalog), { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer);
}

// ---- import ---------------------------------------------------------------------------------

interface Row { index: number; cells: Map<string, string> }

function where(file: string, sheetName: string, row: number, spec?: SheetSpec, key?: string): Location {
  const col = spec && key !== undefined ? spec.columns.findIndex((c) => c.key === key) : -1;
  const column = col >= 0 ? ` column ${XLSX.utils.encode_col(col)} (${spec!.columns[col]!.header})` : '';
  return { file, pointer: `sheet ${sheetName} row ${row}${column}` };
}

function readSheet(wb: XLSX.WorkBook, spec: SheetSpec, file: string, problems: CatalogProblem[]): Row[] {
  const ws = wb.Sheets[spec.name];
  if (!ws) {
    problems.push({ code: 'catalog/schema', file, pointer: `sheet ${spec.name}`, message: `the workbook has no sheet "${spec.name}" (sheets: ${wb.SheetNames.join(', ')})` });
    return [];
  }
  const grid = XLSX.utils.sheet_to_json<string[]>(ws, { header: 1, raw: false, defval: '', blankrows: true });
  const headers = (grid[0] ?? []).map((h) => String(h).trim());
  const columnOf = new Map<string, number>();
  for (const c of spec.columns) {
    const at = headers.indexOf(c.header);
    if (at >= 0) columnOf.set(c.key, at);
    else if (!c.optional) problems.push({ code: 'catalog/schema', file, pointer: `sheet ${spec.name} row 1`, message: `missing column "${c.header}"` });
  }
  const rows: Row[] = [];
  grid.slice(1).forEach((cells, i) => {
    if (cells.every((c) => String(c).trim() === '')) return;
    rows.push({ index: i + 2, cells: new Map([...columnOf].map(([k, at]) => [k, String(cells[at] ?? '').trim()])) });
  });
  return rows;
}

/** Parses cells into raw catalog structures, remembering the sheet cell behind every JSON path. */
class WorkbookReader {
  readonly problems: CatalogProblem[] = [];
  private readonly places = new Map<string, Location>();
  constructor(private readonly file: string) {}

  place(path: (string | number)[], sheetName: string, row: number, spec?: SheetSpec, key?: string): void {
    this.places.set(path.join('/'), where(this.file, sheetName, row, spec, key));
  }

  locate = (path: readonly (string | number)[]): Location => {
    for (let n = path.length; n >= 0; n--) {
      const hit = this.places.get(path.slice(0, n).join('/'));
      if (hit) return hit;
    }
    return { file: this.file, pointer: '' };
  };

  bad(spec: SheetSpec, row: Row, key: string, message: string): void {
    this.problems.push({ code: 'catalog/schema', ...where(this.file, spec.name, row.index, spec, key), message });
  }

  text(row: Row, key: string): string | undefined {
    const v = row.cells.get(key);
    return v === undefined || v === '' ? undefined : v;
  }

  list(row: Row, key: string): string[] {
    return (this.text(row, key) ?? '').split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
  }

  int(spec: SheetSpec, row: Row, key: string): number | undefined {
    const v = this.text(row, key);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) { this.bad(spec, row, key, `"${v}" is not a whole number`); return undefined; }
    return Number(v);
  }

  label<K extends string>(spec: SheetSpec, row: Row, key: string, labels: Record<K, string>, value = this.text(row, key)): K | undefined {
    if (value === undefined) return undefined;
    const hit = invert(labels).get(value);
    if (!hit) this.bad(spec, row, key, `"${value}" is not one of ${Object.values(labels).join(', ')}`);
    return hit;
  }

  yesNo(spec: SheetSpec, row: Row, key: string): boolean | undefined {
    const v = this.text(row, key);
    if (v === undefined || v === NO) return v === NO ? false : undefined;
    if (v === YES) return true;
    this.bad(spec, row, key, `"${v}" must be ${YES} or ${NO}`);
    return undefined;
  }

  condition(spec: SheetSpec, row: Row, key: string, tail: string): Condition | undefined {
    const v = this.text(row, key);
    if (v === undefined) return undefined;
    const m = new RegExp(`^当\\s*([A-Z][A-Z0-9_]*)\\s*为\\s*(.+?)\\s*时${tail}$`).exec(v);
    if (!m) { this.bad(spec, row, key, `"${v}" is not of the form 当 ITEM 为 A 或 B 时${tail}`); return undefined; }
    return { when: m[1]!, in: m[2]!.split(OR.trim()).map((s) => s.trim()).filter(Boolean) };
  }
}

function readVersion(wb: XLSX.WorkBook, r: WorkbookReader, file: string): RawCatalogFile['catalog'] {
  const ws = wb.Sheets[VERSION_SHEET];
  if (!ws) {
    r.problems.push({ code: 'catalog/version', file, pointer: `sheet ${VERSION_SHEET}`, message: `the workbook has no sheet "${VERSION_SHEET}"` });
    return undefined;
  }
  const grid = XLSX.utils.sheet_to_json<string[]>(ws, { header: 1, raw: false, defval: '' });
  const out: Record<string, string | null> = {};
  grid.forEach((cells, i) => {
    const spec = VERSION_ROWS.find((v) => v.label === String(cells[0]).trim());
    if (!spec) return;
    const value = String(cells[1] ?? '').trim();
    r.place(['catalog', spec.key], VERSION_SHEET, i + 1);
    if (value !== '') out[spec.key] = value;
    else if (spec.key === 'supersedes') out[spec.key] = null;
  });
  r.place(['catalog'], VERSION_SHEET, 1);
  return out as unknown as RawCatalogFile['catalog'];
}

function readItem(r: WorkbookReader, row: Row): RawItem {
  const s = ITEMS;
  const raw: Record<string, unknown> = { code: r.text(row, 'code') ?? '', name: r.text(row, 'name') ?? '' };
  const type = r.label(s, row, 'type', ITEM_TYPE_LABELS);
  if (type) raw['type'] = type; else if (!r.text(row, 'type')) r.bad(s, row, 'type', 'is empty');
  const aliases = r.list(row, 'aliases');
  if (aliases.length > 0) raw['aliases'] = aliases;
  const set = (k: string, v: unknown) => { if (v !== undefined) raw[k] = v; };
  set('description', r.text(row, 'description'));
  set('length', r.int(s, row, 'length'));
  set('precision', r.int(s, row, 'precision'));
  set('scale', r.int(s, row, 'scale'));
  set('unit', r.text(row, 'unit_of_measure'));
  set('code_table', r.text(row, 'code_table'));
  if (r.yesNo(s, row, 'multiple')) raw['multiple'] = true;
  set('id_type_item', r.text(row, 'id_type_item'));
  set('pattern', r.text(row, 'pattern'));
  const required = r.text(row, 'required');
  if (required === YES) raw['required'] = true;
  else if (required !== undefined && required !== NO) set('required', r.condition(s, row, 'required', '必填'));
  set('empty_when', r.condition(s, row, 'empty_when', '为空'));
  set('openness', r.label(s, row, 'openness', OPENNESS_LABELS));
  if (r.yesNo(s, row, 'personal')) raw['personal'] = true;
  set('identity', r.label(s, row, 'identity', IDENTITY_LABELS));
  set('renamed_from', r.text(row, 'renamed_from'));
  return raw as unknown as RawItem;
}

function readWorkbook(wb: XLSX.WorkBook, r: WorkbookReader, file: string): RawCatalogFile {
  const data: RawCatalogFile = {};
  const version = readVersion(wb, r, file);
  if (version) data.catalog = version;

  const tables: RawCodeTable[] = [];
  const tableAt = new Map<string, number>();
  for (const row of readSheet(wb, TABLES, file, r.problems)) {
    const code = r.text(row, 'table') ?? '';
    let i = tableAt.get(code);
    if (i === undefined) {
      i = tables.push({ code, name: r.text(row, 'table_name') ?? '', entries: [] }) - 1;
      tableAt.set(code, i);
      r.place(['code_tables', i], TABLES.name, row.index, TABLES, 'table');
      r.place(['code_tables', i, 'name'], TABLES.name, row.index, TABLES, 'table_name');
    }
    const entries = tables[i]!.entries;
    const aliases = r.list(row, 'aliases');
    r.place(['code_tables', i, 'entries', entries.length], TABLES.name, row.index, TABLES, 'code');
    r.place(['code_tables', i, 'entries', entries.length, 'label'], TABLES.name, row.index, TABLES, 'label');
    r.place(['code_tables', i, 'entries', entries.length, 'aliases'], TABLES.name, row.index, TABLES, 'aliases');
    entries.push({ code: r.text(row, 'code') ?? '', label: r.text(row, 'label') ?? '', ...(aliases.length > 0 && { aliases }) });
  }
  data.code_tables = tables;

  data.units = readSheet(wb, UNITS, file, r.problems).map((row, i): RawUnit => {
    for (const c of UNITS.columns) r.place(['units', i, c.key], UNITS.name, row.index, UNITS, c.key);
    r.place(['units', i], UNITS.name, row.index);
    return { code: r.text(row, 'code') ?? '', name: r.text(row, 'name') ?? '', uscc: r.text(row, 'uscc') ?? '', division: r.text(row, 'division') ?? '', delivers: r.list(row, 'delivers') };
  });

  const subjects: RawSubject[] = [];
  const subjectAt = new Map<string, number>();
  for (const row of readSheet(wb, SUBJECTS, file, r.problems)) {
    const i = subjects.length;
    for (const c of SUBJECTS.columns) r.place(['subjects', i, c.key], SUBJECTS.name, row.index, SUBJECTS, c.key);
    r.place(['subjects', i], SUBJECTS.name, row.index);
    const entityTypes = r.list(row, 'entity_types').map((t) => r.label(SUBJECTS, row, 'entity_types', ENTITY_TYPE_LABELS, t) ?? t);
    const raw: RawSubject = {
      code: r.text(row, 'code') ?? '', name: r.text(row, 'name') ?? '', entity_types: entityTypes,
      business_key: r.list(row, 'business_key'), frequency: r.label(SUBJECTS, row, 'frequency', FREQUENCY_LABELS) ?? '',
      deadline: r.text(row, 'deadline') ?? '', items: [],
    };
    const area = r.text(row, 'area'); if (area !== undefined) raw.area = area;
    const description = r.text(row, 'description'); if (description !== undefined) raw.description = description;
    const renamed = r.text(row, 'renamed_from'); if (renamed !== undefined) raw.renamed_from = renamed;
    const withdrawn = r.condition(SUBJECTS, row, 'withdrawn_when', WITHDRAWN); if (withdrawn !== undefined) raw.withdrawn_when = withdrawn;
    if (subjectAt.has(raw.code)) r.bad(SUBJECTS, row, 'code', `data subject ${raw.code} is listed twice`);
    else subjectAt.set(raw.code, i);
    subjects.push(raw);
  }
  for (const row of readSheet(wb, ITEMS, file, r.problems)) {
    const code = r.text(row, 'subject') ?? '';
    const i = subjectAt.get(code);
    if (i === undefined) { r.bad(ITEMS, row, 'subject', `data subject "${code}" is not on sheet ${SUBJECTS.name}`); continue; }
    const items = subjects[i]!.items;
    const j = items.length;
    for (const c of ITEMS.columns) r.place(['subjects', i, 'items', j, c.key], ITEMS.name, row.index, ITEMS, c.key);
    r.place(['subjects', i, 'items', j, 'unit'], ITEMS.name, row.index, ITEMS, 'unit_of_measure');
    r.place(['subjects', i, 'items', j], ITEMS.name, row.index);
    items.push(readItem(r, row));
  }
  data.subjects = subjects;
  return data;
}

export interface ImportResult {
  catalog?: Catalog;
  problems: CatalogProblem[];
}

/**
 * Reads a published catalog workbook as version `as`. Renames are checked against the version
 * the sheet says it supersedes, looked up like any `--catalog` reference.
 */
export function importCatalog(path: string, as: string, cwd = process.cwd()): ImportResult {
  const file = basename(path);
  let wb: XLSX.WorkBook;
  try {
    wb = XLSX.read(readFileSync(path), { type: 'buffer', dense: false });
  } catch (e) {
    return { problems: [{ code: 'catalog/parse', file, pointer: '', message: `not a readable workbook: ${(e as Error).message}` }] };
  }
  const reader = new WorkbookReader(file);
  const data = readWorkbook(wb, reader, file);
  if (data.catalog) data.catalog.id = as;
  // A cell already reported unreadable would be reported again by the schema; say it once.
  const seen = reader.problems.map((p) => p.pointer);
  const schema = schemaProblems(data, reader.locate).filter((p) => !seen.some((s) => s === p.pointer || s.startsWith(`${p.pointer} `)));
  if (reader.problems.length + schema.length > 0) return { problems: [...reader.problems, ...schema] };
  const virtual: CatalogFile = { path: file, data, locate: reader.locate };
  const { catalog, sources, problems } = assembleCatalog([virtual], file);
  if (!catalog) return { problems };
  let predecessor: Catalog | undefined;
  if (catalog.version.supersedes) {
    try { predecessor = loadCatalog(catalog.version.supersedes, cwd); } catch (e) {
      problems.push({ code: 'catalog/version', ...reader.locate(['catalog', 'supersedes']), message: (e as Error).message.split('\n')[0] ?? '' });
    }
  }
  problems.push(...checkCatalog(catalog, sources, predecessor));
  return problems.length > 0 ? { problems } : { catalog, problems };
}
