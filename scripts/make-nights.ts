// Writes fixtures/nights/<YYYY-MM-DD>/<unit code>/<file>: three consecutive nights of deliveries
// (2026-11-25, -26, -27) laid out as units drop them in the inbox, for the nightly run and its
// end-to-end test. What each file holds and what the run must make of it: fixtures/nights/README.md.
//
// Every value is fictional; codes carry valid check characters unless a row is there to be
// rejected. Spreadsheets are written by SheetJS (xlsx, BIFF8 .xls), GBK/GB18030 text by iconv-lite,
// the SQL dumps by the real mysqldump and pg_dump 15 from scratch databases on the local MariaDB
// and PostgreSQL (as scripts/make-dump-fixtures.ts does), the SQLite file by better-sqlite3.
// The output is the same bytes on every run: fixed dates, no clock, a fixed pg_dump restrict key.
//
// Needs: MariaDB at 127.0.0.1:3306 (root, no password), PostgreSQL at 127.0.0.1:5432 (postgres,
// trust), mysqldump and pg_dump on PATH. Run: npx tsx scripts/make-nights.ts
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import iconv from 'iconv-lite';
import knex from 'knex';
import mysql from 'mysql2/promise';
import * as XLSX from 'xlsx';
import { loadCatalog, type DataItem } from '../src/catalog/index.js';
import { regNoCheckChar, residentIdCheckChar } from '../src/validate/identifiers/checksums.js';
import { LICENSING_HEADER, PENALTY_HEADER, delimited, licensingRow, orgCode, penaltyRow, uscc } from './penalty-rows.js';

const ROOT = 'fixtures/nights';
const [N1, N2, N3] = ['2026-11-25', '2026-11-26', '2026-11-27'] as const;
// pg_dump 15.14+ writes a random \restrict key unless given one; a fixed key keeps the file stable.
const RESTRICT_KEY = 'credetlnights';

const catalog = loadCatalog('v2');
const items = (code: string): DataItem[] => catalog.subjects.find((s) => s.code === code)!.items;
const PENALTY_ITEMS = items('XZCF');
const LICENSING_ITEMS = items('XZXK');

interface Unit { code: string; name: string; uscc: string }
function unit(code: string): Unit {
  const u = catalog.units.find((x) => x.code === code);
  if (!u) throw new Error(`catalog v2 has no unit ${code}`);
  return { code, name: u.name, uscc: u.uscc };
}

// ---------------------------------------------------------------------------------------------
// The cast: enterprises, individual businesses and people, each with one name and one set of
// codes wherever it appears, so that nothing but the cases below can make the registry conflict.

type Kind = '法人及非法人组织' | '个体工商户' | '自然人';
interface Entity {
  name: string;
  kind: Kind;
  uscc?: string;
  regNo?: string;
  orgCode?: string;
  /** 法定代表人 (经营者 of an individual business, 负责人 of a branch) and their resident ID. */
  rep?: string;
  repId?: string;
  /** A person's own resident ID. */
  id?: string;
}

/** A resident ID (GB 11643-1999) from area, birth date and sequence (odd for men, even for women). */
const residentId = (area: string, birth: string, seq: string): string => {
  const first17 = `${area}${birth}${seq}`;
  return first17 + residentIdCheckChar(first17)!;
};
/** The 15-digit first-generation form of an 18-digit ID born in the 1900s. */
const residentId15 = (id18: string): string => id18.slice(0, 6) + id18.slice(8, 17);
/** A 15-digit registration number (GS 15-2006, ISO 7064 MOD 11,10) from its first 14 digits. */
const regNo = (first14: string): string => first14 + regNoCheckChar(first14)!;
/** A USCC for an enterprise (91) or an individual business (92) registered in `division`. */
const enterprise = (division: string, orgBody: string): string => uscc(`91${division}${orgCode(orgBody)}`);
const business = (division: string, orgBody: string): string => uscc(`92${division}${orgCode(orgBody)}`);

const org = (name: string, code: string, rep: string, repId: string, extra: Partial<Entity> = {}): Entity =>
  ({ name, kind: '法人及非法人组织', uscc: code, rep, repId, ...extra });
const shop = (name: string, code: string | undefined, rep: string, repId: string, extra: Partial<Entity> = {}): Entity =>
  ({ name, kind: '个体工商户', ...(code !== undefined && { uscc: code }), rep, repId, ...extra });
const person = (name: string, id: string): Entity => ({ name, kind: '自然人', id });

