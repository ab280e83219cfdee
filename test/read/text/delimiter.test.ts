import { describe, expect, it } from 'vitest';
import { detectDelimiter } from '../../../src/read/text/delimiter.js';

const lines = (...rows: string[]): string => rows.join('\r\n') + '\r\n';

describe('detectDelimiter', () => {
  it('is not swayed by a one-cell title row or a trailing note', () => {
    const text = lines('惠州市市场监督管理局行政处罚信息（2019年第3季度）', '行政相对人名称,统一社会信用代码,处罚内容', '甲公司,91441302MA5000006C,警告', '乙公司,91441302MA50000147,罚款', '注：数据截至2019年9月30日');
    expect(detectDelimiter(text, true, '\t')).toBe(',');
  });

  it('picks the semicolon over commas that occur in the text unevenly', () => {
    const text = lines('名称;违法事实;处罚内容', '甲公司;销售A,B,C三批插座;罚款', '乙公司;未公示年报;警告', '丙公司;过期食品,货值300元;罚款,没收');
    expect(detectDelimiter(text, true, ',')).toBe(';');
  });

  it('ignores delimiters inside quoted cells, line breaks included', () => {
    const text = lines('名称\t违法事实\t处罚内容', '甲公司\t"销售\t插座,\n两批"\t罚款', '乙公司\t"未公示,年报"\t警告');
    expect(detectDelimiter(text, true, ',')).toBe('\t');
  });

  it('prefers the wider split when two candidates split every record evenly', () => {
    // Every record, header included, has exactly one comma inside a cell; the pipe splits into four.
    const text = lines('名称|地址,街道|金额|日期', '甲公司|惠城区,江北|0.2|2019-09-01', '乙公司|惠阳区,淡水|0.5|2019-09-02');
    expect(detectDelimiter(text, true, ',')).toBe('|');
  });

  it('drops the last, cut-off record of a sample that is not the whole file', () => {
    // Whole records split in two by ';' and by ',' alike (a tie the comma wins); the cut-off
    // record '乙;惠阳' lost its ',456' to the cut and would tip the count to ';'.
    const sample = lines('名称;地址,电话', '甲;惠城,123') + '乙;惠阳';
    expect(detectDelimiter(sample, false, '\t')).toBe(',');
    expect(detectDelimiter(sample, true, '\t')).toBe(';');
  });

  it('falls back when no candidate splits any record (a one-column file)', () => {
    expect(detectDelimiter(lines('行政相对人名称', '甲公司', '乙公司'), true, '\t')).toBe('\t');
    expect(detectDelimiter(lines('行政相对人名称', '甲公司'), true, ',')).toBe(',');
  });
});
