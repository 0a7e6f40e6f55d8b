import type { Decimal } from 'decimal.js';
import { ValidationFailed } from '../common/errors/domain-error.js';
import { formatMoney, isMoneyString, MAX_AMOUNT, money } from '../common/money/money.js';
import { isIsoDate } from '../common/validation/validators.js';
import { InsufficientFunds, UnbalancedEntry } from './ledger.errors.js';
import { JOURNALS, type PostingInput } from './ledger.types.js';

export interface NormalLine {
  account: string;
  debit: string;
  credit: string;
  fund: string | null;
  grant: string | null;
}

export interface AccountState {
  id: string;
  code: string;
  label: string;
  noOverdraft: boolean;
  side: 'D' | 'C';
  /** credits − debits, as it stands after the entries already accepted in this transaction */
  available: Decimal;
}

export function validateHeader(input: PostingInput): void {
  const errors: Record<string, string[]> = {};
  if (!JOURNALS.includes(input.journal)) errors.journal = [`journal must be one of ${JOURNALS.join(', ')}`];
  if (!isIsoDate(input.date)) errors.date = ['date must be a date written YYYY-MM-DD'];
  if (!input.label?.trim() || input.label.length > 200) errors.label = ['label must be 1 to 200 characters'];
  if (!input.pieceRef?.trim() || input.pieceRef.length > 100) errors.pieceRef = ['pieceRef must be 1 to 100 characters'];
  if (!input.idempotencyKey || input.idempotencyKey.length > 200) errors.idempotencyKey = ['idempotencyKey must be 1 to 200 characters'];
  if (Object.keys(errors).length) throw new ValidationFailed(errors);
}

/** Amounts in canonical form, one positive side per line, debits = credits (the database checks it again at commit). */
export function normaliseLines(input: PostingInput, maxLines = 1000): NormalLine[] {
  const errors: Record<string, string[]> = {};
  if (!Array.isArray(input.lines) || input.lines.length < 2) throw new ValidationFailed({ lines: ['an entry needs at least two lines'] });
  if (input.lines.length > maxLines) throw new ValidationFailed({ lines: [`an entry may have at most ${maxLines} lines`] });
  let debits = money(0);
  let credits = money(0);
  const lines = input.lines.map((l, i) => {
    const d = l.debit === undefined ? undefined : String(l.debit);
    const c = l.credit === undefined ? undefined : String(l.credit);
    const amount = d ?? c;
    if ((d === undefined) === (c === undefined)) (errors[`lines.${i}`] ??= []).push('a line has either a debit or a credit, not both or neither');
    else if (!isMoneyString(amount) || money(amount!).lte(0) || money(amount!).gt(MAX_AMOUNT)) {
      (errors[`lines.${i}.${d !== undefined ? 'debit' : 'credit'}`] ??= []).push('amount must be positive with at most 2 decimals');
    }
    if (typeof l.account !== 'string' || !l.account) (errors[`lines.${i}.account`] ??= []).push('account is required');
    if (errors[`lines.${i}`] || errors[`lines.${i}.debit`] || errors[`lines.${i}.credit`]) return undefined;
    const value = formatMoney(amount!);
    if (d !== undefined) debits = debits.plus(value);
    else credits = credits.plus(value);
    return { account: l.account, debit: d !== undefined ? value : '0.00', credit: c !== undefined ? value : '0.00', fund: l.fund ?? null, grant: l.grant ?? null };
  });
  if (Object.keys(errors).length) throw new ValidationFailed(errors);
  if (!debits.equals(credits)) throw new UnbalancedEntry(formatMoney(debits), formatMoney(credits));
  return lines as NormalLine[];
}

/**
 * Applies an entry to the in-memory account states, refusing it if a no-overdraft account would go below zero.
 * Accounts are locked, so these states are the truth for the rest of the transaction.
 */
export function applyWithoutOverdraft(lines: NormalLine[], accounts: Map<string, AccountState>): void {
  const delta = new Map<string, Decimal>();
  for (const l of lines) delta.set(l.account, (delta.get(l.account) ?? money(0)).plus(l.credit).minus(l.debit));
  for (const [code, change] of delta) {
    const a = accounts.get(code)!;
    // A wallet (credit side) never goes below zero; a till or cheque drawer (debit side) never hands out more than it holds.
    if (a.noOverdraft && a.side === 'C' && change.lt(0) && a.available.plus(change).lt(0)) {
      throw new InsufficientFunds(code, formatMoney(a.available), formatMoney(change.negated()));
    }
    if (a.noOverdraft && a.side === 'D' && change.gt(0) && a.available.plus(change).gt(0)) {
      throw new InsufficientFunds(code, formatMoney(a.available.negated()), formatMoney(change));
    }
  }
  for (const [code, change] of delta) {
    const a = accounts.get(code)!;
    a.available = a.available.plus(change);
  }
}
