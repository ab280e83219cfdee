// Excel stores a date as a serial day count whose meaning depends on the workbook: the 1900
// system (serial 1 = 1900-01-01, with Lotus 1-2-3's fictitious 1900-02-29 at serial 60, kept by
// OOXML) or the 1904 system of old Mac workbooks (serial 0 = 1904-01-01). SheetJS's SSF already
// implements both, and it is what renders the cell's displayed text, so the ISO value comes from
// the same arithmetic as the text beside it.
import * as XLSX from 'xlsx';

interface DateCode { y: number; m: number; d: number }

// SheetJS types SSF as `any`; these are the two calls used, as SSF documents them.
const SSF = XLSX.SSF as {
  is_date(format: string): boolean;
  parse_date_code(serial: number, options: { date1904: boolean }): DateCode | null;
};

const SECONDS_PER_DAY = 86_400;

// A workbook uses a handful of formats over many cells.
const dateFormats = new Map<string, boolean>();

/** True when a number format shows a calendar date (not only a time of day or a duration). */
export function isDateFormat(format: string): boolean {
  let known = dateFormats.get(format);
  if (known === undefined) dateFormats.set(format, (known = showsCalendarDay(format)));
  return known;
}

function showsCalendarDay(format: string): boolean {
  if (!SSF.is_date(format)) return false;
  // Quoted literals ("年"), bracketed locale/colour codes and escaped characters are not tokens.
  const tokens = format.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '').toLowerCase();
  if (/[ydeb]/.test(tokens)) return true;
  // `m` is a month unless it sits among hours or seconds (h:mm, mm:ss).
  return tokens.includes('m') && !/[hs]/.test(tokens);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * The ISO date (`2019-09-30`) or date-time (`2019-09-30T14:05:00`) a serial encodes, rounded to
 * the second as Excel displays it; undefined when the serial names no real calendar day (negative,
 * past 9999-12-31, the 1900 system's day 0 "1900-01-00" or its phantom 1900-02-29).
 */
export function excelDateIso(serial: number, date1904: boolean): string | undefined {
  if (!Number.isFinite(serial)) return undefined;
  const seconds = Math.round(serial * SECONDS_PER_DAY);
  const day = Math.floor(seconds / SECONDS_PER_DAY);
  const code = SSF.parse_date_code(day, { date1904 });
  if (!code || !isCalendarDay(code)) return undefined;
  const date = `${pad(code.y, 4)}-${pad(code.m)}-${pad(code.d)}`;
  const time = seconds - day * SECONDS_PER_DAY;
  if (time === 0) return date;
  return `${date}T${pad(Math.floor(time / 3600))}:${pad(Math.floor(time / 60) % 60)}:${pad(time % 60)}`;
}

// Excel's calendar ends at 9999-12-31; SSF would carry a large 1904-system serial past it.
function isCalendarDay({ y, m, d }: DateCode): boolean {
  if (y > 9999) return false;
  const probe = new Date(Date.UTC(y, m - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
}
