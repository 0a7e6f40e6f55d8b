import { codeMatches, drawVouchers, hashCode, SERIAL } from './voucher-codes.js';

const CAISSE = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

describe('voucher codes', () => {
  it('draws distinct random serials and 6-digit codes, avoiding the ones given', () => {
    const avoid = new Set(drawVouchers(50, '1.00').map((v) => v.serial));
    const drawn = drawVouchers(500, '2.50', avoid);
    expect(new Set(drawn.map((v) => v.serial)).size).toBe(500);
    for (const v of drawn) {
      expect(v.serial).toMatch(SERIAL);
      expect(v.code).toMatch(/^\d{6}$/);
      expect(v.faceValue).toBe('2.50');
      expect(avoid.has(v.serial)).toBe(false);
    }
  });

  const stored = hashCode(CAISSE, 'V00000042', '482913');
  it.each([
    ['the right code', CAISSE, 'V00000042', '482913', stored, true],
    ['a wrong code', CAISSE, 'V00000042', '482914', stored, false],
    ['the code of another serial', CAISSE, 'V00000043', '482913', stored, false],
    ['another caisse', '0b0c3c2e-9d1f-4f6a-8d4e-2f1a3b4c5d6e', 'V00000042', '482913', stored, false],
    ['a truncated stored hash', CAISSE, 'V00000042', '482913', stored.slice(0, 20), false],
    ['an empty stored hash', CAISSE, 'V00000042', '482913', '', false],
  ])('%s → %s', (_, caisse, serial, code, hash, expected) => {
    expect(codeMatches(caisse, serial, code, hash)).toBe(expected);
  });
});
