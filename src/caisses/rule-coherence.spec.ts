import { normaliseRules, ruleCoherenceErrors, type RuleInput } from './rule-coherence.js';

/** A coherent rule set; each case below overrides one part of it. */
function rules(overrides: Partial<RuleInput> = {}): RuleInput {
  return {
    allocation: { formula: 'flat', amount: '100.00' },
    contribution: { rule: 'free', floor: '10.00' },
    rollover: { mode: 'rollover' },
    gate: { requireContribution: false },
    ...overrides,
  };
}

describe('ruleCoherenceErrors', () => {
  it.each<[string, Partial<RuleInput>]>([
    ['free floor only', { contribution: { rule: 'free', floor: '10.00' } }],
    ['free ceiling above floor', { contribution: { rule: 'free', floor: '10.00', ceiling: '180.00' } }],
    ['free ceiling equal to floor', { contribution: { rule: 'free', floor: '30.00', ceiling: '30' } }],
    ['percent-of-income ceiling above floor', { contribution: { rule: 'percent-of-income', rate: '0.025', floor: '10.00', ceiling: '250.00' } }],
    ['percent-of-income without ceiling', { contribution: { rule: 'percent-of-income', rate: '0.025', floor: '10.00' } }],
    ['grid of one open band', { contribution: { rule: 'grid', bands: [{ amount: '20.00' }] } }],
    [
      'grid in increasing order, open last band',
      { contribution: { rule: 'grid', bands: [{ upTo: '800.00', amount: '10.00' }, { upTo: '1200', amount: '20.00' }, { amount: '40.00' }] } },
    ],
    ['brackets with distinct labels', { contribution: { rule: 'brackets', levels: [{ label: 'Niveau 1', amount: '10.00' }, { label: 'Niveau 2', amount: '30.00' }] } }],
    ['cap with capMonths', { rollover: { mode: 'cap', capMonths: 2 } }],
    ['expire', { rollover: { mode: 'expire' } }],
  ])('accepts %s', (_name, overrides) => {
    expect(ruleCoherenceErrors(rules(overrides))).toEqual({});
  });

  it.each<[string, Partial<RuleInput>, string[]]>([
    ['free ceiling below floor', { contribution: { rule: 'free', floor: '30.00', ceiling: '29.99' } }, ['contribution.ceiling']],
    ['free ceiling below floor, compared as numbers not strings', { contribution: { rule: 'free', floor: '100', ceiling: '99' } }, ['contribution.ceiling']],
    ['percent-of-income ceiling below floor', { contribution: { rule: 'percent-of-income', rate: '0.025', floor: '10.00', ceiling: '9.00' } }, ['contribution.ceiling']],
    [
      'grid bands out of order',
      { contribution: { rule: 'grid', bands: [{ upTo: '1200.00', amount: '20.00' }, { upTo: '800.00', amount: '10.00' }, { amount: '40.00' }] } },
      ['contribution.bands.1.upTo'],
    ],
    [
      'grid bands with equal bounds',
      { contribution: { rule: 'grid', bands: [{ upTo: '800.00', amount: '10.00' }, { upTo: '800', amount: '20.00' }, { amount: '40.00' }] } },
      ['contribution.bands.1.upTo'],
    ],
    [
      'grid bands compared as amounts, not strings ("900" < "1000")',
      { contribution: { rule: 'grid', bands: [{ upTo: '900.00', amount: '10.00' }, { upTo: '1000.00', amount: '20.00' }, { upTo: '950.00', amount: '30.00' }, { amount: '40.00' }] } },
      ['contribution.bands.2.upTo'],
    ],
    ['grid last band bounded', { contribution: { rule: 'grid', bands: [{ upTo: '800.00', amount: '10.00' }, { upTo: '1200.00', amount: '20.00' }] } }, ['contribution.bands.1.upTo']],
    ['grid single band bounded', { contribution: { rule: 'grid', bands: [{ upTo: '800.00', amount: '10.00' }] } }, ['contribution.bands.0.upTo']],
    [
      'grid open band before the last',
      { contribution: { rule: 'grid', bands: [{ upTo: '800.00', amount: '10.00' }, { amount: '20.00' }, { amount: '40.00' }] } },
      ['contribution.bands.1.upTo'],
    ],
    [
      'duplicate bracket labels',
      { contribution: { rule: 'brackets', levels: [{ label: 'A', amount: '10.00' }, { label: 'B', amount: '20.00' }, { label: 'A', amount: '30.00' }] } },
      ['contribution.levels.2.label'],
    ],
    ['capMonths with rollover', { rollover: { mode: 'rollover', capMonths: 3 } }, ['rollover.capMonths']],
    ['capMonths with expire', { rollover: { mode: 'expire', capMonths: 1 } }, ['rollover.capMonths']],
    [
      'several problems at once',
      { contribution: { rule: 'free', floor: '50.00', ceiling: '10.00' }, rollover: { mode: 'expire', capMonths: 1 } },
      ['contribution.ceiling', 'rollover.capMonths'],
    ],
  ])('refuses %s', (_name, overrides, paths) => {
    const errors = ruleCoherenceErrors(rules(overrides));
    expect(Object.keys(errors).sort()).toEqual([...paths].sort());
    for (const path of paths) {
      expect(errors[path].length).toBeGreaterThan(0);
      for (const message of errors[path]) expect(typeof message).toBe('string');
    }
  });
});

