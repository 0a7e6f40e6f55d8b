import type { Decimal } from 'decimal.js';
import { formatMoney, money } from '../common/money/money.js';
import type { DedicatedFundsPlan, FundMove } from './dedicated-funds.js';
import type { PostingLineInput } from './ledger.types.js';

/** Lines of entries the annual closing posts, kept apart from the service so the rules read as a table. */
export const LINES_PER_ENTRY = 5000;

export function side(amount: Decimal): { debit: string } | { credit: string } {
  return amount.gt(0) ? { debit: formatMoney(amount) } : { credit: formatMoney(amount.negated()) };
}

/** Fonds dédiés: releases of earlier ones (19x → 789x) and allotments of this year's unused resources (689x → 19x). */
export function dedicatedFundLines(plan: DedicatedFundsPlan, fundAccount: (m: FundMove) => string): PostingLineInput[] {
  const tags = (m: FundMove) => ({ fund: m.fund ?? undefined, grant: m.grant ?? undefined });
  return [
    ...plan.releases.flatMap((m) => [
      { account: fundAccount(m), debit: formatMoney(m.amount), ...tags(m) },
      { account: m.publicFunder ? '7894' : '7895', credit: formatMoney(m.amount), ...tags(m) },
    ]),
    ...plan.allotments.flatMap((m) => [
      { account: m.publicFunder ? '6894' : '6895', debit: formatMoney(m.amount), ...tags(m) },
      { account: fundAccount(m), credit: formatMoney(m.amount), ...tags(m) },
    ]),
  ];
}

/**
 * Cuts a balanced list of lines into entries of at most LINES_PER_ENTRY + 1 lines, each balanced by a line on 580
 * (virements internes) that the next part takes back; one part needs none. Only caisses with thousands of wallets
 * carry that many balance-sheet accounts.
 */
export function balancedParts(lines: PostingLineInput[]): PostingLineInput[][] {
  if (lines.length <= LINES_PER_ENTRY) return [lines];
  const parts: PostingLineInput[][] = [];
  let carried = money(0);
  for (let i = 0; i < lines.length; i += LINES_PER_ENTRY) {
    const part = lines.slice(i, i + LINES_PER_ENTRY);
    if (!carried.isZero()) part.unshift({ account: '580', ...side(carried.negated()) });
    const net = part.reduce((s, l) => s.plus(l.debit ?? 0).minus(l.credit ?? 0), money(0));
    if (!net.isZero() && i + LINES_PER_ENTRY < lines.length) part.push({ account: '580', ...side(net.negated()) });
    carried = i + LINES_PER_ENTRY < lines.length ? net.negated() : money(0);
    parts.push(part);
  }
  return parts;
}
