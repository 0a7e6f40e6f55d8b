import { Decimal } from 'decimal.js';

// A private Decimal constructor so no other module's settings leak into money arithmetic.
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Money = Decimal;

/** Upper bound of numeric(15,2). */
export const MAX_AMOUNT = new Money('9999999999999.99');

export const MONEY_PATTERN = /^-?\d{1,13}(\.\d{1,2})?$/;

export function money(value: Decimal.Value): Decimal {
  return new Money(value);
}

/**
 * The one rounding rule of the caisse: half-up (away from zero on a tie) to the cent.
 * Every computed amount (rate, proration, percentage) goes through here before it is posted.
 */
export function roundCents(value: Decimal.Value): Decimal {
  return new Money(value).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** Canonical API form: always two decimals, no exponent ("12.50", "0.00"). */
export function formatMoney(value: Decimal.Value): string {
  return new Money(value).toFixed(2);
}

/**
 * Splits an amount into `parts` shares that differ by at most one cent and add up exactly
 * to the amount (the first shares take the leftover cents).
 */
export function splitEvenly(total: Decimal.Value, parts: number): Decimal[] {
  if (!Number.isInteger(parts) || parts < 1) throw new RangeError('parts must be a positive integer');
  const cents = new Money(total).times(100);
  if (!cents.isInteger()) throw new RangeError('total must be a whole number of cents');
  const base = cents.dividedToIntegerBy(parts);
  const leftover = cents.minus(base.times(parts)).toNumber();
  return Array.from({ length: parts }, (_, i) => base.plus(i < Math.abs(leftover) ? Math.sign(leftover) : 0).dividedBy(100));
}

export function isMoneyString(value: unknown, opts: { allowNegative?: boolean } = {}): value is string {
  if (typeof value !== 'string' || !MONEY_PATTERN.test(value)) return false;
  return opts.allowNegative || !value.startsWith('-');
}
