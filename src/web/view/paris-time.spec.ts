import { parisInstant, parisLocal } from './paris-time.js';

describe('Paris wall-clock times of datetime-local fields', () => {
  it.each([
    ['2026-12-10T18:00', '2026-12-10T18:00:00+01:00', '2026-12-10T17:00:00.000Z'],
    ['2027-07-01T09:30', '2027-07-01T09:30:00+02:00', '2027-07-01T07:30:00.000Z'],
    ['2027-03-28T01:59', '2027-03-28T01:59:00+01:00', '2027-03-28T00:59:00.000Z'],
    ['2027-03-28T03:00', '2027-03-28T03:00:00+02:00', '2027-03-28T01:00:00.000Z'],
    ['2027-10-31T04:00', '2027-10-31T04:00:00+01:00', '2027-10-31T03:00:00.000Z'],
  ])('%s is %s', (local, withOffset, utc) => {
    expect(parisInstant(local)).toBe(withOffset);
    expect(new Date(parisInstant(local)!).toISOString()).toBe(utc);
    expect(parisLocal(new Date(utc))).toBe(local);
  });

  it.each([undefined, '', '2026-12-10', '2026-12-10 18:00', '2026-02-30T10:00', '2026-12-10T24:00', '2027-03-28T02:30'])('refuses %p', (value) => {
    expect(parisInstant(value)).toBeUndefined();
  });
});
