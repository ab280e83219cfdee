// Writes fixtures/sheet/*: spreadsheet deliveries as units send them, one file per case, made
// with the real libraries — SheetJS for xlsx and BIFF8 .xls, iconv-lite for the GBK HTML ".xls",
// officecrypto-tool for the password-protected xlsx.
// Run: npx tsx scripts/make-sheet-fixtures.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import officeCrypto from 'officecrypto-tool';
import * as XLSX from 'xlsx';

const DIR = 'fixtures/sheet';
type Cell = XLSX.CellObject | string | number | null;

const DAY = 86_400_000;
const EPOCH_1900 = Date.UTC(1899, 11, 30); // valid for serials from 61 (1900-03-01) on
const EPOCH_1904 = Date.UTC(1904, 0, 1);

/** A date cell as Excel stores it: the serial day number under a date format. */
function date(iso: string, z = 'yyyy-mm-dd', epoch = EPOCH_1900): XLSX.CellObject {
  return { t: 'n', v: (Date.parse(`${iso}Z`) - epoch) / DAY, z };
}
const serial = (v: number, z: string): XLSX.CellObject => ({ t: 'n', v, z });
/** An identifier typed into a General cell: Excel keeps 15 significant digits of it. */
const typedAsNumber = (digits: string, z = 'General'): XLSX.CellObject => ({ t: 'n', v: Number(Number(digits).toPrecision(15)), z });
const range = (r1: number, c1: number, r2: number, c2: number): XLSX.Range => ({ s: { r: r1, c: c1 }, e: { r: r2, c: c2 } });

function sheet(rows: Cell[][], merges: XLSX.Range[] = []): XLSX.WorkSheet {
  const ws = XLSX.utils.aoa_to_sheet(rows);
  if (merges.length > 0) ws['!merges'] = merges;
  return ws;
}

function book(sheets: [string, XLSX.WorkSheet][], date1904 = false): XLSX.WorkBook {
  const wb = XLSX.utils.book_new();
  for (const [name, ws] of sheets) XLSX.utils.book_append_sheet(wb, ws, name);
  if (date1904) wb.Workbook = { WBProps: { date1904 } };
  return wb;
}

const bytesOf = (wb: XLSX.WorkBook, bookType: 'xlsx' | 'biff8' = 'xlsx', compression = true): Buffer =>
  XLSX.write(wb, { type: 'buffer', bookType, compression }) as Buffer;

/** One name changed inside a stored (uncompressed) entry: the zip still opens, its CRC-32 no longer matches. */
function flipName(bytes: Buffer, from: string, to: string): Buffer {
  const at = bytes.indexOf(from);
  if (at < 0 || Buffer.byteLength(from) !== Buffer.byteLength(to)) throw new Error(`cannot replace ${from}`);
  const flipped = Buffer.from(bytes);
  flipped.write(to, at);
  return flipped;
}

function save(name: string, bytes: Buffer): void {
  writeFileSync(`${DIR}/${name}`, bytes);
  console.log(`wrote ${DIR}/${name} (${bytes.length} bytes)`);
}

// 行政处罚 (catalog v2, XZCF): the 30 data items in template order; columns C–H are the six
// 行政相对人代码 under one merged parent, so parent_child gives the catalog's aliases.
const PENALTY_CODES = ['1(统一社会信用代码)', '2(工商注册号)', '3(组织机构代码)', '4(税务登记号)', '5(事业单位证书号)', '6(社会组织登记证号)'];
const PENALTY_BEFORE = ['行政相对人名称', '行政相对人类别'];
const PENALTY_AFTER = [
  '法定代表人', '法定代表人证件类型', '法定代表人证件号码', '证件类型', '证件号码', '行政处罚决定书文号', '违法行为类型', '违法事实',
  '处罚依据', '处罚类别', '处罚内容', '罚款金额（万元）', '没收违法所得、没收非法财物的金额（万元）', '暂扣或吊销证照名称及编号',
  '处罚决定日期', '处罚有效期', '公示截止期', '处罚机关', '处罚机关统一社会信用代码', '数据来源单位', '数据来源单位统一社会信用代码', '备注',
];
const AUTHORITY = ['惠州市市场监督管理局', '11441300007038618B', '惠州市市场监督管理局', '11441300007038618B', ''];
const PENALTY_ROWS: Cell[][] = [
  ['惠州市恒达贸易有限公司', '法人及非法人组织', '91441300MA4UJ5K220', '', '', '', '', '', '陈伟', '身份证', '441302198001011237', '', '',
    '惠市监罚〔2019〕101号', '销售不合格产品', '销售的电线电缆经抽检不合格', '《中华人民共和国产品质量法》第四十九条', '罚款', '罚款人民币2000元',
    0.2, '', '', date('2019-09-30'), date('2020-09-30'), '2022-09-30', ...AUTHORITY],
  ['张某', '自然人', '', '', '', '', '', '', '', '', '', '身份证', '44130219900315202X',
    '惠市监罚〔2019〕102号', '无照经营', '未取得营业执照从事经营活动', '《无证无照经营查处办法》第十三条', '警告', '警告', '', '', '',
    date('2019-09-27'), date('2020-03-27'), '', ...AUTHORITY],
  ['惠城区鑫源五金店', '个体工商户', '92441302MA4W8C1D2N', '', '', '', '', '', '', '', '', '', '',
    '惠市监罚〔2019〕103号', '虚假宣传', '在店招上作引人误解的宣传', '《中华人民共和国反不正当竞争法》第二十条', '罚款', '罚款人民币5000元',
    0.5, '', '', date('2019-09-25'), date('2020-09-25'), '', ...AUTHORITY],
];
const PENALTY_HEADER: Cell[] = [...PENALTY_BEFORE, ...PENALTY_CODES, ...PENALTY_AFTER];
const LAST = PENALTY_HEADER.length - 1;

