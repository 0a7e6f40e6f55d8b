import type { AllocationRule, RolloverRule } from '../caisses/dto/rules.types.js';
import { formatMoney, money } from '../common/money/money.js';
import { childrenIn, daysInPeriod, expiryAmount, grossAmount, meanOfContributions, prorate, reduceProportionally, topUpSplit } from './allocation-formulas.js';

const facts = (adults: number, under14 = 0, over14 = 0, contribution = '0') => ({ adults, childrenUnder14: under14, children14AndOver: over14, contribution: money(contribution) });
const LYON: AllocationRule = { formula: 'household', base: '150.00', perExtraAdult: '75.00', perChild: '45.00' };

describe('grossAmount', () => {
  it.each<[string, AllocationRule, ReturnType<typeof facts>, string, string]>([
    ['flat', { formula: 'flat', amount: '100.00' }, facts(3, 2), '0', '100.00'],
    ['household, single person', LYON, facts(1), '0', '150.00'],
    ['household, couple and two young children', LYON, facts(2, 2), '0', '315.00'],
    ['household, a child of 14 counts as an extra adult', LYON, facts(1, 1, 1), '0', '270.00'],
    ['household, no adult declared: the first person at the base rate', LYON, facts(0, 0, 1), '0', '150.00'],
    ['household, only young children: base for the household and the child rate each', LYON, facts(0, 2), '0', '240.00'],
    ['mean of contributions', { formula: 'mean-of-contributions' }, facts(1), '41.67', '41.67'],
    // Top-up credits the whole target whatever the household paid (the split between payers is topUpSplit's).
    ['top-up, 30 paid', { formula: 'top-up', target: '90.00' }, facts(1, 0, 0, '30.00'), '0', '90.00'],
    ['top-up, 60 paid', { formula: 'top-up', target: '90.00' }, facts(1, 0, 0, '60.00'), '0', '90.00'],
    ['top-up, above the target paid', { formula: 'top-up', target: '90.00' }, facts(1, 0, 0, '120.50'), '0', '90.00'],
    ['top-up, nothing paid', { formula: 'top-up', target: '90.00' }, facts(1), '0', '90.00'],
  ])('%s', (_name, rule, f, mean, expected) => {
    expect(formatMoney(grossAmount(rule, f, money(mean)))).toBe(expected);
  });
});

describe('topUpSplit: who pays the 90 € a Savoie household spends', () => {
  it.each<[string, string, string, string, string]>([
    // case                         credited  paid      own (756 money)  top-up (rule's fund)
    ['paid 30', '90.00', '30.00', '30.00', '60.00'],
    ['paid 60', '90.00', '60.00', '60.00', '30.00'],
    ['paid nothing', '90.00', '0.00', '0.00', '90.00'],
    ['paid the whole target', '90.00', '90.00', '90.00', '0.00'],
    ['paid above the target', '90.00', '120.00', '90.00', '0.00'],
    ['prorated credit below what was paid', '45.00', '60.00', '45.00', '0.00'],
    ['a cent short', '90.00', '89.99', '89.99', '0.01'],
  ])('%s', (_, amount, paid, own, topUp) => {
    const split = topUpSplit(money(amount), money(paid));
    expect([formatMoney(split.own), formatMoney(split.topUp)]).toEqual([own, topUp]);
  });
});

describe('children by birth year (child while period year − birth year < 14)', () => {
  it.each<[string, number[], string, [number, number]]>([
    ['born 2013: 13 in the year of a 2026 period, a child all year', [2013], '2026-12', [1, 0]],
    ['born 2012: turns 14 in 2026, an adult from January', [2012], '2026-01', [0, 1]],
    ['born 2012, period of 2025: still a child', [2012], '2025-12', [1, 0]],
    ['mixed household', [2010, 2013, 2020], '2026-06', [2, 1]],
    ['a child born in the period year', [2026], '2026-03', [1, 0]],
  ])('%s', (_name, years, period, [under, over]) => {
    expect(childrenIn(years, period)).toEqual({ under14: under, aged14AndOver: over });
  });

  it('pays a child at the adult rate from the January of the year it turns 14 (household formula)', () => {
    const dec = childrenIn([2012], '2025-12');
    const jan = childrenIn([2012], '2026-01');
    expect(formatMoney(grossAmount(LYON, facts(1, dec.under14, dec.aged14AndOver), money(0)))).toBe('195.00');
    expect(formatMoney(grossAmount(LYON, facts(1, jan.under14, jan.aged14AndOver), money(0)))).toBe('225.00');
  });
});

