// Dates in every form units deliver (FACTS §7): ISO, 2019/3/5, 2019.3.5, 2019年3月5日, 20190305,
// full-width digits, Excel serials, date-times with or without a zone. Strict everywhere else:
// the calendar date must exist and a 2-digit year is refused, since 19 may be 1919 or 2019.
import {
  type DateTimeParts, dateProblem, formatDate, formatDateTime, partsOfUtc, timeProblem, utcOfParts,
} from './calendar.js';
import { narrow } from './chars.js';
import { type Cleaned, fail, ok, quote } from './cleaned.js';
import { excelSerialParts } from './excel-serial.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

// One separator used twice (2019-3-5, 2019/3/5, 2019.3.5), or 年月日/号, or 8 digits; then an
// optional time after T, blanks, or directly after 日; seconds' fraction dropped; optional zone.
const FORM = new RegExp(
  '^(\\d{4})(?:([-/.])(\\d{1,2})\\2(\\d{1,2})|\\s*年\\s*(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*[日号]?|(\\d{2})(\\d{2}))'
  + '(?:(?:T|\\s+|(?<=[日号]))(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:[.,]\\d+)?)?\\s*(Z|[+-]\\d{2}(?::?\\d{2})?)?)?$',
  'i',
);
/** YYYYMMDDHHMMSS, the compact timestamp database exports use (数据更新时间戳). */
const COMPACT_DATE_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;
const SERIAL = /^\d{1,5}(?:\.\d+)?$/;
const YEAR_ONLY = /^\d{4}$/;
const TWO_DIGIT_YEAR = /^\d{2}(?:([-/.])\d{1,2}\1\d{1,2}|\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]?|\d{4})(?:[T\s].*)?$/i;
const YEAR_LAST = /^\d{1,2}[-/.]\d{1,2}[-/.]\d{4}(?:[T\s].*)?$/i;

/** Serials of 1950-01-01 and 2099-12-31: a number outside is a count or an amount, not a date. */
const FIRST_PLAUSIBLE_SERIAL = 18_264;
const LAST_PLAUSIBLE_SERIAL = 73_050;

/** China Standard Time (UTC+8, no daylight saving since 1991): the zone every unit's dates are in. */
const LOCAL_OFFSET_MINUTES = 8 * 60;

const digits = (s: string, from: number, count: number): number => {
  let n = 0;
  for (let i = from; i < from + count; i++) n = n * 10 + s.charCodeAt(i) - 48;
  return n;
};

// The common case, text already in ISO form, is checked by char codes: no capture, no copy.
const isRealIsoDate = (s: string): boolean => dateProblem(digits(s, 0, 4), digits(s, 5, 2), digits(s, 8, 2)) === undefined;
const isRealIsoTime = (s: string): boolean => timeProblem(digits(s, 11, 2), digits(s, 14, 2), digits(s, 17, 2)) === undefined;

function offsetMinutes(zone: string): number {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const body = zone.slice(1).replace(':', '');
  return sign * (Number(body.slice(0, 2)) * 60 + Number(body.slice(2) || 0));
}

function checked(text: string, p: DateTimeParts, zone: string | undefined): DateTimeParts | string {
  const bad = dateProblem(p.year, p.month, p.day);
  if (bad) return `${text} is not a real date (${bad})`;
  const badTime = timeProblem(p.hour, p.minute, p.second);
  if (badTime) return `${text} is not a real time (${badTime})`;
  if (zone === undefined) return p;
  const shift = LOCAL_OFFSET_MINUTES - offsetMinutes(zone);
  return shift === 0 ? p : partsOfUtc(utcOfParts(p) + shift * 60_000);
}

function fromSerial(text: string): DateTimeParts | string {
  if (YEAR_ONLY.test(text)) return `${text} is a year, not a date`;
  const serial = Number(text);
  const parts = excelSerialParts(serial);
  if (typeof parts === 'string') return parts;
  if (serial < FIRST_PLAUSIBLE_SERIAL || serial >= LAST_PLAUSIBLE_SERIAL + 1) {
    return `${text} read as an Excel serial is ${formatDate(parts)}, outside the plausible 1950-01-01 to 2099-12-31`;
  }
  return parts;
}

/** The date (and time, midnight when none is given) the text names, in local time; or why it names none. */
export function parseDateTime(raw: string): DateTimeParts | string {
  const text = narrow(raw);
  if (text === '') return 'an empty cell is not a date';
  if (SERIAL.test(text)) return fromSerial(text);
  const m = FORM.exec(text);
  if (m) {
    const p: DateTimeParts = {
      year: Number(m[1]), month: Number(m[3] ?? m[5] ?? m[7]), day: Number(m[4] ?? m[6] ?? m[8]),
      hour: Number(m[9] ?? 0), minute: Number(m[10] ?? 0), second: Number(m[11] ?? 0),
    };
    return checked(text, p, m[12]);
  }
  const c = COMPACT_DATE_TIME.exec(text);
  if (c) {
    const n = (i: number): number => Number(c[i]);
    return checked(text, { year: n(1), month: n(2), day: n(3), hour: n(4), minute: n(5), second: n(6) }, undefined);
  }
  if (TWO_DIGIT_YEAR.test(text)) return `${quote(text)} has a 2-digit year, which is ambiguous`;
  if (YEAR_LAST.test(text)) return `${quote(text)} puts the year last, so day and month order is ambiguous`;
  return `${quote(text)} is not a date in any form units use`;
}

/** Any accepted date form → 'YYYY-MM-DD'. A date-time keeps its date part (a repair). */
export function cleanDate(raw: string): Cleaned<string> {
  if (ISO_DATE.test(raw) && isRealIsoDate(raw)) return ok(raw, false);
  const text = narrow(raw);
  if (ISO_DATE.test(text) && isRealIsoDate(text)) return ok(text, true);
  const p = parseDateTime(text);
  if (typeof p === 'string') return fail(p);
  const value = formatDate(p);
  return ok(value, value !== raw);
}

/** Any accepted date or date-time form → 'YYYY-MM-DDTHH:MM:SS' in local time; a bare date is midnight. */
export function cleanDateTime(raw: string): Cleaned<string> {
  if (ISO_DATE_TIME.test(raw) && isRealIsoDate(raw) && isRealIsoTime(raw)) return ok(raw, false);
  const p = parseDateTime(raw);
  if (typeof p === 'string') return fail(p);
  const value = formatDateTime(p);
  return ok(value, value !== raw);
}
