// The 行政处罚 delivery every stage measures: scripts/penalty-rows.ts's realistic rows, with two
// changes a benchmark needs. Its 文号 repeat every 9,000 rows, which would make most of a large
// file duplicates of its business key (文号 + 处罚机关代码), so each row gets its own; and one
// row in ten is made dirty the ways units' exports are, so the repair and reject paths are paid.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import iconv from 'iconv-lite';
import { delimited, PENALTY_AUTHORITY, PENALTY_HEADER, penaltyRow } from '../scripts/penalty-rows.js';
import { fullWidth } from './full-width.js';

export { PENALTY_HEADER };
export const PENALTY_CSV = 'xzcf-penalty-gbk.csv';
/** Lines before the first record: the title row Chinese exports carry, then the header. */
export const LINES_BEFORE_ROWS = 2;
/** One row in DIRTY_EVERY has something to repair or reject. */
export const DIRTY_EVERY = 10;

function column(name: string): number {
  const i = PENALTY_HEADER.indexOf(name);
  if (i < 0) throw new Error(`catalog v2 行政处罚 has no item named ${name}`);
  return i;
}
const WSH = column('行政处罚决定书文号');
const USCC = column('统一社会信用代码');
const DECIDED = column('处罚决定日期');
const FINE = column('罚款金额（万元）');

// The dirty row is n % 10 === 5, always a 法人及非法人组织 row of penaltyRow, so it has a USCC.
const DIRT: ((cells: string[]) => void)[] = [
  // A full-width IME: ９１４４１３０２… (repaired by NFKC).
  (c) => { c[USCC] = fullWidth(c[USCC]!); },
  // 2019年3月5日 (repaired to 2019-03-05).
  (c) => { c[DECIDED] = c[DECIDED]!.replace(/^(\d{4})-(\d\d)-(\d\d)$/, (_, y: string, m: string, d: string) => `${y}年${Number(m)}月${Number(d)}日`); },
  // The fine in yuan with words, in a 万元 column: 罚款2000元 (repaired to 0.2).
  (c) => { c[FINE] = `罚款${Math.round(Number(c[FINE] || '0.2') * 10_000)}元`; },
  // A USCC whose check character is wrong (rejected).
  (c) => { c[USCC] = c[USCC]!.slice(0, 17) + (c[USCC]!.endsWith('0') ? '1' : '0'); },
];

/** Data row `n` (0-based) of the delivery, cells in catalog v2 item order. */
export function deliveryRow(n: number): string[] {
  const cells = penaltyRow(n);
  cells[WSH] = `惠市监罚字〔2019〕${n + 1}号`;
  if (n % DIRTY_EVERY === 5) DIRT[Math.floor(n / DIRTY_EVERY) % DIRT.length]!(cells);
  return cells;
}

/** The delivery as Excel on Chinese Windows saves it: GBK, CRLF, a title row over the header. */
export async function writePenaltyCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  const title = [`${PENALTY_AUTHORITY}行政处罚信息（2019年第3季度）`, ...Array<string>(PENALTY_HEADER.length - 1).fill('')];
  out.write(iconv.encode(delimited([title, PENALTY_HEADER], ',', '\r\n'), 'gbk'));
  const batch = 2000;
  for (let n = 0; n < rows; n += batch) {
    const chunk = Array.from({ length: Math.min(batch, rows - n) }, (_, i) => deliveryRow(n + i));
    if (!out.write(iconv.encode(delimited(chunk, ',', '\r\n'), 'gbk'))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
