import type { Decimal } from 'decimal.js';
import type { AllocationRule, ContributionRule } from '../caisses/dto/rules.types.js';
import { formatMoney, money, roundCents } from '../common/money/money.js';

/** What the rule says a member owes: `required` must be paid; `minimum` is a floor above which the member chooses. */
export type QuoteKind = 'required' | 'minimum' | 'suggested' | 'chosen-level';

export interface QuoteInputs {
  /** Declared net monthly income, decimal string, or null when not declared. */
  monthlyIncome: string | null;
  adults: number;
  childrenUnder14: number;
  /** Label of the level a member chose (brackets rule). */
  level?: string;
}

export interface Quote {
  rule: ContributionRule['rule'];
  kind: QuoteKind;
  /** Monthly amount due: what the status compares payments with. */
  amount: string;
  ceiling: string | null;
  steps: string[];
}

export class QuoteInputMissing extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function clamp(value: Decimal, floor: string, ceiling: string | undefined, steps: string[]): Decimal {
  if (value.lessThan(floor)) {
    steps.push(`below the floor ${formatMoney(floor)} → ${formatMoney(floor)}`);
    return money(floor);
  }
  if (ceiling !== undefined && value.greaterThan(ceiling)) {
    steps.push(`above the ceiling ${formatMoney(ceiling)} → ${formatMoney(ceiling)}`);
    return money(ceiling);
  }
  return value;
}

/** Pure computation of a member's monthly contribution under one rule, with the steps a volunteer can read back. */
export function quoteContribution(rule: ContributionRule, inputs: QuoteInputs): Quote {
  const steps: string[] = [];
  switch (rule.rule) {
    case 'free':
      steps.push(`free amount with a floor of ${rule.floor}${rule.ceiling ? ` and a ceiling of ${rule.ceiling}` : ''}`);
      return { rule: rule.rule, kind: 'minimum', amount: formatMoney(rule.floor), ceiling: rule.ceiling ?? null, steps };
    case 'percent-of-income': {
      if (inputs.monthlyIncome === null) {
        steps.push(`no declared income: the floor ${rule.floor} applies`);
        return { rule: rule.rule, kind: 'required', amount: formatMoney(rule.floor), ceiling: rule.ceiling ?? null, steps };
      }
      const raw = money(inputs.monthlyIncome).times(rule.rate);
      const rounded = roundCents(raw);
      steps.push(`${formatMoney(inputs.monthlyIncome)} × ${rule.rate} = ${raw.toString()} → ${formatMoney(rounded)} (half-up to the cent)`);
      const amount = clamp(rounded, rule.floor, rule.ceiling, steps);
      return { rule: rule.rule, kind: 'required', amount: formatMoney(amount), ceiling: rule.ceiling ?? null, steps };
    }
    case 'grid': {
      if (inputs.monthlyIncome === null) throw new QuoteInputMissing('monthlyIncome', 'The grid needs the declared monthly income of the member.');
      const income = money(inputs.monthlyIncome);
      const index = rule.bands.findIndex((b) => b.upTo === undefined || income.lessThanOrEqualTo(b.upTo));
      const band = rule.bands[index === -1 ? rule.bands.length - 1 : index];
      steps.push(`income ${formatMoney(income)} falls in band ${index + 1} (${band.upTo ? `up to ${band.upTo}` : 'and above'}) → ${band.amount}`);
      return { rule: rule.rule, kind: 'suggested', amount: formatMoney(band.amount), ceiling: null, steps };
    }
    case 'brackets': {
      if (inputs.level === undefined) {
        const lowest = rule.levels.reduce((a, b) => (money(b.amount).lessThan(a.amount) ? b : a));
        steps.push(`no level chosen: the lowest level "${lowest.label}" (${lowest.amount}) is due; levels: ${rule.levels.map((l) => `${l.label} ${l.amount}`).join(', ')}`);
        return { rule: rule.rule, kind: 'minimum', amount: formatMoney(lowest.amount), ceiling: null, steps };
      }
      const level = rule.levels.find((l) => l.label === inputs.level);
      if (!level) throw new QuoteInputMissing('level', `level must be one of: ${rule.levels.map((l) => l.label).join(', ')}`);
      steps.push(`chosen level "${level.label}" → ${level.amount}`);
      return { rule: rule.rule, kind: 'chosen-level', amount: formatMoney(level.amount), ceiling: null, steps };
    }
  }
}

/**
 * The member's monthly allocation under a rule, when it is known before the run: flat, household, and top-up (the
 * wallet is credited the whole target); null for the mean of contributions, which depends on the month's payments:
 * then no part of a contribution is treated as a gift.
 */
export function allocationOf(rule: AllocationRule, adults: number, childrenUnder14: number): Decimal | null {
  if (rule.formula === 'flat') return money(rule.amount);
  if (rule.formula === 'top-up') return money(rule.target);
  if (rule.formula === 'household') {
    return money(rule.base)
      .plus(money(rule.perExtraAdult).times(Math.max(adults - 1, 0)))
      .plus(money(rule.perChild).times(childrenUnder14));
  }
  return null;
}
