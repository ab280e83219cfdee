// Writes fixtures/text/*: CSV and TSV deliveries as units send them, one file per case. GBK,
// GB18030, UTF-16 and Shift_JIS bytes come from iconv-lite, the workbook from SheetJS, the PNG
// from zlib; every file is checked for the property its name claims before it is written.
// Run: npx tsx scripts/make-text-fixtures.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';
import iconv from 'iconv-lite';
import * as XLSX from 'xlsx';
import { delimited, LICENSING_HEADER, licensingRow, orgCode, PENALTY_AUTHORITY, PENALTY_HEADER, penaltyRow, uscc } from './penalty-rows.js';

const DIR = 'fixtures/text';
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function write(name: string, bytes: Buffer | string, claim?: (bytes: Buffer) => boolean): void {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8');
  if (claim && !claim(buffer)) throw new Error(`${name} does not show its case`);
  writeFileSync(`${DIR}/${name}`, buffer);
  console.log(`wrote ${DIR}/${name} (${buffer.length} bytes)`);
}

const decodes = (encoding: string) => (bytes: Buffer): boolean => {
  try {
    new TextDecoder(encoding, { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

/** `count` 行政处罚 rows from the `from`-th on. */
function penaltyRows(from: number, count: number): string[][] {
  return Array.from({ length: count }, (_, i) => penaltyRow(from + i));
}
const col = (name: string): number => PENALTY_HEADER.indexOf(name);
/** The unified social credit code of the n-th fictional enterprise. */
const code = (n: number): string => uscc(`91441302${orgCode(`MA5${String(n).padStart(5, '0')}`)}`);

mkdirSync(DIR, { recursive: true });

// --- Encodings -------------------------------------------------------------------------------

const utf8Rows = penaltyRows(0, 8);
utf8Rows[2]![col('违法事实')] = '当事人分两批(A,B)销售不合格插座，货值金额共计3600元。';
write('utf8-penalty.csv', delimited([PENALTY_HEADER, ...utf8Rows], ',', '\n'), decodes('utf-8'));

write('utf8-bom-penalty.csv', Buffer.concat([UTF8_BOM, Buffer.from(delimited([PENALTY_HEADER, ...penaltyRows(10, 5)], ',', '\r\n'))]));

// Excel pads every row of the used range with empty cells, the title row and notes included.
const pad = (first: string): string[] => [first, ...Array<string>(PENALTY_HEADER.length - 1).fill('')];
write(
  'gbk-title-row-penalty.csv',
  iconv.encode(delimited([
    pad(`${PENALTY_AUTHORITY}行政处罚信息（2019年第3季度）`),
    PENALTY_HEADER,
    ...penaltyRows(20, 10),
    pad(''),
    pad('注：本表数据截至2019年9月30日，罚款金额单位为万元。'),
  ], ',', '\r\n'), 'gbk'),
  (b) => !decodes('utf-8')(b) && decodes('gbk')(b),
);

// 𠮷 (U+20BB7) and 㐂 (U+3402) are outside GBK: GB18030 writes them as four bytes.
const holders = ['惠州市𠮷祥餐饮管理有限公司', '惠州市罗浮药业连锁有限公司', '惠州市㐂乐食品商行有限公司', '惠州市东江物业服务有限公司', '惠州市华鑫建材有限公司'];
const licensing = holders.map((h, i) => licensingRow(i + 1, h));
licensing[1]![LICENSING_HEADER.indexOf('许可内容')] = '中成药、化学药制剂\n生化药品（冷藏）';
write(
  'gb18030-licensing.tsv',
  iconv.encode(delimited([LICENSING_HEADER, ...licensing], '\t', '\r\n'), 'gb18030'),
  (b) => decodes('gb18030')(b) && iconv.decode(b, 'gbk').includes('\ufffd'),
);

// Excel's "Unicode text": UTF-16LE with a BOM, tab-separated, CRLF, quoted like its CSV.
const unicodeRows = penaltyRows(30, 4);
unicodeRows[0]![col('违法事实')] = '当事人在微信公众号发布"全市销量第一"等无法证实的内容。';
unicodeRows[1]![col('处罚内容')] = '警告\n并处罚款人民币20000元';
write('utf16le-bom-unicode-text.txt', iconv.encode(delimited([PENALTY_HEADER, ...unicodeRows], '\t', '\r\n'), 'utf-16le', { addBOM: true }), (b) => b[0] === 0xff && b[1] === 0xfe);

write('utf16be-bom-penalty.csv', iconv.encode(delimited([PENALTY_HEADER, ...penaltyRows(40, 3)], ',', '\r\n'), 'utf-16be', { addBOM: true }), (b) => b[0] === 0xfe && b[1] === 0xff);

// --- Delimiters ------------------------------------------------------------------------------

write('semicolon-delimited.csv', delimited([
  ['行政相对人名称', '统一社会信用代码', '违法事实', '处罚内容', '处罚决定日期'],
  ['惠州市鸿达五金制品有限公司', code(1), '当事人销售A,B,C三批不合格插座', '罚款2000元', '2019-09-01'],
  ['惠州市粤惠电子科技有限公司', code(2), '未公示年度报告', '警告', '2019-09-02'],
  ['惠州市东江食品贸易有限公司', code(3), '销售过期食品,货值300元', '罚款5000元,没收违法所得', '2019-09-03'],
  ['惠州市西湖建材有限公司', code(4), '虚假宣传', '罚款20000元', '2019-09-04'],
], ';', '\r\n'));

// 質 is D9 7C in GBK: its second byte is "|", so splitting GBK bytes on "|" would cut it in two.
write(
  'gbk-pipe-delimited.txt',
  iconv.encode(delimited([
    ['行政相对人名称', '统一社会信用代码', '处罚决定书文号', '处罚内容'],
    ['惠州市金質五金制品有限公司', code(5), '惠市监罚字〔2019〕1001号', '罚款2000元'],
    ['惠州市鸿达电子科技有限公司', code(6), '惠市监罚字〔2019〕1002号', '警告'],
    ['惠州市質诚检测技术有限公司', code(7), '惠市监罚字〔2019〕1003号', '罚款5000元'],
  ], '|', '\r\n'), 'gbk'),
  (b) => b.includes(Buffer.from([0xd9, 0x7c])),
);

// --- Records spanning lines, odd quoting, odd line ends ----------------------------------------

write('quoted-embedded-newlines.csv', delimited([
  ['行政相对人名称', '处罚决定书文号', '违法事实', '处罚内容'],
  ['惠州市鸿达五金制品有限公司', '惠市监罚字〔2019〕1001号', '当事人销售不合格插座\n货值金额共计3600元\n已责令改正', '罚款2000元'],
  ['惠州市粤惠电子科技有限公司', '惠市监罚字〔2019〕1002号', '宣传"全市第一"', '警告'],
  [''],
  ['陈伟', '惠市监罚字〔2019〕1003号', '第一行\r\n第二行', '罚款500元'],
  ['李秀英', '惠市监罚字〔2019〕1004号', '旧式换行\r第二行', '警告'],
  ['张建华', '惠市监罚字〔2019〕1005号', '逗号,在引号内', ''],
], ',', '\r\n'));

write('ragged-rows.csv', delimited([
  ['行政相对人名称', '统一社会信用代码', '处罚决定书文号', '处罚决定日期', '处罚机关'],
  ['惠州市鸿达五金制品有限公司', code(1), '惠市监罚字〔2019〕1001号', '2019-09-01', PENALTY_AUTHORITY],
  ['惠州市粤惠电子科技有限公司', code(2), '惠市监罚字〔2019〕1002号'],
  ['惠州市东江食品贸易有限公司', code(3), '惠市监罚字〔2019〕1003号', '2019-09-03', PENALTY_AUTHORITY, '多出的单元格', ''],
  ['惠州市西湖建材有限公司', code(4), '惠市监罚字〔2019〕1004号', '2019-09-04', PENALTY_AUTHORITY],
], ',', '\n'));

// Written by hand: quotes where no CSV writer puts them, kept as typed.
write('stray-quotes.csv', [
  '行政相对人名称,违法事实,处罚内容',
  '惠州市"鸿达"五金制品有限公司,销售12" 显示器,罚款2000元',
  '"惠州市粤惠电子科技有限公司"分公司,未公示年度报告,警告',
  '惠州市东江食品贸易有限公司,"销售""过期""食品",罚款5000元',
].join('\r\n') + '\r\n');

write('mixed-line-endings.csv', '行政相对人名称,处罚内容\r\n甲公司,警告\n乙公司,罚款\r\r\n丙公司,罚款\n\n丁公司,警告');

write('unclosed-quote.csv', [
  '行政相对人名称,违法事实,处罚内容',
  '惠州市鸿达五金制品有限公司,销售不合格插座,罚款2000元',
  '惠州市粤惠电子科技有限公司,"未公示年度报告',
  '经责令仍未改正",警告',
  '惠州市东江食品贸易有限公司,"销售过期食品,罚款5000元',
  '惠州市西湖建材有限公司,虚假宣传,罚款20000元',
  '惠州市罗浮物流有限公司,超限运输,罚款1000元',
].join('\r\n') + '\r\n');

// --- Files that are not readable text ----------------------------------------------------------

write('empty-0-bytes.csv', Buffer.alloc(0));
write('utf8-bom-only.csv', UTF8_BOM);
write('header-only.csv', iconv.encode(delimited([PENALTY_HEADER], ',', '\r\n'), 'gbk'));

function png(): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0); // width
  header.writeUInt32BE(2, 4); // height
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const pixels = Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}
write('binary-png-named.csv', png());

const workbook = XLSX.utils.book_new();
XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet([PENALTY_HEADER, ...penaltyRows(50, 3)]), '行政处罚');
write('binary-xlsx-named.csv', XLSX.write(workbook, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer);

// UTF-16 without a byte-order mark: every ASCII character carries a NUL byte.
write('utf16le-no-bom.csv', iconv.encode(delimited([['行政相对人名称', '处罚内容'], ['惠州市鸿达五金制品有限公司', '警告']], ',', '\r\n'), 'utf-16le'), (b) => b.includes(0));

// Console output with colour codes saved as .csv: control characters but no NUL.
write('ansi-terminal-log-named.csv', Array.from({ length: 20 }, (_, i) => `\x1b[32mINFO\x1b[0m 2019-09-01 08:00:${String(i).padStart(2, '0')} export row ${i}\x1b[K`).join('\n') + '\n');

const japanese = [
  '事業者名,所在地,処分内容,処分日',
  '株式会社さくら商事,東京都千代田区丸の内一丁目,業務停止命令（三か月）,2019年9月1日',
  '有限会社みなと物流,大阪府大阪市北区梅田二丁目,指示処分,2019年9月2日',
  '株式会社ひかり電機,愛知県名古屋市中区栄三丁目,業務改善命令,2019年9月3日',
  'つばさ食品株式会社,福岡県福岡市博多区博多駅前,営業停止（七日間）,2019年9月4日',
  '株式会社あおば建設,北海道札幌市中央区北一条西,指名停止（六か月）,2019年9月5日',
  'みどり薬局株式会社,宮城県仙台市青葉区一番町,業務停止命令（一か月）,2019年9月6日',
];
// Half-width katakana are single Shift_JIS bytes that pair with the next byte into nothing in GB18030.
write(
  'not-any-encoding.csv',
  iconv.encode(['会社名,フリガナ,処分内容', '株式会社さくら商事,ｶﾌﾞｼｷｶﾞｲｼｬｻｸﾗｼｮｳｼﾞ,業務停止命令', '有限会社みなと,ﾕｳｹﾞﾝｶﾞｲｼｬﾐﾅﾄ,指示処分'].join('\r\n') + '\r\n', 'shift_jis'),
  (b) => !decodes('utf-8')(b) && !decodes('gb18030')(b),
);
// Full-width Shift_JIS text is valid GB18030 byte for byte: only its statistics give it away.
write('shift-jis-reads-as-gbk.csv', iconv.encode(japanese.join('\r\n') + '\r\n', 'shift_jis'), (b) => !decodes('utf-8')(b) && decodes('gb18030')(b));
