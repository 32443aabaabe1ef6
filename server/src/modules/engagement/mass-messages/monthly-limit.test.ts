import { monthlyCap, shanghaiMonth } from './monthly-limit';

describe('the monthly group-message cap per customer', () => {
  it('reads the calendar month in Asia/Shanghai: 16:30 UTC on 31 January is already February there', () => {
    const february = shanghaiMonth(new Date('2024-01-31T16:30:00Z'));
    expect(february).toEqual({ from: new Date('2024-01-31T16:00:00Z'), to: new Date('2024-02-29T16:00:00Z'), days: 29 });
    expect(shanghaiMonth(new Date('2024-01-31T15:59:59Z')).days).toBe(31);
  });

  it('allows as many group messages as the month has days', () => {
    expect(monthlyCap(new Date('2023-02-15T00:00:00Z'))).toBe(28);
    expect(monthlyCap(new Date('2024-02-15T00:00:00Z'))).toBe(29);
    expect(monthlyCap(new Date('2024-04-30T15:00:00Z'))).toBe(30);
    expect(monthlyCap(new Date('2024-12-31T16:00:00Z'))).toBe(31);
  });
});
