import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { catalogWorkbook, exportCatalog, importCatalog, loadCatalog, writeCatalogFolder } from '../../src/catalog/index.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'workbook-'));

describe('catalog export and import', () => {
  it('import(export(v2)) equals v2, and the written folder loads back equal', () => {
    const v2 = loadCatalog('v2');
    const file = join(tmp(), 'v2.xlsx');
    exportCatalog(v2, file);
    const result = importCatalog(file, 'v3');
    expect(result.problems).toEqual([]);
    expect(result.catalog).toEqual({ ...v2, version: { ...v2.version, id: 'v3' } });

    const dir = join(tmp(), 'v3');
    writeCatalogFolder(result.catalog!, dir);
    expect(loadCatalog(dir)).toEqual(result.catalog);
  });

  it('writes one row per data item with the published columns', () => {
    const v2 = loadCatalog('v2');
    const wb = XLSX.read(XLSX.write(catalogWorkbook(v2), { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    const rows = XLSX.utils.sheet_to_json<Record<string, string>>(wb.Sheets['数据项']!);
    expect(rows.length).toBe(v2.subjects.reduce((n, s) => n + s.items.length, 0));
    const fine = rows.find((r) => r['数据项代码'] === 'CF_NR_FK');
    expect(fine).toMatchObject({ 报送单位: '共享', 主题代码: 'XZCF', 数据项名称: '罚款金额（万元）', 类型: '数值', 计量单位: '万元', 必填: '当 CF_CFLB 为 罚款 时必填', 公开属性: '公开' });
  });

  it('carries withdrawn_when in column 撤销条件 of 数据主题 and reads it back', () => {
    const v2 = loadCatalog('v2');
    const file = join(tmp(), 'v2.xlsx');
    exportCatalog(v2, file);
    const rows = XLSX.utils.sheet_to_json<Record<string, string>>(XLSX.read(readFileSync(file)).Sheets['数据主题']!);
    expect(rows.find((r) => r['主题代码'] === 'XZXK')?.['撤销条件']).toBe('当 XK_ZT 为 无效 时撤销');
    expect(rows.find((r) => r['主题代码'] === 'XZCF')?.['撤销条件']).toBe('');
    const back = importCatalog(file, 'v3').catalog!.subjects;
    expect(back.find((s) => s.code === 'XZXK')?.withdrawnWhen).toEqual({ when: 'XK_ZT', in: ['无效'] });
    expect(back.find((s) => s.code === 'XZCF')?.withdrawnWhen).toBeUndefined();
  });

  it('names the 撤销条件 cell of a withdrawal condition that is malformed or names a label its table lacks', () => {
    const wb = catalogWorkbook(loadCatalog('v2'));
    const subjects = wb.Sheets['数据主题']!;
    const grid = XLSX.utils.sheet_to_json<string[]>(subjects, { header: 1, raw: false });
    const row = grid.findIndex((r) => r[0] === 'XZXK');
    const col = grid[0]!.indexOf('撤销条件');
    const at = `sheet 数据主题 row ${row + 1} column ${XLSX.utils.encode_col(col)} (撤销条件)`;
    const file = join(tmp(), 'withdrawn.xlsx');
    const importWith = (text: string) => {
      subjects[XLSX.utils.encode_cell({ r: row, c: col })] = { t: 's', v: text };
      writeFileSync(file, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
      return importCatalog(file, 'v3');
    };
    expect(importWith('状态无效时').problems).toEqual([
      expect.objectContaining({ code: 'catalog/schema', pointer: at, message: '"状态无效时" is not of the form 当 ITEM 为 A 或 B 时撤销' }),
    ]);
    expect(importWith('当 XK_ZT 为 无效 或 过期 时撤销').problems).toEqual([
      expect.objectContaining({ code: 'catalog/condition', pointer: at, message: 'XZXK: "过期" is not in code table ZT of XK_ZT' }),
    ]);
    expect(importWith('当 XK_ZT 为 注销 或 2 时撤销').catalog?.subjects.find((s) => s.code === 'XZXK')?.withdrawnWhen).toEqual({ when: 'XK_ZT', in: ['注销', '2'] });
  });

  it('still imports a workbook published before the 撤销条件 column existed', () => {
    const wb = catalogWorkbook(loadCatalog('v2'));
    const subjects = wb.Sheets['数据主题']!;
    const range = XLSX.utils.decode_range(subjects['!ref']!);
    expect(XLSX.utils.sheet_to_json<string[]>(subjects, { header: 1 })[0]?.[range.e.c]).toBe('撤销条件');
    for (let r = range.s.r; r <= range.e.r; r++) delete subjects[XLSX.utils.encode_cell({ r, c: range.e.c })];
    range.e.c -= 1;
    subjects['!ref'] = XLSX.utils.encode_range(range);
    const file = join(tmp(), 'older.xlsx');
    writeFileSync(file, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    const { catalog, problems } = importCatalog(file, 'v3');
    expect(problems).toEqual([]);
    expect(catalog?.subjects.some((s) => s.withdrawnWhen !== undefined)).toBe(false);
  });

  it('refuses to overwrite an existing catalog folder', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'keep.yaml'), 'x: 1');
    expect(() => writeCatalogFolder(loadCatalog('v2'), dir)).toThrow(/already exists and is not empty/);
  });

  it('names sheet, row and column of each problem in a broken sheet', () => {
    const wb = catalogWorkbook(loadCatalog('v2'));
    const items = wb.Sheets['数据项']!;
    const grid = XLSX.utils.sheet_to_json<string[]>(items, { header: 1, raw: false });
    const header = grid[0]!;
    const row = grid.findIndex((r) => r[header.indexOf('数据项代码')] === 'CF_WSH');
    const cell = (col: string) => XLSX.utils.encode_cell({ r: row, c: header.indexOf(col) });
    items[cell('类型')] = { t: 's', v: '文本' };
    items[cell('长度')] = { t: 's', v: '六十四' };
    items[cell('必填')] = { t: 's', v: '有时' };
    const file = join(tmp(), 'broken.xlsx');
    writeFileSync(file, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);

    const { catalog, problems } = importCatalog(file, 'v3');
    expect(catalog).toBeUndefined();
    const at = `sheet 数据项 row ${row + 1}`;
    expect(problems).toEqual(expect.arrayContaining([
      expect.objectContaining({ file: 'broken.xlsx', pointer: `${at} column F (类型)`, message: expect.stringMatching(/"文本" is not one of 字符/) }),
      expect.objectContaining({ pointer: `${at} column G (长度)`, message: '"六十四" is not a whole number' }),
      expect.objectContaining({ pointer: `${at} column N (必填)`, message: expect.stringMatching(/not of the form 当 ITEM 为 A 或 B 时必填/) }),
    ]));
  });

  it('maps schema and reference problems of an imported sheet back to their cells', () => {
    const wb = catalogWorkbook(loadCatalog('v2'));
    const subjects = wb.Sheets['数据主题']!;
    const grid = XLSX.utils.sheet_to_json<string[]>(subjects, { header: 1, raw: false });
    const row = grid.findIndex((r) => r[0] === 'XZCF');
    subjects[XLSX.utils.encode_cell({ r: row, c: 4 })] = { t: 's', v: 'CF_WSH\nCF_NOPE' };
    subjects[XLSX.utils.encode_cell({ r: row, c: 6 })] = { t: 's', v: '次日' };
    const file = join(tmp(), 'refs.xlsx');
    writeFileSync(file, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    const { problems } = importCatalog(file, 'v3');
    expect(problems).toContainEqual(expect.objectContaining({ code: 'catalog/schema', pointer: `sheet 数据主题 row ${row + 1} column G (报送时限)` }));

    subjects[XLSX.utils.encode_cell({ r: row, c: 6 })] = { t: 's', v: 'T+1' };
    writeFileSync(file, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    expect(importCatalog(file, 'v3').problems).toContainEqual(expect.objectContaining({
      code: 'catalog/business-key', pointer: `sheet 数据主题 row ${row + 1} column E (业务主键)`, message: expect.stringMatching(/CF_NOPE/),
    }));
  });

  it('names a missing sheet and a file that is no workbook', () => {
    const wb = catalogWorkbook(loadCatalog('v2'));
    delete wb.Sheets['代码表'];
    wb.SheetNames = wb.SheetNames.filter((n) => n !== '代码表');
    const file = join(tmp(), 'nosheet.xlsx');
    writeFileSync(file, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    expect(importCatalog(file, 'v3').problems[0]?.message).toMatch(/has no sheet "代码表"/);

    const junk = join(tmp(), 'junk.xlsx');
    writeFileSync(junk, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0x00, 0x13]));
    expect(importCatalog(junk, 'v3').problems[0]).toMatchObject({ code: 'catalog/parse', file: 'junk.xlsx' });
  });
});
