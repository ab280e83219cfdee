import { describe, expect, it } from 'vitest';
import { FileCheck } from '../../src/validate/index.js';
import { columns, row, v2 } from './rows.js';

describe('FileCheck: one file\'s rows, duplicates and error limits', () => {
  it('rejects a business key seen earlier in the same file, naming the first row', () => {
    const f = new FileCheck(v2, '行政处罚.csv');
    const check = f.table(columns);
    expect(check(row(2)).rejections).toEqual([]);
    expect(check(row(3, { 行政处罚决定书文号: '惠市监罚〔2019〕58号' })).rejections).toEqual([]);
    const again = check(row(4));
    expect(again.rejections).toEqual([{
      code: 'row/duplicate-in-file', severity: 'reject',
      message: 'row 4 of 行政处罚.csv: the same 行政处罚决定书文号 + 处罚机关统一社会信用代码 (惠市监罚〔2019〕57号 / 114413000717000121) as row 2',
    }]);
    expect(f.finish()).toMatchObject({ rows: 3, rejected: 1 });
  });

  it('quarantines a file past the row limit as soon as it is passed', () => {
    const f = new FileCheck(v2, '行政处罚.csv', { maxRejectedRows: 1 });
    const check = f.table(columns);
    check(row(2, { 处罚决定日期: '2019-02-30' }));
    expect(f.overLimit).toBeUndefined();
    check(row(3, { 行政处罚决定书文号: 'A', 处罚决定日期: '2019-13-01' }));
    expect(f.overLimit).toEqual({
      code: 'file/error-limit', severity: 'reject',
      message: '行政处罚.csv: 2 rows rejected by row 3; the pipeline allows at most 1; the file is quarantined whole',
    });
  });

  it('treats a workbook\'s sheets as one file: a key repeated on another sheet, limits over the whole file', () => {
    const f = new FileCheck(v2, '2019.xlsx', { maxRejectedPercent: 40 });
    const q1 = f.table(columns, '一季度');
    const q2 = f.table(columns, '二季度');
    expect(q1(row(2)).rejections).toEqual([]);
    q1(row(3, { 行政处罚决定书文号: 'A' }));
    q1(row(4, { 行政处罚决定书文号: 'B' }));
    expect(q2(row(2)).rejections[0]?.message).toBe('row 2 of 2019.xlsx: the same 行政处罚决定书文号 + 处罚机关统一社会信用代码 (惠市监罚〔2019〕57号 / 114413000717000121) as row 2 of sheet 一季度');
    expect(f.finish()).toMatchObject({ rows: 4, rejected: 1 });
    expect(f.finish().overLimit).toBeUndefined();
  });

  it('judges a percentage limit over the whole file', () => {
    const f = new FileCheck(v2, 'p.csv', { maxRejectedPercent: 10 });
    const check = f.table(columns);
    for (let i = 0; i < 9; i++) check(row(i + 2, { 行政处罚决定书文号: `惠市监罚〔2019〕${i}号` }));
    check(row(11, { 行政处罚决定书文号: 'X', 处罚决定日期: '' }));
    expect(f.finish().overLimit).toBeUndefined();
    check(row(12, { 行政处罚决定书文号: 'Y', 处罚决定日期: '' }));
    expect(f.finish().overLimit?.message).toBe('p.csv: 2 of 11 rows rejected (18.2%); the pipeline allows at most 10%; the file is quarantined whole');
  });
});