describe('prorate (daily, half-up to the cent)', () => {
  it.each<[string, string, number, number, string]>([
    ['full month', '100.00', 30, 30, '100.00'],
    ['one day of 30', '100.00', 1, 30, '3.33'],
    ['two days of 30: 6.666… rounds up', '100.00', 2, 30, '6.67'],
    ['half a 31-day month: 15/31 of 150', '150.00', 15, 31, '72.58'],
    ['an exact half cent rounds up: 0.25 × 1/2', '0.25', 14, 28, '0.13'],
    ['February, 28 days', '315.00', 10, 28, '112.50'],
    ['nothing to prorate', '0.00', 3, 30, '0.00'],
  ])('%s', (_name, gross, active, days, expected) => {
    expect(formatMoney(prorate(money(gross), active, days))).toBe(expected);
  });

  it('knows the length of each month', () => {
    expect([daysInPeriod('2026-02'), daysInPeriod('2028-02'), daysInPeriod('2026-04'), daysInPeriod('2026-12')]).toEqual([28, 29, 30, 31]);
  });
});

describe('meanOfContributions', () => {
  it.each<[string, number, string]>([
    ['100.00', 3, '33.33'],
    ['200.00', 3, '66.67'],
    ['0.00', 5, '0.00'],
    ['10.00', 0, '0.00'],
  ])('%s over %i members', (total, n, expected) => {
    expect(formatMoney(meanOfContributions(money(total), n))).toBe(expected);
  });
});

describe('expiryAmount', () => {
  it.each<[string, RolloverRule, string, string, string]>([
    ['rollover keeps everything', { mode: 'rollover' }, '250.00', '100.00', '0.00'],
    ['expire takes the whole previous balance', { mode: 'expire' }, '37.42', '100.00', '37.42'],
    ['cap 1: keeps one month, the excess expires', { mode: 'cap', capMonths: 1 }, '130.00', '100.00', '30.00'],
    ['cap 2: under the cap nothing expires', { mode: 'cap', capMonths: 2 }, '199.99', '100.00', '0.00'],
    ['cap with a zero monthly amount expires all', { mode: 'cap', capMonths: 3 }, '12.00', '0.00', '12.00'],
    ['an empty wallet never expires', { mode: 'expire' }, '0.00', '100.00', '0.00'],
  ])('%s', (_name, rule, previous, gross, expected) => {
    expect(formatMoney(expiryAmount(rule, money(previous), money(gross)))).toBe(expected);
  });
});

describe('reduceProportionally', () => {
  const sum = (xs: { toString(): string }[]) => xs.reduce((s: ReturnType<typeof money>, x) => s.plus(x.toString()), money(0));

  it('pays in full when the money suffices', () => {
    const r = reduceProportionally([money('100.00'), money('50.00')], money('150.00'));
    expect(r && formatMoney(r.percent)).toBe('100.00');
  });

  it('applies one percentage to everyone and never exceeds what is available', () => {
    const r = reduceProportionally([money('150.00'), money('100.00'), money('100.00')], money('200.00'))!;
    expect(r.percent.toFixed(4)).toBe('57.1428');
    expect(r.amounts.map(formatMoney)).toEqual(['85.71', '57.14', '57.14']);
    expect(sum(r.amounts).lte(200)).toBe(true);
  });

  it('steps the percentage down when half-up rounding would overshoot', () => {
    // 3 × 0.01 with 0.02 available: 66.6666 % rounds each to 0.01 (0.03 > 0.02), so it must step down to 50 %.
    const r = reduceProportionally([money('0.01'), money('0.01'), money('0.01')], money('0.02'))!;
    expect(sum(r.amounts).lte('0.02')).toBe(true);
    expect(r.percent.lt(50)).toBe(true);
    expect(new Set(r.amounts.map(formatMoney)).size).toBe(1);
  });

  it('keeps the total within what is available over many members (Strasbourg: 150 → about 100)', () => {
    const amounts = Array.from({ length: 1000 }, (_, i) => money(i % 3 === 0 ? '150.00' : '72.58'));
    const available = money('66666.66');
    const r = reduceProportionally(amounts, available)!;
    expect(sum(r.amounts).lte(available)).toBe(true);
    expect(available.minus(sum(r.amounts)).lt(10)).toBe(true);
  });

  it('gives up when not even 0.0001 % can be paid', () => {
    expect(reduceProportionally([money('100.00')], money('0'))).toBeUndefined();
  });
});
