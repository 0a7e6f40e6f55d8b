import { incomeBands, medianIncome } from './income-bands.js';
import { smallCount } from './small-cells.js';

describe('income bands', () => {
  const grid = { rule: 'grid' as const, bands: [{ upTo: '1000.00', amount: '10.00' }, { upTo: '2000.00', amount: '40.00' }, { amount: '80.00' }] };

  it.each([
    ['0.00', '≤ 1000.00 €'],
    ['1000.00', '≤ 1000.00 €'],
    ['1000.01', '1000.00 – 2000.00 €'],
    ['2000.00', '1000.00 – 2000.00 €'],
    ['2000.01', '> 2000.00 €'],
    [null, 'Revenu non déclaré'],
  ])('the grid puts %s in %s', (income, label) => {
    expect(incomeBands(grid, []).bandOf(income).label).toBe(label);
  });

  it('falls back to deciles of declared incomes, equal incomes sharing one', () => {
    const incomes = Array.from({ length: 20 }, (_, i) => `${(i + 1) * 100}.00`);
    const { bands, bandOf } = incomeBands({ rule: 'free', floor: '10.00' }, incomes);
    expect(bands.map((b) => b.key)).toEqual(['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8', 'd9', 'd10', 'undeclared']);
    expect(['100.00', '200.00', '300.00', '1900.00', '2000.00'].map((i) => bandOf(i).key)).toEqual(['d1', 'd1', 'd2', 'd10', 'd10']);
    const same = incomeBands(undefined, ['500.00', '500.00', '500.00', '900.00']);
    expect(same.bandOf('500.00').key).toBe('d1');
    expect(same.bandOf('900.00').key).toBe('d8');
  });

  it.each([
    [['800.00', '1500.00', '3000.00'], '1500.00'],
    [['800.00', '1500.00', null, '3000.00', '1000.00'], '1250.00'],
    [[null], null],
    [['0.01', '0.02'], '0.02'],
  ])('median of %j is %s', (incomes, median) => {
    expect(medianIncome(incomes)).toBe(median);
  });
});

describe('small counts', () => {
  it.each([
    [0, 5, 0],
    [1, 5, null],
    [4, 5, null],
    [5, 5, 5],
    [12, 5, 12],
  ])('%i under a minimum of %i → %s', (n, min, expected) => {
    expect(smallCount(n, min)).toBe(expected);
  });
});
