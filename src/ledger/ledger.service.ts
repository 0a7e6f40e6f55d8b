import { Injectable } from '@nestjs/common';
import type { Decimal } from 'decimal.js';
import { TransactionHost } from '../database/transaction.js';
import { readAvailable } from './balance-reads.js';
import type { Page } from '../common/pagination/cursor.js';
import { AccountsService, type AccountLineView } from './accounts.service.js';
import { BatchPostingService } from './batch-posting.service.js';
import { EntryReader } from './entry-reader.service.js';
import { IntegrityService, type SealView, type VerifyReport } from './integrity.service.js';
import { BankAccountsService } from './bank-accounts.service.js';
import { BooksSettingsService } from './books-settings.service.js';
import { ManualEntriesService } from './manual-entries.service.js';
import type { BooksSettingsDto, FiscalYearDto } from './dto/chart.dto.js';
import { LetteringService } from './lettering.service.js';
import type { AccountView, AuxAccountInput, BankAccountRef, BatchItemResult, BookLineView, BookQuery, DimensionTotalView, EntryView, KeyedEntry, LedgerLineView, LineRef, PeriodBalanceView, PostingInput, PreparedPosting } from './ledger.types.js';
import { BookReadsService } from './book-reads.service.js';
import type { BankAccountDto } from './dto/treasury.dto.js';
import { type ClosingView, PeriodsService } from './periods.service.js';
import { type PostResult, PostingService } from './posting.service.js';
import { type TrialBalanceView, TrialBalanceService } from './trial-balance.service.js';
import { ValidationFailed } from '../common/errors/domain-error.js';
import { addDays } from '../common/dates.js';
import { accountYearFigures, type AccountYearFigures, grantYearFigures, type GrantYearFigures } from './annual-figures.js';
import { fiscalYearEnd } from './chart-rules.js';
import { type FecRow, FecSource } from './fec-source.js';
import { type YearClosingView, YearClosingsReader } from './year-closings.reader.js';
import { type CloseYearInput, YearEndService } from './year-end.service.js';

export type { AccountYearFigures, FecRow, GrantYearFigures, YearClosingView };

/** A fiscal year named by the calendar year it starts in (2026), as routes and queries take it. */
export function parseYear(value: unknown, field = 'year'): number {
  const year = typeof value === 'string' && /^\d{4}$/.test(value) ? Number(value) : NaN;
  if (!(year >= 1900 && year <= 2999)) throw new ValidationFailed({ [field]: [`${field} must be a year written YYYY, e.g. 2026`] });
  return year;
}

export interface FiscalYearBounds {
  /** First day, YYYY-MM-DD */
  start: string;
  /** Last day, YYYY-MM-DD (the FEC is named after it) */
  last: string;
}

/**
 * Facade of the ledger, the only writer of the money tables. Every method joins the caller's transaction when there
 * is one (a purchase and its posting commit together) and opens its own otherwise.
 */
@Injectable()
export class LedgerService {
  constructor(
    private readonly posting: PostingService,
    private readonly batch: BatchPostingService,
    private readonly accounts: AccountsService,
    private readonly entries: EntryReader,
    private readonly periods: PeriodsService,
    private readonly integrity: IntegrityService,
    private readonly trialBalances: TrialBalanceService,
    private readonly txHost: TransactionHost,
    private readonly banks: BankAccountsService,
    private readonly settings: BooksSettingsService,
    private readonly lettering: LetteringService,
    private readonly books: BookReadsService,
    private readonly yearEnd: YearEndService,
    private readonly yearClosingsReader: YearClosingsReader,
    private readonly fec: FecSource,
    private readonly manual: ManualEntriesService,
  ) {}

  openBooks(caisseId: string, opts: { fiscalYearStartMonth?: number } = {}): Promise<void> {
    return this.accounts.openBooks(caisseId, opts);
  }

  ensureAuxAccount(input: AuxAccountInput): Promise<string> {
    return this.accounts.ensureAux(input);
  }

  /** New display label of an account, e.g. when an outlet changes its trade name. */
  renameAccount(caisseId: string, code: string, label: string): Promise<void> {
    return this.accounts.rename(caisseId, code, label);
  }

