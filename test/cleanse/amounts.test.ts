import { describe, expect, it } from 'vitest';
import { cleanAmount } from '../../src/cleanse/index.js';

describe('cleanAmount', () => {
  it.each([['50000', 50000], ['0.2', 0.2], ['0', 0], ['27709.61', 27709.61]])('takes the bare number %j as already in the target unit', (raw, value) => {
    expect(cleanAmount(raw, '万元')).toEqual({ ok: true, value, repaired: false });
    expect(cleanAmount(raw, '元')).toEqual({ ok: true, value, repaired: false });
  });

  // [raw, in 元, in 万元]
  it.each([
    ['5万元', 50000, 5],
    ['5万', 50000, 5],
    ['50,000元', 50000, 5],
    ['罚款2000元', 2000, 0.2],
    ['2000.5元', 2000.5, 0.20005],
    ['０.２万元', 2000, 0.2],
    ['０．２万元', 2000, 0.2],
    ['２０００元', 2000, 0.2],
    ['1.2亿元', 120000000, 12000],
    ['3千元', 3000, 0.3],
    ['1.5百万元', 1500000, 150],
    ['27709 .61 元', 27709.61, 2.770961],
    ['27709. 61元', 27709.61, 2.770961],
    ['¥3,000', 3000, 0.3],
    ['￥3,000', 3000, 0.3],
    ['¥ 3,000.50', 3000.5, 0.300050],
    ['人民币3000元', 3000, 0.3],
    ['RMB 3000', 3000, 0.3],
    ['3000块', 3000, 0.3],
    ['罚款人民币2000元整。', 2000, 0.2],
    ['依据第三十四条第2款，罚款2000元', 2000, 0.2],
    ['2019年3月罚款2000元', 2000, 0.2],
    ['2000元（即0.2万元）', 2000, 0.2],
    ['罚款2000元，合计2000元', 2000, 0.2],
    ['50,000', 50000, 50000],
    [' 50000 ', 50000, 50000],
    ['+50000', 50000, 50000],
  ])('reads %j as %d 元 and %d 万元', (raw, yuan, wan) => {
    expect(cleanAmount(raw, '元')).toEqual({ ok: true, value: yuan, repaired: true });
    expect(cleanAmount(raw, '万元')).toEqual({ ok: true, value: wan, repaired: true });
  });

  it('shifts the decimal point instead of dividing binary floats', () => {
    // 27709.61 / 10000 in floating point is 2.7709610000000002; the catalog wants 2.770961.
    expect(27709.61 / 10000).not.toBe(2.770961);
    expect(cleanAmount('27709.61元', '万元')).toEqual({ ok: true, value: 2.770961, repaired: true });
    expect(cleanAmount('0.07万元', '元')).toEqual({ ok: true, value: 700, repaired: true });
  });

  it.each([
    ['-2000元', '"-2000元" is a negative amount'],
    ['罚款-2000元', '"罚款-2000元" is a negative amount'],
    ['-2000', '"-2000" is a negative amount'],
    ['¥-3,000', '"¥-3,000" is a negative amount'],
    ['－２０００元', '"-2000元" is a negative amount'],
    ['罚款2000元，没收违法所得500元', '"罚款2000元,没收违法所得500元" names two different amounts (2000元 and 500元)'],
    ['1000元-2000元', '"1000元-2000元" names two different amounts (1000元 and 2000元)'],
    ['1000-2000元', '"1000-2000元" names a range, not one amount'],
    ['1000~2000元', '"1000~2000元" names a range, not one amount'],
    ['1000至2000元', '"1000至2000元" names a range, not one amount'],
    ['罚款2000', '"罚款2000" gives no unit (元, 万元, 亿元) for its amount'],
    ['见处罚决定书', '"见处罚决定书" holds no amount in digits'],
    ['贰仟元', '"贰仟元" holds no amount in digits'],
    ['5,0000元', '"5,0000" has misplaced thousands separators'],
    ['1.23456789012345678亿元', '"1.23456789012345678亿元" has 18 significant digits, more than the 15 a number holds exactly'],
  ])('refuses %j', (raw, failure) => {
    expect(cleanAmount(raw, '万元')).toEqual({ ok: false, failure });
  });
});
