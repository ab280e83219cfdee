// 行政处罚 rows as units deliver them, keyed by the catalog's item names, for validate tests.
import { loadCatalog } from '../../src/catalog/index.js';
import { mapHeaders } from '../../src/read/headers.js';
import type { SourceRow } from '../../src/read/model.js';

export const v2 = loadCatalog('v2');
export const penalty = v2.subjects.find((s) => s.code === 'XZCF')!;
export const headers = penalty.items.map((i) => i.name);
export const columns = mapHeaders(headers, penalty);

/** GB 32100 check character, computed here independently of the module under test. */
export function usccCheck(first17: string): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += alphabet.indexOf(first17[i]!) * (3 ** i % 31);
  return alphabet[(31 - (sum % 31)) % 31]!;
}

// A real, valid code from the conformance vectors (its embedded organisation code passes GB 11714).
export const ORG_USCC = '914403001922038216';
export const AUTHORITY_USCC = '114413000717000121';

const base: Record<string, string> = {
  行政相对人名称: '惠州市某某贸易有限公司',
  行政相对人类别: '法人及非法人组织',
  统一社会信用代码: ORG_USCC,
  法定代表人: '王五',
  行政处罚决定书文号: '惠市监罚〔2019〕57号',
  违法行为类型: '销售不符合食品安全标准的食品',
  违法事实: '经查，当事人销售的食品菌落总数超标。',
  处罚依据: '《中华人民共和国食品安全法》第一百二十四条',
  处罚类别: '罚款',
  处罚内容: '罚款人民币2000元',
  '罚款金额（万元）': '0.2',
  处罚决定日期: '2019-03-05',
  处罚有效期: '2022-03-05',
  处罚机关: '惠州市市场监督管理局',
  处罚机关统一社会信用代码: AUTHORITY_USCC,
  数据来源单位: '惠州市市场监督管理局',
  数据来源单位统一社会信用代码: AUTHORITY_USCC,
};

export function row(n: number, changes: Record<string, string> = {}, notes?: SourceRow['notes']): SourceRow {
  const values = { ...base, ...changes };
  const r: SourceRow = { row: n, cells: headers.map((h) => values[h] ?? '') };
  if (notes) r.notes = notes;
  return r;
}

export const column = (name: string) => headers.indexOf(name);
