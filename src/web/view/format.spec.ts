import { formatAmount, formatDate, formatPeriod } from './format.js';

const NNBSP = '\u202f';
const NBSP = '\u00a0';

describe('French formatting', () => {
  it.each([
    ['1234.5', `1${NNBSP}234,50${NBSP}€`],
    ['0', `0,00${NBSP}€`],
    ['0.005', `0,01${NBSP}€`],
    ['-12.3', `-12,30${NBSP}€`],
    ['1234567.89', `1${NNBSP}234${NNBSP}567,89${NBSP}€`],
    ['999.999', `1${NNBSP}000,00${NBSP}€`],
    ['9999999999999.99', `9${NNBSP}999${NNBSP}999${NNBSP}999${NNBSP}999,99${NBSP}€`],
  ])('formats %s as %s', (amount, expected) => {
    expect(formatAmount(amount)).toBe(expected);
  });

  it('matches what Intl fr-FR prints for amounts a float can hold', () => {
    const intl = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
    for (const a of ['1234.50', '0.10', '100000', '42.42']) expect(formatAmount(a)).toBe(intl.format(Number(a)));
  });

  it('signs on request', () => {
    expect(formatAmount('315', { sign: true })).toBe(`+315,00${NBSP}€`);
    expect(formatAmount('-3', { sign: true })).toBe(`-3,00${NBSP}€`);
    expect(formatAmount('0', { sign: true })).toBe(`0,00${NBSP}€`);
  });

  it.each([
    ['2026-12-05', '5 déc. 2026'],
    ['2026-01-01', '1 janv. 2026'],
    ['2026-12-31T23:30:00Z', '1 janv. 2027'],
  ])('dates %s as %s (calendar days as they are, instants in Paris time)', (value, expected) => {
    expect(formatDate(value)).toBe(expected);
  });

  it('names a month', () => {
    expect(formatPeriod('2026-12')).toBe('décembre 2026');
  });
});
