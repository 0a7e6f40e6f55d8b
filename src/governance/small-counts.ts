import type { Tally } from './methods/method.types.js';

/**
 * The counts a secret tally would publish. In a committee of a dozen, "1 against" or a grade given by 2 people
 * points at someone: when any non-zero count is below the minimum, only the outcome is published.
 */
export function publishedCounts(t: Tally): number[] {
  const d = t.detail as Record<string, unknown>;
  switch (t.method) {
    case 'simple-majority':
    case 'absolute-majority':
    case 'qualified-majority':
      return [d.for, d.against, d.abstain] as number[];
    case 'approval':
      return (d.results as { approvals: number }[]).map((r) => r.approvals);
    case 'majority-judgment':
      return Object.values(d.profiles as Record<string, number[]>).flat();
    default:
      return [t.participants];
  }
}

export function mustSuppress(t: Tally, minimum: number): boolean {
  return t.participants < minimum || publishedCounts(t).some((c) => c > 0 && c < minimum);
}
