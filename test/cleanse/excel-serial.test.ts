import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { cleanDate, cleanDateTime, excelSerialParts } from '../../src/cleanse/index.js';

const iso = (serial: number): string => {
  const p = excelSerialParts(serial);
  if (typeof p === 'string') return p;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
};

describe('excelSerialParts: the 1900 date system', () => {
  it.each([
    [1, '1900-01-01 00:00:00'],
    [59, '1900-02-28 00:00:00'],
    [61, '1900-03-01 00:00:00'],
    [25569, '1970-01-01 00:00:00'],
    [43529, '2019-03-05 00:00:00'],
    [43530, '2019-03-06 00:00:00'],
    [43529.5, '2019-03-05 12:00:00'],
    [43529.604166666664, '2019-03-05 14:30:00'],
    [2958465, '9999-12-31 00:00:00'],
  ])('serial %d is %s', (serial, expected) => {
    expect(iso(serial)).toBe(expected);
  });

  it('rejects serial 60, the 1900-02-29 that Lotus 1-2-3 invented and Excel kept', () => {
    expect(excelSerialParts(60)).toBe('serial 60 is 1900-02-29, a day that never existed (Excel\'s 1900 leap-year bug)');
  });

  it.each([0, -1, 0.4, 2958466])('rejects serial %d outside the calendar', (serial) => {
    expect(excelSerialParts(serial)).toMatch(/outside Excel's calendar/);
  });

  it('agrees with SheetJS on every day from 1900-01-01 to 2099-12-31 except the phantom one', () => {
    const disagreements: number[] = [];
    for (let serial = 1; serial <= 73050; serial++) {
      if (serial === 60) continue;
      const theirs = XLSX.SSF.parse_date_code(serial);
      const ours = excelSerialParts(serial);
      if (typeof ours === 'string' || ours.year !== theirs.y || ours.month !== theirs.m || ours.day !== theirs.d) disagreements.push(serial);
    }
    expect(disagreements).toEqual([]);
    expect(XLSX.SSF.parse_date_code(60)).toMatchObject({ y: 1900, m: 2, d: 29 });
  });
});

describe('date cells of a real workbook (fixtures/cleanse/excel-1900-date-serials.xlsx)', () => {
  const wb = XLSX.read(readFileSync('fixtures/cleanse/excel-1900-date-serials.xlsx'));
  const rows = XLSX.utils.sheet_to_json<[string, number, string]>(wb.Sheets['日期']!, { header: 1, raw: true }).slice(1);
  const shown = XLSX.utils.sheet_to_json<string[]>(wb.Sheets['日期']!, { header: 1, raw: false }).slice(1);

  it('holds the serials Excel stores, shown as the dates a person reads', () => {
    expect(rows).toHaveLength(12);
    rows.forEach(([, serial, expected], i) => {
      expect(typeof serial).toBe('number');
      expect(shown[i]![1]).toBe(expected);
    });
  });

  it('converts every stored serial to the date Excel shows, except the phantom 1900-02-29', () => {
    for (const [label, serial, expected] of rows) {
      if (serial === 60) {
        expect(excelSerialParts(serial), label).toMatch(/never existed/);
        continue;
      }
      expect(iso(serial), label).toBe(expected.length === 10 ? `${expected} 00:00:00` : expected);
    }
  });

  it('cleans the serial text of plausible cells as a date and as a date-time', () => {
    const cell = (label: string) => String(rows.find(([l]) => l === label)![1]);
    expect(cleanDate(cell('a decision date'))).toEqual({ ok: true, value: '2019-03-05', repaired: true });
    expect(cleanDate(cell('a timestamp at 14:30'))).toEqual({ ok: true, value: '2019-03-05', repaired: true });
    expect(cleanDateTime(cell('a timestamp at 14:30'))).toEqual({ ok: true, value: '2019-03-05T14:30:00', repaired: true });
    expect(cleanDateTime(cell('one second before midnight'))).toEqual({ ok: true, value: '2019-03-05T23:59:59', repaired: true });
    expect(cleanDate(cell('first plausible day'))).toEqual({ ok: true, value: '1950-01-01', repaired: true });
    expect(cleanDate(cell('last plausible day'))).toEqual({ ok: true, value: '2099-12-31', repaired: true });
    expect(cleanDate(cell('last real day before the phantom leap day')).ok).toBe(false);
    expect(cleanDate(cell('first day counted from 1899-12-30')).ok).toBe(false);
  });
});
