import { money } from '../common/money/money.js';
import type { CoverageInForce } from '../outlets/outlets.types.js';
import type { CreatePurchaseDto } from './dto/purchase.dto.js';
import { DEFAULT_SETTINGS } from './purchase-settings.service.js';
import { checkShape, pinRequired, price } from './purchase-pricing.js';

const coverage = (rates: Record<string, string>): CoverageInForce => ({ versionId: 'v', effectiveFrom: '2026-01-01', rates: Object.entries(rates).map(([category, rate]) => ({ category, rate })) });
const cover = (dto: CreatePurchaseDto, rates: Record<string, string>) => price(dto, coverage(rates)).covered.toFixed(2);
const card = '4970000000000008';

describe('purchase pricing', () => {
  it.each([
    // [lines, rates, covered]: each line rounded half-up on its own, then summed.
    [[['a', '0.01']], { a: '0.30' }, 'NOTHING_COVERED'],
    [[['a', '0.05']], { a: '0.30' }, '0.02'],
    [[['a', '1.00']], { a: '0.3333' }, '0.33'],
    [[['a', '0.01'], ['a', '0.01'], ['a', '0.01']], { a: '0.50' }, '0.03'],
    [[['a', '3.35']], { a: '0.70' }, '2.35'],
    [[['a', '10.00'], ['b', '3.35'], ['c', '0.05']], { a: '1', b: '0.70', '*': '0.30' }, '12.37'],
    [[['a', '33.33']], { '*': '1.0000' }, '33.33'],
  ] as [string[][], Record<string, string>, string][])('lines %j at %j cover %s', (lines, rates, expected) => {
    const dto = { card, lines: lines.map(([category, amount]) => ({ category, amount })) };
    let got: string;
    try {
      got = cover(dto, rates);
    } catch (e) {
      got = (e as { code: string }).code;
    }
    expect(got).toBe(expected);
  });

  it('covers an amount without lines at the * rate, and names an uncovered category', () => {
    expect(cover({ card, amount: '23.80' }, { '*': '0.70' })).toBe('16.66');
    expect(() => price({ card, lines: [{ category: 'alcool', amount: '5.00' }] }, coverage({ fruits: '1' }))).toThrow(expect.objectContaining({ code: 'UNKNOWN_CATEGORY', extra: { errors: { 'lines.0.category': ['unknown category alcool'] } } }));
    expect(() => price({ card, amount: '5.00' }, null)).toThrow(expect.objectContaining({ code: 'NOTHING_COVERED' }));
  });

  it('checks the shape and the maximum per purchase', () => {
    expect(checkShape({ card, amount: '500.00' }, DEFAULT_SETTINGS).toFixed(2)).toBe('500.00');
    expect(() => checkShape({ card, amount: '500.01' }, DEFAULT_SETTINGS)).toThrow(expect.objectContaining({ code: 'PURCHASE_TOO_LARGE' }));
    expect(() => checkShape({ card, qr: 'x'.repeat(20), amount: '1.00' }, DEFAULT_SETTINGS)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => checkShape({ card: '4970000000000009', amount: '1.00' }, DEFAULT_SETTINGS)).toThrow(expect.objectContaining({ extra: { errors: { card: [expect.any(String)] } } }));
    expect(() => checkShape({ card, amount: '1.00', lines: [{ category: 'a', amount: '1.00' }] }, DEFAULT_SETTINGS)).toThrow(expect.objectContaining({ extra: { errors: { amount: [expect.any(String)] } } }));
  });

  it('asks for a PIN as the caisse policy says, never for a QR', () => {
    const ten = money('10.00');
    expect(pinRequired(DEFAULT_SETTINGS, false, ten)).toBe(true);
    expect(pinRequired(DEFAULT_SETTINGS, true, ten)).toBe(false);
    expect(pinRequired({ ...DEFAULT_SETTINGS, pinPolicy: 'never' }, false, ten)).toBe(false);
    expect(pinRequired({ ...DEFAULT_SETTINGS, pinPolicy: 'above-amount', pinAbove: '10.00' }, false, ten)).toBe(false);
    expect(pinRequired({ ...DEFAULT_SETTINGS, pinPolicy: 'above-amount', pinAbove: '9.99' }, false, ten)).toBe(true);
  });
});
