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
