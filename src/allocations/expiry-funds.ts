import type { Decimal } from 'decimal.js';
import { money } from '../common/money/money.js';

/** One fund's part of a wallet credit, in the order the credits were made (oldest first). */
export interface CreditSlice {
  fund: string | null;
  amount: Decimal;
}

/**
 * Which funds the expiring money of a wallet came from (accounting.md: "6571 — on the fund that paid the expiring
 * money, oldest first"). Spending takes the oldest money first, so what the wallet still holds is the newest
 * credits' money: skip the first Σcredits − balance euros, then take the expiring amount from the oldest of the rest.
 * Money the credits do not explain (a refund, a manual entry) goes to `fallback`, the current run's fund.
 */
export function expiryByFund(credits: CreditSlice[], balance: Decimal, expiring: Decimal, fallback: string | null): CreditSlice[] {
  const total = credits.reduce((s, c) => s.plus(c.amount), money(0));
  let skip = total.gt(balance) ? total.minus(balance) : money(0);
  let left = expiring;
  const out = new Map<string | null, Decimal>();
  const take = (fund: string | null, amount: Decimal) => out.set(fund, (out.get(fund) ?? money(0)).plus(amount));
  for (const c of credits) {
    if (left.lte(0)) break;
    const skipped = skip.gt(c.amount) ? c.amount : skip;
    skip = skip.minus(skipped);
    const rest = c.amount.minus(skipped);
    if (rest.lte(0)) continue;
    const part = rest.lt(left) ? rest : left;
    take(c.fund, part);
    left = left.minus(part);
  }
  if (left.gt(0)) take(fallback, left);
  return [...out].map(([fund, amount]) => ({ fund, amount }));
}
