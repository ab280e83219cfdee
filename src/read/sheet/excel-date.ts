// Excel stores a date as a serial day count whose meaning depends on the workbook: the 1900
// system (serial 1 = 1900-01-01, with Lotus 1-2-3's fictitious 1900-02-29 at serial 60, kept by
// OOXML) or the 1904 system of old Mac workbooks (serial 0 = 1904-01-01). SheetJS's SSF already
// implements both, and it is what renders the cell's displayed text, so the ISO value comes from
// the same arithmetic as the text beside it.
import * as XLSX from 'xlsx';
import { excelSerialParts, formatDate, formatDateTime } from '../../cleanse/index.js';

// SheetJS types SSF as `any`; this is the call used, as SSF documents it.
const SSF = XLSX.SSF as { is_date(format: string): boolean };

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

/**
 * The ISO date (`2019-09-30`) or date-time (`2019-09-30T14:05:00`) a serial encodes; undefined
 * when the serial names no real calendar day (negative, past 9999-12-31, the 1900 system's day 0
 * "1900-01-00" or its phantom 1900-02-29).
 */
export function excelDateIso(serial: number, date1904: boolean): string | undefined {
  if (!Number.isFinite(serial)) return undefined;
  const parts = excelSerialParts(serial, date1904);
  if (typeof parts === 'string') return undefined;
  return parts.hour === 0 && parts.minute === 0 && parts.second === 0 ? formatDate(parts) : formatDateTime(parts);
}
