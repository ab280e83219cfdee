import { describe, expect, it } from 'vitest';
import { addDays, periodDueOn, today } from '../../src/run/deadlines.js';

describe('delivery deadlines', () => {
  it('finds the period falling due on a night, for every kind of deadline the catalog writes', () => {
    // T+n: the business day n days before.
    expect(periodDueOn('2026-11-26', 'T+1')).toEqual({ start: '2026-11-25', end: '2026-11-25' });
    expect(periodDueOn('2026-03-01', 'T+7')).toEqual({ start: '2026-02-22', end: '2026-02-22' });
    // W+n: the Monday-to-Sunday week whose Sunday is n days before.
    expect(periodDueOn('2026-11-24', 'W+2')).toEqual({ start: '2026-11-16', end: '2026-11-22' });
    expect(periodDueOn('2026-11-25', 'W+2')).toBeUndefined();
    // M+n: by day n of the next month, across a year's end and a short February.
    expect(periodDueOn('2026-01-10', 'M+10')).toEqual({ start: '2025-12-01', end: '2025-12-31' });
    expect(periodDueOn('2028-03-15', 'M+15')).toEqual({ start: '2028-02-01', end: '2028-02-29' });
    expect(periodDueOn('2026-01-11', 'M+10')).toBeUndefined();
    // Q+n: n days after the quarter's last day.
    expect(periodDueOn('2026-10-15', 'Q+15')).toEqual({ start: '2026-07-01', end: '2026-09-30' });
    expect(periodDueOn('2026-07-30', 'Q+30')).toEqual({ start: '2026-04-01', end: '2026-06-30' });
    expect(periodDueOn('2026-10-16', 'Q+15')).toBeUndefined();
    // Y+n: n days after 31 December.
    expect(periodDueOn('2027-01-31', 'Y+31')).toEqual({ start: '2026-01-01', end: '2026-12-31' });
    expect(periodDueOn('2027-02-01', 'Y+31')).toBeUndefined();
    expect(periodDueOn('2026-11-26', 'soon')).toBeUndefined();
  });

  it('counts days in the calendar and tells today where the centre is', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    // 2026-11-27T17:00Z is already the 28th in Beijing.
    expect(today('Asia/Shanghai', new Date('2026-11-27T17:00:00Z'))).toBe('2026-11-28');
    expect(today('UTC', new Date('2026-11-27T17:00:00Z'))).toBe('2026-11-27');
  });
});

describe('monthly deadlines past a short month\'s end', () => {
  it('falls due on the month\'s last day when it has no day n', () => {
    expect(periodDueOn('2027-02-28', 'M+30')).toEqual({ start: '2027-01-01', end: '2027-01-31' });
    expect(periodDueOn('2028-02-29', 'M+31')).toEqual({ start: '2028-01-01', end: '2028-01-31' });
    expect(periodDueOn('2027-03-30', 'M+30')).toEqual({ start: '2027-02-01', end: '2027-02-28' });
    expect(periodDueOn('2027-02-27', 'M+30')).toBeUndefined();
  });
});
