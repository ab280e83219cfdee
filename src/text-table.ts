// Terminal tables with Chinese text: a CJK character takes two columns, so padding by
// String.length would misalign every row that holds one.
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += WIDE.test(ch) ? 2 : 1;
  return width;
}

// Control and format characters in units' file names and values (an ANSI escape, a bidi
// override, a bell) would act on the terminal instead of showing.
const UNPRINTABLE = /[\p{Cc}\p{Cf}]/gu;

/** Text as a terminal shows it safely: each control or format character as �. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, '\ufffd');
}

/** Text cut to `columns` terminal columns, with … where it was cut. */
export function fitWidth(text: string, columns: number): string {
  if (displayWidth(text) <= columns) return text;
  let cut = '';
  for (const ch of text) {
    if (displayWidth(cut + ch) >= columns) break;
    cut += ch;
  }
  return `${cut}…`;
}

/** Rows of cells, each column padded to its widest cell; the last column is not padded. */
export function formatTable(cellRows: string[][], indent = '  '): string[] {
  const rows = cellRows.map((row) => row.map(printable));
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, displayWidth(cell)); });
  return rows.map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - displayWidth(cell)))).join('  ').trimEnd());
}
