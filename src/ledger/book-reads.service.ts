import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction.js';
import type { BookQuery, DimensionTotalView, LedgerLineView, PeriodBalanceView } from './ledger.types.js';

/**
 * Period views of the books computed from the lines (not the maintained balances), so any past period reads as it
 * was: the balance (trial balance), the general ledger and its sub-ledgers, and totals per fund and grant.
 */
@Injectable()
export class BookReadsService {
  constructor(readonly txHost: TransactionHost) {}

  async balances(caisseId: string, q: BookQuery): Promise<PeriodBalanceView[]> {
    const perAux = q.account !== undefined;
    const key = perAux ? 'a.number, a.aux' : 'a.number';
    const rows: Record<string, string>[] = await this.txHost.tx.query(
      `SELECT a.number, ${perAux ? 'a.aux' : "''"} AS aux,
              coalesce(${perAux ? 'min(a.label)' : 'min(g.label)'}, min(a.label)) AS label,
              coalesce(sum(l.debit) FILTER (WHERE e.entry_date < $2), 0)::text AS opening_debit,
              coalesce(sum(l.credit) FILTER (WHERE e.entry_date < $2), 0)::text AS opening_credit,
              coalesce(sum(l.debit) FILTER (WHERE e.entry_date >= $2), 0)::text AS debit,
              coalesce(sum(l.credit) FILTER (WHERE e.entry_date >= $2), 0)::text AS credit
         FROM journal_lines l
         JOIN ledger_accounts a ON a.id = l.account_id
         JOIN journal_entries e ON e.id = l.entry_id
         LEFT JOIN ledger_accounts g ON g.caisse_id = a.caisse_id AND g.number = a.number AND g.aux = ''
        WHERE l.caisse_id = $1 AND e.entry_date <= $3 AND ($4::text IS NULL OR a.number LIKE $4 || '%')
        GROUP BY ${key} ORDER BY ${key}`,
      [caisseId, q.from, q.to, q.account ?? null],
    );
    return rows.map((r) => ({
      number: r.number,
      aux: r.aux,
      code: r.aux ? `${r.number}-${r.aux}` : r.number,
      label: r.label,
      openingDebit: r.opening_debit,
      openingCredit: r.opening_credit,
      debit: r.debit,
      credit: r.credit,
    }));
  }

  async lines(caisseId: string, q: BookQuery): Promise<LedgerLineView[]> {
    const rows: Record<string, string | number | null>[] = await this.txHost.tx.query(
      `SELECT a.code, a.number, a.aux, a.label AS account_label, to_char(e.entry_date, 'YYYY-MM-DD') AS date,
              coalesce(e.year_entry_no, e.entry_no)::int AS entry_no, e.journal, e.piece_ref, e.label,
              l.debit::text AS debit, l.credit::text AS credit, l.fund, l.grant_ref
         FROM journal_lines l
         JOIN ledger_accounts a ON a.id = l.account_id
         JOIN journal_entries e ON e.id = l.entry_id
        WHERE l.caisse_id = $1 AND e.entry_date BETWEEN $2 AND $3 AND ($4::text IS NULL OR a.number LIKE $4 || '%')
        ORDER BY a.number, a.aux, e.entry_date, e.entry_no, l.line_no`,
      [caisseId, q.from, q.to, q.account ?? null],
    );
    return rows.map((r) => ({
      code: r.code as string,
      number: r.number as string,
      aux: r.aux as string,
      accountLabel: r.account_label as string,
      date: r.date as string,
      entryNo: r.entry_no as number,
      journal: r.journal as string,
      pieceRef: r.piece_ref as string,
      label: r.label as string,
      debit: r.debit as string,
      credit: r.credit as string,
      fund: r.fund as string | null,
      grantRef: r.grant_ref as string | null,
    }));
  }

  /** Totals per general account, kind, fund and grant of the lines dated in [from, to] (from null: since the start). */
  async dimensionTotals(caisseId: string, from: string | null, to: string): Promise<DimensionTotalView[]> {
    const rows: Record<string, string | null>[] = await this.txHost.tx.query(
      `SELECT a.number, min(coalesce(g.label, a.label)) AS label, a.kind, l.fund, l.grant_ref, sum(l.debit)::text AS debit, sum(l.credit)::text AS credit
         FROM journal_lines l
         JOIN ledger_accounts a ON a.id = l.account_id
         JOIN journal_entries e ON e.id = l.entry_id
         LEFT JOIN ledger_accounts g ON g.caisse_id = a.caisse_id AND g.number = a.number AND g.aux = ''
        WHERE l.caisse_id = $1 AND ($2::date IS NULL OR e.entry_date >= $2) AND e.entry_date <= $3
        GROUP BY a.number, a.kind, l.fund, l.grant_ref ORDER BY a.number`,
      [caisseId, from, to],
    );
    return rows.map((r) => ({ number: r.number!, label: r.label!, kind: r.kind!, fund: r.fund, grantRef: r.grant_ref, debit: r.debit!, credit: r.credit! }));
  }
}
