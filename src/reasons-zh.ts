// Every reason code in the plain Chinese a unit's clerk acts on (receipts) and analysts read
// (reports). Keyed by ReasonCode, so a code added to reasons.ts does not compile without its label.
import type { ReasonCode } from './reasons.js';

export const REASONS_ZH: Record<ReasonCode, string> = {
  'file/unreadable': '文件无法打开（不是文件、无读取权限或已不存在）',
  'file/empty': '文件为空（0 字节）',
  'file/header-only': '文件只有表头，没有数据行',
  'file/no-header': '找不到表头行，无法识别各列对应的数据项',
  'file/corrupt': '文件已损坏或不完整，无法读取',
  'file/encrypted': '文件设置了打开密码，无法读取',
  'file/encoding': '文件编码无法识别（应为 UTF-8 或 GBK/GB18030）',
  'file/binary': '应为文本文件，实际是二进制内容',
  'file/format': '文件格式不在可接收的范围内',
  'file/sql-syntax': '数据库导出文件有语句无法解析，整个文件退回',
  'file/unknown-subject': '表头与本单位应报送的数据主题都不相符',
  'file/ambiguous-subject': '表头同时符合多个数据主题，无法确定',
  'file/missing-columns': '缺少必填数据项所在的列',
  'file/error-limit': '拒绝行数超过限额，整个文件退回',
  'file/too-large': '文件或其中一部分超过大小限制',
  'file/misplaced': '文件未放在规定的报送目录（报送日期/单位代码）中，未予读取',
  'row/ragged': '本行的列数与表头不一致',
  'row/duplicate-in-file': '同一文件内业务主键重复',
  'row/conflicting-codes': '本行填写的各类代码相互矛盾',
  'cell/required': '必填数据项为空',
  'cell/not-empty': '此情形下该数据项应为空，但填写了内容',
  'cell/type': '数值格式错误（应为整数或小数）',
  'cell/date': '日期无效或格式无法识别',
  'cell/amount': '金额无法识别或计量单位不明',
  'cell/code-table': '取值不在规定的代码表内',
  'cell/too-long': '内容超过规定长度',
  'cell/pattern': '内容不符合规定格式',
  'identity/uscc-check': '统一社会信用代码格式或校验位错误',
  'identity/org-code-check': '组织机构代码格式或校验位错误',
  'identity/reg-no-check': '工商注册号校验位错误',
  'identity/tax-no-check': '税务登记号不是“行政区划代码+组织机构代码”',
  'identity/resident-id-check': '身份证号码格式、出生日期或校验位错误',
  'identity/phone': '不是有效的国内电话号码',
  'identity/corrupted-by-excel': '证件号码被 Excel 存成了数字，末几位已丢失（请将该列设为文本后重新填写）',
};

/** The label of a code as the ledger stores it (a plain string); a code without one shows as itself. */
export function reasonLabel(code: string): string {
  return Object.hasOwn(REASONS_ZH, code) ? REASONS_ZH[code as ReasonCode] : code;
}
