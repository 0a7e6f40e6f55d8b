import { ValidationFailed } from '../common/errors/domain-error.js';
import { formatMoney, money } from '../common/money/money.js';
import { addDays } from '../common/dates.js';
import { fiscalYearEnd, fiscalYearOf } from './chart-rules.js';
import type { PostingInput } from './ledger.types.js';
import type { NormalLine } from './posting-rules.js';

/** The books' settings every posting is checked against (one row of ledger_books, read with the account locks). */
export interface BooksLimits {
  closedThrough: string | null;
  fiscalYearStartMonth: number;
  /** First day of the first fiscal year the books may hold. */
  booksStart: string;
  maxDaysAhead: number;
  maxLineAmount: string;
}

/**
 * Sanity limits of a caisse (README "Limits"): a typo such as 2062 for 2026 or 1 000 000 for 100.00 is refused with
 * the field named, instead of opening a fiscal year nobody will close or inflating the books. The ledger does not
 * know the caller's field names, so a caller passes them (`fields`); a manual entry keeps `date` and `lines.i.…`.
 */
export function checkLimits(input: Omit<PostingInput, 'lines'>, lines: NormalLine[], books: BooksLimits, today: string): void {
  const dateField = input.fields?.date ?? 'date';
  const errors: Record<string, string[]> = {};
  const year = fiscalYearOf(input.date, books.fiscalYearStartMonth);
  const latest = addDays(today, books.maxDaysAhead);
  const nextYearEnd = fiscalYearEnd(fiscalYearEnd(fiscalYearOf(today, books.fiscalYearStartMonth)));
  if (year < books.booksStart) {
    errors[dateField] = [`${input.date} is before the first fiscal year of the books (which starts ${books.booksStart})`];
  } else if (input.date > latest) {
    errors[dateField] = [`${input.date} is more than ${books.maxDaysAhead} days ahead (latest accepted: ${latest})`];
  } else if (input.date >= nextYearEnd) {
    errors[dateField] = [`${input.date} is beyond the next fiscal year (which ends before ${nextYearEnd})`];
  }
  const limit = money(books.maxLineAmount);
  // A reversal mirrors an entry already accepted: a limit lowered since must not keep it from being undone.
  if (!input.reverses) lines.forEach((l, i) => {
    const side = money(l.debit).gt(0) ? 'debit' : 'credit';
    if (money(l[side]).gt(limit)) {
      const field = input.fields?.amount ?? `lines.${i}.${side}`;
      (errors[field] ??= []).push(`${l[side]} is above this caisse's limit of ${formatMoney(limit)} per line`);
    }
  });
  if (Object.keys(errors).length) throw new ValidationFailed(errors, 'The entry is outside the limits of the books.');
}
