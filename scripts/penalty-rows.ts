// Realistic 行政处罚 (XZCF) and 行政许可 (XZXK) rows for text fixtures and the memory measurement:
// headers are the v2 catalog's item names, codes carry valid check characters, and every value
// is fictional but shaped like a 惠州 unit's real export.
import { loadCatalog, type DataSubject } from '../src/catalog/index.js';
import { orgCodeCheckChar, residentIdCheckChar, usccCheckChar } from '../src/validate/identifiers/checksums.js';

const catalog = loadCatalog('v2');
function subject(code: string): DataSubject {
  const found = catalog.subjects.find((s) => s.code === code);
  if (!found) throw new Error(`catalog v2 has no data subject ${code}`);
  return found;
}
const penalty = subject('XZCF');
const licensing = subject('XZXK');
const authority = catalog.units.find((u) => u.code === 'SCJG')!;

export const PENALTY_HEADER = penalty.items.map((i) => i.name);
export const LICENSING_HEADER = licensing.items.map((i) => i.name);
export const PENALTY_AUTHORITY = authority.name;

/** A unified social credit code (GB 32100-2015) from its first 17 characters. */
export const uscc = (first17: string): string => first17 + usccCheckChar(first17)!;
/** An organisation code (GB 11714) from its 8-character body. */
export const orgCode = (body: string): string => body + orgCodeCheckChar(body)!;
/** A resident ID (GB 11643-1999) from its first 17 digits. */
const residentId = (first17: string): string => first17 + residentIdCheckChar(first17)!;

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length]!;
const SURNAMES = ['陈', '李', '张', '黄', '刘', '林', '叶', '钟', '罗', '邓', '何', '曾'];
const GIVEN = ['伟', '志强', '秀英', '海燕', '建华', '丽娟', '国平', '晓东', '美玲', '俊杰', '文辉', '少芬'];
const DISTRICTS = ['惠城区', '惠阳区', '博罗县', '惠东县', '龙门县', '大亚湾', '仲恺高新区'];
const TRADE_NAMES = ['鸿达', '粤惠', '东江', '西湖', '罗浮', '金山', '华鑫', '永盛', '联创', '宏图', '德润', '嘉禾'];
const INDUSTRIES = ['五金制品', '电子科技', '食品贸易', '建材', '餐饮管理', '物流', '服装', '医药连锁'];
const CASES = [
  { wfxw: '销售不合格产品', sy: '当事人在其经营场所销售经抽检不合格的插座，货值金额共计3600元。', yj: '《中华人民共和国产品质量法》第四十九条', lb: '罚款;没收违法所得', nr: '没收违法所得1200元，并处罚款2000元', fk: '0.2', wf: '0.12' },
  { wfxw: '未取得食品经营许可从事食品经营', sy: '当事人未取得食品经营许可，在惠州市辖区内从事预包装食品销售活动。', yj: '《中华人民共和国食品安全法》第一百二十二条', lb: '罚款', nr: '罚款人民币5000元', fk: '0.5', wf: '' },
  { wfxw: '虚假宣传', sy: '当事人在其微信公众号发布“全市销量第一”等无法证实的宣传内容。', yj: '《中华人民共和国反不正当竞争法》第二十条', lb: '警告;罚款', nr: '警告，并处罚款人民币20000元', fk: '2', wf: '' },
  { wfxw: '未按规定公示年度报告', sy: '当事人未按照规定的期限公示2018年度报告，经责令仍未改正。', yj: '《企业信息公示暂行条例》第十八条', lb: '警告', nr: '警告', fk: '', wf: '' },
];

