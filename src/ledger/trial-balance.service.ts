import { Injectable } from '@nestjs/common';
import { formatMoney, money } from '../common/money/money.js';
import { TransactionHost } from '../database/transaction.js';

export interface TrialBalanceView {
  at: string;
  accounts: { number: string; label: string; debit: string; credit: string; balance: string }[];
  totals: { debit: string; credit: string };
}

/**
 * Totals per general account (auxiliaries rolled up into their general account, as the accountant reads it) from the
 * lines dated on or before `at`. Computed from lines, not from the maintained balances, so it also works for past dates.
 */
@Injectable()
export class TrialBalanceService {
  constructor(readonly txHost: TransactionHost) {}

  async at(caisseId: string, at: string): Promise<TrialBalanceView> {
    const rows: { number: string; label: string; debit: string; credit: string }[] = await this.txHost.tx.query(
      `SELECT g.number, g.label, coalesce(sum(l.debit), 0) AS debit, coalesce(sum(l.credit), 0) AS credit
         FROM ledger_accounts g
         JOIN ledger_accounts a ON a.caisse_id = g.caisse_id AND a.number = g.number
         JOIN journal_lines l ON l.account_id = a.id
         JOIN journal_entries e ON e.id = l.entry_id
        WHERE g.caisse_id = $1 AND g.aux = '' AND e.entry_date <= $2
        GROUP BY g.number, g.label
        ORDER BY g.number`,
      [caisseId, at],
    );
    let debit = money(0);
    let credit = money(0);
    const accounts = rows.map((r) => {
      debit = debit.plus(r.debit);
      credit = credit.plus(r.credit);
      return { number: r.number, label: r.label, debit: formatMoney(r.debit), credit: formatMoney(r.credit), balance: formatMoney(money(r.debit).minus(r.credit)) };
    });
    return { at, accounts, totals: { debit: formatMoney(debit), credit: formatMoney(credit) } };
  }
}
