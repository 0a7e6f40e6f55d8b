import type { ContributionRule } from '../caisses/dto/rules.types.js';
import { allocationOf, quoteContribution, QuoteInputMissing, type QuoteInputs } from './contribution-quote.js';

const base: QuoteInputs = { monthlyIncome: '1200.00', adults: 1, childrenUnder14: 0 };
const grid: ContributionRule = { rule: 'grid', bands: [{ upTo: '800.00', amount: '10.00' }, { upTo: '1500.00', amount: '30.00' }, { amount: '60.00' }] };
const brackets: ContributionRule = { rule: 'brackets', levels: [{ label: 'N2', amount: '30.00' }, { label: 'N1', amount: '15.00' }] };
const percent = (rate: string, floor: string, ceiling?: string): ContributionRule =>
  ceiling ? { rule: 'percent-of-income', rate, floor, ceiling } : { rule: 'percent-of-income', rate, floor };

describe('quoteContribution', () => {
  it.each<[string, ContributionRule, Partial<QuoteInputs>, string, string]>([
    ['free: the floor is the minimum', { rule: 'free', floor: '10.00', ceiling: '180.00' }, {}, 'minimum', '10.00'],
    ['percent: 2.5 % of 1200', percent('0.025', '10.00'), {}, 'required', '30.00'],
    ['percent: floor applies', percent('0.025', '10.00'), { monthlyIncome: '300.00' }, 'required', '10.00'],
    ['percent: ceiling applies', percent('0.1', '10.00', '150.00'), { monthlyIncome: '4000.00' }, 'required', '150.00'],
    ['percent: half-up on a tie (1234.50 × 0.025 = 30.8625)', percent('0.025', '0.00'), { monthlyIncome: '1234.50' }, 'required', '30.86'],
    ['percent: half-up 0.005 rounds away from zero', percent('0.5', '0.00'), { monthlyIncome: '0.01' }, 'required', '0.01'],
    ['percent: 30 % of 0.01 rounds to 0.00', percent('0.3', '0.00'), { monthlyIncome: '0.01' }, 'required', '0.00'],
    ['percent: 1/3 of 100', percent('0.333333', '0.00'), { monthlyIncome: '100.00' }, 'required', '33.33'],
    ['percent: no income → floor', percent('0.025', '10.00'), { monthlyIncome: null }, 'required', '10.00'],
    ['grid: first band, inclusive bound', grid, { monthlyIncome: '800.00' }, 'suggested', '10.00'],
    ['grid: middle band', grid, { monthlyIncome: '800.01' }, 'suggested', '30.00'],
    ['grid: last band', grid, { monthlyIncome: '9000.00' }, 'suggested', '60.00'],
    ['brackets: no choice → lowest level', brackets, {}, 'minimum', '15.00'],
    ['brackets: chosen level', brackets, { level: 'N2' }, 'chosen-level', '30.00'],
  ])('%s', (_, rule, inputs, kind, amount) => {
    const q = quoteContribution(rule, { ...base, ...inputs });
    expect(q).toMatchObject({ rule: rule.rule, kind, amount });
    expect(q.steps.length).toBeGreaterThan(0);
  });

  it('grid without declared income names the missing input', () => {
    expect(() => quoteContribution(grid, { ...base, monthlyIncome: null })).toThrow(QuoteInputMissing);
  });

  it('brackets with an unknown level names the level field', () => {
    try {
      quoteContribution(brackets, { ...base, level: 'N9' });
      throw new Error('expected a refusal');
    } catch (e) {
      expect((e as QuoteInputMissing).field).toBe('level');
    }
  });
});

describe('allocationOf', () => {
  it.each<[string, string | null]>([
    ['flat', '100.00'],
    ['household', '150.00'],
  ])('%s allocation', (formula, expected) => {
    const rule = formula === 'flat' ? ({ formula: 'flat', amount: '100.00' } as const) : ({ formula: 'household', base: '75.00', perExtraAdult: '30.00', perChild: '22.50' } as const);
    expect(allocationOf(rule, 2, 2)?.toFixed(2) ?? null).toBe(formula === 'flat' ? expected : '150.00');
  });

  it('is the whole target under top-up (the wallet gets all of it), unknown before the run for mean-of-contributions', () => {
    expect(allocationOf({ formula: 'top-up', target: '90.00' }, 1, 0)?.toFixed(2)).toBe('90.00');
    expect(allocationOf({ formula: 'mean-of-contributions' }, 1, 0)).toBeNull();
  });
});
