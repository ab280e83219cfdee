// Excel stores a date as a serial day count, its time as the fraction. In the 1900 system serial
// 1 is 1900-01-01 and serial 60 is 1900-02-29 — Lotus 1-2-3's leap-year bug, kept by OOXML — a day
// that never existed; old Mac workbooks use the 1904 system (serial 0 = 1904-01-01). SheetJS's
// SSF implements both and renders the cell's displayed text, so the date comes from the same
// arithmetic as the text beside it.
import * as XLSX from 'xlsx';
import type { DateTimeParts } from './calendar.js';

interface DateCode { y: number; m: number; d: number }
// SheetJS types SSF as `any`; this is the one call used, as SSF documents it.
const SSF = XLSX.SSF as { parse_date_code(serial: number, options: { date1904: boolean }): DateCode | null };

const DAY_SECONDS = 86_400;
const PHANTOM_LEAP_DAY = 60;
/** 9999-12-31, the last day Excel shows, in the 1900 system (1,462 fewer in the 1904 system). */
const LAST_SERIAL = 2_958_465;
const SYSTEM_OFFSET = 1_462;

/** The date and time a serial stands for, to the nearest second (as Excel displays it); or why it stands for none. */
export function excelSerialParts(serial: number, date1904 = false): DateTimeParts | string {
  const seconds = Math.round(serial * DAY_SECONDS);
  const day = Math.floor(seconds / DAY_SECONDS);
  const first = date1904 ? 0 : 1;
  const last = date1904 ? LAST_SERIAL - SYSTEM_OFFSET : LAST_SERIAL;
  if (!(day >= first && day <= last)) {
    return `serial ${serial} is outside Excel's calendar (${first} = ${date1904 ? '1904' : '1900'}-01-01 to ${last} = 9999-12-31)`;
  }
  if (!date1904 && day === PHANTOM_LEAP_DAY) return `serial ${serial} is 1900-02-29, a day that never existed (Excel's 1900 leap-year bug)`;
  const code = SSF.parse_date_code(day, { date1904 });
  if (!code) return `serial ${serial} is no date`;
  const time = seconds - day * DAY_SECONDS;
  return { year: code.y, month: code.m, day: code.d, hour: Math.floor(time / 3600), minute: Math.floor(time / 60) % 60, second: time % 60 };
}
