import { Injectable } from '@nestjs/common';
import { formatMoney, money } from '../../common/money/money.js';
import type { Cell, TabularDoc } from '../../common/tabular/tabular.types.js';
import { LedgerService } from '../../ledger/ledger.service.js';
import type { ReportPeriod } from '../reports/report-period.js';

export interface LedgerBookLine {
  date: string;
  journal: string;
  entryNo: number;
  pieceRef: string;
  label: string;
  debit: string;
  credit: string;
  /** Running balance, debit − credit, from the balance brought forward. */
  balance: string;
  fund: string | null;
  grantRef: string | null;
}

export interface LedgerBookAccount {
  code: string;
  label: string;
  /** Balance brought forward (debit − credit) at the start of the period. */
  opening: string;
  lines: LedgerBookLine[];
  debit: string;
  credit: string;
  closing: string;
}

export interface GeneralLedgerView {
  from: string;
  to: string;
  account: string | null;
  accounts: LedgerBookAccount[];
  totals: { debit: string; credit: string };
}

/** The general ledger (grand livre) of a period, each account from its balance brought forward; or one sub-ledger. */
@Injectable()
export class GeneralLedgerService {
  constructor(private readonly ledger: LedgerService) {}

  async view(caisseId: string, p: ReportPeriod, account?: string): Promise<GeneralLedgerView> {
    // The reads of this book, in one place (to point them at a read replica later). Always per auxiliary: a
    // general ledger lists each 4671-M… and 401-O… account apart, as the accountant reads it.
    const [balances, lines] = await Promise.all([
      this.ledger.periodBalances(caisseId, { from: p.from, to: p.to, account: account ?? '' }),
      this.ledger.ledgerLines(caisseId, { from: p.from, to: p.to, account }),
    ]);
    const byCode = new Map<string, typeof lines>();
    for (const l of lines) byCode.set(l.code, [...(byCode.get(l.code) ?? []), l]);
    const accounts = balances.map((b) => {
      let running = money(b.openingDebit).minus(b.openingCredit);
      const opening = formatMoney(running);
      const own = (byCode.get(b.code) ?? []).map((l) => {
        running = running.plus(l.debit).minus(l.credit);
        return { date: l.date, journal: l.journal, entryNo: l.entryNo, pieceRef: l.pieceRef, label: l.label, debit: l.debit, credit: l.credit, balance: formatMoney(running), fund: l.fund, grantRef: l.grantRef };
      });
      return { code: b.code, label: b.label, opening, lines: own, debit: formatMoney(b.debit), credit: formatMoney(b.credit), closing: formatMoney(running) };
    });
    const total = (k: 'debit' | 'credit') => formatMoney(accounts.reduce((s, a) => s.plus(a[k]), money(0)));
    return { from: p.from, to: p.to, account: account ?? null, accounts, totals: { debit: total('debit'), credit: total('credit') } };
  }

  doc(v: GeneralLedgerView): TabularDoc {
    const rows: Record<string, Cell>[] = [];
    for (const a of v.accounts) {
      rows.push({ account: a.code, label: `${a.label} — à nouveau`, balance: a.opening });
      for (const l of a.lines) rows.push({ account: a.code, date: l.date, journal: l.journal, entryNo: l.entryNo, pieceRef: l.pieceRef, label: l.label, debit: l.debit, credit: l.credit, balance: l.balance });
      rows.push({ account: a.code, label: `Total ${a.code}`, debit: a.debit, credit: a.credit, balance: a.closing });
    }
    return {
      title: v.account ? `Grand livre auxiliaire ${v.account}` : 'Grand livre',
      subtitle: `Du ${v.from} au ${v.to}`,
      tables: [
        {
          columns: [
            { key: 'account', label: 'Compte', width: 1.5 },
            { key: 'date', label: 'Date', kind: 'date' },
            { key: 'journal', label: 'Journal' },
            { key: 'entryNo', label: 'N°', kind: 'int' },
            { key: 'pieceRef', label: 'Pièce', width: 1.5 },
            { key: 'label', label: 'Libellé', width: 3 },
            { key: 'debit', label: 'Débit', kind: 'money' },
            { key: 'credit', label: 'Crédit', kind: 'money' },
            { key: 'balance', label: 'Solde', kind: 'money' },
          ],
          rows,
          totals: { account: 'Total', debit: v.totals.debit, credit: v.totals.credit },
        },
      ],
    };
  }
}
