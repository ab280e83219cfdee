// CSV that a spreadsheet opens safely: RFC 4180 quoting, and text a spreadsheet would run as a
// formula (=, +, -, @, tab, CR at the start: CSV injection) neutralised with a leading quote.
// Numbers are written as they are: -3 is a number, not a formula.

export function csvCell(value: string | number | null): string {
  const s = value === null ? '' : String(value);
  const v = typeof value === 'string' && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

export const csvLine = (cells: readonly (string | number | null)[]): string => cells.map(csvCell).join(',');
