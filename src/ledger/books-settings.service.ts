import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { addDays, todayInFrance } from '../common/dates.js';
import { ValidationFailed } from '../common/errors/domain-error.js';
import { formatMoney, isMoneyString, money } from '../common/money/money.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { fiscalYearEnd, fiscalYearOf } from './chart-rules.js';
import type { BooksSettingsDto, FiscalYearDto, UpdateBooksSettingsDto } from './dto/chart.dto.js';
import { BooksNotOpen } from './ledger.errors.js';

interface BooksRow {
  fiscal_year_start_month: number;
  books_start: string;
  max_days_ahead: number;
  max_line_amount: string;
  closed_through: string | null;
}

const MAX_NUMERIC_15_2 = '9999999999999.99';

/** The fiscal-year setting and the sanity limits of a caisse's books (posting-limits.ts applies them). */
@Injectable()
export class BooksSettingsService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly audit: AuditService,
  ) {}

  async get(caisseId: string, lock = false): Promise<BooksSettingsDto> {
    const [r]: BooksRow[] = await this.txHost.tx.query(
      `SELECT fiscal_year_start_month, max_days_ahead, max_line_amount::text, closed_through::text,
              coalesce(books_start, (ledger_fiscal_year(opened_at::date, fiscal_year_start_month) - interval '1 year')::date)::text AS books_start
         FROM ledger_books WHERE caisse_id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [caisseId],
    );
    if (!r) throw new BooksNotOpen(caisseId);
    return {
      fiscalYearStartMonth: r.fiscal_year_start_month,
      booksStart: r.books_start,
      currentFiscalYear: fiscalYearOf(todayInFrance(), r.fiscal_year_start_month),
      maxDaysAhead: r.max_days_ahead,
      maxLineAmount: formatMoney(r.max_line_amount),
      closedThrough: r.closed_through,
    };
  }

  /** The books row is locked, so a posting in flight either saw the old limits or waits for the new ones. */
  @Transactional()
  async update(caisseId: string, dto: UpdateBooksSettingsDto): Promise<BooksSettingsDto> {
    const before = await this.get(caisseId, true);
    const errors: Record<string, string[]> = {};
    if (dto.booksStart !== undefined) {
      const [first]: { first: string | null }[] = await this.txHost.tx.query(`SELECT min(fiscal_year)::text AS first FROM journal_entries WHERE caisse_id = $1`, [caisseId]);
      if (fiscalYearOf(dto.booksStart, before.fiscalYearStartMonth) !== dto.booksStart) {
        errors.booksStart = [`booksStart must be the first day of a fiscal year (the ${before.fiscalYearStartMonth}th month, day 1)`];
      } else if (first.first && dto.booksStart > first.first) {
        errors.booksStart = [`the books already hold entries of the fiscal year starting ${first.first}`];
      } else if (dto.booksStart > before.currentFiscalYear) {
        errors.booksStart = ['booksStart cannot be after the current fiscal year'];
      }
    }
    if (dto.maxLineAmount !== undefined && (!isMoneyString(dto.maxLineAmount) || money(dto.maxLineAmount).lte(0) || money(dto.maxLineAmount).gt(MAX_NUMERIC_15_2))) {
      errors.maxLineAmount = [`maxLineAmount must be a positive amount up to ${MAX_NUMERIC_15_2}`];
    }
    if (Object.keys(errors).length) throw new ValidationFailed(errors);
    await this.txHost.tx.query(
      `UPDATE ledger_books SET books_start = coalesce($2::date, books_start), max_days_ahead = coalesce($3::int, max_days_ahead),
              max_line_amount = coalesce($4::numeric, max_line_amount) WHERE caisse_id = $1`,
      [caisseId, dto.booksStart ?? null, dto.maxDaysAhead ?? null, dto.maxLineAmount ?? null],
    );
    const after = await this.get(caisseId);
    await this.audit.record({ caisseId, action: 'ledger.settings-updated', targetType: 'ledger-books', targetId: caisseId, before, after });
    return after;
  }

  /**
   * A month a business period names (a contribution's month, a direct-debit batch…) lies between the first fiscal
   * year of the books and the end of the next fiscal year, like the dates of entries.
   */
  async assertPeriod(caisseId: string, period: string, field: string): Promise<void> {
    const s = await this.get(caisseId);
    const first = `${period}-01`;
    if (fiscalYearOf(first, s.fiscalYearStartMonth) < s.booksStart) {
      throw new ValidationFailed({ [field]: [`${period} is before the first fiscal year of the books (which starts ${s.booksStart})`] });
    }
    const end = fiscalYearEnd(fiscalYearEnd(s.currentFiscalYear));
    if (first >= end) throw new ValidationFailed({ [field]: [`${period} is beyond the next fiscal year (which ends before ${end})`] });
  }

  /** Every fiscal year from the books' start to the current one, with how far its numbering went. */
  async fiscalYears(caisseId: string): Promise<FiscalYearDto[]> {
    const settings = await this.get(caisseId);
    const counters: { fiscal_year: string; last_entry_no: string }[] = await this.txHost.tx.query(
      `SELECT fiscal_year::text, last_entry_no FROM ledger_year_counters WHERE caisse_id = $1`,
      [caisseId],
    );
    const last = new Map(counters.map((c) => [c.fiscal_year, Number(c.last_entry_no)]));
    const years: FiscalYearDto[] = [];
    const latest = [...last.keys(), settings.currentFiscalYear].sort().at(-1)!;
    for (let y = settings.booksStart; y <= latest; y = fiscalYearEnd(y)) {
      years.push({ start: y, end: addDays(fiscalYearEnd(y), -1), lastEntryNo: last.get(y) ?? 0 });
    }
    return years;
  }
}
