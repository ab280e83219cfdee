import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { inspectDelivery } from '../../src/run/inspect.js';
import { headers, row, v2 } from '../validate/rows.js';

const good = (n: number) => row(n, { 行政处罚决定书文号: `惠市监罚〔2019〕${n}号` }).cells;

function workbook(sheets: [string, string[][]][]): string {
  const wb = XLSX.utils.book_new();
  for (const [name, rows] of sheets) XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([headers, ...rows]), name);
  const path = join(mkdtempSync(join(tmpdir(), 'inspect-')), 'two-quarters.xlsx');
  writeFileSync(path, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
  return path;
}

describe('inspectDelivery', () => {
  it('judges a percentage limit over the whole workbook, not the first sheet', async () => {
    // Q1: 1 of 2 rejected (50%); the file: 1 of 8 (12.5%).
    const path = workbook([['一季度', [row(2, { 处罚决定日期: '2019-02-30' }).cells, good(3)]], ['二季度', [4, 5, 6, 7, 8, 9].map(good)]]);
    const i = await inspectDelivery(path, v2, { limits: { maxRejectedPercent: 40 } });
    expect(i.tables.map((t) => [t.name, t.rows, t.rejected])).toEqual([['一季度', 2, 1], ['二季度', 6, 0]]);
    expect(i.quarantined).toBeUndefined();
    const strict = await inspectDelivery(path, v2, { limits: { maxRejectedPercent: 10 } });
    expect(strict.quarantined).toEqual({ code: 'file/error-limit', message: expect.stringMatching(/1 of 8 rows rejected \(12\.5%\)/) });
  });

  it('reports each sheet\'s own rows read = accepted + rejected', async () => {
    const i = await inspectDelivery(workbook([['一季度', [good(2), row(3, { 处罚决定日期: '2019-13-01', 行政处罚决定书文号: 'X' }).cells]], ['二季度', [good(4)]]]), v2);
    for (const t of i.tables) expect(t.accepted + t.rejected).toBe(t.rows);
    expect(i.tables.map((t) => t.rows)).toEqual([2, 1]);
  });
});