describe('normaliseRules', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['flat', { formula: 'flat', amount: '150' }, { formula: 'flat', amount: '150.00' }],
    ['flat with one decimal', { formula: 'flat', amount: '99.5' }, { formula: 'flat', amount: '99.50' }],
    [
      'household',
      { formula: 'household', base: '150', perExtraAdult: '75.5', perChild: '45.00' },
      { formula: 'household', base: '150.00', perExtraAdult: '75.50', perChild: '45.00' },
    ],
    ['mean-of-contributions', { formula: 'mean-of-contributions' }, { formula: 'mean-of-contributions' }],
    ['top-up', { formula: 'top-up', target: '90' }, { formula: 'top-up', target: '90.00' }],
    ['top-up charged to a named fund', { formula: 'top-up', target: '90', fund: 'caf-savoie' }, { formula: 'top-up', target: '90.00', fund: 'caf-savoie' }],
    ['drops fields the formula does not define', { formula: 'mean-of-contributions', amount: '10.00' }, { formula: 'mean-of-contributions' }],
    ['drops other formulas fields from flat', { formula: 'flat', amount: '1', target: '2' }, { formula: 'flat', amount: '1.00' }],
    ['keeps reduce-when-short and the automatic run day', { formula: 'flat', amount: '100', whenShort: 'reduce', autoRunDay: 3 }, { formula: 'flat', amount: '100.00', whenShort: 'reduce', autoRunDay: 3 }],
    ['stores nothing for the default shortfall policy (fail)', { formula: 'top-up', target: '90', whenShort: 'fail' }, { formula: 'top-up', target: '90.00' }],
  ])('allocation: %s', (_name, allocation, expected) => {
    expect(normaliseRules(rules({ allocation })).allocation).toStrictEqual(expected);
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['free without ceiling', { rule: 'free', floor: '1' }, { rule: 'free', floor: '1.00' }],
    ['free with ceiling', { rule: 'free', floor: '10', ceiling: '180.5' }, { rule: 'free', floor: '10.00', ceiling: '180.50' }],
    [
      'percent-of-income keeps the rate as given',
      { rule: 'percent-of-income', rate: '0.025', floor: '10' },
      { rule: 'percent-of-income', rate: '0.025', floor: '10.00' },
    ],
    [
      'percent-of-income with ceiling',
      { rule: 'percent-of-income', rate: '0.025', floor: '10.00', ceiling: '250' },
      { rule: 'percent-of-income', rate: '0.025', floor: '10.00', ceiling: '250.00' },
    ],
    [
      'grid: bounded bands then an open one',
      { rule: 'grid', bands: [{ upTo: '800', amount: '10' }, { upTo: '1200.5', amount: '20.5' }, { amount: '40' }] },
      { rule: 'grid', bands: [{ upTo: '800.00', amount: '10.00' }, { upTo: '1200.50', amount: '20.50' }, { amount: '40.00' }] },
    ],
    [
      'brackets',
      { rule: 'brackets', levels: [{ label: 'Niveau 1', amount: '5' }, { label: 'Niveau 2', amount: '30.0' }] },
      { rule: 'brackets', levels: [{ label: 'Niveau 1', amount: '5.00' }, { label: 'Niveau 2', amount: '30.00' }] },
    ],
    ['drops fields the rule does not define', { rule: 'free', floor: '10', rate: '0.5', bands: [] }, { rule: 'free', floor: '10.00' }],
  ])('contribution: %s', (_name, contribution, expected) => {
    expect(normaliseRules(rules({ contribution })).contribution).toStrictEqual(expected);
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['rollover', { mode: 'rollover' }, { mode: 'rollover' }],
    ['cap keeps capMonths', { mode: 'cap', capMonths: 3 }, { mode: 'cap', capMonths: 3 }],
    ['expire', { mode: 'expire' }, { mode: 'expire' }],
  ])('rollover: %s', (_name, rollover, expected) => {
    expect(normaliseRules(rules({ rollover })).rollover).toStrictEqual(expected);
  });

  it.each<[Record<string, unknown>, Record<string, unknown>]>([
    [{ requireContribution: true }, { requireContribution: true }],
    [{ requireContribution: false }, { requireContribution: false }],
    [{ requireContribution: false, extra: 'x' }, { requireContribution: false }],
  ])('gate %j -> %j', (gate, expected) => {
    expect(normaliseRules(rules({ gate })).gate).toStrictEqual(expected);
  });

  it('never leaves a money amount without exactly two decimals', () => {
    const out = normaliseRules({
      allocation: { formula: 'household', base: '0', perExtraAdult: '7', perChild: '0.1' },
      contribution: { rule: 'grid', bands: [{ upTo: '1', amount: '0' }, { amount: '9999999999999.99' }] },
      rollover: { mode: 'expire' },
      gate: { requireContribution: true },
    });
    expect(out.allocation).toStrictEqual({ formula: 'household', base: '0.00', perExtraAdult: '7.00', perChild: '0.10' });
    expect(out.contribution).toStrictEqual({ rule: 'grid', bands: [{ upTo: '1.00', amount: '0.00' }, { amount: '9999999999999.99' }] });
  });

  it('does not mutate its input', () => {
    const input = rules({ allocation: { formula: 'flat', amount: '150' }, contribution: { rule: 'free', floor: '10', ceiling: '20' } });
    const copy = structuredClone(input);
    normaliseRules(input);
    expect(input).toStrictEqual(copy);
  });
});
