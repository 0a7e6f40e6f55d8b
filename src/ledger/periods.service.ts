import { todayInFrance } from '../common/dates.js';
import { Injectable } from '@nestjs/common';
import { Conflict, ValidationFailed } from '../common/errors/domain-error.js';
import { formatMoney } from '../common/money/money.js';
import { RequestContext } from '../common/request-context/request-context.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { BooksNotOpen } from './ledger.errors.js';

export interface ClosingView {
  period: string;
  closedAt: string;
  closedThrough: string;
  lastEntryNo: number;
  totals: { debit: string; credit: string };
}

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function lastDayOf(period: string): string {
  const [y, m] = period.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** Monthly closings: once a month is closed, nothing may be dated in it or before it, and it cannot be reopened. */
@Injectable()
export class PeriodsService {
  constructor(readonly txHost: TransactionHost) {}

  @Transactional()
  async close(caisseId: string, period: string, today = todayInFrance()): Promise<ClosingView> {
    if (!PERIOD.test(period)) throw new ValidationFailed({ period: ['period must be a month written YYYY-MM'] });
    const through = lastDayOf(period);
    if (through >= today) throw new ValidationFailed({ period: [`${period} is not over yet; a month can be closed from its last day + 1`] });
    const tx = this.txHost.tx;
    // Locking the books row waits for postings in flight and holds new ones until the closing commits.
    const [books]: { closed_through: string | null }[] = await tx.query(
      `SELECT closed_through::text FROM ledger_books WHERE caisse_id = $1 FOR UPDATE`,
      [caisseId],
    );
    if (!books) throw new BooksNotOpen(caisseId);
    if (books.closed_through && through <= books.closed_through) {
      throw new Conflict('PERIOD_ALREADY_CLOSED', `The books are already closed through ${books.closed_through}; closed months cannot be reopened.`);
    }
    const [totals]: { last_no: string | null; debit: string; credit: string }[] = await tx.query(
      `SELECT max(e.entry_no) AS last_no, coalesce(sum(l.debit), 0) AS debit, coalesce(sum(l.credit), 0) AS credit
         FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id
        WHERE e.caisse_id = $1 AND e.entry_date <= $2`,
      [caisseId, through],
    );
    await tx.query(`UPDATE ledger_books SET closed_through = $2 WHERE caisse_id = $1`, [caisseId, through]);
    const principal = RequestContext.principal();
    const [row]: { closed_at: Date }[] = await tx.query(
      `INSERT INTO ledger_closings (caisse_id, period, closed_by, last_entry_no, total_debit, total_credit)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING closed_at`,
      [caisseId, period, principal?.kind === 'user' ? principal.userId : null, totals.last_no ?? 0, totals.debit, totals.credit],
    );
    return {
      period,
      closedAt: row.closed_at.toISOString(),
      closedThrough: through,
      lastEntryNo: Number(totals.last_no ?? 0),
      totals: { debit: formatMoney(totals.debit), credit: formatMoney(totals.credit) },
    };
  }

  async list(caisseId: string): Promise<ClosingView[]> {
    const rows: { period: string; closed_at: Date; last_entry_no: string; total_debit: string; total_credit: string }[] = await this.txHost.tx.query(
      `SELECT period, closed_at, last_entry_no, total_debit, total_credit FROM ledger_closings WHERE caisse_id = $1 ORDER BY period`,
      [caisseId],
    );
    return rows.map((r) => ({
      period: r.period,
      closedAt: r.closed_at.toISOString(),
      closedThrough: lastDayOf(r.period),
      lastEntryNo: Number(r.last_entry_no),
      totals: { debit: formatMoney(r.total_debit), credit: formatMoney(r.total_credit) },
    }));
  }
}