function titledPenaltySheet(): XLSX.WorkSheet {
  const parentRow: Cell[] = [...PENALTY_BEFORE, '行政相对人代码', ...PENALTY_CODES.slice(1).map(() => null), ...PENALTY_AFTER];
  const childRow: Cell[] = [...PENALTY_BEFORE.map(() => null), ...PENALTY_CODES, ...PENALTY_AFTER.map(() => null)];
  const rows: Cell[][] = [
    ['惠州市XX局行政处罚信息（2019年第3季度）'],
    parentRow,
    childRow,
    ...PENALTY_ROWS,
    [],
    ['注：1. 行政相对人类别为自然人时，行政相对人代码不填；2. 罚款金额单位为万元。'],
    ['填报人：李敏', null, null, null, null, '填报日期：2019年10月8日'],
  ];
  const firstCode = PENALTY_BEFORE.length;
  const lastCode = firstCode + PENALTY_CODES.length - 1;
  const merges = [
    range(0, 0, 0, LAST),
    range(1, firstCode, 1, lastCode),
    // Every label outside the code group spans both header rows.
    ...PENALTY_HEADER.flatMap((_, c) => (c >= firstCode && c <= lastCode ? [] : [range(1, c, 2, c)])),
    range(7, 0, 7, LAST),
  ];
  return sheet(rows, merges);
}

function idsStoredAsNumbers(): XLSX.WorkSheet {
  return sheet([
    ['行政相对人名称', '行政相对人代码_1(统一社会信用代码)', '行政相对人代码_2(工商注册号)', '法定代表人证件号码', '证件号码', '许可编号'],
    ['惠州市宏图科技有限公司', typedAsNumber('914413002800123473'), typedAsNumber('441300000123458'), typedAsNumber('441302198001011237'), '', 2019001],
    ['张某', '', '', '', typedAsNumber('441302197506180015', '0'), 'XK-2019-002'],
    ['惠城区鑫源五金店', '92441302MA4W8C1D2N', typedAsNumber('441300600012341', '0'), '441302198001011237', '', 2019003],
  ]);
}

// The same dates under the 1900 and the 1904 date system: the displayed text and the ISO date
// must come out identical although the stored serials differ by 1,462 days.
function datesSheet(epoch: number): XLSX.WorkSheet {
  const rows: Cell[][] = [
    ['情形', '单元格'],
    ['yyyy-mm-dd', date('2019-09-30', 'yyyy-mm-dd', epoch)],
    ['yyyy/m/d', date('2019-09-30', 'yyyy/m/d', epoch)],
    ['内置格式14', date('2019-09-30', XLSX.SSF.get_table()[14] as string, epoch)],
    ['中文日期', date('2019-09-30', 'yyyy"年"m"月"d"日"', epoch)],
    ['日期时间', date('2019-09-30T14:05:00', 'yyyy-mm-dd hh:mm:ss', epoch)],
    ['仅时间', serial(0.5, 'h:mm')],
    ['常规格式的序列号', serial(date('2019-09-30', 'General', epoch).v as number, 'General')],
    ['文本日期', '2019-09-30'],
  ];
  if (epoch === EPOCH_1900) {
    // Serial 60 is the 1900-02-29 that never was (Lotus 1-2-3's leap-year bug, kept by Excel).
    rows.push(['1900-02-28', serial(59, 'yyyy-mm-dd')], ['1900-02-29', serial(60, 'yyyy-mm-dd')], ['1900-03-01', serial(61, 'yyyy-mm-dd')]);
  } else {
    rows.push(['1904系统的第0天', serial(0, 'yyyy-mm-dd')]);
  }
  return sheet(rows);
}

