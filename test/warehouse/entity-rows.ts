// Deliveries about a few entities known by different codes over two nights, shared by the
// registry's tests and `entity show`'s: a 个体工商户 first seen by its registration number and by
// its USCC apart (two entities), then with its organisation code and registration number together
// (they merge); a person by the 18- and then the 15-digit form of one resident ID.
import { orgCodeCheckChar, regNoCheckChar, residentIdCheckChar, usccCheckChar } from '../../src/validate/identifiers/checksums.js';
import { PENALTY_HEADER, penaltyRow } from '../../scripts/penalty-rows.js';

export const KEY = Buffer.alloc(32, 9);

export const ORG = `MA5X0001${orgCodeCheckChar('MA5X0001')}`;
export const USCC = `92441302${ORG}${usccCheckChar(`92441302${ORG}`)}`;
export const REG = `44130000001234${regNoCheckChar('44130000001234')}`;
export const ID15 = '441302880730303';
export const ID18 = `44130219880730303${residentIdCheckChar('44130219880730303')}`;
export const SHOP = '惠州市惠城区鸿达五金店';

/** A 行政处罚 row about a 个体工商户 or a person, with only the identifiers given. */
export function row(n: number, who: { lb: '个体工商户' | '自然人'; name: string; uscc?: string; org?: string; reg?: string; id?: string }): string[] {
  const cells = penaltyRow(n);
  const set = (name: string, value: string) => { cells[PENALTY_HEADER.indexOf(name)] = value; };
  set('行政相对人类别', who.lb);
  set('行政相对人名称', who.name);
  set('统一社会信用代码', who.uscc ?? '');
  set('组织机构代码', who.org ?? '');
  set('工商注册号', who.reg ?? '');
  set('税务登记号', '');
  set('法定代表人', '');
  set('法定代表人证件类型', '');
  set('法定代表人证件号码', '');
  set('证件类型', who.id ? '身份证' : '');
  set('证件号码', who.id ?? '');
  return cells;
}

export const FILE_1 = [
  row(1, { lb: '个体工商户', name: SHOP, reg: REG }),
  row(2, { lb: '个体工商户', name: SHOP, uscc: USCC }),
  row(3, { lb: '自然人', name: '陈伟', id: ID18 }),
];
export const FILE_2 = [
  row(4, { lb: '个体工商户', name: SHOP, org: ORG, reg: REG }),
  row(5, { lb: '自然人', name: '陈伟', id: ID15 }),
];

