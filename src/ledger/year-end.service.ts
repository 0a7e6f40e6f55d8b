import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { addDays, todayInFrance } from '../common/dates.js';
import { Conflict, ValidationFailed } from '../common/errors/domain-error.js';
import { formatMoney, money } from '../common/money/money.js';
import { RequestContext } from '../common/request-context/request-context.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { AccountsService } from './accounts.service.js';
import { BatchPostingService } from './batch-posting.service.js';
import { fiscalYearEnd, fiscalYearOf } from './chart-rules.js';
import { type FundMove, planDedicatedFunds } from './dedicated-funds.js';
import { IntegrityService } from './integrity.service.js';
import { BooksNotOpen } from './ledger.errors.js';
import type { PostingInput, PostingLineInput } from './ledger.types.js';
import { PeriodsService } from './periods.service.js';
import { balancesAt, restrictedResources, restrictedUsage, suspenseAt } from './year-end-figures.js';
import { balancedParts, dedicatedFundLines, LINES_PER_ENTRY, side } from './year-end-entries.js';
import { type YearClosingView, YearClosingsReader } from './year-closings.reader.js';

export interface CloseYearInput {
  force?: boolean;
  reason?: string;
}

/**
 * Annual closing (PCG art. 420-5/6; ANC 2018-06 for fonds dédiés), one transaction under the books lock:
 * 1. every month of the year closed and 471 empty — or forced with a written reason (audited), which closes the months;
 * 2. fonds dédiés, dated the last day: earlier ones used this year released (19x → 789x), this year's unused
 *    restricted resources allotted (689x → 19x), per funder and grant;
 * 3. à-nouveaux (journal AN), dated the first day of the next year: every class 1–5 balance, and the result on 120
 *    (excédent) or 129 (déficit);
 * 4. their technical counterpart, same day (journal OD): the opposite of every class 1–7 balance. The books keep
 *    all-time running totals (wallet availability reads them), so à-nouveaux alone would count the balance sheet
 *    twice; with the counterpart the running totals stay true, classes 6–7 start the new year at zero and 120/129
 *    hold the result. The FEC leaves the counterpart out (listed in the closing row): it is not an accounting entry,
 *    only what keeps running totals across years;
 * 5. a seal over everything posted so far, its number kept with the closing.
 * Idempotent: a second call returns the closing as recorded.
 */
