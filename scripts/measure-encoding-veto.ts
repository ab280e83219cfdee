// Measures the chardet veto of src/read/text/encoding.ts: how often it calls real Chinese text
// (GBK) foreign, and how often it catches Shift_JIS, EUC-JP, EUC-KR and Big5 text that is valid
// GB18030 byte for byte, by how many non-ASCII bytes the sample holds. Corpora: the v2 catalog's
// own text, generated 行政处罚 rows, and TypeScript's translated compiler messages (zh-cn, ja, ko,
// zh-tw) in node_modules.
// Run: npx tsx scripts/measure-encoding-veto.ts
import { readdirSync, readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { foreignEncoding } from '../src/read/text/encoding.js';
import { scanGb18030 } from '../src/read/text/scan.js';
import { delimited, penaltyRow } from './penalty-rows.js';

const messages = (locale: string): string =>
  Object.values(JSON.parse(readFileSync(`node_modules/typescript/lib/${locale}/diagnosticMessages.generated.json`, 'utf8')) as Record<string, string>).join('\n');
const catalogText = ['catalog/v2/shared', 'catalog/v2/units']
  .flatMap((dir) => readdirSync(dir).map((f) => readFileSync(`${dir}/${f}`, 'utf8')))
  .join('\n');

const CORPORA: { name: string; text: string; encoding: string }[] = [
  { name: 'catalog v2 (GBK)', text: catalogText, encoding: 'gbk' },
  { name: '行政处罚 rows (GBK)', text: delimited(Array.from({ length: 3000 }, (_, n) => penaltyRow(n)), ',', '\r\n'), encoding: 'gbk' },
  { name: 'zh-cn (GBK)', text: messages('zh-cn'), encoding: 'gbk' },
  { name: 'ja (Shift_JIS)', text: messages('ja'), encoding: 'shift_jis' },
  { name: 'ja (EUC-JP)', text: messages('ja'), encoding: 'euc-jp' },
  { name: 'ko (EUC-KR)', text: messages('ko'), encoding: 'euc-kr' },
  { name: 'zh-tw (Big5)', text: messages('zh-tw'), encoding: 'big5' },
];
const BUCKETS = [0, 50, 100, 200, 400];
const SAMPLES = 3000;

let seed = 1;
const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

console.log(`samples of 60-3060 characters, ${SAMPLES} per corpus; "flagged" = chardet names a foreign encoding (threshold off)`);
for (const corpus of CORPORA) {
  const counts = BUCKETS.map(() => ({ samples: 0, flagged: 0 }));
  let validGb = 0;
  for (let k = 0; k < SAMPLES; k++) {
    const length = 60 + Math.floor(random() * 3000);
    const at = Math.floor(random() * (corpus.text.length - length));
    const bytes = iconv.encode(corpus.text.slice(at, at + length), corpus.encoding).subarray(0, length);
    if (scanGb18030(bytes).invalid < 0) validGb++;
    let high = 0;
    for (const b of bytes) if (b >= 0x80) high++;
    const flagged = foreignEncoding(bytes, 0) !== undefined;
    BUCKETS.forEach((min, i) => {
      if (high < min) return;
      counts[i]!.samples++;
      if (flagged) counts[i]!.flagged++;
    });
  }
  const cells = BUCKETS.map((min, i) => `>=${min} high bytes: ${counts[i]!.flagged}/${counts[i]!.samples}`).join('  ');
  console.log(`${corpus.name.padEnd(18)} valid GB18030 ${validGb}/${SAMPLES}  flagged ${cells}`);
}
