import type { Decimal } from 'decimal.js';
import type { AllocationRule, RolloverRule } from '../caisses/dto/rules.types.js';
import { money, roundCents } from '../common/money/money.js';

/** The facts about one member a formula reads, as of the first day of the period. */
export interface MemberFacts {
  adults: number;
  childrenUnder14: number;
  children14AndOver: number;
  /** Member contribution recorded for the period (0 when none). */
  contribution: Decimal;
}

export function daysInPeriod(period: string): number {
  const [y, m] = period.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * OECD consumption-unit convention on birth years only: a child while period year − birth year < 14, an adult from
 * the January of the year it turns 14 (the members module counts the same way; the rule is restated here because
 * the amounts depend on it).
 */
export function childrenIn(birthYears: readonly number[], period: string): { under14: number; aged14AndOver: number } {
  const year = Number(period.slice(0, 4));
  const under14 = birthYears.filter((y) => year - y < 14).length;
  return { under14, aged14AndOver: birthYears.length - under14 };
}

/** Mean of the period's member contributions over every member of the run, non-payers counting 0. */
export function meanOfContributions(total: Decimal, members: number): Decimal {
  return members > 0 ? roundCents(total.dividedBy(members)) : money(0);
}

/**
 * The month's amount before proration and reduction. Household: the first person at the base rate, every further
 * adult — a child from the year it turns 14 counts as one — at perExtraAdult, each child under 14 at perChild.
 */
export function grossAmount(rule: AllocationRule, facts: MemberFacts, mean: Decimal): Decimal {
  switch (rule.formula) {
    case 'flat':
      return money(rule.amount);
    case 'household': {
      const persons = facts.adults + facts.children14AndOver;
      const extraAdults = Math.max(0, persons - 1);
      return money(rule.base).plus(money(rule.perExtraAdult).times(extraAdults)).plus(money(rule.perChild).times(facts.childrenUnder14));
    }
    case 'mean-of-contributions':
      return mean;
    case 'top-up':
      // The whole target: the household's own payment is part of what it spends (ssa-practice.md, Savoie).
      return money(rule.target);
  }
}

/**
 * Who pays an allocation credited under top-up: the household's own payment of the month first, the rest — the
 * top-up — by the fund the rule names. Both are 6571 lines of the one allocation entry.
 */
export function topUpSplit(amount: Decimal, paid: Decimal): { own: Decimal; topUp: Decimal } {
  const own = paid.lt(amount) ? atLeastZero(paid) : amount;
  return { own, topUp: amount.minus(own) };
}

/**
 * The top-up part of a line and the fund it is charged to, fixed when the line is planned (or caught up) and stored
 * on it: the credit is built from it, and a later expiry reads it to give the money back to the fund that paid it.
 * Not under top-up: no top-up, the run's fund pays it all.
 */
export function plannedTopUp(rule: AllocationRule, runFund: string | null, amount: Decimal, paid: Decimal | null): { topUp: Decimal; fund: string | null } {
  if (rule.formula !== 'top-up') return { topUp: money(0), fund: null };
  const { topUp } = topUpSplit(amount, paid ?? money(0));
  return topUp.gt(0) ? { topUp, fund: rule.fund ?? runFund } : { topUp, fund: null };
}

/** Daily proration for a member active only part of the month, half-up to the cent. */
export function prorate(gross: Decimal, activeDays: number, days: number): Decimal {
  return activeDays >= days ? gross : roundCents(gross.times(activeDays).dividedBy(days));
}

/**
 * What expires from the wallet before this period's credit. cap N: the balance carried into the month may be at
 * most N times the member's monthly amount (gross), the excess expires; expire: all of it.
 */
export function expiryAmount(rollover: RolloverRule, previous: Decimal, gross: Decimal): Decimal {
  if (previous.lte(0)) return money(0);
  if (rollover.mode === 'expire') return previous;
  if (rollover.mode === 'cap') return atLeastZero(previous.minus(gross.times(rollover.capMonths)));
  return money(0);
}

export interface Reduction {
  /** Percentage paid, 4 decimals (e.g. 87.5312). */
  percent: Decimal;
  amounts: Decimal[];
}

/**
 * One percentage for everyone such that the rounded amounts (half-up to the cent) add up to no more than what is
 * available: start from available/needed truncated to 4 decimals and step down while rounding overshoots.
 * Undefined when not even 0.0001 % can be paid.
 */
export function reduceProportionally(amounts: Decimal[], available: Decimal): Reduction | undefined {
  const needed = amounts.reduce((s, a) => s.plus(a), money(0));
  if (needed.lte(available)) return { percent: money(100), amounts };
  let percent = available.times(100).dividedBy(needed).toDecimalPlaces(4, 1 /* ROUND_DOWN */);
  const step = money('0.0001');
  for (;;) {
    if (percent.lte(0)) return undefined;
    const reduced = amounts.map((a) => roundCents(a.times(percent).dividedBy(100)));
    const overshoot = reduced.reduce((s, a) => s.plus(a), money(0)).minus(available);
    if (overshoot.lte(0)) return { percent, amounts: reduced };
    // Step down by at least what the overshoot weighs in the total, so a million members take a step or two.
    percent = percent.minus(larger(overshoot.times(100).dividedBy(needed).toDecimalPlaces(4, 0 /* ROUND_UP */), step));
  }
}

function larger(a: Decimal, b: Decimal): Decimal {
  return a.gt(b) ? a : b;
}

function atLeastZero(v: Decimal): Decimal {
  return v.lt(0) ? money(0) : v;
}
