import { describe, expect, it } from 'vitest';
import { excelDateIso, isDateFormat } from '../../../src/read/sheet/excel-date.js';

describe('isDateFormat', () => {
  it('accepts formats that show a calendar day', () => {
    for (const format of ['yyyy-mm-dd', 'm/d/yy', 'yyyy"年"m"月"d"日"', 'yyyy-mm-dd hh:mm:ss', '[$-F800]dddd, mmmm dd, yyyy', 'mmm-yy', 'mmmm']) {
      expect(isDateFormat(format), format).toBe(true);
    }
  });

  it('rejects numbers, text, and formats showing only a time of day or a duration', () => {
    for (const format of ['General', '0', '0.00', '#,##0.00', '@', 'h:mm', 'h:mm:ss AM/PM', '[h]:mm:ss', 'mm:ss', '0.00E+00']) {
      expect(isDateFormat(format), format).toBe(false);
    }
  });
});

describe('excelDateIso in the 1900 date system', () => {
  it('maps serials to the dates Excel shows', () => {
    expect(excelDateIso(1, false)).toBe('1900-01-01');
    expect(excelDateIso(25569, false)).toBe('1970-01-01');
    expect(excelDateIso(43738, false)).toBe('2019-09-30');
    expect(excelDateIso(2958465, false)).toBe('9999-12-31');
  });

  it('steps over the phantom 1900-02-29 (serial 60), which names no real day', () => {
    expect(excelDateIso(59, false)).toBe('1900-02-28');
    expect(excelDateIso(60, false)).toBeUndefined();
    expect(excelDateIso(61, false)).toBe('1900-03-01');
  });

  it('gives no date for day 0 ("1900-01-00"), negatives, and serials past 9999-12-31', () => {
    expect(excelDateIso(0, false)).toBeUndefined();
    expect(excelDateIso(0.5, false)).toBeUndefined();
    expect(excelDateIso(-1, false)).toBeUndefined();
    expect(excelDateIso(2958466, false)).toBeUndefined();
    expect(excelDateIso(Number.NaN, false)).toBeUndefined();
  });

  it('adds the time of day, rounded to the second as Excel displays it', () => {
    expect(excelDateIso(43738.5, false)).toBe('2019-09-30T12:00:00');
    expect(excelDateIso(43738 + (14 * 3600 + 5 * 60) / 86400, false)).toBe('2019-09-30T14:05:00');
    expect(excelDateIso(43738 + 86399.6 / 86400, false)).toBe('2019-10-01');
  });
});

describe('excelDateIso in the 1904 date system', () => {
  it('counts from 1904-01-01, 1,462 days after the 1900 system', () => {
    expect(excelDateIso(0, true)).toBe('1904-01-01');
    expect(excelDateIso(60, true)).toBe('1904-03-01');
    expect(excelDateIso(43738 - 1462, true)).toBe('2019-09-30');
    expect(excelDateIso(2958465 - 1462, true)).toBe('9999-12-31');
    expect(excelDateIso(2958465, true)).toBeUndefined();
  });
});
