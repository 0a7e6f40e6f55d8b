import type { Decimal } from 'decimal.js';
import { money } from '../common/money/money.js';

const above = (paid: Decimal, threshold: Decimal) => (paid.greaterThan(threshold) ? paid.minus(threshold) : money(0));

/**
 * Gift part (7541) of each payment of one member's month, in recording order. The month's gift is
 * max(0, Σ paid − allocation) whatever the number of payments; each payment holds the euros it brought above the
 * allocation, so a later payment books only the increment and earlier payments keep what they booked.
 * `threshold` null: no part of the month is a gift.
 */
export function monthGiftParts(amounts: Decimal[], threshold: Decimal | null): Decimal[] {
  if (threshold === null) return amounts.map(() => money(0));
  let paid = money(0);
  return amounts.map((amount) => {
    const before = above(paid, threshold);
    paid = paid.plus(amount);
    return above(paid, threshold).minus(before);
  });
}

/** The gift the month holds in all: max(0, Σ paid − allocation). */
export function monthGift(amounts: Decimal[], threshold: Decimal | null): Decimal {
  return threshold === null ? money(0) : above(amounts.reduce((s, a) => s.plus(a), money(0)), threshold);
}
