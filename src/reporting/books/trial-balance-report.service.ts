import { Injectable } from '@nestjs/common';
import type { Decimal } from 'decimal.js';
import { formatMoney, money } from '../../common/money/money.js';
import type { TabularDoc } from '../../common/tabular/tabular.types.js';
import { LedgerService } from '../../ledger/ledger.service.js';
import type { ReportPeriod } from '../reports/report-period.js';

export interface BalanceRow {
  code: string;
  label: string;
  /** Balance brought forward at the start of the period, on its side (the other side is 0.00). */
  openingDebit: string;
  openingCredit: string;
  debit: string;
  credit: string;
  closingDebit: string;
  closingCredit: string;
}

export interface BalanceView {
  from: string;
  to: string;
  /** The account number or prefix asked for: rows are then its auxiliary accounts (pseudonymous for members). */
  account: string | null;
  accounts: BalanceRow[];
  totals: Omit<BalanceRow, 'code' | 'label'>;
}

/** A signed balance (debit − credit) split on its side. */
export function sides(balance: Decimal): { debit: string; credit: string } {
  return balance.isNegative() ? { debit: '0.00', credit: formatMoney(balance.negated()) } : { debit: formatMoney(balance), credit: '0.00' };
}

/** The balance (trial balance) of a period: brought forward, movements and closing per account or auxiliary. */
@Injectable()
export class TrialBalanceReportService {
  constructor(private readonly ledger: LedgerService) {}

  async view(caisseId: string, p: ReportPeriod, account?: string): Promise<BalanceView> {
    // The one read of this report (to point it at a read replica later).
    const rows = await this.ledger.periodBalances(caisseId, { from: p.from, to: p.to, account });
    const accounts = rows.map((r) => {
      const opening = money(r.openingDebit).minus(r.openingCredit);
      const o = sides(opening);
      const c = sides(opening.plus(r.debit).minus(r.credit));
      return { code: r.code, label: r.label, openingDebit: o.debit, openingCredit: o.credit, debit: formatMoney(r.debit), credit: formatMoney(r.credit), closingDebit: c.debit, closingCredit: c.credit };
    });
    const total = (k: keyof Omit<BalanceRow, 'code' | 'label'>) => formatMoney(accounts.reduce((s, a) => s.plus(a[k]), money(0)));
    return {
      from: p.from,
      to: p.to,
      account: account ?? null,
      accounts,
      totals: {
        openingDebit: total('openingDebit'),
        openingCredit: total('openingCredit'),
        debit: total('debit'),
        credit: total('credit'),
        closingDebit: total('closingDebit'),
        closingCredit: total('closingCredit'),
      },
    };
  }

  doc(v: BalanceView): TabularDoc {
    return {
      title: v.account ? `Balance auxiliaire ${v.account}` : 'Balance générale',
      subtitle: `Du ${v.from} au ${v.to}`,
      tables: [
        {
          columns: [
            { key: 'code', label: 'Compte', width: 1.5 },
            { key: 'label', label: 'Libellé', width: 3 },
            { key: 'openingDebit', label: 'À nouveau débit', kind: 'money' },
            { key: 'openingCredit', label: 'À nouveau crédit', kind: 'money' },
            { key: 'debit', label: 'Mouvements débit', kind: 'money' },
            { key: 'credit', label: 'Mouvements crédit', kind: 'money' },
            { key: 'closingDebit', label: 'Solde débiteur', kind: 'money' },
            { key: 'closingCredit', label: 'Solde créditeur', kind: 'money' },
          ],
          rows: v.accounts.map((a) => ({ ...a })),
          totals: { code: 'Total', ...v.totals },
        },
      ],
    };
  }
}
