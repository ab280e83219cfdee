// Money as units write it: 5万元, 50,000元, 罚款2000元, ¥3,000, 1.2亿元, digits split by a blank
// (27709 .61 元, copied from web pages). The catalog stores each amount in one unit per item —
// 罚款金额 is in 万元 (FACTS §5.3) — so every amount is converted by shifting the decimal point.
import { narrow } from './chars.js';
import { type Cleaned, fail, ok, quote } from './cleaned.js';
import { MAX_SIGNIFICANT_DIGITS, type Numeral, numeralValue, parseNumeral, significantDigits } from './numeral.js';

export type AmountUnit = '元' | '万元';

/** Powers of ten of 1 元; 块 is spoken 元. Longer spellings first so 万元 is not read as 万. */
const UNIT_EXPONENT: Record<string, number> = {
  亿元: 8, 亿: 8, 千万元: 7, 千万: 7, 百万元: 6, 百万: 6, 万元: 4, 万: 4, 千元: 3, 元: 0, 块: 0,
};
const TARGET_EXPONENT: Record<AmountUnit, number> = { 元: 0, 万元: 4 };

// A number, its decimal part possibly split off by blanks, and the unit after it.
const AMOUNT_G = new RegExp(`([-\\u2212]\\s*)?(\\d(?:[\\d,]*\\d)?)(?:\\s*\\.\\s*(\\d+))?\\s*(${Object.keys(UNIT_EXPONENT).join('|')})?`, 'g');
const CURRENCY_BEFORE = /(?:[¥\uffe5]|RMB|人民币)\s*$/i;
// A minus right after a digit or a unit joins a range (1000-2000元), it does not negate.
const RANGE_BEFORE = /[\d元万亿]\s*$/;
const RANGE_JOIN = /^\s*[-\u2212~\uff5e至到]\s*$/;
const PLAIN = /^(?:0|[1-9]\d*)(?:\.\d+)?$/;
/** The whole text is one number, signs and separators allowed: the only place a unit may be left out. */
const BARE = /^[¥\uffe5]?\s*[-\u2212+]?\s*\d[\d,]*(?:\s*\.\s*\d+)?$/;

interface Found {
  written: string;
  numeral: Numeral;
  /** Undefined when no unit was written and no currency sign stood before it. */
  exponent: number | undefined;
}

function findAmounts(text: string): Found[] | string {
  const found: Found[] = [];
  let end = 0;
  AMOUNT_G.lastIndex = 0;
  for (let m = AMOUNT_G.exec(text); m; m = AMOUNT_G.exec(text)) {
    const numeral = parseNumeral(m[3] === undefined ? m[2]! : `${m[2]}.${m[3]}`);
    if (typeof numeral === 'string') return numeral;
    numeral.negative = m[1] !== undefined && !RANGE_BEFORE.test(text.slice(0, m.index));
    const unit = m[4] ?? (CURRENCY_BEFORE.test(text.slice(0, m.index)) ? '元' : undefined);
    const previous = found[found.length - 1];
    // 1000-2000元: the unit belongs to both ends, and a range is not one amount.
    if (unit !== undefined && previous !== undefined && previous.exponent === undefined && RANGE_JOIN.test(text.slice(end, m.index) + (m[1] ?? ''))) {
      return `${quote(text)} names a range, not one amount`;
    }
    const written = (numeral.negative ? m[0] : m[0].slice(m[1]?.length ?? 0)).trim();
    found.push({ written, numeral, exponent: unit === undefined ? undefined : UNIT_EXPONENT[unit] });
    end = m.index + m[0].length;
  }
  return found;
}

/**
 * The amount the text names, in `target` units. A bare number is taken as already in `target`;
 * in running text only numbers with a unit (or ¥) count, and all of them must agree.
 */
export function cleanAmount(raw: string, target: AmountUnit): Cleaned<number> {
  if (PLAIN.test(raw) && raw.length <= MAX_SIGNIFICANT_DIGITS) return ok(Number(raw), false);
  const text = narrow(raw);
  const found = findAmounts(text);
  if (typeof found === 'string') return fail(found);
  if (found.length === 0) return fail(`${quote(text)} holds no amount in digits`);
  const withUnit = found.filter((f) => f.exponent !== undefined);
  if (withUnit.length === 0 && !BARE.test(text)) return fail(`${quote(text)} gives no unit (元, 万元, 亿元) for its amount`);
  const amounts = withUnit.length > 0 ? withUnit : found;

  let value: number | undefined;
  let first = '';
  for (const a of amounts) {
    if (a.numeral.negative) return fail(`${quote(text)} is a negative amount`);
    const digits = significantDigits(a.numeral.int, a.numeral.frac);
    if (digits > MAX_SIGNIFICANT_DIGITS) return fail(`${quote(a.written)} has ${digits} significant digits, more than the ${MAX_SIGNIFICANT_DIGITS} a number holds exactly`);
    const v = numeralValue(a.numeral, (a.exponent ?? TARGET_EXPONENT[target]) - TARGET_EXPONENT[target]);
    if (value === undefined) [value, first] = [v, a.written];
    else if (v !== value) return fail(`${quote(text)} names two different amounts (${first} and ${a.written})`);
  }
  return ok(value!, true);
}