function licensingSheet(titled: boolean): XLSX.WorkSheet {
  const header = ['行政相对人名称', '行政相对人类别', '行政相对人代码_1(统一社会信用代码)', '行政许可决定文书名称', '行政许可决定文书号',
    '许可类别', '许可内容', '许可决定日期', '有效期自', '有效期至', '许可机关', '当前状态'];
  const rows: Cell[][] = [
    header,
    ['惠州市恒达贸易有限公司', '法人及非法人组织', '91441300MA4UJ5K220', '食品经营许可决定书', '惠市监许〔2019〕88号', '普通', '预包装食品销售',
      date('2019-08-01'), date('2019-08-01'), date('2024-07-31'), '惠州市市场监督管理局', 1],
    ['惠城区鑫源五金店', '个体工商户', '92441302MA4W8C1D2N', '营业执照', '惠市监许〔2019〕89号', '登记', '五金零售',
      date('2019-08-02'), date('2019-08-02'), '长期', '惠州市市场监督管理局', 1],
  ];
  if (!titled) return sheet(rows);
  // Titles are often merged wider than the table they head.
  return sheet([['惠州市XX局行政许可信息'], ...rows], [range(0, 0, 0, header.length + 7)]);
}

function penaltySheet(): XLSX.WorkSheet {
  return sheet([
    [...PENALTY_BEFORE, ...PENALTY_CODES.map((child) => `行政相对人代码_${child}`), ...PENALTY_AFTER],
    ...PENALTY_ROWS.slice(0, 2),
  ]);
}

function formulaSheet(): XLSX.WorkSheet {
  const ws = sheet([
    ['罚款金额（元）', '罚款金额（万元）', '处罚内容', '两倍罚款（陈旧缓存）', '未计算的公式'],
    [2000,
      { t: 'n', v: 0.2, f: 'A2/10000' },
      { t: 's', v: '罚款2000元', f: '"罚款"&A2&"元"' },
      // The cached value disagrees with the formula: what Excel showed when it saved is what counts.
      { t: 'n', v: 1234, f: 'A2*2' },
      null],
  ]);
  // Written by a tool that stores formulas without ever calculating them: no cached value.
  ws['E2'] = { t: 'z', f: 'A2*3' };
  return ws;
}

// What many government systems export as "xxx.xls": an HTML table in GBK, declared gb2312.
// 𠮷 (U+20BB7) is outside GBK, so the exporter wrote it as a numeric character reference.
const REALLY_HTML = `<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">
<head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>行政许可信息</title></head>
<body>
<table border="1">
<tr><td colspan="5">惠州市XX局行政许可信息导出</td></tr>
<tr><th>行政相对人名称</th><th>证件号码</th><th>许可编号</th><th>许可决定日期</th><th>许可机关</th></tr>
<tr><td>&#134071;利 &amp; 张三</td><td style="mso-number-format:'\\@'">441302198001011237</td><td>0012</td><td>2019-08-01</td><td rowspan="2">惠州市市场监督管理局</td></tr>
<tr><td>惠城区鑫源五金店</td><td></td><td>0013</td><td>2019/8/2</td></tr>
</table>
</body></html>
`;

mkdirSync(DIR, { recursive: true });
save('xlsx-title-row-two-row-header-penalty.xlsx', bytesOf(book([['行政处罚', titledPenaltySheet()]])));
save('xlsx-ids-stored-as-numbers.xlsx', bytesOf(book([['行政许可', idsStoredAsNumbers()]])));
save('xlsx-serial-dates.xlsx', bytesOf(book([['日期', datesSheet(EPOCH_1900)]])));
save('xlsx-serial-dates-1904.xlsx', bytesOf(book([['日期', datesSheet(EPOCH_1904)]], true)));
const twoSubjects = bytesOf(book([['行政许可', licensingSheet(false)], ['行政处罚', penaltySheet()], ['Sheet3', sheet([])]]));
save('xlsx-two-subjects-two-sheets.xlsx', twoSubjects);
save('xls-biff8-licensing.xls', bytesOf(book([['行政许可', licensingSheet(true)]]), 'biff8'));
save('xls-really-html.xls', iconv.encode(REALLY_HTML, 'gbk'));
// Older Java systems export "Excel" as XML Spreadsheet 2003 under an .xls name.
const spreadsheetMl = XLSX.write(book([['行政许可', idsStoredAsNumbers()]]), { type: 'string', bookType: 'xlml' }) as string;
save('xls-spreadsheetml-2003.xls', Buffer.from(spreadsheetMl, 'utf8'));
save('xlsx-formula-cached.xlsx', bytesOf(book([['行政处罚', formulaSheet()]])));
save('xlsx-entry-fails-crc.xlsx', flipName(bytesOf(book([['行政许可', licensingSheet(false)]]), 'xlsx', false), '恒达', '恒大'));
save('xlsx-truncated-zip.xlsx', twoSubjects.subarray(0, Math.floor(twoSubjects.length / 2)));
save('xlsx-password-protected.xlsx', officeCrypto.encrypt(twoSubjects, { password: 'hz2019' }));
save('xlsx-empty-workbook.xlsx', bytesOf(book([['Sheet1', sheet([])], ['Sheet2', sheet([['   ']])]])));
