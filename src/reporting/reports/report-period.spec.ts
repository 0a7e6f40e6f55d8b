import { ValidationFailed } from '../../common/errors/domain-error.js';
import { monthsBetween, resolvePeriod, shiftMonth } from './report-period.js';

describe('resolvePeriod', () => {
  it.each([
    [{}, { from: '2026-01-01', to: '2026-12-06' }],
    [{ to: '2025-03-31' }, { from: '2025-01-01', to: '2025-03-31' }],
    [{ from: '2026-11-01' }, { from: '2026-11-01', to: '2026-12-06' }],
    [{ from: '2027-02-01' }, { from: '2027-02-01', to: '2027-12-31' }],
    [{ from: '2026-12-06', to: '2026-12-06' }, { from: '2026-12-06', to: '2026-12-06' }],
  ])('%j → %j', (q, expected) => {
    expect(resolvePeriod(q, '2026-12-06')).toMatchObject(expected);
  });

  it.each([
    [{ from: '1999-12-31' }, 'from'],
    [{ to: '2101-01-01' }, 'to'],
    [{ from: '2026-06-02', to: '2026-06-01' }, 'from'],
    [{ from: '2000-01-01', to: '2026-01-01' }, 'to'],
  ])('%j is refused on %s', (q, field) => {
    try {
      resolvePeriod(q, '2026-12-06');
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationFailed);
      expect(Object.keys((e as ValidationFailed).errors)).toEqual([field]);
    }
  });
});

describe('months', () => {
  it.each([
    ['2026-11', '2027-02', ['2026-11', '2026-12', '2027-01', '2027-02']],
    ['2026-05', '2026-05', ['2026-05']],
    ['2026-06', '2026-05', []],
  ])('monthsBetween(%s, %s)', (from, to, expected) => {
    expect(monthsBetween(from, to)).toEqual(expected);
  });

  it.each([
    ['2026-12', 1, '2027-01'],
    ['2026-01', -1, '2025-12'],
    ['2026-03', -14, '2025-01'],
    ['2026-03', 0, '2026-03'],
  ])('shiftMonth(%s, %i) = %s', (month, n, expected) => {
    expect(shiftMonth(month, n)).toBe(expected);
  });
});
