// Writes fixtures/identifiers/: identifier columns as Excel leaves them when codes are typed into
// General cells. Excel keeps 15 significant digits (Microsoft KB 269370), so an 18-digit code is
// stored as a rounded number; "Save as CSV" then writes the General display, 4.40524E+17.
// The codes are public conformance vectors (fixtures/conformance), not anyone's real data.
// Run: npx tsx scripts/make-identifier-fixtures.ts
import { writeFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import * as XLSX from 'xlsx';

// [entity name, USCC, legal representative's resident ID]. The third ID rounds to
// 110102199101010000, which by chance still passes MOD 11-2 (one in 11 do): its text cannot show
// the damage, only the numeric cell type and the E+17 display can.
const rows: [string, string, string][] = [
  ['惠州市某某贸易有限公司', '913101203509708598', '440524188001010014'],
  ['惠州市某某建材商行', '92340603MA2PBMD304', '11010519491231002X'],
  ['惠州市某某物流有限公司', '914112810713741814', '110102199101010078'],
];

// What Excel does to a cell typed as digits only: a number, rounded to 15 significant digits.
// Anything with a letter (X, MA…) stays text.
const asExcelCell = (code: string): string | number => (/^\d+$/.test(code) ? Number(Number(code).toPrecision(15)) : code);

const sheet = XLSX.utils.aoa_to_sheet([
  ['行政相对人名称', '统一社会信用代码', '法定代表人身份证号'],
  ...rows.map(([name, uscc, id]) => [name, asExcelCell(uscc), asExcelCell(id)]),
]);
const book = XLSX.utils.book_new();
XLSX.utils.book_append_sheet(book, sheet, '行政处罚');
writeFileSync('fixtures/identifiers/ids-typed-as-numbers.xlsx', XLSX.write(book, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer);
console.log('wrote fixtures/identifiers/ids-typed-as-numbers.xlsx');

// Excel on Chinese Windows saves CSV in code page 936 (GBK), CRLF line ends.
const csv = XLSX.utils.sheet_to_csv(sheet, { RS: '\r\n' }) + '\r\n';
writeFileSync('fixtures/identifiers/ids-typed-as-numbers-saved-as.csv', iconv.encode(csv, 'gbk'));
console.log('wrote fixtures/identifiers/ids-typed-as-numbers-saved-as.csv');
