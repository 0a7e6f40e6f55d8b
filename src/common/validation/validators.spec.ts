import { isIsoDate, isSiren, luhnValid } from './validators.js';

describe('validators', () => {
  it.each([
    ['2026-11-26', true],
    ['2024-02-29', true],
    ['2026-02-29', false],
    ['2026-13-01', false],
    ['26-11-2026', false],
    [20261126, false],
  ])('isIsoDate(%j) = %s', (value, ok) => expect(isIsoDate(value)).toBe(ok));

  it.each([
    ['732829320', true], // SIREN of a real company, valid Luhn
    ['732829321', false],
    ['73282932', false],
    ['abcdefghi', false],
  ])('isSiren(%j) = %s', (value, ok) => expect(isSiren(value)).toBe(ok));

  it('validates Luhn on a card-like number', () => {
    expect(luhnValid('4539578763621486')).toBe(true);
    expect(luhnValid('4539578763621487')).toBe(false);
  });
});

import { todayInFrance } from '../dates.js';

describe('todayInFrance', () => {
  it.each([
    ['2026-11-25T23:30:00Z', '2026-11-26'], // 00:30 in Paris (winter, UTC+1)
    ['2026-07-14T22:30:00Z', '2026-07-15'], // 00:30 in Paris (summer, UTC+2)
    ['2026-11-26T12:00:00Z', '2026-11-26'],
  ])('%s is %s in France', (instant, day) => expect(todayInFrance(new Date(instant))).toBe(day));
});