  /**
   * The open bank account a money event goes through: the one its request names (`field`, e.g. bankAccount) or the
   * caisse's default. Its `account` is the 512x to post to; IBAN, BIC and creditor id feed SEPA files.
   */
  bankAccount(caisseId: string, account?: string, field = 'bankAccount'): Promise<BankAccountRef> {
    return this.banks.resolve(caisseId, account, field);
  }

  /** Every bank account of the caisse (open or closed) with its IBAN: how a bank statement finds its 512x. */
  bankAccounts(caisseId: string): Promise<BankAccountDto[]> {
    return this.banks.list(caisseId);
  }

  /** Refuses (400 naming `field`) a month outside the books: before their first fiscal year or after the next one. */
  assertPeriod(caisseId: string, period: string, field: string): Promise<void> {
    return this.settings.assertPeriod(caisseId, period, field);
  }

  post(input: PostingInput): Promise<PostResult> {
    return this.posting.post(input);
  }

  /**
   * Many entries of one caisse in one transaction, each accepted or refused on its own (results in input order):
   * for the purchases batching writer, offline batches and allocation runs.
   */
  postBatch(caisseId: string, inputs: PostingInput[]): Promise<BatchItemResult[]> {
    return this.batch.postBatch(caisseId, inputs);
  }

  /**
   * postBatch in two halves. prepareBatch is pure CPU (checks, canonical lines, content hashes; a refusal comes back
   * as a prepared refusal), so a caller can run it for its next batch while the database works on the previous one;
   * postPrepared does the database half (locks, replays, overdraft checks, insert) in the caller's transaction.
   * Prepared items may be reordered or interleaved (one array per prepareBatch call); results follow the order given.
   */
  prepareBatch(caisseId: string, inputs: PostingInput[]): PreparedPosting[] {
    return this.batch.prepare(caisseId, inputs);
  }

  postPrepared(caisseId: string, prepared: readonly PreparedPosting[]): Promise<BatchItemResult[]> {
    return this.batch.postPrepared(caisseId, prepared);
  }

  reverse(caisseId: string, entryId: string, reason: string, opts?: { date?: string; idempotencyKey?: string }): Promise<PostResult> {
    return this.posting.reverse(caisseId, entryId, reason, opts);
  }

  account(caisseId: string, code: string): Promise<AccountView> {
    return this.accounts.get(caisseId, code);
  }

  /**
   * credits − debits of many accounts at once (absent codes are unknown accounts). `lock: true` locks them in the
   * caller's transaction, so what it reads is still true when the caller posts against it (allocation expiries).
   */
  available(caisseId: string, codes: string[], opts: { lock?: boolean } = {}): Promise<Map<string, Decimal>> {
    return readAvailable(this.txHost.tx, caisseId, codes, opts.lock ?? false);
  }

  listAccounts(caisseId: string): Promise<AccountView[]> {
    return this.accounts.list(caisseId);
  }

  accountLines(caisseId: string, code: string, query: { cursor?: string; limit?: number }): Promise<Page<AccountLineView>> {
    return this.accounts.lines(caisseId, code, query);
  }

  /** Which of these idempotency keys have an entry in the caisse, and which (absent keys have none). */
  entriesByKey(caisseId: string, keys: string[]): Promise<Map<string, KeyedEntry>> {
    return this.entries.byKeys(caisseId, keys);
  }

  entry(caisseId: string, entryId: string): Promise<EntryView> {
    return this.entries.get(caisseId, entryId);
  }

  trialBalance(caisseId: string, at: string): Promise<TrialBalanceView> {
    return this.trialBalances.at(caisseId, at);
  }

  close(caisseId: string, period: string): Promise<ClosingView> {
    return this.periods.close(caisseId, period);
  }

  /** Close a month and every month before it, audited as the API's closing is (the web closings page). */
  closeMonths(caisseId: string, period: string): Promise<ClosingView> {
    return this.manual.close(caisseId, period);
  }

  closings(caisseId: string): Promise<ClosingView[]> {
    return this.periods.list(caisseId);
  }

  seal(caisseId: string): Promise<SealView | undefined> {
    return this.integrity.seal(caisseId);
  }

  verify(caisseId: string): Promise<VerifyReport> {
    return this.integrity.verify(caisseId);
  }

  /** Letters journal lines together (lettrage, FEC EcritureLet/DateLet): a new code, dated `on`. Joins the caller's transaction. */
  letter(caisseId: string, lines: LineRef[], on: string): Promise<string> {
    return this.lettering.letter(caisseId, lines, on);
  }

