// Writes fixtures/cleanse/*: cells as units' spreadsheets hold them, made by the xlsx library.
// Run: npx tsx scripts/make-cleanse-fixtures.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import * as XLSX from 'xlsx';

mkdirSync('fixtures/cleanse', { recursive: true });

// Date cells as Excel stores them: a 1900-system serial with a date number format. Column C is
// the date a person reads in Excel, typed here by hand — including the day that never was.
const dateRows: [string, number, string, string][] = [
  ['first day of the 1900 system', 1, 'yyyy-mm-dd', '1900-01-01'],
  ['last real day before the phantom leap day', 59, 'yyyy-mm-dd', '1900-02-28'],
  ['phantom 1900-02-29 (Lotus leap-year bug)', 60, 'yyyy-mm-dd', '1900-02-29'],
  ['first day counted from 1899-12-30', 61, 'yyyy-mm-dd', '1900-03-01'],
  ['first plausible day', 18264, 'yyyy-mm-dd', '1950-01-01'],
  ['Unix epoch', 25569, 'yyyy-mm-dd', '1970-01-01'],
  ['a decision date', 43529, 'yyyy-mm-dd', '2019-03-05'],
  ['the day after', 43530, 'yyyy-mm-dd', '2019-03-06'],
  ['a real leap day', 43890, 'yyyy-mm-dd', '2020-02-29'],
  ['a timestamp at 14:30', 43529 + 14.5 / 24, 'yyyy-mm-dd hh:mm:ss', '2019-03-05 14:30:00'],
  ['one second before midnight', 43529 + 86399 / 86400, 'yyyy-mm-dd hh:mm:ss', '2019-03-05 23:59:59'],
  ['last plausible day', 73050, 'yyyy-mm-dd', '2099-12-31'],
];
const ws = XLSX.utils.aoa_to_sheet([['case', 'cell', 'Excel shows']]);
dateRows.forEach(([label, serial, format, shown], i) => {
  const r = i + 1;
  ws[XLSX.utils.encode_cell({ r, c: 0 })] = { t: 's', v: label };
  ws[XLSX.utils.encode_cell({ r, c: 1 })] = { t: 'n', v: serial, z: format };
  ws[XLSX.utils.encode_cell({ r, c: 2 })] = { t: 's', v: shown };
});
ws['!ref'] = XLSX.utils.encode_range({ s: { r: 0, c: 0 }, e: { r: dateRows.length, c: 2 } });
const wb = XLSX.utils.book_new();
XLSX.utils.book_append_sheet(wb, ws, '日期');
writeFileSync('fixtures/cleanse/excel-1900-date-serials.xlsx', XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer);
console.log('wrote fixtures/cleanse/excel-1900-date-serials.xlsx');