// Enterprises.
const HONGDA = org('惠州市鸿达电子科技有限公司', enterprise('441302', 'MA4UH2L7'), '叶志强', residentId('441302', '19790412', '031'));
const YUEHUI = org('惠州市粤惠食品贸易有限公司', enterprise('441302', 'MA4W0K3N'), '陈秀英', residentId('441302', '19830921', '064'));
// A company and its branch: the 分公司 has a USCC of its own (registered in 惠阳区) and stays its own entity.
const DONGJIANG = org('惠州市东江物流有限公司', enterprise('441302', 'MA4WB7C1'), '罗建华', residentId('441302', '19720305', '017'));
const DONGJIANG_HUIYANG = org('惠州市东江物流有限公司惠阳分公司', enterprise('441303', 'MA51T9KD'), '钟国平', residentId('441303', '19810716', '053'));
// Registered before 2015: its USCC carries the numeric organisation code it had (77307845-?).
const HUAXIN = org('惠州市华鑫建材有限公司', enterprise('441322', '77307845'), '何晓东', residentId('441322', '19680228', '015'));
const XIHU = org('惠州市西湖餐饮管理有限公司', enterprise('441302', 'MA4X2R8P'), '林美玲', residentId('441302', '19860603', '128'));
const KANGNING = org('惠州市康宁医药连锁有限公司', enterprise('441302', 'MA4UQ6F2'), '邓文辉', residentId('441302', '19751119', '095'));
const YONGSHENG = org('惠州市永盛五金制品有限公司', enterprise('441303', '66503817'), '曾国平', residentId('441303', '19640817', '019'));
const JINSHAN_PLATING = org('惠州市金山电镀有限公司', enterprise('441302', '72117390'), '张海', residentId('441302', '19660702', '071'));
const DERUN = org('博罗县德润纸业有限公司', enterprise('441322', 'MA4UDM0G'), '李建国', residentId('441322', '19700113', '037'));
const LIANCHUANG = org('惠州市联创线路板有限公司', enterprise('441303', 'MA4WQ21H'), '黄少芬', residentId('441303', '19820527', '086'));
const HONGTU = org('惠州市宏图建设工程有限公司', enterprise('441302', '68643217'), '刘志强', residentId('441302', '19730909', '055'));
const JIAHE = org('惠州市嘉禾房地产开发有限公司', enterprise('441302', 'MA4UL8N3'), '陈俊杰', residentId('441302', '19800130', '113'));
const JINSHAWAN = org('惠州市金沙湾娱乐有限公司', enterprise('441323', 'MA51C4R0'), '叶国强', residentId('441323', '19770824', '011'));
const HENGTONG = org('惠州市恒通机电设备有限公司', enterprise('441302', 'MA4UG3T6'), '钟丽娟', residentId('441302', '19840312', '046'));
const LIANFA = org('惠州市联发塑胶制品有限公司', enterprise('441303', '55369872'), '罗文', residentId('441303', '19691005', '079'));
const XINYUAN = org('惠州市鑫源贸易有限公司', enterprise('441302', 'MA51XK7A'), '何美玲', residentId('441302', '19901218', '024'));
const NANLING = org('龙门县南岭茶业有限公司', enterprise('441324', 'MA4W8Y5E'), '邓海燕', residentId('441324', '19870420', '062'));
const HUIJIAN = org('广东惠建劳务有限公司', enterprise('441300', 'MA4UN5K8'), '张建华', residentId('441302', '19760611', '057'));
const ANJU = org('惠州市安居物业管理有限公司', enterprise('441302', 'MA4X7D2W'), '林晓东', residentId('441302', '19850101', '035'));
const PINGHAI = org('惠东县平海建筑工程有限公司', enterprise('441323', '74371958'), '曾伟', residentId('441323', '19710223', '093'));
const YONGHAN = org('龙门县永汉建材有限公司', enterprise('441324', 'MA4UR0B9'), '黄伟', residentId('441324', '19780715', '031'));
const JISU = org('惠州市极速网络科技有限公司', enterprise('441302', 'MA51E6H4'), '刘俊杰', residentId('441302', '19880808', '039'));
const XINGGUANG = org('惠州市星光文化传播有限公司', enterprise('441303', 'MA4Y3P1M'), '陈海燕', residentId('441303', '19890326', '108'));
const BAIJIALE = org('惠州市百佳乐超市有限公司', enterprise('441302', 'MA4UF7W2'), '李志强', residentId('441302', '19740504', '073'));
// 𠮷 (U+20BB7) is outside GBK: GB18030 writes it in four bytes.
const JIXIANG = org('惠州市𠮷祥运输有限公司', enterprise('441303', 'MA4UK9C5'), '罗丽娟', residentId('441303', '19830707', '068'));
const KUAIYUN = org('惠州市快运通物流有限公司', enterprise('441302', 'MA4WD3E7'), '钟志强', residentId('441302', '19770202', '099'));
const XINCHENG = org('惠州市新城市政工程有限公司', enterprise('441302', '79464327'), '何建华', residentId('441302', '19650919', '013'));
const YUERONG = org('惠州市悦榕酒店管理有限公司', enterprise('441302', 'MA4UP2Q6'), '曾美玲', residentId('441302', '19820812', '084'));
const JIANZHIYUAN = org('惠州市健之源游泳健身有限公司', enterprise('441303', 'MA4XA5T8'), '叶文辉', residentId('441303', '19860130', '117'));
const FIRE = [
  org('惠州市鼎盛商贸有限公司', enterprise('441302', 'MA4UB1D3'), '陈国平', residentId('441302', '19710606', '051')),
  org('惠州市明珠酒店有限公司', enterprise('441302', '61814937'), '林建华', residentId('441302', '19630412', '037')),
  org('惠州市华侨城购物广场有限公司', enterprise('441302', 'MA4UC2E4'), '张秀英', residentId('441302', '19780923', '082')),
  org('惠州市天润电子有限公司', enterprise('441303', 'MA4UD3F5'), '黄志强', residentId('441303', '19800715', '019')),
  org('惠州市金宝纺织有限公司', enterprise('441322', 'MA4UE4G6'), '李海燕', residentId('441322', '19790101', '060')),
  org('惠州市汇丰家具制造有限公司', enterprise('441323', 'MA4UF5H7'), '刘文辉', residentId('441323', '19750318', '033')),
  org('惠州市乐活餐饮有限公司', enterprise('441302', 'MA4UG6J8'), '钟美玲', residentId('441302', '19870505', '046')),
  org('惠州市宏业纸品包装有限公司', enterprise('441303', 'MA4UH7K9'), '邓国平', residentId('441303', '19730828', '077')),
  org('惠州市瑞丰塑料制品有限公司', enterprise('441322', 'MA4UJ8L0'), '曾建华', residentId('441322', '19761111', '015')),
  org('惠州市华美达宾馆有限公司', enterprise('441302', 'MA4UK9M1'), '叶秀英', residentId('441302', '19691224', '028')),
  org('惠州市新天地网吧有限公司', enterprise('441302', 'MA4UL0N2'), '罗志强', residentId('441302', '19910202', '093')),
  org('惠州市佳兴电器有限公司', enterprise('441303', 'MA4UM1P3'), '何丽娟', residentId('441303', '19840630', '104')),
];

// Individual businesses. JINSHAN_SHOP had an organisation code before 2015 (the one inside its
// USCC); A_QIANG is an old 个体工商户 whose 15-digit registration number units still use.
const JINSHAN_SHOP_ORG = '69051234';
const JINSHAN_SHOP = shop('惠州市惠城区金山烟酒商行', business('441302', JINSHAN_SHOP_ORG), '张伟', residentId('441302', '19750203', '015'));
const A_QIANG_REG = regNo('44132260012345');
const A_QIANG = shop('博罗县罗阳镇阿强客家菜馆', business('441322', 'L1234567'), '钟志强', residentId('441322', '19800514', '035'), { regNo: A_QIANG_REG });
const HAOLINJU = shop('惠州市惠城区江北好邻居便利店', business('441302', 'MA51G2K7'), '林海燕', residentId('441302', '19881010', '026'));
const WANJIAFU = shop('惠东县平山万家福商店', business('441323', 'MA4Y8B3C'), '曾志强', residentId('441323', '19720719', '057'));
const LAOCHEN = shop('惠州市惠城区桥东老陈大排档', business('441302', 'MA4XW6R2'), '陈建华', residentId('441302', '19690330', '011'));
const LIHUA = shop('惠州市惠城区水口丽华美容美发店', business('441302', 'MA51H4M9'), '李丽华', residentId('441302', '19900419', '082'));
const XINGKONG = shop('惠州市惠阳区淡水星空网吧', business('441303', 'MA4X5N7T'), '黄俊杰', residentId('441303', '19850605', '071'));

// People. HUANG_JIANHUA is delivered with his 18-digit ID one night and the 15-digit form the
// next; the two 陈伟 are different people (different IDs, 惠城区 and 博罗县).
const HUANG_JIANHUA_ID = residentId('441302', '19680315', '051');
const HUANG_JIANHUA = person('黄建华', HUANG_JIANHUA_ID);
const CHEN_WEI_HC = person('陈伟', residentId('441302', '19850722', '033'));
const CHEN_WEI_BL = person('陈伟', residentId('441322', '19920108', '117'));
const LIU_HAIYAN = person('刘海燕', residentId('441323', '19790916', '048'));
const LI_XIUYING = person('李秀英', residentId('441302', '19661127', '062'));
const LUO_GUOPING = person('罗国平', residentId('441324', '19830411', '079'));
const ZHONG_WENHUI = person('钟文辉', residentId('441303', '19940620', '015'));
const DENG_MEILING = person('邓美玲', residentId('441302', '19910813', '126'));

// ---------------------------------------------------------------------------------------------
// Records, in the catalog's item order, built on scripts/penalty-rows.ts.

type Rec = Record<string, string>;
const plusYears = (date: string, years: number): string => `${Number(date.slice(0, 4)) + years}${date.slice(4)}`;

interface Case { wfxw: string; sy: string; yj: string; lb: string; nr: string; fk?: string; wf?: string; zk?: string }

/** The 双公示 identity items of an entity, under the subject's code prefix (CF_ 行政处罚, XK_ 行政许可). */
function identityCells(prefix: 'CF' | 'XK', who: Entity): Rec {
  const isPerson = who.kind === '自然人';
  const cells: Rec = {
    XDR_MC: who.name, XDR_LB: who.kind,
    XDR_SHXYM: who.uscc ?? '', XDR_GSZC: who.regNo ?? '', XDR_ZZJG: who.orgCode ?? '',
    FRDB: isPerson ? '' : who.rep ?? '', FR_ZJLX: !isPerson && who.repId ? '身份证' : '', FR_ZJHM: isPerson ? '' : who.repId ?? '',
    XDR_ZJLX: isPerson ? '身份证' : '', XDR_ZJHM: isPerson ? who.id! : '',
  };
  return Object.fromEntries(Object.entries(cells).map(([k, v]) => [`${prefix}_${k}`, v]));
}

