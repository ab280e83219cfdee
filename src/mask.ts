// Personal data never leaves the pipeline in clear: every log line, report, receipt and error
// that shows a resident ID, certificate number or phone number shows it through these.

/** 440524188001010014 → 440524********0014: keeps the division and the last four. */
export function maskIdNumber(value: string): string {
  const v = value.trim();
  if (v.length <= 4) return '*'.repeat(v.length);
  if (v.length < 10) return '*'.repeat(v.length - 4) + v.slice(-4);
  return v.slice(0, 6) + '*'.repeat(v.length - 10) + v.slice(-4);
}

/** 13812345678 → 138****5678; landlines keep their area code and last four. */
export function maskPhone(value: string): string {
  const v = value.trim();
  if (v.length <= 7) return '*'.repeat(Math.max(0, v.length - 2)) + v.slice(-2);
  return v.slice(0, 3) + '*'.repeat(v.length - 7) + v.slice(-4);
}

/** A personal value as it may appear outside the warehouse. */
export function maskPersonal(type: string, value: string): string {
  return type === 'phone' ? maskPhone(value) : maskIdNumber(value);
}

// Resident IDs (15/18), and mobile phones, inside free text such as a 填报人 line or a stray row.
const ID_IN_TEXT = /(?<![0-9A-Z])(\d{17}[\dXx]|\d{15})(?![0-9A-Z])/g;
const PHONE_IN_TEXT = /(?<!\d)1[3-9]\d{9}(?!\d)/g;

/** Free text with every resident-ID-shaped and mobile-phone-shaped run masked. */
export function maskText(text: string): string {
  return text.replace(ID_IN_TEXT, (m) => maskIdNumber(m)).replace(PHONE_IN_TEXT, (m) => maskPhone(m));
}

// Groups of letters and digits, each holding a digit, joined by single spaces or dashes:
// `441302 19730909 0555`, `138-1234-5678`, `0752-2345678`, a near-ID, a bank account. Words
// without digits end a run, so a sentence around a code is left as it is.
const CODE_RUN = /[0-9A-Za-z]*\d[0-9A-Za-z]*(?:[ -][0-9A-Za-z]*\d[0-9A-Za-z]*)*/g;
const DIGITS_TO_HIDE = 10;

/**
 * Text whose columns are not known (a rejected row's cells, a message about a value of no known
 * type): on top of maskText, every run holding 10 or more digits keeps its first three and last
 * two characters. Dates (8 digits) and most amounts stay readable; spaced phones, malformed IDs
 * and account numbers do not.
 */
export function maskCodes(text: string): string {
  return maskText(text).replace(CODE_RUN, (run) => {
    if (run.replace(/\D/g, '').length < DIGITS_TO_HIDE) return run;
    let seen = 0;
    const total = run.replace(/[ -]/g, '').length;
    return run.replace(/[0-9A-Za-z]/g, (c) => (++seen <= 3 || seen > total - 2 ? c : '*'));
  });
}
