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
