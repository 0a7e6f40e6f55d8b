import { DomainError, ValidationFailed } from '../common/errors/domain-error.js';
import { customNumberError, fiscalYearOf, sideAndKindOf } from './chart-rules.js';
import type { PostingInput } from './ledger.types.js';
import { type BooksLimits, checkLimits } from './posting-limits.js';

const books = (over: Partial<BooksLimits> = {}): BooksLimits => ({
  closedThrough: null,
  fiscalYearStartMonth: 1,
  booksStart: '2025-01-01',
  maxDaysAhead: 31,
  maxLineAmount: '1000000.00',
  ...over,
});
const entry = (date: string, amount = '10.00', over: Partial<PostingInput> = {}): PostingInput => ({
  caisseId: 'c',
  journal: 'OD',
  date,
  label: 'x',
  pieceRef: 'x',
  idempotencyKey: 'k',
  lines: [{ account: '6571', debit: amount }, { account: '512', credit: amount }],
  ...over,
});
const lines = (amount: string) => [
  { account: '6571', debit: amount, credit: '0.00', fund: null, grant: null },
  { account: '512', debit: '0.00', credit: amount, fund: null, grant: null },
];
const errorsOf = (fn: () => void): Record<string, string[]> | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (e instanceof ValidationFailed) return e.errors;
    throw e;
  }
};

describe('posting limits', () => {
  // [case, date, today, settings, field refused or undefined]
  it.each([
    ['today', '2026-12-05', '2026-12-05', {}, undefined],
    ['31 days ahead', '2027-01-05', '2026-12-05', {}, undefined],
    ['32 days ahead', '2027-01-06', '2026-12-05', {}, 'date'],
    ['first day of the books', '2025-01-01', '2026-12-05', {}, undefined],
    ['the day before the books', '2024-12-31', '2026-12-05', {}, 'date'],
    ['a year typed 2062', '2062-12-05', '2026-12-05', { maxDaysAhead: 366 }, 'date'],
    ['next fiscal year, within the days ahead', '2027-12-31', '2026-12-31', { maxDaysAhead: 366 }, undefined],
    ['the year after next, within the days ahead', '2028-01-01', '2026-12-31', { maxDaysAhead: 366 }, 'date'],
    ['a September year: August is the previous year', '2025-08-31', '2026-12-05', { fiscalYearStartMonth: 9, booksStart: '2025-09-01' }, 'date'],
    ['a September year: its first day', '2025-09-01', '2026-12-05', { fiscalYearStartMonth: 9, booksStart: '2025-09-01' }, undefined],
  ])('%s (%s, today %s)', (_case, date, today, over, refused) => {
    const errors = errorsOf(() => checkLimits(entry(date), lines('10.00'), books(over), today));
    expect(errors ? Object.keys(errors) : undefined).toEqual(refused ? [refused] : undefined);
  });

  it.each([
    ['at the limit', '1000000.00', {}, undefined],
    ['one cent above', '1000000.01', {}, ['lines.0.debit', 'lines.1.credit']],
    ['above, with the caller naming its field', '1000000.01', { fields: { amount: 'amount' } }, ['amount']],
    ['above, in a reversal of an older entry', '1000000.01', { reverses: 'e' }, undefined],
  ])('amount %s (%s)', (_case, amount, over, refused) => {
    const errors = errorsOf(() => checkLimits(entry('2026-12-05', amount, over), lines(amount), books(), '2026-12-05'));
    expect(errors ? Object.keys(errors) : undefined).toEqual(refused);
  });

  it('names the caller field for a date', () => {
    const errors = errorsOf(() => checkLimits(entry('2030-01-01', '1.00', { fields: { date: 'receivedOn' } }), lines('1.00'), books(), '2026-12-05'));
    expect(errors?.receivedOn[0]).toContain('more than 31 days ahead');
  });

  it('refuses with a 400 ValidationFailed, a DomainError the problem filter renders', () => {
    expect(() => checkLimits(entry('2030-01-01'), lines('1.00'), books(), '2026-12-05')).toThrow(DomainError);
  });
});

describe('chart rules', () => {
  it.each([
    ['2026-01-01', 1, '2026-01-01'],
    ['2026-12-31', 1, '2026-01-01'],
    ['2026-08-31', 9, '2025-09-01'],
    ['2026-09-01', 9, '2026-09-01'],
    ['2026-06-30', 7, '2025-07-01'],
  ])('fiscal year of %s starting month %s is %s', (date, month, start) => {
    expect(fiscalYearOf(date, month)).toBe(start);
  });

  it.each([
    ['6226', undefined],
    ['4011', 'starts with 401'],
    ['46710', 'starts with 4671'],
    ['5121', 'starts with 512'],
    ['801', 'class 1 to 7'],
    ['62', '3 to 10 digits'],
  ])('custom number %s: %s', (number, fault) => {
    const error = customNumberError(number);
    if (fault === undefined) expect(error).toBeUndefined();
    else expect(error).toContain(fault);
  });

  it.each([
    ['101', 'C', 'equity'],
    ['129', 'D', 'equity'],
    ['2815', 'C', 'asset'],
    ['411', 'D', 'third-party'],
    ['421', 'C', 'third-party'],
    ['4456', 'C', 'third-party'],
    ['4711', 'D', 'third-party'],
    ['487', 'C', 'third-party'],
    ['590', 'C', 'bank'],
    ['6064', 'D', 'expense'],
    ['708', 'C', 'income'],
  ])('%s is on side %s, kind %s', (number, side, kind) => {
    expect(sideAndKindOf(number)).toEqual({ side, kind });
  });
});
