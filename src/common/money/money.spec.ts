import { formatMoney, isMoneyString, money, roundCents, splitEvenly } from './money.js';
import { moneyTransformer } from './money.transformer.js';

describe('money', () => {
  it.each([
    ['0.005', '0.01'],
    ['0.004', '0.00'],
    ['-0.005', '-0.01'],
    ['2.675', '2.68'], // a float would give 2.67
    ['1.005', '1.01'], // a float would give 1.00
    ['999999999.995', '1000000000.00'],
  ])('roundCents(%s) = %s (half-up)', (input, expected) => {
    expect(formatMoney(roundCents(input))).toBe(expected);
  });

  it('30 % of one cent rounds to zero, 50 % of one cent to one cent', () => {
    expect(formatMoney(roundCents(money('0.01').times('0.30')))).toBe('0.00');
    expect(formatMoney(roundCents(money('0.01').times('0.50')))).toBe('0.01');
  });

  it('adds 0.1 + 0.2 exactly', () => {
    expect(money('0.1').plus('0.2').equals('0.3')).toBe(true);
  });

  it.each([
    ['100.00', 3, ['33.34', '33.33', '33.33']],
    ['0.01', 3, ['0.01', '0.00', '0.00']],
    ['0.02', 2, ['0.01', '0.01']],
    ['999999999.99', 2, ['500000000.00', '499999999.99']],
    ['-10.00', 3, ['-3.34', '-3.33', '-3.33']],
  ])('splitEvenly(%s, %d) keeps every cent', (total, parts, expected) => {
    const shares = splitEvenly(total, parts);
    expect(shares.map(formatMoney)).toEqual(expected);
    expect(shares.reduce((a, b) => a.plus(b), money(0)).equals(total)).toBe(true);
  });

  it('refuses fractional cents and bad part counts in splitEvenly', () => {
    expect(() => splitEvenly('0.001', 2)).toThrow(RangeError);
    expect(() => splitEvenly('1', 0)).toThrow(RangeError);
  });

  it.each([
    ['12.50', true],
    ['12', true],
    ['0.01', true],
    ['9999999999999.99', true],
    ['12.505', false],
    ['1e3', false],
    ['-1.00', false],
    ['', false],
    ['12,50', false],
  ])('isMoneyString(%j) = %s', (value, ok) => {
    expect(isMoneyString(value)).toBe(ok);
  });

  it('round-trips numeric strings through the column transformer without floats', () => {
    const value = moneyTransformer.from('999999999.99');
    expect(moneyTransformer.to(value)).toBe('999999999.99');
    expect(moneyTransformer.to(money('0.1').plus('0.2'))).toBe('0.30');
    expect(moneyTransformer.from(null)).toBeNull();
  });
});
