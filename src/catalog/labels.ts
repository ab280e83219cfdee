// The Chinese words the credit centre prints for catalog enums, shared by `catalog show` and
// the published spreadsheet so both say the same thing.
import type { EntityType, Frequency, IdentityRole, ItemType, Openness } from './model.js';

export const ENTITY_TYPE_LABELS: Record<EntityType, string> = {
  org: '法人及非法人组织', 'individual-business': '个体工商户', person: '自然人', institution: '事业单位', 'social-org': '社会组织',
};
export const OPENNESS_LABELS: Record<Openness, string> = { public: '公开', authorised: '授权查询', government: '政务共享' };
export const FREQUENCY_LABELS: Record<Frequency, string> = {
  realtime: '实时', daily: '每日', weekly: '每周', monthly: '每月', quarterly: '每季度', yearly: '每年',
};
export const ITEM_TYPE_LABELS: Record<ItemType, string> = {
  string: '字符', integer: '整数', decimal: '数值', date: '日期', datetime: '日期时间', enum: '代码',
  uscc: '统一社会信用代码', 'org-code': '组织机构代码', 'reg-no': '工商注册号', 'tax-no': '税务登记号',
  'resident-id': '居民身份证号', 'id-number': '证件号码', phone: '电话号码',
};
export const IDENTITY_LABELS: Record<IdentityRole, string> = {
  'entity-name': '主体名称', 'entity-type': '主体类别', uscc: '主体统一社会信用代码', 'org-code': '主体组织机构代码',
  'reg-no': '主体工商注册号', 'tax-no': '主体税务登记号', 'institution-cert-no': '事业单位证书号', 'social-org-cert-no': '社会组织登记证号',
  'id-type': '主体证件类型', 'id-number': '主体证件号码', 'legal-rep': '法定代表人', 'legal-rep-id-type': '法定代表人证件类型',
  'legal-rep-id-number': '法定代表人证件号码',
};

/** `T+1` → 次日 (T+1); `M+5` → 次月5日前. */
export function deadlineText(deadline: string): string {
  const m = /^([TWMQY])\+(\d+)$/.exec(deadline);
  if (!m) return deadline;
  const n = m[2];
  switch (m[1]) {
    case 'T': return `T+${n}（业务发生后${n}日内）`;
    case 'W': return `次周${n}日内`;
    case 'M': return `次月${n}日前`;
    case 'Q': return `季度结束后${n}日内`;
    default: return `年度结束后${n}日内`;
  }
}

export function invert<K extends string>(labels: Record<K, string>): Map<string, K> {
  return new Map(Object.entries(labels).map(([k, v]) => [v as string, k as K]));
}
