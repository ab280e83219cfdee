// Excel's 1900 date system: a date is a day count, the time its fraction. Lotus 1-2-3 treated 1900
// as a leap year and Excel (and OOXML) kept the bug, so serial 60 is 1900-02-29, a day that never
// existed, and every serial from 61 on is one more than the real day count from 1899-12-31.
import { type DateTimeParts, partsOfUtc } from './calendar.js';

const DAY_SECONDS = 86_400;
/** Serials 1–59 count from 1899-12-31 (serial 1 = 1900-01-01). */
const EPOCH_BEFORE_BUG = Date.UTC(1899, 11, 31);
/** From 61 on the phantom day shifts the count: serial 61 = 1900-03-01 counts from 1899-12-30. */
const EPOCH_AFTER_BUG = Date.UTC(1899, 11, 30);
const PHANTOM_LEAP_DAY = 60;
/** 9999-12-31, the last day Excel shows. */
const LAST_SERIAL = 2_958_465;

/** The date and time a 1900-system serial stands for, to the nearest second; or why it stands for none. */
export function excelSerialParts(serial: number): DateTimeParts | string {
  // Rounding to whole seconds absorbs the binary fraction (14:30 is 0.6041666…), as Excel displays it.
  const seconds = Math.round(serial * DAY_SECONDS);
  const day = Math.floor(seconds / DAY_SECONDS);
  if (!(day >= 1 && day <= LAST_SERIAL)) return `serial ${serial} is outside Excel's calendar (1 = 1900-01-01 to ${LAST_SERIAL} = 9999-12-31)`;
  if (day === PHANTOM_LEAP_DAY) return `serial ${serial} is 1900-02-29, a day that never existed (Excel's 1900 leap-year bug)`;
  return partsOfUtc((day < PHANTOM_LEAP_DAY ? EPOCH_BEFORE_BUG : EPOCH_AFTER_BUG) + seconds * 1000);
}
