import { describe, expect, it } from 'vitest';
import { cleanDate, cleanDateTime } from '../../src/cleanse/index.js';

describe('cleanDate', () => {
  it.each(['2019-03-05', '2020-02-29', '2000-02-29', '1999-12-31'])('leaves the ISO date %s alone', (raw) => {
    expect(cleanDate(raw)).toEqual({ ok: true, value: raw, repaired: false });
  });

  it.each([
    ['2019/3/5'], ['2019/03/05'], ['2019.3.5'], ['2019.03.05'], ['2019-3-5'],
    ['2019年3月5日'], ['2019年03月05日'], ['2019 年 3 月 5 日'], ['2019年3月5号'], ['2019年3月5'],
    ['20190305'],
    ['２０１９－０３－０５'], ['２０１９年３月５日'], ['２０１９／３／５'], ['２０１９０３０５'], ['２０１９．３．５'],
    [' 2019-03-05 '], ['\u30002019-03-05\u200b'],
    ['43529'], ['43529.6041666667'], ['４３５２９'],
    ['2019-03-05T14:30:00'], ['2019-03-05 14:30'], ['2019-03-05 14:30:00'], ['2019-03-05 00:00:00'],
    ['2019-03-05 14:30:00.123456'], ['2019/3/5 9:05'], ['2019年3月5日 14:30'], ['2019年3月5日14:30'],
    ['20190305143000'], ['2019-03-05T14:30:00+08:00'], ['2019-03-05T14:30:00+0800'],
  ])('reads %j as 2019-03-05 and reports the repair', (raw) => {
    expect(cleanDate(raw)).toEqual({ ok: true, value: '2019-03-05', repaired: true });
  });

  it('moves a UTC timestamp to China Standard Time before taking the date', () => {
    // A JavaScript Date serialised by JSON: midnight in Huizhou is 16:00 the day before in UTC.
    expect(cleanDate('2019-03-04T16:00:00.000Z')).toEqual({ ok: true, value: '2019-03-05', repaired: true });
    expect(cleanDate('2019-03-05T20:00:00-05:00')).toEqual({ ok: true, value: '2019-03-06', repaired: true });
  });

  it.each([
    ['2019-02-30', '2019-02-30 is not a real date (February 2019 has 28 days)'],
    ['2019-02-29', '2019-02-29 is not a real date (February 2019 has 28 days)'],
    ['1900-02-29', '1900-02-29 is not a real date (February 1900 has 28 days)'],
    ['2019-04-31', '2019-04-31 is not a real date (April 2019 has 30 days)'],
    ['2019-13-01', '2019-13-01 is not a real date (no month 13)'],
    ['2019-00-10', '2019-00-10 is not a real date (no month 0)'],
    ['2019-03-00', '2019-03-00 is not a real date (March 2019 has 31 days)'],
    ['2019年13月1日', '2019年13月1日 is not a real date (no month 13)'],
    ['20191301', '20191301 is not a real date (no month 13)'],
    ['２０１９－０２－３０', '2019-02-30 is not a real date (February 2019 has 28 days)'],
    ['2019-03-05 24:00', '2019-03-05 24:00 is not a real time (no hour 24)'],
    ['2019-03-05 14:60', '2019-03-05 14:60 is not a real time (no minute 60)'],
    ['19-3-5', '"19-3-5" has a 2-digit year, which is ambiguous'],
    ['19/03/05', '"19/03/05" has a 2-digit year, which is ambiguous'],
    ['19年3月5日', '"19年3月5日" has a 2-digit year, which is ambiguous'],
    ['190305', '"190305" has a 2-digit year, which is ambiguous'],
    ['05/03/2019', '"05/03/2019" puts the year last, so day and month order is ambiguous'],
    ['2019', '2019 is a year, not a date'],
    ['60', 'serial 60 is 1900-02-29, a day that never existed (Excel\'s 1900 leap-year bug)'],
    ['59', '59 read as an Excel serial is 1900-02-28, outside the plausible 1950-01-01 to 2099-12-31'],
    ['18263', '18263 read as an Excel serial is 1949-12-31, outside the plausible 1950-01-01 to 2099-12-31'],
    ['73051', '73051 read as an Excel serial is 2100-01-01, outside the plausible 1950-01-01 to 2099-12-31'],
    ['0', 'serial 0 is outside Excel\'s calendar (1 = 1900-01-01 to 2958465 = 9999-12-31)'],
    ['2019-3/5', '"2019-3/5" is not a date in any form units use'],
    ['2019-03', '"2019-03" is not a date in any form units use'],
    ['长期', '"长期" is not a date in any form units use'],
    ['', 'an empty cell is not a date'],
  ])('refuses %j: %s', (raw, failure) => {
    expect(cleanDate(raw)).toEqual({ ok: false, failure });
  });

  it('accepts the ends of the plausible serial range', () => {
    expect(cleanDate('18264')).toEqual({ ok: true, value: '1950-01-01', repaired: true });
    expect(cleanDate('73050')).toEqual({ ok: true, value: '2099-12-31', repaired: true });
  });
});

describe('cleanDateTime', () => {
  it.each(['2019-03-05T14:30:00', '2019-03-05T00:00:00', '2020-02-29T23:59:59'])('leaves %s alone', (raw) => {
    expect(cleanDateTime(raw)).toEqual({ ok: true, value: raw, repaired: false });
  });

  it.each([
    ['2019-03-05 14:30', '2019-03-05T14:30:00'],
    ['2019-03-05 14:30:00', '2019-03-05T14:30:00'],
    ['2019-03-05T14:30', '2019-03-05T14:30:00'],
    ['2019-03-05 14:30:00.999999', '2019-03-05T14:30:00'],
    ['2019/3/5 9:05', '2019-03-05T09:05:00'],
    ['2019年3月5日 14:30:15', '2019-03-05T14:30:15'],
    ['２０１９－０３－０５　１４：３０', '2019-03-05T14:30:00'],
    ['20190305143000', '2019-03-05T14:30:00'],
    ['43529.6041666667', '2019-03-05T14:30:00'],
    ['43529.99998842592', '2019-03-05T23:59:59'],
    ['2019-03-05', '2019-03-05T00:00:00'],
    ['2019-03-05T14:30:00+08:00', '2019-03-05T14:30:00'],
    ['2019-03-05T06:30:00Z', '2019-03-05T14:30:00'],
    ['2019-03-04T20:30:00-10:00', '2019-03-05T14:30:00'],
  ])('reads %j as %s', (raw, value) => {
    expect(cleanDateTime(raw)).toEqual({ ok: true, value, repaired: true });
  });

  it.each([
    ['2019-02-30 10:00', '2019-02-30 10:00 is not a real date (February 2019 has 28 days)'],
    ['2019-03-05T25:00:00', '2019-03-05T25:00:00 is not a real time (no hour 25)'],
    ['2019-03-05 14:30:61', '2019-03-05 14:30:61 is not a real time (no second 61)'],
    ['20190305253000', '20190305253000 is not a real time (no hour 25)'],
    ['19-03-05 14:30', '"19-03-05 14:30" has a 2-digit year, which is ambiguous'],
    ['60.5', 'serial 60.5 is 1900-02-29, a day that never existed (Excel\'s 1900 leap-year bug)'],
  ])('refuses %j', (raw, failure) => {
    expect(cleanDateTime(raw)).toEqual({ ok: false, failure });
  });
});
