import { collectionDateError, easterSunday, isTarget2BusinessDay, nextBusinessDay } from './target2.js';

describe('TARGET2 calendar', () => {
  it.each<[number, string]>([
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'],
  ])('Easter %i is %s', (year, easter) => {
    expect(easterSunday(year)).toBe(easter);
  });

  it.each<[string, boolean, string]>([
    // date          open   why
    ['2026-12-07', true, 'a Monday'],
    ['2026-12-05', false, 'a Saturday'],
    ['2026-12-06', false, 'a Sunday'],
    ['2027-01-01', false, "New Year's Day"],
    ['2026-04-03', false, 'Good Friday 2026'],
    ['2026-04-06', false, 'Easter Monday 2026'],
    ['2026-05-01', false, 'Labour Day'],
    ['2026-05-08', true, 'a French holiday but T2 is open'],
    ['2026-07-14', true, 'Bastille Day: T2 open'],
    ['2026-12-25', false, 'Christmas'],
    ['2026-12-26', false, 'Boxing Day (a Saturday anyway)'],
    ['2025-12-26', false, 'Boxing Day on a Friday'],
  ])('%s open=%s (%s)', (date, open) => {
    expect(isTarget2BusinessDay(date)).toBe(open);
  });

  it.each<[string, string]>([
    ['2026-12-04', '2026-12-07'],
    ['2026-12-24', '2026-12-28'],
    ['2026-12-31', '2027-01-04'],
    ['2026-04-02', '2026-04-07'],
  ])('next business day after %s is %s', (date, next) => {
    expect(nextBusinessDay(date)).toBe(next);
  });

  it.each<[string, string, string | undefined]>([
    // collection    built on      refusal
    ['2026-12-08', '2026-12-07', undefined],
    ['2026-12-07', '2026-12-07', 'at least one business day'],
    ['2026-12-07', '2026-12-04', undefined],
    ['2026-12-06', '2026-12-04', 'TARGET2 business day'],
    ['2026-12-03', '2026-12-04', 'in the past'],
    ['2026-12-25', '2026-12-21', 'TARGET2 business day'],
  ])('collection %s built %s → %s', (collection, built, refusal) => {
    const error = collectionDateError(collection, built);
    if (refusal === undefined) expect(error).toBeUndefined();
    else expect(error).toContain(refusal);
  });
});
