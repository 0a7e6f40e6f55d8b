import type { Decimal } from 'decimal.js';
import { money } from '../common/money/money.js';

/**
 * Fonds dédiés at year end (ANC 2018-06 art. 132-1 ff.), computed from what the ledger holds:
 * - restricted resources are income lines (class 7, not 789x) carrying a grant or a fund;
 * - they are used by expense lines (class 6, not 689x) of the same fund (or naming the grant itself);
 * - use consumes the oldest money first: fonds dédiés carried from earlier years (released to 789x), then the year's
 *   grants in reference order; what a grant of the year leaves unused is allotted to fonds dédiés (689x / 19x).
 * Public funders (741) go to 194/6894/7894, every other organisation to 195/6895/7895.
 */
export interface Restricted {
  grant: string | null;
  fund: string | null;
  /** Funder's auxiliary number (contributor number), or '' when the ledger cannot tell. */
  funder: string;
  publicFunder: boolean;
  amount: Decimal;
}

export interface Usage {
  grant: string | null;
  fund: string | null;
  amount: Decimal;
}

export interface FundMove {
  grant: string | null;
  fund: string | null;
  funder: string;
  publicFunder: boolean;
  amount: Decimal;
}

export interface DedicatedFundsPlan {
  /** Earlier fonds dédiés used this year: debit 194/195, credit 7894/7895. */
  releases: FundMove[];
  /** This year's restricted resources left unused: debit 6894/6895, credit 194/195. */
  allotments: FundMove[];
}

const byGrant = (a: Restricted, b: Restricted) => (a.grant ?? '').localeCompare(b.grant ?? '') || a.funder.localeCompare(b.funder);

export function planDedicatedFunds(openings: Restricted[], incomes: Restricted[], usages: Usage[]): DedicatedFundsPlan {
  const pool = [...openings.filter((o) => o.amount.gt(0)).sort(byGrant), ...incomes.filter((i) => i.amount.gt(0)).sort(byGrant)].map((r, i) => ({
    ...r,
    opening: i < openings.filter((o) => o.amount.gt(0)).length,
    left: r.amount,
  }));
  const consume = (amount: Decimal, match: (p: (typeof pool)[number]) => boolean) => {
    let rest = amount;
    for (const p of pool) {
      if (rest.lte(0)) break;
      if (!match(p) || p.left.lte(0)) continue;
      const take = p.left.lt(rest) ? p.left : rest;
      p.left = p.left.minus(take);
      rest = rest.minus(take);
    }
  };
  // Lines naming their grant use that grant first; whatever remains, and lines naming only a fund, use the fund's pool.
  const fundLeft = new Map<string, Decimal>();
  for (const u of usages.filter((x) => x.amount.gt(0))) {
    if (u.grant) {
      const before = pool.filter((p) => p.grant === u.grant).reduce((s, p) => s.plus(p.left), money(0));
      consume(u.amount, (p) => p.grant === u.grant);
      const used = before.minus(pool.filter((p) => p.grant === u.grant).reduce((s, p) => s.plus(p.left), money(0)));
      const rest = u.amount.minus(used);
      if (rest.gt(0) && u.fund !== null) fundLeft.set(u.fund, (fundLeft.get(u.fund) ?? money(0)).plus(rest));
    } else if (u.fund !== null) {
      fundLeft.set(u.fund, (fundLeft.get(u.fund) ?? money(0)).plus(u.amount));
    }
  }
  for (const [fund, amount] of fundLeft) consume(amount, (p) => p.fund === fund);

  const move = (p: (typeof pool)[number], amount: Decimal): FundMove => ({ grant: p.grant, fund: p.fund, funder: p.funder, publicFunder: p.publicFunder, amount });
  return {
    releases: pool.filter((p) => p.opening && p.amount.minus(p.left).gt(0)).map((p) => move(p, p.amount.minus(p.left))),
    allotments: pool.filter((p) => !p.opening && p.left.gt(0)).map((p) => move(p, p.left)),
  };
}