/** One 行政处罚 record: penaltyRow's shape, the entity's identity, the unit as 处罚机关 and 数据来源单位. */
function penalty(n: number, by: Unit, who: Entity, c: Case, wsh: string, date: string, changes: Rec = {}): Rec {
  const base = penaltyRow(n);
  const r: Rec = Object.fromEntries(PENALTY_ITEMS.map((item, i) => [item.code, base[i]!]));
  Object.assign(r, identityCells('CF', who), {
    CF_WSH: wsh, CF_WFXW: c.wfxw, CF_SY: c.sy, CF_YJ: c.yj, CF_CFLB: c.lb, CF_NR: c.nr,
    CF_NR_FK: c.fk ?? '', CF_NR_WFFF: c.wf ?? '', CF_NR_ZKDX: c.zk ?? '',
    CF_JDRQ: date, CF_YXQ: plusYears(date, 1), CF_GSJZQ: plusYears(date, 3),
    CF_CFJG: by.name, CF_CFJGDM: by.uscc, CF_SJLY: by.name, CF_SJLYDM: by.uscc, BZ: '',
  }, changes);
  return r;
}

interface Licence { ws: string; lb: string; zs: string; bh: string; nr: string; years: number }

/** One 行政许可 record: licensingRow's shape, the entity's identity, the unit as 许可机关 and 数据来源单位. */
function licence(n: number, by: Unit, who: Entity, l: Licence, wsh: string, date: string, changes: Rec = {}): Rec {
  const base = licensingRow(n, who.name);
  const r: Rec = Object.fromEntries(LICENSING_ITEMS.map((item, i) => [item.code, base[i]!]));
  Object.assign(r, identityCells('XK', who), {
    XK_XKWS: l.ws, XK_WSH: wsh, XK_XKLB: l.lb, XK_XKZS: l.zs, XK_XKBH: l.bh, XK_NR: l.nr,
    XK_JDRQ: date, XK_YXQZ: date, XK_YXQZI: plusYears(date, l.years),
    XK_XKJG: by.name, XK_XKJGDM: by.uscc, XK_ZT: '有效', XK_LYDW: by.name, XK_LYDWDM: by.uscc, BZ: '',
  }, changes);
  return r;
}

const penaltyCells = (r: Rec): string[] => PENALTY_ITEMS.map((i) => r[i.code] ?? '');
const licenceCells = (r: Rec): string[] => LICENSING_ITEMS.map((i) => r[i.code] ?? '');

// ---------------------------------------------------------------------------------------------
// Writers: the bytes each kind of unit system produces.

const files = new Map<string, Buffer>();
function put(night: string, unitCode: string, name: string, bytes: Buffer): Buffer {
  const path = join(ROOT, night, unitCode, name);
  if (files.has(path)) throw new Error(`${path} written twice`);
  files.set(path, bytes);
  return bytes;
}

/** Excel pads every row of the used range; a title row sits above the header. */
const padded = (first: string, width: number): string[] => [first, ...Array<string>(width - 1).fill('')];

function workbook(sheets: { name: string; rows: string[][]; title?: string }[], bookType: 'xlsx' | 'biff8'): Buffer {
  const wb = XLSX.utils.book_new();
  for (const s of sheets) {
    const aoa = s.title !== undefined ? [[s.title], ...s.rows] : s.rows;
    const ws = XLSX.utils.aoa_to_sheet(aoa);
    if (s.title !== undefined) ws['!merges'] = [{ s: { r: 0, c: 0 }, e: { r: 0, c: 8 } }];
    XLSX.utils.book_append_sheet(wb, ws, s.name);
  }
  return XLSX.write(wb, { type: 'buffer', bookType, compression: true }) as Buffer;
}

function htmlTable(title: string, rows: string[][]): string {
  const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  // Codes as text, the way these exports mark them so Excel keeps leading zeros.
  const cell = (v: string) => `<td style="mso-number-format:'\\@'">${esc(v)}</td>`;
  return `<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">
<head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>${esc(title)}</title></head>
<body>
<table border="1" cellspacing="0">
<tr><td colspan="${rows[0]!.length}" align="center"><b>${esc(title)}</b></td></tr>
${rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('\n')}
</table>
</body></html>
`;
}

function columnType(item: DataItem, dialect: 'mysql' | 'postgres'): string {
  if (item.type === 'decimal') return `decimal(${item.precision ?? 18},${item.scale ?? 6})`;
  if (item.type === 'date') return 'date';
  const length = item.length ?? 50;
  if (length > 1000) return 'text';
  return dialect === 'mysql' ? `varchar(${length})` : `character varying(${length})`;
}
const nullIfEmpty = (v: string | undefined): string | null => (v === undefined || v === '' ? null : v);

