import type { ContributionRule } from '../../caisses/dto/rules.types.js';
import { money } from '../../common/money/money.js';

export interface IncomeBand {
  key: string;
  label: string;
}

export const UNDECLARED: IncomeBand = { key: 'undeclared', label: 'Revenu non déclaré' };

/**
 * Sorts members into income bands: the caisse's own grid when its contribution rule has one (the brackets it
 * already publishes), else deciles of the declared incomes. Members who declared nothing get their own band.
 * Returns the bands in order and a function giving each member's band.
 */
export function incomeBands(rule: ContributionRule | undefined, incomes: (string | null)[]): { bands: IncomeBand[]; bandOf: (income: string | null) => IncomeBand } {
  if (rule?.rule === 'grid') {
    const bands = rule.bands.map((b, i) => {
      const lower = i === 0 ? null : rule.bands[i - 1].upTo!;
      const label = b.upTo === undefined ? `> ${lower} €` : lower === null ? `≤ ${b.upTo} €` : `${lower} – ${b.upTo} €`;
      return { key: `grid-${i + 1}`, label, upTo: b.upTo };
    });
    const bandOf = (income: string | null) => (income === null ? UNDECLARED : (bands.find((b) => b.upTo === undefined || money(income).lte(b.upTo)) ?? bands[bands.length - 1]));
    return { bands: [...bands.map(({ key, label }) => ({ key, label })), UNDECLARED], bandOf: (i) => strip(bandOf(i)) };
  }
  const sorted = incomes.filter((i): i is string => i !== null).sort((a, b) => money(a).comparedTo(b));
  const deciles = Array.from({ length: 10 }, (_, k) => ({ key: `d${k + 1}`, label: `D${k + 1}` }));
  const bandOf = (income: string | null) => {
    if (income === null || sorted.length === 0) return UNDECLARED;
    // Rank of the first equal income: equal incomes always share a decile.
    const rank = sorted.findIndex((s) => money(s).gte(income));
    return deciles[Math.min(9, Math.floor(((rank < 0 ? sorted.length - 1 : rank) * 10) / sorted.length))];
  };
  return { bands: [...deciles, UNDECLARED], bandOf };
}

function strip(b: IncomeBand & { upTo?: string }): IncomeBand {
  return { key: b.key, label: b.label };
}

/** Median of declared incomes (mean of the two middle ones for an even count); null when nobody declared one. */
export function medianIncome(incomes: (string | null)[]): string | null {
  const sorted = incomes.filter((i): i is string => i !== null).sort((a, b) => money(a).comparedTo(b));
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : money(sorted[mid - 1]).plus(sorted[mid]).dividedBy(2).toFixed(2);
}
