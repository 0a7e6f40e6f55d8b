import type { Decimal } from 'decimal.js';
import { formatMoney, money } from '../../common/money/money.js';
import type { Table } from '../../common/tabular/tabular.types.js';
import type { GrantWithFunder } from '../../contributions/contributions.types.js';
import type { DimensionTotalView } from '../../ledger/ledger.types.js';

export interface FseLine {
  account: string;
  label: string;
  amount: string;
}

/** EU FSE+: the operation's own accounting code (the grant reference) and its expenses and resources at any time. */
export interface FseStatement {
  operation: string;
  funder: string;
  fund: string | null;
  expenses: FseLine[];
  expensesTotal: string;
  resources: FseLine[];
  resourcesTotal: string;
  /** resources − expenses */
  balance: string;
  received: string;
}

export function fseStatement(grant: GrantWithFunder, rows: DimensionTotalView[], used: Decimal): FseStatement {
  const mine = rows.filter((r) => r.grantRef === grant.reference);
  const byAccount = (cls: string, side: 'debit' | 'credit') => {
    const lines = new Map<string, FseLine>();
    for (const r of mine.filter((x) => x.number.startsWith(cls))) {
      const amount = side === 'debit' ? money(r.debit).minus(r.credit) : money(r.credit).minus(r.debit);
      const prev = lines.get(r.number);
      lines.set(r.number, { account: r.number, label: r.label, amount: formatMoney(money(prev?.amount ?? 0).plus(amount)) });
    }
    return [...lines.values()];
  };
  const tagged = byAccount('6', 'debit');
  const taggedTotal = tagged.reduce((s, l) => s.plus(l.amount), money(0));
  const fromFund = used.minus(taggedTotal);
  const expenses = fromFund.gt(0) ? [...tagged, { account: '6', label: `Dépenses du fonds ${grant.fund} imputées à l'opération`, amount: formatMoney(fromFund) }] : tagged;
  const resources = byAccount('7', 'credit');
  const sum = (l: FseLine[]) => l.reduce((s, x) => s.plus(x.amount), money(0));
  const received = mine.filter((r) => r.kind === 'receivable').reduce((s, r) => s.plus(r.credit), money(0));
  return {
    operation: grant.reference,
    funder: grant.funderName,
    fund: grant.fund,
    expenses,
    expensesTotal: formatMoney(sum(expenses)),
    resources,
    resourcesTotal: formatMoney(sum(resources)),
    balance: formatMoney(sum(resources).minus(sum(expenses))),
    received: formatMoney(received),
  };
}

export function fseTables(s: FseStatement): Table[] {
  const columns = [{ key: 'account', label: 'Compte' }, { key: 'label', label: 'Libellé', width: 3 }, { key: 'amount', label: 'Montant', kind: 'money' as const }];
  return [
    { title: `Opération ${s.operation} (${s.funder}) — dépenses`, columns, rows: s.expenses.map((l) => ({ ...l })), totals: { label: 'Total des dépenses', amount: s.expensesTotal } },
    {
      title: `Opération ${s.operation} — ressources`,
      columns,
      rows: s.resources.map((l) => ({ ...l })),
      totals: { label: `Total des ressources (encaissé : ${s.received})`, amount: s.resourcesTotal },
    },
  ];
}