@Injectable()
export class YearEndService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly batch: BatchPostingService,
    private readonly accounts: AccountsService,
    private readonly periods: PeriodsService,
    private readonly integrity: IntegrityService,
    private readonly audit: AuditService,
    private readonly closings: YearClosingsReader,
  ) {}

  @Transactional()
  async close(caisseId: string, year: number, input: CloseYearInput): Promise<{ closing: YearClosingView; replayed: boolean }> {
    const tx = this.txHost.tx;
    const [books]: { closed_through: string | null; fiscal_year_start_month: number; books_start: string | null }[] = await tx.query(
      `SELECT closed_through::text, fiscal_year_start_month, books_start::text FROM ledger_books WHERE caisse_id = $1 FOR UPDATE`,
      [caisseId],
    );
    if (!books) throw new BooksNotOpen(caisseId);
    const start = fiscalYearOf(`${String(year).padStart(4, '0')}-${String(books.fiscal_year_start_month).padStart(2, '0')}-01`, books.fiscal_year_start_month);
    const next = fiscalYearEnd(start);
    const last = addDays(next, -1);
    const done = await this.closings.get(caisseId, start);
    if (done) return { closing: done, replayed: true };
    await this.assertClosable(caisseId, { start, last, booksStart: books.books_start, closedThrough: books.closed_through }, input);

    await tx.query(`SELECT set_config('ledger.year_end_dates', $1, true)`, [`${last},${next}`]);
    const post = (inputs: PostingInput[]) => this.postAll(caisseId, inputs);
    const key = (what: string) => `year-end:${start}:${what}`;
    const fundIds = await post(await this.fundEntries(caisseId, start, last, key));

    const balances = await balancesAt(tx, caisseId, last);
    const result = balances.filter((b) => /^[67]/.test(b.number)).reduce((s, b) => s.minus(b.balance), money(0));
    const sheet: PostingLineInput[] = balances.filter((b) => /^[1-5]/.test(b.number)).map((b) => ({ account: b.code, ...side(money(b.balance)) }));
    if (!result.isZero()) sheet.push(result.gt(0) ? { account: '120', credit: formatMoney(result) } : { account: '129', debit: formatMoney(result.negated()) });
    const counterpart: PostingLineInput[] = balances.filter((b) => /^[1-7]/.test(b.number)).map((b) => ({ account: b.code, ...side(money(b.balance).negated()) }));
    const label = `${start.slice(0, 4) === last.slice(0, 4) ? start.slice(0, 4) : `${start.slice(0, 4)}-${last.slice(0, 4)}`}`;
    const entry = (journal: 'AN' | 'OD', what: string, text: string, lines: PostingLineInput[], i: number, n: number): PostingInput => ({
      caisseId,
      journal,
      date: next,
      label: `${text} ${label}${n > 1 ? ` (${i + 1}/${n})` : ''}`,
      pieceRef: `CLOTURE-${label}`,
      idempotencyKey: key(`${what}:${i + 1}`),
      lines,
    });
    const anParts = sheet.length ? balancedParts(sheet) : [];
    const cpParts = counterpart.length ? balancedParts(counterpart) : [];
    // À-nouveaux first: each raises the balances the counterpart then brings back, so no wallet dips below zero on the way.
    const ids = await post([
      ...anParts.map((l, i) => entry('AN', 'an', 'À-nouveaux', l, i, anParts.length)),
      ...cpParts.map((l, i) => entry('OD', 'offset', 'Contrepartie technique des à-nouveaux (hors FEC)', l, i, cpParts.length)),
    ]);
    const openingIds = ids.slice(0, anParts.length);
    const offsetIds = ids.slice(anParts.length);
    const seal = await this.integrity.seal(caisseId);
    const principal = RequestContext.principal();
    await tx.query(
      `INSERT INTO ledger_year_closings (caisse_id, fiscal_year, closed_by, forced, reason, result, entry_ids, opening_entry_ids, offset_entry_ids, seal_seq)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [caisseId, start, principal?.kind === 'user' ? principal.userId : null, !!input.force, input.force ? input.reason : null, formatMoney(result), fundIds, openingIds, offsetIds, seal?.seq ?? null],
    );
    const closing = (await this.closings.get(caisseId, start))!;
    await this.audit.record({ caisseId, action: input.force ? 'ledger.year-closed-forced' : 'ledger.year-closed', targetType: 'fiscal-year', targetId: start, after: { ...closing, reason: input.reason ?? null } });
    return { closing, replayed: false };
  }

  private async assertClosable(caisseId: string, y: { start: string; last: string; booksStart: string | null; closedThrough: string | null }, input: CloseYearInput): Promise<void> {
    const tx = this.txHost.tx;
    if (y.last >= todayInFrance()) throw new Conflict('FISCAL_YEAR_NOT_OVER', `The fiscal year ending ${y.last} is not over yet.`);
    if (y.booksStart && y.start < y.booksStart) throw new ValidationFailed({ year: [`the books start with the fiscal year of ${y.booksStart}`] });
    const [earlier]: { fy: string }[] = await tx.query(
      `SELECT min(e.fiscal_year)::text AS fy FROM journal_entries e
        WHERE e.caisse_id = $1 AND e.fiscal_year < $2
          AND NOT EXISTS (SELECT 1 FROM ledger_year_closings c WHERE c.caisse_id = e.caisse_id AND c.fiscal_year = e.fiscal_year)
        HAVING count(*) > 0`,
      [caisseId, y.start],
    );
    if (earlier) throw new Conflict('PREVIOUS_YEAR_OPEN', `The fiscal year starting ${earlier.fy} holds entries and is not closed; close it first.`);
    if (input.force && (!input.reason || input.reason.trim().length < 10)) {
      throw new ValidationFailed({ reason: ['a forced closing needs a written reason of at least 10 characters'] });
    }
    const monthsOpen = !y.closedThrough || y.closedThrough < y.last;
    const suspense = money(await suspenseAt(tx, caisseId, y.last));
    if (!input.force && monthsOpen) {
      throw new Conflict('MONTHS_NOT_CLOSED', `Every month of the year must be closed first (closed through ${y.closedThrough ?? 'nothing'}); or force with a reason.`, { closedThrough: y.closedThrough });
    }
    if (!input.force && !suspense.isZero()) {
      throw new Conflict('SUSPENSE_NOT_EMPTY', `The suspense account 471 holds ${formatMoney(suspense)} on ${y.last}; explain those bank lines first, or force with a reason.`, { balance: formatMoney(suspense) });
    }
    if (monthsOpen) await this.periods.close(caisseId, y.last.slice(0, 7));
  }

  private async fundEntries(caisseId: string, start: string, last: string, key: (what: string) => string): Promise<PostingInput[]> {
    const { openings, incomes } = await restrictedResources(this.txHost.tx, caisseId, start, last);
    const plan = planDedicatedFunds(openings, incomes, await restrictedUsage(this.txHost.tx, caisseId, start, last));
    const accountOf = new Map<string, string>();
    for (const m of [...plan.releases, ...plan.allotments]) {
      const number = m.publicFunder ? '194' : '195';
      const id = `${number}:${m.funder}`;
      if (!accountOf.has(id)) {
        accountOf.set(id, m.funder ? await this.accounts.ensureAux({ caisseId, number, aux: m.funder, label: `Fonds dédiés ${m.funder}` }) : number);
      }
    }
    const lines = dedicatedFundLines(plan, (m: FundMove) => accountOf.get(`${m.publicFunder ? '194' : '195'}:${m.funder}`)!);
    if (!lines.length) return [];
    const parts = lines.length > LINES_PER_ENTRY ? balancedParts(lines) : [lines];
    return parts.map((l, i) => ({ caisseId, journal: 'OD', date: last, label: `Fonds dédiés de l'exercice${parts.length > 1 ? ` (${i + 1}/${parts.length})` : ''}`, pieceRef: `FONDS-DEDIES-${start.slice(0, 4)}`, idempotencyKey: key(`funds:${i + 1}`), lines: l }));
  }

  private async postAll(caisseId: string, inputs: PostingInput[]): Promise<string[]> {
    if (!inputs.length) return [];
    const dates = [...new Set(inputs.map((i) => i.date))];
    const results = await this.batch.postBatch(caisseId, inputs, { yearEndDates: dates, maxLines: LINES_PER_ENTRY + 2 });
    return results.map((r) => {
      if (!r.ok) throw r.error;
      return r.entry.id;
    });
  }
}