  /** Many letterings in one go (a statement's matches): one new code per group, in order. Joins the caller's transaction. */
  letterMany(caisseId: string, groups: { lines: LineRef[]; on: string }[]): Promise<string[]> {
    return this.lettering.letterMany(caisseId, groups);
  }

  /** Takes a letter off every line that carries it and returns those lines. */
  unletter(caisseId: string, letter: string): Promise<LineRef[]> {
    return this.lettering.unletter(caisseId, letter);
  }

  /** Which of these entries carry a letter on one of their lines of `account` (e.g. a payout proved by the bank on 512x). */
  letteredEntries(caisseId: string, account: string, entryIds: string[]): Promise<Set<string>> {
    return this.lettering.letteredEntries(caisseId, account, entryIds);
  }

  /** Lines of one account (e.g. 512x) with their letters; `lettered: false` gives the open items. */
  bookLines(caisseId: string, account: string, opts: { until?: string; from?: string; lettered?: boolean } = {}): Promise<BookLineView[]> {
    return this.lettering.bookLines(caisseId, account, opts);
  }

  /** Opening and period figures per general account, or per auxiliary when `account` (a number prefix) is given. */
  periodBalances(caisseId: string, q: BookQuery): Promise<PeriodBalanceView[]> {
    return this.books.balances(caisseId, q);
  }

  /** The general ledger's lines of [from, to], optionally of one account number prefix (a sub-ledger). */
  ledgerLines(caisseId: string, q: BookQuery): Promise<LedgerLineView[]> {
    return this.books.lines(caisseId, q);
  }

  /** Σ debit / Σ credit per general account, kind, fund and grant in [from, to] (from null: since the start). */
  dimensionTotals(caisseId: string, from: string | null, to: string): Promise<DimensionTotalView[]> {
    return this.books.dimensionTotals(caisseId, from, to);
  }

  /** Annual closing (fonds dédiés, result, à-nouveaux, seal); idempotent: `replayed` once the year is closed. */
  closeYear(caisseId: string, year: number, input: CloseYearInput): Promise<{ closing: YearClosingView; replayed: boolean }> {
    return this.yearEnd.close(caisseId, year, input);
  }

  yearClosings(caisseId: string): Promise<YearClosingView[]> {
    return this.yearClosingsReader.list(caisseId);
  }

  yearClosing(caisseId: string, fiscalYearStart: string): Promise<YearClosingView | undefined> {
    return this.yearClosingsReader.get(caisseId, fiscalYearStart);
  }

  /** The fiscal years of the books (from their start to the current or latest one), with their last entry number. */
  fiscalYears(caisseId: string): Promise<FiscalYearDto[]> {
    return this.settings.fiscalYears(caisseId);
  }

  /** The fiscal-year setting, the books' limits and the last closed month. */
  booksSettings(caisseId: string): Promise<BooksSettingsDto> {
    return this.settings.get(caisseId);
  }

  /** First and last day of the fiscal year starting in `year`, by the caisse's fiscal-year setting. */
  async fiscalYear(caisseId: string, year: number): Promise<FiscalYearBounds> {
    const s = await this.settings.get(caisseId);
    const start = `${String(year).padStart(4, '0')}-${String(s.fiscalYearStartMonth).padStart(2, '0')}-01`;
    return { start, last: addDays(fiscalYearEnd(start), -1) };
  }

  /** FEC lines of a fiscal year, à-nouveaux first, in batches from a server-side cursor (flat memory). */
  fecRows(caisseId: string, fiscalYearStart: string, batch?: number): AsyncGenerator<FecRow[]> {
    return this.fec.rows(caisseId, fiscalYearStart, batch);
  }

  /** Per account: balance before the year, the year's movements (no à-nouveaux), balance at its end. */
  accountYearFigures(caisseId: string, y: FiscalYearBounds): Promise<AccountYearFigures[]> {
    return accountYearFigures(this.txHost.tx, caisseId, y.start, y.last);
  }

  /** Per grant: notified, received, released from and allotted to fonds dédiés during the year. */
  grantYearFigures(caisseId: string, y: FiscalYearBounds): Promise<GrantYearFigures[]> {
    return grantYearFigures(this.txHost.tx, caisseId, y.start, y.last);
  }
}
