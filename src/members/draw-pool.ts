import type { Decimal } from 'decimal.js';
import { formatMoney, money } from '../common/money/money.js';
import type { Stratum } from '../common/sortition/sortition.types.js';

/** Attributes computed from the member record; any other stratum attribute must be given per applicant. */
export const DERIVED_ATTRIBUTES = ['commune', 'ageBand', 'incomeBand'] as const;

/** How derived attributes were computed, published with the draw so anyone can see what a band means. */
export interface PoolDerivation {
  /** Age = this year minus the birth year (only the year is kept). */
  referenceYear: number;
  ageBands: number[] | null;
  incomeBands: string[] | null;
}

/** Boundaries [30, 45, 60] give "<30", "30-44", "45-59", "60+"; no birth year gives "unknown". */
export function ageBand(birthYear: number | null, bounds: readonly number[], referenceYear: number): string {
  if (birthYear === null) return 'unknown';
  const age = referenceYear - birthYear;
  if (age < bounds[0]) return `<${bounds[0]}`;
  for (let i = 1; i < bounds.length; i++) if (age < bounds[i]) return `${bounds[i - 1]}-${bounds[i] - 1}`;
  return `${bounds[bounds.length - 1]}+`;
}

/** Boundaries ["900", "1500"] give "<900.00", "900.00-1500.00" (1500 excluded), "1500.00+"; no declaration gives "undeclared". */
export function incomeBand(income: Decimal | null, bounds: readonly string[]): string {
  if (income === null) return 'undeclared';
  const b = bounds.map((x) => money(x));
  if (income.lessThan(b[0])) return `<${formatMoney(b[0])}`;
  for (let i = 1; i < b.length; i++) if (income.lessThan(b[i])) return `${formatMoney(b[i - 1])}-${formatMoney(b[i])}`;
  return `${formatMoney(b[b.length - 1])}+`;
}

export function isStrictlyIncreasing(values: readonly (number | string)[]): boolean {
  return values.every((v, i) => i === 0 || money(v).greaterThan(money(values[i - 1])));
}

export interface ApplicantFacts {
  commune: string;
  birthYear: number | null;
  monthlyIncome: Decimal | null;
  attributes: Record<string, string>;
}

/** The applicant's stratum for the draw's attributes; custom attributes missing for the applicant are listed. */
export function stratumOf(facts: ApplicantFacts, strata: readonly string[], derivation: PoolDerivation): { stratum: Stratum; missing: string[] } {
  const stratum: Stratum = {};
  const missing: string[] = [];
  for (const attribute of strata) {
    if (attribute === 'commune') stratum.commune = facts.commune;
    else if (attribute === 'ageBand') stratum.ageBand = ageBand(facts.birthYear, derivation.ageBands ?? [], derivation.referenceYear);
    else if (attribute === 'incomeBand') stratum.incomeBand = incomeBand(facts.monthlyIncome, derivation.incomeBands ?? []);
    else if (facts.attributes[attribute] !== undefined) stratum[attribute] = facts.attributes[attribute];
    else missing.push(attribute);
  }
  return { stratum, missing };
}
