// Units fill cells they have nothing for with a placeholder instead of leaving them blank; every
// such placeholder means "no value" and must not reach a typed column or a required-item check.
import { SPACE_OR_INVISIBLE } from './chars.js';

const ASCII_MARKERS = ['null', 'n/a', '\\N', '/'];
const CJK_MARKERS = ['暂无', '无', '空'];
// Hyphen, en/em dash, horizontal bar, full-width hyphen, alone or run together (—— is one em dash pair).
const DASHES = '[-\\u2013-\\u2015\\uff0d]+';

const escapeChar = (c: string): string => (/[\\/^$.*+?()[\]{}|-]/.test(c) ? `\\${c}` : c);
// Each ASCII character also in its full-width form (U+FF01–FF5E), so ＮＵＬＬ and Ｎ／Ａ match without a rewrite.
const eitherWidth = (marker: string): string =>
  [...marker].map((c) => `[${escapeChar(c)}${escapeChar(String.fromCharCode(c.charCodeAt(0) + 0xfee0))}]`).join('');

const blank = `[${SPACE_OR_INVISIBLE}]*`;
const EMPTY = new RegExp(`^${blank}(?:${[...CJK_MARKERS, ...ASCII_MARKERS.map(eitherWidth), DASHES].join('|')})?${blank}$`, 'i');

/**
 * True when the cell says nothing: blank, or after trimming one of 无 暂无 空 / - — —— null NULL
 * \N N/A (full-width forms too). The composer stores it as empty; it is a repair when raw !== ''.
 */
export function isEmptyMarker(raw: string): boolean {
  return raw === '' || EMPTY.test(raw);
}
