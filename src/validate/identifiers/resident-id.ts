// Citizen ID number, GB 11643-1999: 6-digit address code, 8-digit birth date, 3-digit sequence and
// a MOD 11-2 check character; and its 15-digit first-generation form (YYMMDD, no check digit),
// which is upgraded to 18 digits so one person has one identifier.
import { residentIdCheckChar } from './checksums.js';
import { isMainlandProvince, twoDigits } from './division.js';
import { excelCorruption } from './excel-corruption.js';
import { canonicalIdentifier, checkDetail, NO_WARNINGS, digitsOnly, isDigit, rejected, shapeFailure, type IdentifierVerdict } from './verdict.js';

const NAME = 'a resident ID';

/**
 * `resident`: a mainland household registration (and 71 Taiwan, 91 abroad, as peers accept);
 * `residence-permit`: Hong Kong, Macau and Taiwan residents' permits (810000/820000/830000);
 * `foreigner-permanent`: the foreigner permanent-residence card, 9 + the issuing province.
 */
export type ResidentIdKind = 'resident' | 'residence-permit' | 'foreigner-permanent';

export interface ResidentIdVerdict extends IdentifierVerdict {
  kind?: ResidentIdKind;
  /** ISO 8601, e.g. 1949-12-31. */
  birthDate?: string;
  /** The 15-digit first-generation number `value` was upgraded from. */
  upgradedFrom15?: string;
}

// Nobody alive when the first IDs were issued (1984) was born before 1850; 1850–1899 is possible
// (the standard's own example is 1880) but rare enough to ask someone to look.
const EARLIEST_YEAR = 1850;
const WARN_BEFORE_YEAR = 1900;

const MONTH_DAYS = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// X (the check value 10) only ever stands last, and a 15-digit number has no check character.
const allowedAt = (code: number, index: number, length: number): boolean => isDigit(code) || (code === 0x58 && index === length - 1 && length !== 15);

function kindOf(value: string): ResidentIdKind | undefined {
  const p = twoDigits(value);
  if (p >= 81 && p <= 83) return 'residence-permit';
  // The 2023 card puts the issuing province in characters 2–3, so 911–915 are such cards too.
  if (p >= 90 && isMainlandProvince(value, 1)) return 'foreigner-permanent';
  return isMainlandProvince(value) || p === 71 || p === 91 ? 'resident' : undefined;
}

// Birth dates are Chinese calendar days: "today" is today in UTC+8, recomputed once a day.
const CHINA_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;
let today = 0;
let todayEndsAt = 0;
function chinaToday(): number {
  const now = Date.now();
  if (now >= todayEndsAt) {
    const china = new Date(now + CHINA_OFFSET_MS);
    today = china.getUTCFullYear() * 10000 + (china.getUTCMonth() + 1) * 100 + china.getUTCDate();
    todayEndsAt = now - ((now + CHINA_OFFSET_MS) % DAY_MS) + DAY_MS;
  }
  return today;
}

/** Why this is no birth date, or undefined when it is one. */
function birthDateProblem(year: number, month: number, day: number): string | undefined {
  // The message never names the date: it would give back what the mask hides.
  if (month < 1 || month > 12) return 'its birth date is not a real calendar date (no such month)';
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day < 1 || day > (month === 2 && !leap ? 28 : MONTH_DAYS[month]!)) return 'its birth date is not a real calendar date (no such day in that month)';
  if (year < EARLIEST_YEAR) return `its birth year is before ${EARLIEST_YEAR}`;
  // `today` only moves forward: a date not after the one last computed needs no clock.
  const date = year * 10000 + month * 100 + day;
  if (date > today && date > chinaToday()) return 'its birth date lies in the future';
  return undefined;
}

const noProvince = (value: string): string => `its address code starts with ${value.slice(0, 2)}, which is no province`;

function valid(value: string, kind: ResidentIdKind, upgradedFrom15?: string): ResidentIdVerdict {
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  const warnings = twoDigits(value, 6) * 100 + twoDigits(value, 8) < WARN_BEFORE_YEAR
    ? ['its birth date is before 1900: check it (a first-generation number of such a person would have been upgraded into the 1900s)']
    : NO_WARNINGS;
  return upgradedFrom15 === undefined
    ? { valid: true, value, kind, birthDate, warnings }
    : { valid: true, value, kind, birthDate, upgradedFrom15, warnings };
}

/** 15 → 18 digits as every issuing office did it: "19" before YYMMDD, then the MOD 11-2 check. */
export function upgradeResidentId15(id15: string): string {
  const value = canonicalIdentifier(id15);
  if (value.length !== 15 || !digitsOnly(value)) throw new RangeError('a first-generation resident ID has 15 digits');
  const body = `${value.slice(0, 6)}19${value.slice(6)}`;
  return body + residentIdCheckChar(body)!;
}

export function checkResidentId(input: string): ResidentIdVerdict {
  const value = canonicalIdentifier(input);
  if (value.length === 18) {
    if (!digitsOnly(value, 0, 17) || !allowedAt(value.charCodeAt(17), 17, 18)) return shapeFailure(value, allowedAt, NAME, '18 (15 before 1999)');
    // The birth date and the province are checked before the check character: they say what is
    // wrong in terms a person can look up, where the check character only says that something is.
    const problem = birthDateProblem(twoDigits(value, 6) * 100 + twoDigits(value, 8), twoDigits(value, 10), twoDigits(value, 12));
    if (problem !== undefined) return rejected(value, 'date', problem);
    const kind = kindOf(value);
    if (kind === undefined) return rejected(value, 'province', noProvince(value));
    const expected = residentIdCheckChar(value)!;
    if (value[17] !== expected) {
      const excel = excelCorruption(input);
      return excel ? rejected(value, 'corrupted-by-excel', excel) : rejected(value, 'checksum', checkDetail(expected), expected);
    }
    return valid(value, kind);
  }
  if (value.length === 15 && digitsOnly(value)) {
    const problem = birthDateProblem(1900 + twoDigits(value, 6), twoDigits(value, 8), twoDigits(value, 10));
    if (problem !== undefined) return rejected(value, 'date', problem);
    // Permits and the foreigner card came after the 18-digit form: a 15-digit number is a resident's.
    if (kindOf(value) !== 'resident') return rejected(value, 'province', noProvince(value));
    return valid(upgradeResidentId15(value), 'resident', value);
  }
  const excel = excelCorruption(input);
  return excel ? rejected(value, 'corrupted-by-excel', excel) : shapeFailure(value, allowedAt, NAME, '18 (15 before 1999)');
}
