import { nextPeriod } from '../common/dates.js';
import { collectionDayOf } from './direct-debit-reads.service.js';

describe('estimated collection dates of a pre-notification', () => {
  it.each([
    ['2026-11', '2026-12'],
    ['2026-12', '2027-01'],
    ['2027-09', '2027-10'],
  ])('the month after %s is %s', (period, next) => {
    expect(nextPeriod(period)).toBe(next);
  });

  it.each([
    // [period, day of the caisse's collections, expected date, why]
    ['2026-12', 5, '2026-12-07', '5 Dec 2026 is a Saturday: Monday 7'],
    ['2026-12', 24, '2026-12-24', 'a Thursday, open'],
    ['2026-12', 25, '2026-12-28', '25 and 26 Dec are TARGET2 holidays, 26-27 a weekend'],
    ['2027-02', 31, '2027-03-01', 'clamped to 28 Feb 2027 (a Sunday), then the next business day'],
    ['2026-04', 6, '2026-04-07', 'Easter Monday 2026 is 6 April'],
    ['2027-01', 1, '2027-01-04', 'New Year’s Day, then a weekend'],
  ])('%s on day %i → %s (%s)', (period, day, expected) => {
    expect(collectionDayOf(period as string, day as number)).toBe(expected);
  });
});