/** One 行政处罚 row in catalog v2 item order; `n` picks the values. */
export function penaltyRow(n: number): string[] {
  const kind = n % 10 === 9 ? '自然人' : n % 10 >= 7 ? '个体工商户' : '法人及非法人组织';
  const person = pick(SURNAMES, n) + pick(GIVEN, n >> 2);
  const district = pick(DISTRICTS, n >> 1);
  const seq = String(n % 100_000).padStart(5, '0');
  const id = residentId(`441302${1960 + (n % 40)}${String(1 + (n % 12)).padStart(2, '0')}${String(1 + (n % 28)).padStart(2, '0')}${String(n % 1000).padStart(3, '0')}`);
  const c = pick(CASES, n >> 3);
  const month = String(1 + (n % 12)).padStart(2, '0');
  const day = String(1 + (n % 28)).padStart(2, '0');
  const org = kind !== '自然人';
  const values: Record<string, string> = {
    CF_XDR_MC: kind === '自然人' ? person
      : kind === '个体工商户' ? `${district}${pick(TRADE_NAMES, n >> 1)}${pick(INDUSTRIES, n)}店`
      : `惠州市${pick(TRADE_NAMES, n)}${pick(INDUSTRIES, n >> 1)}有限公司`,
    CF_XDR_LB: kind,
    CF_XDR_SHXYM: org ? uscc(`${kind === '个体工商户' ? '92' : '91'}441302${orgCode(`MA5${seq}`)}`) : '',
    CF_FRDB: org ? person : '',
    CF_FR_ZJLX: org ? '身份证' : '',
    CF_FR_ZJHM: org ? id : '',
    CF_XDR_ZJLX: org ? '' : '身份证',
    CF_XDR_ZJHM: org ? '' : id,
    CF_WSH: `惠市监罚字〔2019〕${1000 + (n % 9000)}号`,
    CF_WFXW: c.wfxw,
    CF_SY: c.sy,
    CF_YJ: c.yj,
    CF_CFLB: c.lb,
    CF_NR: c.nr,
    CF_NR_FK: c.fk,
    CF_NR_WFFF: c.wf,
    CF_JDRQ: `2019-${month}-${day}`,
    CF_YXQ: `2020-${month}-${day}`,
    CF_GSJZQ: n % 2 === 0 ? `2022-${month}-${day}` : '',
    CF_CFJG: authority.name,
    CF_CFJGDM: authority.uscc,
    CF_SJLY: authority.name,
    CF_SJLYDM: authority.uscc,
  };
  return penalty.items.map((i) => values[i.code] ?? '');
}

const LICENCES = [
  { name: '食品经营许可证', lb: '普通', nr: '预包装食品（含冷藏冷冻食品）销售，散装食品销售' },
  { name: '药品经营许可证', lb: '普通', nr: '中成药、化学药制剂、抗生素制剂、生化药品' },
  { name: '特种设备使用登记证', lb: '登记', nr: '电梯使用登记' },
];

/** One 行政许可 row in catalog v2 item order. */
export function licensingRow(n: number, holder: string): string[] {
  const l = pick(LICENCES, n);
  const values: Record<string, string> = {
    XK_XDR_MC: holder,
    XK_XDR_LB: '法人及非法人组织',
    XK_XDR_SHXYM: uscc(`91441302${orgCode(`MA4${String(n).padStart(5, '0')}`)}`),
    XK_FRDB: pick(SURNAMES, n) + pick(GIVEN, n + 3),
    XK_XKWS: `${l.name}准予许可决定书`,
    XK_WSH: `惠市监许〔2019〕${200 + n}号`,
    XK_XKLB: l.lb,
    XK_XKZS: l.name,
    XK_XKBH: `JY144130200${String(n).padStart(5, '0')}`,
    XK_NR: l.nr,
    XK_JDRQ: `2019-08-${String(10 + n).padStart(2, '0')}`,
    XK_YXQZ: `2019-08-${String(10 + n).padStart(2, '0')}`,
    XK_YXQZI: `2024-08-${String(9 + n).padStart(2, '0')}`,
    XK_XKJG: authority.name,
    XK_XKJGDM: authority.uscc,
    XK_ZT: '有效',
    XK_LYDW: authority.name,
    XK_LYDWDM: authority.uscc,
  };
  return licensing.items.map((i) => values[i.code] ?? '');
}

/** Rows as delimited text the way Excel writes it: a cell is quoted only when it holds the delimiter, a quote or a line break. */
export function delimited(rows: readonly (readonly string[])[], delimiter: string, eol: string): string {
  const quote = (cell: string): string =>
    cell.includes(delimiter) || /["\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
  return rows.map((row) => row.map(quote).join(delimiter) + eol).join('');
}
