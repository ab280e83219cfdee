// Writes fixtures/delivery/*: whole deliveries as units send them — every column of their data
// subject, title rows, and the dirt of real exports — for the read → validate tests.
// Run: npx tsx scripts/make-delivery-fixtures.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import * as XLSX from 'xlsx';
import { LICENSING_HEADER, PENALTY_AUTHORITY, PENALTY_HEADER, licensingRow, penaltyRow, uscc } from './penalty-rows.js';

const DIR = 'fixtures/delivery';
mkdirSync(DIR, { recursive: true });
const col = (name: string) => PENALTY_HEADER.indexOf(name);
const TITLE = `${PENALTY_AUTHORITY}行政处罚信息（2019年第3季度）`;
const FULL_WIDTH = (s: string) => s.replace(/[0-9A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** Row n with some cells replaced by name. */
function penalty(n: number, changes: Record<string, string> = {}): string[] {
  const r = penaltyRow(n);
  for (const [name, value] of Object.entries(changes)) r[col(name)] = value;
  return r;
}

// The dirty quarter of a market-regulation bureau: what the validate stage must repair or reject.
// Sheet rows: 1 title, 2 header, 3… data (row n of the sheet is data row n - 2).
const dirty: (string | number)[][] = [
  [TITLE],
  PENALTY_HEADER,
  penalty(1), // row 3: clean
  penalty(2, { 统一社会信用代码: ` ${FULL_WIDTH(penaltyRow(2)[col('统一社会信用代码')]!)} `, 处罚决定日期: '2019年3月5日', '罚款金额（万元）': '罚款2000元', 备注: '无' }), // row 4: repaired
  penalty(3, { 统一社会信用代码: uscc('91441302MA5000031').replace(/.$/, (c) => (c === '0' ? '1' : '0')) }), // row 5: bad check character
  penalty(4, { 处罚决定日期: '2019-02-30' }), // row 6: impossible date
  penalty(1), // row 7: same business key as row 3
  penalty(5, { 法定代表人: '' }), // row 8: 法定代表人 required for organisations
  penalty(19), // row 9: a 自然人 row, clean
  penalty(29, { 处罚类别: '警告、罚款', '罚款金额（万元）': '0.5' }), // row 10: list of categories
  penalty(39), // row 11: a person's ID typed into a General cell (made numeric below)
  [],
  ['填报人：陈伟', '', '', '审核人：李海燕'], // rows 12–13: set aside
];
{
  const wb = XLSX.utils.book_new();
  const ws = XLSX.utils.aoa_to_sheet(dirty);
  // Excel stored the ID as a number and kept 15 significant digits.
  const id = penaltyRow(39)[col('证件号码')]!;
  ws[XLSX.utils.encode_cell({ r: 10, c: col('证件号码') })] = { t: 'n', v: Number(id.slice(0, 15) + '000') };
  ws['!merges'] = [{ s: { r: 0, c: 0 }, e: { r: 0, c: 8 } }];
  XLSX.utils.book_append_sheet(wb, ws, '行政处罚');
  writeFileSync(`${DIR}/xls-biff8-penalty-dirty-quarter.xls`, XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer);
}

// A '.xls' that is an HTML table in GBK, as many government systems export.
{
  const cell = (v: string) => `<td>${v.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</td>`;
  const rows = [PENALTY_HEADER, ...[11, 12, 13, 14].map((n) => penaltyRow(n))];
  const html = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>
<table border="1"><tr><td colspan="${PENALTY_HEADER.length}">${TITLE}</td></tr>
${rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('\n')}
</table></body></html>`;
  writeFileSync(`${DIR}/xls-really-html-penalty-gbk.xls`, iconv.encode(html, 'gbk'));
}

// One workbook, two data subjects: a licensing sheet and a penalty sheet.
{
  const wb = XLSX.utils.book_new();
  // The generator leaves the legal representative's certificate empty; v2 requires it for organisations.
  const idAt = LICENSING_HEADER.indexOf('法定代表人证件号码');
  const typeAt = LICENSING_HEADER.indexOf('法定代表人证件类型');
  const licences = [1, 2, 3].map((n) => {
    const r = licensingRow(n, `惠州市粤惠食品贸易有限公司第${n}分公司`);
    r[typeAt] = '身份证';
    r[idAt] = penaltyRow(n)[col('法定代表人证件号码')]!;
    return r;
  });
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([LICENSING_HEADER, ...licences]), '许可');
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([PENALTY_HEADER, penaltyRow(21), penaltyRow(22)]), '处罚');
  writeFileSync(`${DIR}/xlsx-licensing-and-penalty-sheets.xlsx`, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer);
}
console.log(`wrote ${DIR}`);
