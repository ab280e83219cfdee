// Text deliveries (CSV, TSV, Excel's "Unicode text"): encoding, delimiter and rows.
export { openTextGrid, type TextMeta } from './csv.js';
export type { TextEncoding } from './encoding.js';
export type { Delimiter } from './dialect.js';
