import type { FieldErrors } from '../common/errors/domain-error.js';
import { formatMoney, money } from '../common/money/money.js';
import type { AllocationRule, ContributionRule, GateRule, RolloverRule } from './dto/rules.types.js';

export interface RuleInput {
  allocation: Record<string, unknown>;
  contribution: Record<string, unknown>;
  rollover: Record<string, unknown>;
  gate: Record<string, unknown>;
}

/** What field-level validation cannot see: relations between fields of one rule. */
export function ruleCoherenceErrors(input: RuleInput): FieldErrors {
  const errors: FieldErrors = {};
  const add = (path: string, message: string) => (errors[path] ??= []).push(message);
  const c = input.contribution as { rule: string; floor?: string; ceiling?: string; bands?: { upTo?: string }[]; levels?: { label: string }[] };
  if ((c.rule === 'free' || c.rule === 'percent-of-income') && c.ceiling !== undefined && money(c.ceiling).lessThan(c.floor!)) {
    add('contribution.ceiling', 'ceiling must not be below floor');
  }
  if (c.rule === 'grid' && c.bands) {
    c.bands.forEach((band, i) => {
      const last = i === c.bands!.length - 1;
      if (last && band.upTo !== undefined) add(`contribution.bands.${i}.upTo`, 'the last band must have no upTo (it covers every higher income)');
      if (!last && band.upTo === undefined) add(`contribution.bands.${i}.upTo`, 'every band but the last needs upTo');
      const prev = i > 0 ? c.bands![i - 1].upTo : undefined;
      if (band.upTo !== undefined && prev !== undefined && !money(band.upTo).greaterThan(prev)) {
        add(`contribution.bands.${i}.upTo`, 'bands must be in increasing order of upTo');
      }
    });
  }
  if (c.rule === 'brackets' && c.levels) {
    const seen = new Set<string>();
    c.levels.forEach((level, i) => {
      if (seen.has(level.label)) add(`contribution.levels.${i}.label`, 'labels must be distinct');
      seen.add(level.label);
    });
  }
  const r = input.rollover as { mode: string; capMonths?: number };
  if (r.mode !== 'cap' && r.capMonths !== undefined) add('rollover.capMonths', 'capMonths only applies when mode is cap');
  return errors;
}

const m = (v: unknown) => formatMoney(v as string);

/** Stored form: amounts with two decimals, only the fields the rule type defines. */
export function normaliseRules(input: RuleInput): { allocation: AllocationRule; contribution: ContributionRule; rollover: RolloverRule; gate: GateRule } {
  const a = input.allocation as Record<string, string>;
  const formula: AllocationRule =
    a.formula === 'flat'
      ? { formula: 'flat', amount: m(a.amount) }
      : a.formula === 'household'
        ? { formula: 'household', base: m(a.base), perExtraAdult: m(a.perExtraAdult), perChild: m(a.perChild) }
        : a.formula === 'top-up'
          ? { formula: 'top-up', target: m(a.target), ...(a.fund !== undefined ? { fund: a.fund } : {}) }
          : { formula: 'mean-of-contributions' };
  // Stored only when set, so the versions written before these options existed keep their exact shape.
  const options = input.allocation as { whenShort?: string; autoRunDay?: number };
  const allocation: AllocationRule = {
    ...formula,
    ...(options.whenShort === 'reduce' ? { whenShort: 'reduce' as const } : {}),
    ...(options.autoRunDay !== undefined ? { autoRunDay: options.autoRunDay } : {}),
  };
  const c = input.contribution as Record<string, never>;
  const withCeiling = <T extends object>(rule: T, ceiling?: string): T => (ceiling === undefined ? rule : { ...rule, ceiling: m(ceiling) });
  const shape: ContributionRule =
    c.rule === 'free'
      ? withCeiling({ rule: 'free' as const, floor: m(c.floor) }, c.ceiling)
      : c.rule === 'percent-of-income'
        ? withCeiling({ rule: 'percent-of-income' as const, rate: String(c.rate), floor: m(c.floor) }, c.ceiling)
        : c.rule === 'grid'
          ? { rule: 'grid', bands: (c.bands as { upTo?: string; amount: string }[]).map((b) => (b.upTo === undefined ? { amount: m(b.amount) } : { upTo: m(b.upTo), amount: m(b.amount) })) }
          : { rule: 'brackets', levels: (c.levels as { label: string; amount: string }[]).map((l) => ({ label: l.label, amount: m(l.amount) })) };
  // Only stored when on, so the versions written before the flag existed keep their exact shape.
  const contribution: ContributionRule = (c.excessAsGift as unknown) === true ? { ...shape, excessAsGift: true } : shape;
  const r = input.rollover as { mode: string; capMonths?: number };
  const rollover: RolloverRule = r.mode === 'cap' ? { mode: 'cap', capMonths: r.capMonths! } : { mode: r.mode as 'rollover' | 'expire' };
  return { allocation, contribution, rollover, gate: { requireContribution: Boolean(input.gate.requireContribution) } };
}