/** mysqldump of one table whose columns are the subject's item codes, rows as the unit's system stored them. */
async function mysqlDump(database: string, table: string, subjectItems: DataItem[], records: Rec[]): Promise<Buffer> {
  const db = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', multipleStatements: true });
  await db.query(`DROP DATABASE IF EXISTS ${database}; CREATE DATABASE ${database} CHARACTER SET utf8mb4; USE ${database}`);
  const columns = subjectItems.map((i) => `\`${i.code}\` ${columnType(i, 'mysql')} ${i.required === true ? 'NOT NULL' : 'DEFAULT NULL'} COMMENT '${i.name}'`);
  await db.query(`CREATE TABLE ${table} (${columns.join(', ')}, PRIMARY KEY (CF_WSH, CF_CFJGDM)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
  for (const r of records) {
    await db.query(`INSERT INTO ${table} SET ?`, [Object.fromEntries(subjectItems.map((i) => [i.code, nullIfEmpty(r[i.code])]))]);
  }
  await db.end();
  const out = execFileSync('mysqldump', ['-h', '127.0.0.1', '-u', 'root', '--skip-dump-date', database, table], { maxBuffer: 1 << 26 });
  const drop = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
  await drop.query(`DROP DATABASE ${database}`);
  await drop.end();
  return out;
}

/** pg_dump of one table (COPY, or --inserts) whose columns are the subject's item codes in lower case, as PostgreSQL folds them. */
async function pgDump(database: string, table: string, subjectItems: DataItem[], key: string[], records: Rec[], inserts: boolean): Promise<Buffer> {
  const connect = (name: string) => knex({ client: 'pg', connection: { host: '127.0.0.1', port: 5432, user: 'postgres', database: name } });
  const admin = connect('test');
  await admin.raw(`DROP DATABASE IF EXISTS ${database}`);
  await admin.raw(`CREATE DATABASE ${database} ENCODING 'UTF8' TEMPLATE template0`);
  const db = connect(database);
  const columns = subjectItems.map((i) => `${i.code.toLowerCase()} ${columnType(i, 'postgres')}${i.required === true ? ' NOT NULL' : ''}`);
  await db.raw(`CREATE TABLE ${table} (${columns.join(', ')}, PRIMARY KEY (${key.map((k) => k.toLowerCase()).join(', ')}))`);
  for (const i of subjectItems) await db.raw(`COMMENT ON COLUMN ${table}.${i.code.toLowerCase()} IS '${i.name}'`);
  for (const r of records) await db(table).insert(Object.fromEntries(subjectItems.map((i) => [i.code.toLowerCase(), nullIfEmpty(r[i.code])])));
  await db.destroy();
  const out = execFileSync('pg_dump', ['-h', '127.0.0.1', '-U', 'postgres', `--restrict-key=${RESTRICT_KEY}`, ...(inserts ? ['--inserts'] : []), '-t', `public.${table}`, database], { maxBuffer: 1 << 26 });
  await admin.raw(`DROP DATABASE ${database}`);
  await admin.destroy();
  return out;
}

// ---------------------------------------------------------------------------------------------
// The units and their cases.

const SCJG = unit('SCJG');
const STHJ = unit('STHJ');
const GAJ = unit('GAJ');
const ZWSJ = unit('ZWSJ');
const SWJ = unit('SWJ');
const ZJJ = unit('ZJJ');
const YCJ = unit('YCJ');
const WGLTJ = unit('WGLTJ');
const JTYSJ = unit('JTYSJ');
const TJJ = unit('TJJ');
const XFJY = unit('XFJY');
const CGJ = unit('CGJ');
const WJJ = unit('WJJ');

const CASE = {
  falseAd: { wfxw: '虚假宣传', sy: '当事人在其网店商品详情页发布“行业销量第一”“通过欧盟认证”等无法证实的宣传内容。', yj: '《中华人民共和国反不正当竞争法》第二十条第一款', lb: '警告;罚款', nr: '警告，并处罚款人民币20000元', fk: '2' },
  noFoodLicence: { wfxw: '未取得食品经营许可从事食品经营', sy: '当事人未取得食品经营许可，在其仓库内从事预包装食品批发活动，货值金额共计8600元。', yj: '《中华人民共和国食品安全法》第一百二十二条第一款', lb: '罚款;没收违法所得', nr: '没收违法所得1350元，并处罚款人民币50000元', fk: '5', wf: '0.135' },
  substandard: { wfxw: '销售不合格产品', sy: '当事人销售经抽检不合格的白酒6瓶，货值金额共计720元。', yj: '《中华人民共和国产品质量法》第四十九条', lb: '罚款;没收违法所得', nr: '没收违法所得240元，并处罚款人民币2000元', fk: '0.2', wf: '0.024' },
  annualReport: { wfxw: '未按规定公示年度报告', sy: '当事人未按照规定的期限公示2025年度报告，经责令仍未改正。', yj: '《企业信息公示暂行条例》第十八条', lb: '警告', nr: '警告' },
  unlicensed: { wfxw: '无照经营', sy: '当事人未取得营业执照，在惠城区江北街道从事水果零售。', yj: '《无证无照经营查处办法》第十三条', lb: '罚款', nr: '罚款人民币2000元', fk: '0.2' },
  weights: { wfxw: '使用未经检定的计量器具', sy: '当事人在经营中使用未经检定的电子计价秤2台。', yj: '《中华人民共和国计量法实施细则》第四十三条', lb: '罚款', nr: '罚款人民币1000元', fk: '0.1' },
  airEmission: { wfxw: '超标排放大气污染物', sy: '当事人电镀生产线废气排放口铬酸雾浓度超过《电镀污染物排放标准》限值0.6倍。', yj: '《中华人民共和国大气污染防治法》第九十九条第二项', lb: '罚款', nr: '罚款人民币200000元', fk: '20' },
  noEia: { wfxw: '建设项目未依法报批环境影响评价文件擅自开工建设', sy: '当事人扩建造纸生产线项目未依法报批环境影响评价文件即开工建设。', yj: '《中华人民共和国环境影响评价法》第三十一条第一款', lb: '罚款', nr: '罚款人民币186000元', fk: '18.6' },
  waterDischarge: { wfxw: '通过暗管排放水污染物', sy: '当事人通过暗管将含铜废水直接排入市政雨水管网。', yj: '《中华人民共和国水污染防治法》第八十三条第三项', lb: '罚款;责令停产停业', nr: '责令停产整治，并处罚款人民币500000元', fk: '50' },
  noiseNight: { wfxw: '夜间施工噪声污染', sy: '当事人未取得夜间施工证明，于22时至次日6时进行产生环境噪声污染的施工作业。', yj: '《中华人民共和国噪声污染防治法》第七十七条', lb: '罚款', nr: '罚款人民币50000元', fk: '5' },
  fight: { wfxw: '殴打他人', sy: '违法行为人因停车纠纷，在惠城区下埔路殴打他人，致一人轻微伤。', yj: '《中华人民共和国治安管理处罚法》第四十三条第一款', lb: '行政拘留;罚款', nr: '行政拘留七日，并处罚款人民币500元', fk: '0.05' },
  gambling: { wfxw: '参与赌博', sy: '违法行为人在博罗县罗阳街道某出租屋内以“斗地主”方式参与赌博，赌资较大。', yj: '《中华人民共和国治安管理处罚法》第七十条', lb: '行政拘留;罚款', nr: '行政拘留五日，并处罚款人民币500元', fk: '0.05' },
  noise: { wfxw: '制造噪声干扰他人正常生活', sy: '违法行为人在居民楼内夜间使用大功率音响，经劝阻拒不改正。', yj: '《中华人民共和国治安管理处罚法》第五十八条', lb: '警告', nr: '警告' },
  ktvRegister: { wfxw: '娱乐场所未按规定登记从业人员信息', sy: '当事人未按规定建立从业人员名簿，未登记12名从业人员的身份信息。', yj: '《娱乐场所管理条例》第五十条', lb: '警告;罚款', nr: '警告，并处罚款人民币5000元', fk: '0.5' },
  lateFiling: { wfxw: '未按照规定期限办理纳税申报和报送纳税资料', sy: '当事人未按规定期限申报2026年9月增值税及附加税费。', yj: '《中华人民共和国税收征收管理法》第六十二条', lb: '罚款', nr: '罚款人民币2000元', fk: '0.2' },
  invoices: { wfxw: '未按规定开具发票', sy: '当事人销售货物未按规定开具发票，涉及金额36800元。', yj: '《中华人民共和国发票管理办法》第三十五条', lb: '罚款', nr: '罚款人民币5000元', fk: '0.5' },
  lostInvoices: { wfxw: '丢失发票', sy: '当事人丢失已开具的增值税普通发票3份。', yj: '《中华人民共和国发票管理办法》第三十六条', lb: '罚款', nr: '罚款人民币1000元', fk: '0.1' },
  noPermit: { wfxw: '未取得施工许可证擅自施工', sy: '当事人在未取得建筑工程施工许可证的情况下，擅自开工建设惠州市仲恺高新区厂房项目。', yj: '《建筑工程施工许可管理办法》第十二条', lb: '罚款', nr: '罚款人民币36000元（合同价款的1%）', fk: '3.6' },
  safety: { wfxw: '施工现场安全防护不到位', sy: '当事人承建项目的外脚手架未按规定设置连墙件，临边未设置防护栏杆。', yj: '《建设工程安全生产管理条例》第六十五条', lb: '罚款', nr: '罚款人民币20000元', fk: '2' },
  acceptance: { wfxw: '未组织竣工验收擅自交付使用', sy: '当事人开发的住宅项目未组织竣工验收即交付业主使用。', yj: '《建设工程质量管理条例》第五十八条', lb: '罚款', nr: '罚款人民币120000元', fk: '12' },
  wages: { wfxw: '未按规定设立农民工工资专用账户', sy: '当事人承建的项目未按规定开设农民工工资专用账户。', yj: '《保障农民工工资支付条例》第五十五条', lb: '警告;罚款', nr: '警告，并处罚款人民币10000元', fk: '1' },
  minors: { wfxw: '互联网上网服务营业场所接纳未成年人', sy: '当事人经营的网吧于2026年11月22日21时接纳3名未成年人进入上网。', yj: '《互联网上网服务营业场所管理条例》第三十一条', lb: '警告;罚款', nr: '警告，并处罚款人民币10000元', fk: '1' },
  noShowPermit: { wfxw: '未经批准擅自举办营业性演出', sy: '当事人未经文化和旅游主管部门批准，在惠州市江北某酒吧举办营业性演出。', yj: '《营业性演出管理条例》第四十四条', lb: '没收违法所得;罚款', nr: '没收违法所得8000元，并处罚款人民币40000元', fk: '4', wf: '0.8' },
  performer: { wfxw: '擅自从事营业性演出经营活动', sy: '当事人未取得营业性演出许可证，组织演员在惠城区某婚宴酒店从事营业性演出经营活动。', yj: '《营业性演出管理条例》第四十三条', lb: '罚款', nr: '罚款人民币30000元', fk: '3' },
  illegalTaxi: { wfxw: '未取得道路运输经营许可擅自从事道路运输经营', sy: '当事人驾驶粤L·5K3××号小型轿车，未取得道路运输经营许可擅自从事旅客运输经营。', yj: '《中华人民共和国道路运输条例》第六十三条', lb: '罚款', nr: '罚款人民币30000元', fk: '3' },
  overload: { wfxw: '车辆违法超限运输', sy: '当事人所属粤L·D62××号货车车货总重超过限定标准8.6吨，违法超限运输。', yj: '《公路安全保护条例》第六十六条', lb: '罚款', nr: '罚款人民币3000元', fk: '0.3' },
  noDriverCert: { wfxw: '未取得从业资格证从事道路运输', sy: '当事人未取得道路运输从业人员从业资格证，驾驶营运客车从事道路运输。', yj: '《道路运输从业人员管理规定》第四十七条', lb: '罚款', nr: '罚款人民币200元', fk: '0.02' },
  fireEquipment: { wfxw: '消防设施、器材未保持完好有效', sy: '当事人经营场所内室内消火栓无水，火灾自动报警系统处于故障状态。', yj: '《中华人民共和国消防法》第六十条第一款第一项', lb: '罚款', nr: '罚款人民币5000元', fk: '0.5' },
  fireExit: { wfxw: '占用、堵塞、封闭疏散通道、安全出口', sy: '当事人经营场所二楼安全出口被货物堵塞。', yj: '《中华人民共和国消防法》第六十条第一款第三项', lb: '罚款', nr: '罚款人民币8000元', fk: '0.8' },
  falseStats: { wfxw: '提供不真实统计资料', sy: '当事人报送的2025年统计年报中营业收入数据与财务账册不符，虚报12.6%。', yj: '《中华人民共和国统计法》第四十一条', lb: '警告;罚款', nr: '警告，并处罚款人民币20000元', fk: '2' },
  streetTrading: { wfxw: '擅自占用城市道路经营', sy: '当事人未经批准在店铺门前人行道摆放桌椅占道经营，面积约12平方米。', yj: '《广东省城乡生活垃圾管理条例》第七十七条', lb: '罚款', nr: '罚款人民币500元', fk: '0.05' },
  digging: { wfxw: '未经批准擅自挖掘城市道路', sy: '当事人未经批准在演达大道辅道挖掘城市道路铺设管线。', yj: '《城市道路管理条例》第四十二条', lb: '罚款', nr: '罚款人民币20000元', fk: '2' },
  garbage: { wfxw: '未按规定分类投放生活垃圾', sy: '当事人将餐厨垃圾混入其他垃圾投放，经责令改正后仍未改正。', yj: '《广东省城乡生活垃圾管理条例》第八十四条', lb: '罚款', nr: '罚款人民币1000元', fk: '0.1' },
} satisfies Record<string, Case>;

const LICENCE = {
  food: { ws: '食品经营许可决定书', lb: '普通', zs: '食品经营许可证', bh: '', nr: '预包装食品（含冷藏冷冻食品）销售；热食类食品制售', years: 5 },
  foodWholesale: { ws: '食品经营许可决定书', lb: '普通', zs: '食品经营许可证', bh: '', nr: '预包装食品（含冷藏冷冻食品）销售；散装食品（不含冷藏冷冻食品）销售', years: 5 },
  drugs: { ws: '药品经营许可决定书', lb: '普通', zs: '药品经营许可证', bh: '粤CB7520386', nr: '中成药、化学药制剂、抗生素制剂、生化药品', years: 5 },
  lift: { ws: '特种设备使用登记决定书', lb: '登记', zs: '特种设备使用登记证', bh: '梯11粤LC00386(26)', nr: '曳引驱动乘客电梯使用登记', years: 5 },
  building: { ws: '建筑工程施工许可决定书', lb: '普通', zs: '建筑工程施工许可证', bh: '', nr: '', years: 3 },
  transport: { ws: '道路运输经营许可决定书', lb: '普通', zs: '道路运输经营许可证', bh: '', nr: '道路普通货物运输；货物专用运输（集装箱）', years: 4 },
  tobacco: { ws: '烟草专卖零售许可决定书', lb: '特许', zs: '烟草专卖零售许可证', bh: '', nr: '卷烟、雪茄烟零售', years: 5 },
  driver: { ws: '道路运输从业人员从业资格准予许可决定书', lb: '认可', zs: '道路运输从业人员从业资格证', bh: '', nr: '经营性道路旅客运输驾驶员', years: 6 },
  hygiene: { ws: '公共场所卫生许可决定书', lb: '普通', zs: '公共场所卫生许可证', bh: '', nr: '', years: 4 },
} satisfies Record<string, Licence>;
const withNo = (l: Licence, bh: string, nr?: string): Licence => ({ ...l, bh, ...(nr !== undefined && { nr }) });

const FULL_WIDTH = (s: string) => s.replace(/[0-9A-Z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
/** A USCC with its check character changed to another valid symbol: the kind of typo the check exists for. */
const wrongCheck = (code: string): string => code.slice(0, 17) + (code[17] === '0' ? '1' : '0');

// ---------------------------------------------------------------------------------------------
// Night 1 — 2026-11-25: decisions of 2026-11-24 (and a few days before) from six units.

// SCJG 行政处罚, xlsx as the market-regulation case system exports it: a title row, then the header.
const scjgHongda = penalty(1, SCJG, HONGDA, CASE.falseAd, '惠市监罚〔2026〕1187号', '2026-11-24');
const scjgYuehui = penalty(2, SCJG, YUEHUI, CASE.noFoodLicence, '惠市监罚〔2026〕1188号', '2026-11-24');
const scjgN1 = [
  scjgHongda,
  scjgYuehui,
  penalty(3, SCJG, JINSHAN_SHOP, CASE.substandard, '惠市监罚〔2026〕1189号', '2026-11-24'),
  penalty(4, SCJG, DONGJIANG, CASE.annualReport, '惠市监罚〔2026〕1190号', '2026-11-24', { CF_GSJZQ: '2027-02-24' }),
  penalty(5, SCJG, LI_XIUYING, CASE.unlicensed, '惠市监罚〔2026〕1191号', '2026-11-23'),
  penalty(6, SCJG, HUAXIN, CASE.weights, '惠市监罚〔2026〕1192号', '2026-11-23'),
];
put(N1, 'SCJG', '行政处罚信息_20261124.xlsx', workbook([{ name: '行政处罚', title: `${SCJG.name}行政处罚信息（2026年11月24日）`, rows: [PENALTY_HEADER, ...scjgN1.map(penaltyCells)] }], 'xlsx'));

// SCJG 行政许可, "CSV UTF-8" as Excel saves it (BOM, CRLF). 阿强客家菜馆 carries its USCC and its
// old registration number: the record that ties the two together.
const xihuFood = licence(1, SCJG, XIHU, withNo(LICENCE.food, 'JY24413020386521'), '惠市监许〔2026〕3307号', '2026-11-24');
const scjgLicN1 = [
  xihuFood,
  licence(2, SCJG, A_QIANG, withNo(LICENCE.food, 'JY24413220215873', '热食类食品制售'), '惠市监许〔2026〕3308号', '2026-11-24'),
  licence(3, SCJG, YUEHUI, withNo(LICENCE.foodWholesale, 'JY14413020386534'), '惠市监许〔2026〕3309号', '2026-11-24'),
  licence(4, SCJG, KANGNING, LICENCE.drugs, '惠市监许〔2026〕3310号', '2026-11-21'),
  licence(5, SCJG, YONGSHENG, LICENCE.lift, '惠市监许〔2026〕3311号', '2026-11-21'),
];
put(N1, 'SCJG', '行政许可信息_20261124.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(delimited([LICENSING_HEADER, ...scjgLicN1.map(licenceCells)], ',', '\r\n'), 'utf8')]));

// STHJ 行政处罚, BIFF8 .xls from an old environmental enforcement system. Sent again on night 3.
const sthjN1 = [
  penalty(11, STHJ, JINSHAN_PLATING, CASE.airEmission, '惠市环罚〔2026〕186号', '2026-11-24'),
  penalty(12, STHJ, DERUN, CASE.noEia, '惠市环（博）罚〔2026〕47号', '2026-11-24'),
  penalty(13, STHJ, LIANCHUANG, CASE.waterDischarge, '惠市环（阳）罚〔2026〕52号', '2026-11-24'),
  penalty(14, STHJ, HONGTU, CASE.noiseNight, '惠市环罚〔2026〕187号', '2026-11-20'),
];
const sthjXls = put(N1, 'STHJ', '行政处罚_20261124.xls', workbook([{ name: 'Sheet1', rows: [PENALTY_HEADER, ...sthjN1.map(penaltyCells)] }], 'biff8'));

// SWJ 行政处罚, GBK CSV as Excel on Chinese Windows saves it: title row, padded to the used range.
const swjN1 = [
  penalty(21, SWJ, HENGTONG, CASE.lateFiling, '惠税稽罚〔2026〕512号', '2026-11-24'),
  penalty(22, SWJ, LIANFA, CASE.invoices, '惠税稽罚〔2026〕513号', '2026-11-24'),
  penalty(23, SWJ, XINYUAN, CASE.lostInvoices, '惠税稽罚〔2026〕514号', '2026-11-24'),
  penalty(24, SWJ, NANLING, CASE.lateFiling, '惠税稽罚〔2026〕515号', '2026-11-24'),
];
put(N1, 'SWJ', '行政处罚信息20261124.csv', iconv.encode(delimited([
  padded(`${SWJ.name}行政处罚信息公示（2026年11月24日）`, PENALTY_HEADER.length),
  PENALTY_HEADER,
  ...swjN1.map(penaltyCells),
], ',', '\r\n'), 'gbk'));

// ---------------------------------------------------------------------------------------------
// Night 2 — 2026-11-26.

// SCJG 行政处罚, plain UTF-8 CSV (no BOM, LF) from the same system's "export changes" button:
// 鸿达's penalty corrected (罚款 2万元 → 1.5万元), 粤惠's sent again unchanged, three new ones.
const scjgN2 = [
  { ...scjgHongda, CF_NR: '警告，并处罚款人民币15000元', CF_NR_FK: '1.5', BZ: '经复核更正罚款金额' },
  scjgYuehui,
  penalty(7, SCJG, BAIJIALE, CASE.weights, '惠市监罚〔2026〕1193号', '2026-11-25'),
  penalty(8, SCJG, HAOLINJU, CASE.substandard, '惠市监罚〔2026〕1194号', '2026-11-25'),
  penalty(9, SCJG, DENG_MEILING, CASE.unlicensed, '惠市监罚〔2026〕1195号', '2026-11-25'),
];
put(N2, 'SCJG', '行政处罚信息_20261125.csv', Buffer.from(delimited([PENALTY_HEADER, ...scjgN2.map(penaltyCells)], ',', '\n'), 'utf8'));

// ZJJ 行政处罚, GBK CSV typed by hand: dirt cleanse repairs, rows it rejects, a repeated row.
// File rows: 1 title, 2 header, 3… data (data row k is file row k + 2).
const zjjHongtu = penalty(31, ZJJ, HONGTU, CASE.safety, '惠市建罚〔2026〕219号', '2026-11-25');
const zjjN2: { rec: Rec; note: string }[] = [
  { rec: zjjHongtu, note: 'clean' },
  { rec: penalty(32, ZJJ, HUIJIAN, CASE.wages, '惠市建罚〔2026〕220号', '2026-11-25', { CF_XDR_SHXYM: FULL_WIDTH(HUIJIAN.uscc!) }), note: 'full-width USCC → repaired' },
  { rec: penalty(33, ZJJ, JIAHE, CASE.acceptance, '惠市建罚〔2026〕221号', '2026-11-25', { CF_JDRQ: '2026年11月25日', CF_YXQ: '2027年11月25日' }), note: '2026年11月25日 dates → repaired' },
  { rec: penalty(34, ZJJ, ANJU, { ...CASE.safety, nr: '罚款人民币20000元' }, '惠市建罚〔2026〕222号', '2026-11-25', { CF_NR_FK: '罚款20000元', BZ: '无' }), note: '罚款20000元 → 2 (万元); 备注 无 → empty' },
  { rec: penalty(35, ZJJ, PINGHAI, CASE.noPermit, '惠市建罚〔2026〕223号', '2026-11-24', { CF_NR_WFFF: '/', CF_GSJZQ: '/', BZ: '—' }), note: 'empty markers / and — → empty' },
  { rec: penalty(36, ZJJ, YONGHAN, CASE.wages, '惠市建罚〔2026〕224号', '2026-11-24', { CF_JDRQ: '2026.11.24', CF_YXQ: '20271124', CF_XDR_MC: ` ${YONGHAN.name} ` }), note: '2026.11.24 and 20271124 dates, padded name → repaired' },
  { rec: penalty(37, ZJJ, XINCHENG, { ...CASE.safety, lb: '警告、罚款' }, '惠市建罚〔2026〕225号', '2026-11-24'), note: '处罚类别 警告、罚款 → 警告;罚款' },
  { rec: penalty(38, ZJJ, DONGJIANG, CASE.noPermit, '惠市建罚〔2026〕226号', '2026-11-24', { CF_XDR_SHXYM: wrongCheck(DONGJIANG.uscc!) }), note: 'REJECTED: USCC fails its check character' },
  { rec: penalty(39, ZJJ, HUAXIN, CASE.safety, '惠市建罚〔2026〕227号', '2026-02-30', { CF_YXQ: '2027-02-28', CF_GSJZQ: '2029-02-28' }), note: 'REJECTED: 处罚决定日期 2026-02-30' },
  { rec: penalty(40, ZJJ, { ...LIANCHUANG, uscc: undefined, orgCode: LIANCHUANG.uscc!.slice(8, 16) + '-' + LIANCHUANG.uscc![16] }, CASE.wages, '惠市建罚〔2026〕228号', '2026-11-23'), note: 'REJECTED: 法人 with only its 组织机构代码, 统一社会信用代码 empty' },
  { rec: penalty(41, ZJJ, HONGDA, CASE.safety, '惠市建罚〔2026〕229号', '2026-11-23', { CF_SY: '' }), note: 'REJECTED: 违法事实 empty' },
  { rec: zjjHongtu, note: 'DUPLICATE: same 文书号 + 机关 as file row 3' },
  { rec: penalty(42, ZJJ, JINSHAWAN, CASE.acceptance, '惠市建罚〔2026〕230号', '2026-11-23', { CF_NR_FK: '12万元' }), note: '12万元 → 12' },
  { rec: penalty(43, ZJJ, KUAIYUN, CASE.safety, '惠市建罚〔2026〕231号', '2026-11-23', { CF_XDR_LB: '法人' }), note: '类别 法人 → 法人及非法人组织 (alias)' },
  { rec: penalty(44, ZJJ, HENGTONG, CASE.noiseNight, '惠市建罚〔2026〕232号', '2026-11-23', { CF_YJ: '《建设工程施工现场管理规定》第三十二条', CF_GSJZQ: '无' }), note: '公示截止期 无 → empty' },
  { rec: penalty(45, ZJJ, NANLING, CASE.wages, '惠市建罚〔2026〕233号', '2026-11-22'), note: 'clean' },
];
put(N2, 'ZJJ', '行政处罚信息（11月25日）.csv', iconv.encode(delimited([
  padded(`${ZJJ.name}行政处罚信息`, PENALTY_HEADER.length),
  PENALTY_HEADER,
  ...zjjN2.map((z) => penaltyCells(z.rec)),
], ',', '\r\n'), 'gbk'));

// YCJ 行政许可, an HTML table saved as .xls (GBK) by the tobacco monopoly's licensing system. 金山烟酒商行
// is known there only by the organisation code it had before 2015.
const ycjN2 = [
  licence(51, YCJ, { ...JINSHAN_SHOP, uscc: undefined, orgCode: `${JINSHAN_SHOP_ORG}-${orgCode(JINSHAN_SHOP_ORG).slice(8)}` }, withNo(LICENCE.tobacco, '441302112386', '卷烟、雪茄烟零售（延续）'), '惠烟专许〔2026〕1021号', '2026-11-25'),
  licence(52, YCJ, HAOLINJU, withNo(LICENCE.tobacco, '441302112387'), '惠烟专许〔2026〕1022号', '2026-11-25'),
  licence(53, YCJ, WANJIAFU, withNo(LICENCE.tobacco, '441323108514'), '惠烟专许〔2026〕1023号', '2026-11-25'),
  licence(54, YCJ, BAIJIALE, withNo(LICENCE.tobacco, '441302112388'), '惠烟专许〔2026〕1024号', '2026-11-25'),
];
put(N2, 'YCJ', 'xzxk_20261125.xls', iconv.encode(htmlTable(`${YCJ.name}行政许可信息`, [LICENSING_HEADER, ...ycjN2.map(licenceCells)]), 'gbk'));

// JTYSJ 行政许可, GB18030 tab-separated from the transport licensing system: the 东江物流 branch
// with its own USCC, 𠮷祥运输 (a character GBK lacks), a driver's certificate.
const jtysjLicN2 = [
  licence(61, JTYSJ, DONGJIANG_HUIYANG, withNo(LICENCE.transport, '粤交运管许可惠字441303013862号'), '惠市交许〔2026〕0862号', '2026-11-25'),
  licence(62, JTYSJ, JIXIANG, withNo(LICENCE.transport, '粤交运管许可惠字441303013863号'), '惠市交许〔2026〕0863号', '2026-11-25'),
  licence(63, JTYSJ, LUO_GUOPING, withNo(LICENCE.driver, '44130020260864'), '惠市交许〔2026〕0864号', '2026-11-25'),
  licence(64, JTYSJ, KUAIYUN, withNo(LICENCE.transport, '粤交运管许可惠字441302013864号'), '惠市交许〔2026〕0865号', '2026-11-24'),
];
put(N2, 'JTYSJ', '道路运输许可_20261125.tsv', iconv.encode(delimited([LICENSING_HEADER, ...jtysjLicN2.map(licenceCells)], '\t', '\r\n'), 'gb18030'));

// WGLTJ 行政处罚, a SQLite file from the culture bureau's case database: Chinese column names,
// amounts as REAL. 黄建华 appears with the 15-digit ID the old system kept.
const wgltjN2 = [
  penalty(71, WGLTJ, JISU, CASE.minors, '惠市文旅罚〔2026〕88号', '2026-11-25'),
  penalty(72, WGLTJ, XINGGUANG, CASE.noShowPermit, '惠市文旅罚〔2026〕89号', '2026-11-25'),
  penalty(73, WGLTJ, { ...HUANG_JIANHUA, id: residentId15(HUANG_JIANHUA_ID) }, CASE.performer, '惠市文旅罚〔2026〕90号', '2026-11-25'),
  penalty(74, WGLTJ, XINGKONG, CASE.minors, '惠市文旅罚〔2026〕91号', '2026-11-24'),
];

// TJJ 行政处罚: an xlsx cut off part-way through its upload.
const tjjN2 = [
  penalty(81, TJJ, LIANFA, CASE.falseStats, '惠统罚〔2026〕17号', '2026-11-25'),
  penalty(82, TJJ, YONGSHENG, CASE.falseStats, '惠统罚〔2026〕18号', '2026-11-25'),
  penalty(83, TJJ, HENGTONG, CASE.falseStats, '惠统罚〔2026〕19号', '2026-11-25'),
];
{
  const whole = workbook([{ name: '行政处罚', rows: [PENALTY_HEADER, ...tjjN2.map(penaltyCells)] }], 'xlsx');
  put(N2, 'TJJ', '行政处罚_20261125.xlsx', whole.subarray(0, Math.floor(whole.length * 0.6)));
}

// ---------------------------------------------------------------------------------------------
// Night 3 — 2026-11-27.

// STHJ sends night 1's file again, byte for byte, under the name the mail client gave the copy.
put(N3, 'STHJ', '行政处罚_20261124(1).xls', sthjXls);

// SCJG 行政许可 (CSV UTF-8 again): 西湖餐饮's food licence withdrawn (当前状态 无效), two new licences.
const scjgLicN3 = [
  { ...xihuFood, XK_ZT: '无效', BZ: '经营者申请注销，2026年11月26日注销' },
  licence(6, SCJG, LAOCHEN, withNo(LICENCE.food, 'JY24413020386612', '热食类食品制售'), '惠市监许〔2026〕3352号', '2026-11-26'),
  licence(7, SCJG, HONGDA, LICENCE.lift, '惠市监许〔2026〕3353号', '2026-11-26'),
];
put(N3, 'SCJG', '行政许可信息_20261126.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(delimited([LICENSING_HEADER, ...scjgLicN3.map(licenceCells)], ',', '\r\n'), 'utf8')]));

// XFJY 行政处罚, xlsx from a new case system whose export left 违法事实 and 处罚依据 empty for most
// rows: far past the pipeline's error limit, so the file is quarantined whole.
const xfjyN3 = FIRE.map((who, k) => penalty(91 + k, XFJY, who, k % 2 === 0 ? CASE.fireEquipment : CASE.fireExit,
  `惠市消行罚决字〔2026〕${String(3061 + k).padStart(4, '0')}号`, '2026-11-26', k < 2 ? {} : { CF_SY: '', CF_YJ: '' }));
put(N3, 'XFJY', '行政处罚决定_20261126.xlsx', workbook([{ name: '处罚决定', rows: [PENALTY_HEADER, ...xfjyN3.map(penaltyCells)] }], 'xlsx'));

// RSJ sends its payroll sheet by mistake: a GBK CSV no data subject of the catalog explains.
put(N3, 'RSJ', '工资发放明细_202611.csv', iconv.encode(delimited([
  ['序号', '工号', '姓名', '科室', '岗位等级', '基本工资', '绩效工资', '应发合计', '个人所得税', '实发金额', '发放月份'],
  ['1', 'RS0012', '陈志强', '办公室', '八级职员', '5860.00', '3200.00', '9060.00', '126.00', '8934.00', '2026-11'],
  ['2', 'RS0027', '林秀英', '就业促进科', '九级职员', '5320.00', '3000.00', '8320.00', '84.00', '8236.00', '2026-11'],
  ['3', 'RS0031', '黄国平', '劳动关系科', '七级职员', '6450.00', '3500.00', '9950.00', '189.00', '9761.00', '2026-11'],
  ['4', 'RS0045', '刘丽娟', '社会保险科', '九级职员', '5320.00', '2900.00', '8220.00', '78.00', '8142.00', '2026-11'],
], ',', '\r\n'), 'gbk'));

// CGJ 行政处罚, GBK CSV without a title row. 阿强客家菜馆 appears by its 15-digit registration number only.
const cgjN3 = [
  penalty(101, CGJ, { ...A_QIANG, uscc: undefined }, CASE.streetTrading, '惠市城执罚〔2026〕0731号', '2026-11-26'),
  penalty(102, CGJ, LAOCHEN, CASE.garbage, '惠市城执罚〔2026〕0732号', '2026-11-26'),
  penalty(103, CGJ, XINCHENG, CASE.digging, '惠市城执罚〔2026〕0733号', '2026-11-26'),
];
put(N3, 'CGJ', 'xzcf_20261126.csv', iconv.encode(delimited([PENALTY_HEADER, ...cgjN3.map(penaltyCells)], ',', '\r\n'), 'gbk'));

// WJJ 行政许可, xlsx: public-place hygiene licences.
const wjjN3 = [
  licence(111, WJJ, YUERONG, withNo(LICENCE.hygiene, '粤卫公证字〔2026〕第441302000786号', '住宿场所（宾馆）'), '惠市卫公许〔2026〕786号', '2026-11-26'),
  licence(112, WJJ, LIHUA, withNo(LICENCE.hygiene, '粤卫公证字〔2026〕第441302000787号', '美容美发场所'), '惠市卫公许〔2026〕787号', '2026-11-26'),
  licence(113, WJJ, JIANZHIYUAN, withNo(LICENCE.hygiene, '粤卫公证字〔2026〕第441303000788号', '游泳场（馆）'), '惠市卫公许〔2026〕788号', '2026-11-25'),
];
put(N3, 'WJJ', '公共场所卫生许可_20261126.xlsx', workbook([{ name: '行政许可', rows: [LICENSING_HEADER, ...wjjN3.map(licenceCells)] }], 'xlsx'));

// ---------------------------------------------------------------------------------------------
// The dumps and the SQLite file, written by the real tools.

// GAJ 行政处罚 (night 1): mysqldump of the public-security case system's publicity table. Two
// different people named 陈伟; 黄建华 with his 18-digit ID.
const gajN1 = [
  penalty(121, GAJ, HUANG_JIANHUA, CASE.fight, '惠公（江北）行罚决字〔2026〕10386号', '2026-11-24'),
  penalty(122, GAJ, CHEN_WEI_HC, CASE.gambling, '惠公（惠城）行罚决字〔2026〕10387号', '2026-11-24'),
  penalty(123, GAJ, CHEN_WEI_BL, CASE.gambling, '博公（罗阳）行罚决字〔2026〕05512号', '2026-11-24'),
  penalty(124, GAJ, LIU_HAIYAN, CASE.noise, '惠公（河南岸）行罚决字〔2026〕10390号', '2026-11-23'),
  penalty(125, GAJ, JINSHAWAN, CASE.ktvRegister, '惠公（治）行罚决字〔2026〕00216号', '2026-11-23'),
];
put(N1, 'GAJ', 'gaj_xzcf_20261124.sql', await mysqlDump('gaj_credit_nights', 'xzcf_gs', PENALTY_ITEMS, gajN1));

// ZWSJ 行政许可 (night 1): pg_dump (COPY) of the government-service centre's approvals table.
const zwsjN1 = [
  licence(131, ZWSJ, DONGJIANG, withNo(LICENCE.transport, '粤交运管许可惠字441302013801号'), '惠市政数许〔2026〕5101号', '2026-11-24'),
  licence(132, ZWSJ, HONGTU, withNo(LICENCE.building, '441302202611240101', '惠州市宏图商务中心1#楼，建筑面积26500平方米，合同价款9860万元'), '惠市政数许〔2026〕5102号', '2026-11-24'),
  licence(133, ZWSJ, JIAHE, withNo(LICENCE.building, '441302202611240102', '嘉禾·江岸花园二期3#、4#楼，建筑面积48200平方米，合同价款15600万元'), '惠市政数许〔2026〕5103号', '2026-11-24'),
  licence(134, ZWSJ, HUAXIN, { ...LICENCE.lift, ws: '建设工程规划许可决定书', lb: '核准', zs: '建设工程规划许可证', bh: '建字第441322202611001号', nr: '华鑫建材综合楼新建工程' }, '惠市政数许〔2026〕5104号', '2026-11-23'),
];
put(N1, 'ZWSJ', 'zwsj_xzxk_20261124.sql', await pgDump('zwsj_credit_nights', 'xzxk', LICENSING_ITEMS, ['XK_WSH', 'XK_XKJGDM'], zwsjN1, false));

// JTYSJ 行政处罚 (night 3): pg_dump --inserts of the transport enforcement database. The branch
// penalised under its own USCC; the 博罗 陈伟 again; 𠮷祥运输.
const jtysjN3 = [
  penalty(141, JTYSJ, DONGJIANG_HUIYANG, CASE.overload, '惠市交执罚〔2026〕2291号', '2026-11-26'),
  penalty(142, JTYSJ, CHEN_WEI_BL, CASE.illegalTaxi, '惠市交执罚〔2026〕2292号', '2026-11-26'),
  penalty(143, JTYSJ, ZHONG_WENHUI, CASE.noDriverCert, '惠市交执罚〔2026〕2293号', '2026-11-26'),
  penalty(144, JTYSJ, JIXIANG, CASE.overload, '惠市交执罚〔2026〕2294号', '2026-11-25'),
];
put(N3, 'JTYSJ', 'jtysj_xzcf_20261126.sql', await pgDump('jtysj_credit_nights', 'xzcf', PENALTY_ITEMS, ['CF_WSH', 'CF_CFJGDM'], jtysjN3, true));

// WGLTJ (night 2): the SQLite file.
{
  const scratch = join(ROOT, `.wgltj-${process.pid}.db`);
  rmSync(scratch, { force: true });
  mkdirSync(ROOT, { recursive: true });
  const db = new Database(scratch);
  const cols = PENALTY_ITEMS.map((i) => `"${i.name}" ${i.type === 'decimal' ? 'REAL' : 'TEXT'}${i.required === true ? ' NOT NULL' : ''}`);
  db.exec(`CREATE TABLE 行政处罚 (序号 INTEGER PRIMARY KEY, ${cols.join(', ')})`);
  const insert = db.prepare(`INSERT INTO 行政处罚 VALUES (?, ${PENALTY_ITEMS.map(() => '?').join(', ')})`);
  wgltjN2.forEach((r, k) => insert.run(k + 1, ...PENALTY_ITEMS.map((i) => {
    const v = r[i.code] ?? '';
    if (v === '') return null;
    return i.type === 'decimal' ? Number(v) : v;
  })));
  db.close();
  put(N2, 'WGLTJ', 'wgltj_xzcf.db', readFileSync(scratch));
  rmSync(scratch);
}

// ---------------------------------------------------------------------------------------------
// Write: the three nights are replaced whole (README.md beside them is kept).

for (const night of [N1, N2, N3]) rmSync(join(ROOT, night), { recursive: true, force: true });
for (const [path, bytes] of files) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}
let total = 0;
for (const night of [N1, N2, N3]) {
  for (const u of readdirSync(join(ROOT, night)).sort()) {
    for (const name of readdirSync(join(ROOT, night, u)).sort()) {
      const size = statSync(join(ROOT, night, u, name)).size;
      total += size;
      console.log(`${night}/${u}/${name}  ${size} bytes`);
    }
  }
}
console.log(`wrote ${files.size} files, ${total} bytes, under ${ROOT}`);
