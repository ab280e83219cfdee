// Character classes and the two cheap rewrites every cleanser starts from. Cells pass through here
// millions of times a night, so each rewrite tests first and only allocates when something changes.

/**
 * Characters that render as nothing but break equality: zero-width space/joiners (U+200B–U+200D),
 * LRM/RLM, bidi embeddings and isolates pasted from web pages, word joiner, a stray BOM, and the
 * control characters that are not blanks (NUL and its neighbours, DEL) — PostgreSQL refuses a
 * NUL in text outright, so one such byte would fail a whole file there and nowhere else.
 */
export const INVISIBLE = '\\u0000-\\u0008\\u000e-\\u001f\\u007f\\u200b-\\u200f\\u202a-\\u202e\\u2060\\u2066-\\u2069\\ufeff';
/** JavaScript's \s (which already includes NBSP and U+3000 ideographic space) plus the invisibles. */
export const SPACE_OR_INVISIBLE = `\\s${INVISIBLE}`;

// A blank other than one ASCII space: String.prototype.trim handles the ends, this the inside.
const ODD_BLANK_CLASS = '\\t\\n\\v\\f\\r\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const ODD_BLANK = new RegExp(`[${ODD_BLANK_CLASS}]| {2}`);
const NEEDS_SQUEEZE = new RegExp(`[${ODD_BLANK_CLASS}${INVISIBLE}]| {2}`);
const HAS_INVISIBLE = new RegExp(`[${INVISIBLE}]`);
const INVISIBLE_G = new RegExp(`[${INVISIBLE}]+`, 'g');
const SPACES_G = /\s+/g;
const SPACE = 32;

/** Invisibles removed, every run of blanks made one ASCII space, the ends trimmed. */
export function squeeze(text: string): string {
  if (text.charCodeAt(0) !== SPACE && text.charCodeAt(text.length - 1) !== SPACE && !NEEDS_SQUEEZE.test(text)) return text;
  const s = (HAS_INVISIBLE.test(text) ? text.replace(INVISIBLE_G, '') : text).trim();
  return ODD_BLANK.test(s) ? s.replace(SPACES_G, ' ') : s;
}

const FULL_WIDTH = /[\uff01-\uff5e\u3000]/;
const FULL_TO_HALF = 0xfee0;
// String.fromCharCode takes its codes as arguments; engines cap how many a call may pass.
const CHUNK = 8192;

/**
 * Full-width ASCII forms (U+FF01–FF5E, what Chinese input methods type for digits, letters and
 * punctuation) and U+3000 mapped to ASCII — the part of NFKC that numbers and dates need, at a
 * fraction of its cost.
 */
function halfWidth(text: string): string {
  if (!FULL_WIDTH.test(text)) return text;
  const codes = new Array<number>(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    codes[i] = c >= 0xff01 && c <= 0xff5e ? c - FULL_TO_HALF : c === 0x3000 ? SPACE : c;
  }
  let out = '';
  for (let i = 0; i < codes.length; i += CHUNK) out += String.fromCharCode(...codes.slice(i, i + CHUNK));
  return out;
}

/** Squeezed, then half-width: the text numbers and dates are read from. */
export function narrow(raw: string): string {
  return halfWidth(squeeze(raw));
}
