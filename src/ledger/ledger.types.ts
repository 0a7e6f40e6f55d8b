import type { Decimal } from 'decimal.js';
import type { DomainError } from '../common/errors/domain-error.js';

export const JOURNALS = ['BQ', 'COT', 'ALL', 'ACH', 'REG', 'OD', 'AN'] as const;
export type JournalCode = (typeof JOURNALS)[number];

/** Where money received in cash or by cheque waits for its deposit at the bank (accounting.md): the till, the drawer. */
export const HOLDING_ACCOUNT = { cash: '530', cheque: '5112' } as const;

export const JOURNAL_LABELS: Record<JournalCode, string> = {
  BQ: 'Banque',
  COT: 'Contributions',
  ALL: 'Allocations',
  ACH: 'Achats des adhérents',
  REG: 'Règlements aux points de vente',
  OD: 'Opérations diverses',
  AN: 'À-nouveaux',
};

export interface PostingLineInput {
  /** Account code: "512", "6571", or "4671-M000042" for an auxiliary account. */
  account: string;
  debit?: Decimal | string;
  credit?: Decimal | string;
  fund?: string;
  grant?: string;
}

export interface PostingInput {
  caisseId: string;
  journal: JournalCode;
  /** Accounting date, YYYY-MM-DD. */
  date: string;
  label: string;
  pieceRef: string;
  idempotencyKey: string;
  lines: PostingLineInput[];
  reverses?: string;
  /** The caller's field names, so a refused date or amount names the field the user typed (receivedOn, amount…). */
  fields?: { date?: string; amount?: string };
}

export interface EntryLineView {
  lineNo: number;
  account: string;
  accountLabel: string;
  debit: string;
  credit: string;
  fund: string | null;
  grant: string | null;
}

export interface EntryView {
  id: string;
  /** Global number of the entry in the caisse's books (what the seals chain over). */
  entryNo: number;
  /** First day of the entry's fiscal year, and the entry's number within that year (FEC EcritureNum). */
  fiscalYear: string;
  yearEntryNo: number;
  journal: JournalCode;
  date: string;
  label: string;
  pieceRef: string;
  idempotencyKey: string;
  reverses: string | null;
  reversedBy: string | null;
  contentHash: string;
  validatedAt: string;
  lines: EntryLineView[];
}

export interface AccountView {
  code: string;
  number: string;
  aux: string | null;
  label: string;
  kind: string;
  normalSide: 'D' | 'C';
  noOverdraft: boolean;
  /** Added by the caisse (open chart), as opposed to the default chart and the accounts the system opens. */
  custom: boolean;
  auxiliaryKind: string | null;
  closedAt: string | null;
  debit: string;
  credit: string;
  /** Debits minus credits: positive is a debit balance. */
  balance: string;
}

export interface AuxAccountInput {
  caisseId: string;
  /** General account the auxiliary belongs to: 4671 (member wallet), 401 (outlet), 441/741/194 (funder), … */
  number: string;
  aux: string;
  label: string;
  fund?: string;
  grant?: string;
}

/** Outcome of one entry of a batch: accepted (or replayed), or refused with the reason. */
export type BatchItemResult = { ok: true; entry: EntryView; replayed: boolean } | { ok: false; error: DomainError };

declare const preparedBrand: unique symbol;
/**
 * An entry already validated, normalised and hashed by `LedgerService.prepareBatch` (or refused there), waiting for
 * `postPrepared`. Opaque and frozen: only the ledger builds one, so what gets posted is exactly what was hashed.
 */
export interface PreparedPosting {
  readonly [preparedBrand]: true;
  readonly idempotencyKey: string;
}

/** An entry found by its idempotency key: its id and the sum of its debits (the amount of a two-line entry). */
export interface KeyedEntry {
  id: string;
  total: string;
}

/** What the bank-account facts of a posting need: the 512x to post to and, for SEPA files, who the creditor is. */
export interface BankAccountRef {
  account: string;
  label: string;
  iban: string | null;
  bic: string | null;
  creditorId: string | null;
}

/** One journal line, by its entry and its number in the entry. */
export interface LineRef {
  entryId: string;
  lineNo: number;
}

/** A journal line of one account with its entry's facts and its letter (lettrage), for matching and the FEC. */
export interface BookLineView extends LineRef {
  date: string;
  journal: string;
  label: string;
  pieceRef: string;
  idempotencyKey: string;
  debit: string;
  credit: string;
  letter: string | null;
  letteredOn: string | null;
}

/**
 * One account's figures over a period [from, to]: what it carried before `from` (opening), what moved in the
 * period, all as decimal strings. `aux` is '' when auxiliaries are rolled up into their general account.
 */
export interface PeriodBalanceView {
  number: string;
  aux: string;
  code: string;
  label: string;
  openingDebit: string;
  openingCredit: string;
  debit: string;
  credit: string;
}

/** One journal line in the general ledger's order (account, date, entry number). */
export interface LedgerLineView {
  code: string;
  number: string;
  aux: string;
  accountLabel: string;
  date: string;
  entryNo: number;
  journal: string;
  pieceRef: string;
  label: string;
  debit: string;
  credit: string;
  fund: string | null;
  grantRef: string | null;
}

/** Σ debit and Σ credit of lines sharing a general account, its kind, a fund and a grant, within a period. */
export interface DimensionTotalView {
  number: string;
  label: string;
  kind: string;
  fund: string | null;
  grantRef: string | null;
  debit: string;
  credit: string;
}

/** A period of the books, optionally narrowed to an account number or prefix (e.g. 4671, 51), listed per auxiliary. */
export interface BookQuery {
  from: string;
  to: string;
  account?: string;
}
