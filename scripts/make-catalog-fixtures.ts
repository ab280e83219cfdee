// Writes fixtures/catalog/*.xlsx: published-catalog workbooks with known defects, made by the
// xlsx library from catalog v1 so they look exactly like what the centre's staff edit.
// Run: npx tsx scripts/make-catalog-fixtures.ts
import { writeFileSync } from 'node:fs';
import * as XLSX from 'xlsx';
import { catalogWorkbook, loadCatalog } from '../src/catalog/index.js';

const wb = catalogWorkbook(loadCatalog('v1'));

function setCell(sheet: string, match: (row: string[], header: string[]) => boolean, column: string, value: string): void {
  const ws = wb.Sheets[sheet]!;
  const grid = XLSX.utils.sheet_to_json<string[]>(ws, { header: 1, raw: false });
  const header = grid[0]!;
  const r = grid.findIndex((row, i) => i > 0 && match(row, header));
  if (r < 0) throw new Error(`no row to break in ${sheet}`);
  ws[XLSX.utils.encode_cell({ r, c: header.indexOf(column) })] = { t: 's', v: value };
}
const item = (code: string) => (row: string[], header: string[]) => row[header.indexOf('数据项代码')] === code && row[header.indexOf('主题代码')] === 'XZCF';

// What staff typically get wrong when they edit the sheet by hand.
setCell('数据项', item('CF_WSH'), '类型', '文本');
setCell('数据项', item('CF_SY'), '长度', '二千');
setCell('数据项', item('CF_JDRQ'), '必填', '视情况');
setCell('数据项', item('CF_XDR_SFZ'), '公开属性', '不公开');
setCell('数据主题', (row) => row[0] === 'XZCF', '报送时限', '7个工作日');

writeFileSync('fixtures/catalog/v1-hand-edited-bad-cells.xlsx', XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer);
console.log('wrote fixtures/catalog/v1-hand-edited-bad-cells.xlsx');
