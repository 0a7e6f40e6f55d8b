import { gridAmount, membersCsv, monthlyAllocation, periodsEndingAt, planMembers } from './demo-plan.js';
import { DemoRandom, euros } from './demo-random.js';

describe('demo plan', () => {
  it.each([
    ['2026-12-06', '2026-01', '2026-12'],
    ['2027-03-31', '2026-04', '2027-03'],
    ['2026-01-01', '2025-02', '2026-01'],
  ])('the twelve months ending %s run from %s to %s', (today, first, last) => {
    const periods = periodsEndingAt(today);
    expect(periods).toHaveLength(12);
    expect([periods[0], periods[11]]).toEqual([first, last]);
    expect(new Set(periods).size).toBe(12);
  });

  it.each([
    [0, 1_000],
    [80_000, 1_000],
    [80_001, 2_000],
    [300_000, 8_000],
    [300_001, 12_000],
  ])('an income of %i cents contributes %i cents a month', (income, due) => {
    expect(gridAmount(income)).toBe(due);
  });

  it.each([
    [1, [], 10_000],
    [2, [2020], 18_000],
    [1, [2012, 2015], 18_000], // born 2012: 14 in 2026, a further adult
  ])('%i adult(s) and children born %j receive %i cents in 2026', (adults, childrenBirthYears, cents) => {
    expect(monthlyAllocation({ adults, childrenBirthYears }, 2026)).toBe(cents);
  });

  it('is the same plan for the same seed, with the first two members there all year', () => {
    const periods = periodsEndingAt('2026-12-06');
    const a = planMembers(new DemoRandom(7), 50, periods);
    expect(planMembers(new DemoRandom(7), 50, periods)).toEqual(a);
    expect(a.slice(0, 2).map((m) => m.fromPeriod)).toEqual([0, 0]);
    expect(a.every((m) => m.joinedOn < '2026-12-07')).toBe(true);
    const csv = membersCsv(a).trim().split('\n');
    expect(csv).toHaveLength(51);
    expect(csv[0].split(';')).toContain('monthlyIncome');
  });

  it('draws SIRETs and IBANs that pass their checks', () => {
    const rng = new DemoRandom(1);
    const luhn = (s: string) => [...s].reverse().reduce((acc, c, i) => acc + (i % 2 ? ((2 * +c) % 10) + Math.floor((2 * +c) / 10) : +c), 0) % 10 === 0;
    const mod97 = (iban: string) => [...(iban.slice(4) + iban.slice(0, 4))].reduce((r, c) => [...(/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)].reduce((q, d) => (q * 10 + +d) % 97, r), 0);
    for (let i = 0; i < 50; i++) {
      const siret = rng.siret();
      expect(luhn(siret) && luhn(siret.slice(0, 9))).toBe(true);
      expect(mod97(rng.iban())).toBe(1);
    }
  });

  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [123_456, '1234.56'],
  ])('%i cents is "%s"', (cents, text) => {
    expect(euros(cents)).toBe(text);
  });
});
