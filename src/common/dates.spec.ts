import { addDays, todayInFrance } from './dates.js';

describe('todayInFrance', () => {
  it('is the date in Paris, not in UTC, on both sides of midnight and of a clock change', () => {
    expect(todayInFrance(new Date('2026-12-05T22:59:59Z'))).toBe('2026-12-05');
    expect(todayInFrance(new Date('2026-12-05T23:00:00Z'))).toBe('2026-12-06');
    expect(todayInFrance(new Date('2026-12-05T22:59:59.999Z'))).toBe('2026-12-05');
    expect(todayInFrance(new Date('2026-07-14T21:59:59Z'))).toBe('2026-07-14');
    expect(todayInFrance(new Date('2026-07-14T22:00:00Z'))).toBe('2026-07-15');
    expect(todayInFrance(new Date('2026-07-14T22:00:00.500Z'))).toBe('2026-07-15');
  });

  it('still refuses an invalid date', () => {
    expect(() => todayInFrance(new Date('nonsense'))).toThrow(RangeError);
  });

  it('counts days in UTC, across a clock change', () => {
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });
});
