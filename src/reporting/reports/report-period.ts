import { addDays, todayInFrance } from '../../common/dates.js';
import { ValidationFailed } from '../../common/errors/domain-error.js';

export interface ReportPeriod {
  from: string;
  to: string;
  /** Months (YYYY-MM) the period touches. */
  fromMonth: string;
  toMonth: string;
}

/** The books of a caisse cannot predate the euro nor run past the century; anything else is a typo. */
const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;
const MAX_YEARS = 10;

/** Resolves and checks the period filter; every refusal names the field at fault (400). */
export function resolvePeriod(q: { from?: string; to?: string }, today = todayInFrance()): ReportPeriod {
  const errors: Record<string, string[]> = {};
  for (const field of ['from', 'to'] as const) {
    const year = q[field] ? Number(q[field]!.slice(0, 4)) : undefined;
    if (year !== undefined && (year < FIRST_YEAR || year > LAST_YEAR)) errors[field] = [`${field} must be between ${FIRST_YEAR}-01-01 and ${LAST_YEAR}-12-31`];
  }
  if (Object.keys(errors).length) throw new ValidationFailed(errors);
  const to = q.to ?? (q.from && q.from > today ? `${q.from.slice(0, 4)}-12-31` : today);
  const from = q.from ?? `${to.slice(0, 4)}-01-01`;
  if (from > to) throw new ValidationFailed({ from: [`from (${from}) must not be after to (${to})`] });
  if (addDays(from, 366 * MAX_YEARS) < to) throw new ValidationFailed({ to: [`the period may span at most ${MAX_YEARS} years`] });
  return { from, to, fromMonth: from.slice(0, 7), toMonth: to.slice(0, 7) };
}

/** The months YYYY-MM from `from` to `to`, both included. */
export function monthsBetween(fromMonth: string, toMonth: string): string[] {
  const out: string[] = [];
  let [y, m] = fromMonth.split('-').map(Number);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > toMonth) return out;
    out.push(month);
    if (m === 12) {
      y += 1;
      m = 1;
    } else m += 1;
  }
}

/** YYYY-MM shifted by `n` months. */
export function shiftMonth(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const total = y * 12 + (m - 1) + n;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}
