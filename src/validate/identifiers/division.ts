// The first two digits of a GB/T 2260 division code: the province-level divisions that exist.
// Only the province is checked; a county table would need the dated history of every county code.

const MAINLAND = new Uint8Array(100);
for (const [first, last] of [[11, 15], [21, 23], [31, 37], [41, 46], [50, 54], [61, 65]] as const) {
  for (let p = first; p <= last; p++) MAINLAND[p] = 1;
}

/** The two digits at `from` as a number 0–99, or -1 when they are not both digits. */
export function twoDigits(value: string, from = 0): number {
  const tens = value.charCodeAt(from) - 0x30;
  const units = value.charCodeAt(from + 1) - 0x30;
  return tens >= 0 && tens <= 9 && units >= 0 && units <= 9 ? tens * 10 + units : -1;
}

/** A mainland province, autonomous region or municipality (11 Beijing … 65 Xinjiang). */
export function isMainlandProvince(value: string, from = 0): boolean {
  const p = twoDigits(value, from);
  return p >= 0 && MAINLAND[p] === 1;
}
