// Calendar arithmetic shared by the date parsers: proleptic Gregorian, as ISO 8601 and SQL use.

export interface DateTimeParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return MONTH_DAYS[month - 1] ?? 0;
}

/** Why year-month-day is not a real calendar date, or undefined when it is. */
export function dateProblem(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12) return `no month ${month}`;
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) return `${MONTH_NAMES[month - 1]} ${year} has ${days} days`;
  return undefined;
}

/** Why hour:minute:second is not a time of day, or undefined when it is. */
export function timeProblem(hour: number, minute: number, second: number): string | undefined {
  if (hour > 23) return `no hour ${hour}`;
  if (minute > 59) return `no minute ${minute}`;
  if (second > 59) return `no second ${second}`;
  return undefined;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const pad4 = (n: number): string => `${n}`.padStart(4, '0');

export function formatDate(p: DateTimeParts): string {
  return `${pad4(p.year)}-${pad2(p.month)}-${pad2(p.day)}`;
}

export function formatDateTime(p: DateTimeParts): string {
  return `${formatDate(p)}T${pad2(p.hour)}:${pad2(p.minute)}:${pad2(p.second)}`;
}

/** The wall-clock parts of a UTC instant (ms since 1970) — Date's UTC getters, no local zone involved. */
export function partsOfUtc(ms: number): DateTimeParts {
  const t = new Date(ms);
  return {
    year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate(),
    hour: t.getUTCHours(), minute: t.getUTCMinutes(), second: t.getUTCSeconds(),
  };
}

/** Wall-clock parts read as UTC, in ms since 1970; setUTCFullYear keeps years below 100 literal. */
export function utcOfParts(p: DateTimeParts): number {
  const t = new Date(0);
  t.setUTCFullYear(p.year, p.month - 1, p.day);
  t.setUTCHours(p.hour, p.minute, p.second, 0);
  return t.getTime();
}
