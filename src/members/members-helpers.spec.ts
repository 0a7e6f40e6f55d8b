import { money } from '../common/money/money.js';
import { luhnValid } from '../common/validation/validators.js';
import { generateCardNumber, luhnCheckDigit } from './card-number.js';
import { ageBand, incomeBand, stratumOf } from './draw-pool.js';
import { childrenOn, pseudonymOf } from './household.js';
import { isCardNumber, isWeakPin } from './member-validators.js';
import { generatePin } from './pin.js';
import { QrToken } from './qr-token.js';
import { classify } from './wallet-classifier.js';

describe('card numbers', () => {
  it('are 16 digits passing Luhn, and differ', () => {
    const numbers = Array.from({ length: 200 }, generateCardNumber);
    for (const n of numbers) {
      expect(n).toMatch(/^\d{16}$/);
      expect(luhnValid(n)).toBe(true);
    }
    expect(new Set(numbers).size).toBe(200);
  });

  it.each([
    ['453957876362148', '6'],
    ['000000000000000', '0'],
    ['7992739871', '3'], // the classic example of the Luhn algorithm
  ])('check digit of %s is %s', (body, digit) => expect(luhnCheckDigit(body)).toBe(digit));

  it.each([
    ['4539578763621486', true],
    ['4539578763621487', false],
    ['453957876362148', false],
    ['45395787636214866', false],
    ['4539 5787 6362 1486', false],
    ['453957876362148a', false],
  ])('isCardNumber(%s) = %s', (value, ok) => expect(isCardNumber(value)).toBe(ok));
});

describe('PINs', () => {
  it.each([
    ['0000', true],
    ['999999', true],
    ['1234', true],
    ['456789', true],
    ['9876', true],
    ['4821', false],
    ['1233', false],
    ['2468', false],
  ])('isWeakPin(%s) = %s', (pin, weak) => expect(isWeakPin(pin)).toBe(weak));

  it('generates 4-digit PINs that are never weak', () => {
    for (let i = 0; i < 500; i++) {
      const pin = generatePin();
      expect(pin).toMatch(/^\d{4}$/);
      expect(isWeakPin(pin)).toBe(false);
    }
  });
});

describe('QR payloads', () => {
  const qr = QrToken.fromSecret('x'.repeat(40));
  const card = '0b0c3c2e-9d1f-4f6a-8d4e-2f1a3b4c5d6e';
  const caisse = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

  it('round-trips caisse and card id, and holds nothing else but expiry and a nonce', () => {
    const payload = qr.sign(caisse, card, new Date(Date.now() + 60_000));
    const check = qr.check(payload);
    expect(check).toMatchObject({ ok: true, claims: { c: caisse, k: card } });
    expect(Object.keys((check as { claims: object }).claims).sort()).toEqual(['c', 'e', 'k', 'n']);
    expect(qr.sign(caisse, card, new Date(Date.now() + 60_000))).not.toBe(payload);
  });

  it.each<[string, (p: string) => string, string]>([
    ['a changed card id', (p) => { const [a, , c] = p.split('.'); return [a, Buffer.from(JSON.stringify({ c: caisse, k: 'other', e: 9e9, n: 'x' })).toString('base64url'), c].join('.'); }, 'signature'],
    ['a truncated signature', (p) => p.slice(0, -2), 'malformed'],
    ['garbage', () => 'hello', 'malformed'],
  ])('refuses %s', (_name, tamper, reason) => {
    expect(qr.check(tamper(qr.sign(caisse, card, new Date(Date.now() + 60_000))))).toEqual({ ok: false, reason });
  });

  it('refuses an expired payload and one signed with another key', () => {
    expect(qr.check(qr.sign(caisse, card, new Date(Date.now() - 1000)))).toEqual({ ok: false, reason: 'expired' });
    expect(QrToken.fromSecret('y'.repeat(40)).check(qr.sign(caisse, card, new Date(Date.now() + 60_000)))).toEqual({ ok: false, reason: 'signature' });
  });
});

describe('draw strata and households', () => {
  it.each<[number | null, string]>([
    [2000, '<30'],
    [1997, '30-44'],
    [1982, '45-59'],
    [1967, '60+'],
    [null, 'unknown'],
  ])('born %s is in age band %s in 2027 with bounds 30/45/60', (year, band) => expect(ageBand(year, [30, 45, 60], 2027)).toBe(band));

  it.each<[string | null, string]>([
    ['0.00', '<900.00'],
    ['899.99', '<900.00'],
    ['900.00', '900.00-1500.00'],
    ['1499.99', '900.00-1500.00'],
    ['1500', '1500.00+'],
    [null, 'undeclared'],
  ])('income %s is in band %s', (income, band) => expect(incomeBand(income === null ? null : money(income), ['900', '1500.00'])).toBe(band));

  it('builds a stratum from derived and custom attributes, listing the missing ones', () => {
    const facts = { commune: '34172', birthYear: 1990, monthlyIncome: null, attributes: { quartier: 'Mosson' } };
    const derivation = { referenceYear: 2027, ageBands: [30, 60], incomeBands: ['900.00'] };
    expect(stratumOf(facts, ['commune', 'ageBand', 'incomeBand', 'quartier'], derivation)).toEqual({
      stratum: { commune: '34172', ageBand: '30-59', incomeBand: 'undeclared', quartier: 'Mosson' },
      missing: [],
    });
    expect(stratumOf(facts, ['gender'], derivation).missing).toEqual(['gender']);
  });

  it('counts a child as under 14 until the year it turns 14', () => {
    expect(childrenOn([2013, 2014, 2020], '2026-12-31')).toEqual({ under14: 3, aged14AndOver: 0 });
    expect(childrenOn([2013, 2014, 2020], '2027-01-01')).toEqual({ under14: 2, aged14AndOver: 1 });
    expect(pseudonymOf(42)).toBe('M00000042');
  });
});

describe('wallet statement sections', () => {
  const line = (journal: string, debit: string, credit: string, counterparts: string[]) => ({
    entryId: 'e',
    journal,
    date: '2026-11-02',
    label: 'x',
    pieceRef: 'p',
    debit,
    credit,
    counterparts: counterparts.map((account) => ({ account, label: account === '401-O1' ? 'Épicerie du Faubourg' : 'autre' })),
  });
  it.each<[string, ReturnType<typeof line>, string, string]>([
    ['an allocation', line('ALL', '0.00', '150.00', ['6571']), 'allocations', 'in'],
    ['a reversed allocation', line('ALL', '150.00', '0.00', ['6571']), 'corrections', 'out'],
    ['a purchase', line('ACH', '12.50', '0.00', ['401-O1']), 'purchases', 'out'],
    ['a refund', line('ACH', '0.00', '2.50', ['401-O1']), 'refunds', 'in'],
    ['an expiry', line('OD', '10.00', '0.00', ['6571']), 'expiries', 'out'],
    ['a manual correction', line('OD', '0.00', '5.00', ['512']), 'corrections', 'in'],
    ['an opening balance', line('AN', '0.00', '40.00', ['110']), 'corrections', 'in'],
  ])('files %s under %s', (_name, l, section, direction) => {
    const { section: got, movement } = classify(l);
    expect(got).toBe(section);
    expect(movement.direction).toBe(direction);
    expect(movement.amount).toBe(direction === 'out' ? l.debit : l.credit);
    expect(movement.outlet).toEqual(l.journal === 'ACH' ? { account: '401-O1', name: 'Épicerie du Faubourg' } : null);
  });
});
