import type { EntityManager } from 'typeorm';
import { money } from '../common/money/money.js';
import type { Restricted, Usage } from './dedicated-funds.js';

/**
 * What the annual closing reads from the lines. Balances are sums of every line dated on or before a day: the running
 * totals of the books stay true across years because each closing posts its à-nouveaux together with their technical
 * counterpart (see YearEndService), so no figure here needs to know which years were closed.
 */
export interface AccountBalance {
  code: string;
  number: string;
  /** debits − credits */
  balance: string;
}

export async function balancesAt(tx: EntityManager, caisseId: string, through: string): Promise<AccountBalance[]> {
  const rows: AccountBalance[] = await tx.query(
    `SELECT a.code, a.number, sum(l.debit - l.credit)::text AS balance
       FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id JOIN ledger_accounts a ON a.id = l.account_id
      WHERE e.caisse_id = $1 AND e.entry_date <= $2
      GROUP BY a.code, a.number HAVING sum(l.debit - l.credit) <> 0
      ORDER BY a.number, a.code`,
    [caisseId, through],
  );
  return rows;
}

/** Funder of each grant: the auxiliary of the receivable, income or fonds dédiés account its lines went through. */
async function fundersOf(tx: EntityManager, caisseId: string): Promise<Map<string, { funder: string; publicFunder: boolean }>> {
  const rows: { grant_ref: string; aux: string; public: boolean }[] = await tx.query(
    `SELECT l.grant_ref, min(a.aux) AS aux, bool_or(a.number IN ('441', '741', '194')) AS public
       FROM journal_lines l JOIN ledger_accounts a ON a.id = l.account_id
      WHERE l.caisse_id = $1 AND l.grant_ref IS NOT NULL AND a.aux <> '' AND a.number IN ('441', '4687', '741', '194', '195')
      GROUP BY l.grant_ref`,
    [caisseId],
  );
  return new Map(rows.map((r) => [r.grant_ref, { funder: r.aux, publicFunder: r.public }]));
}

/**
 * Restricted income of [from, through] and fonds dédiés standing before `from`, each per grant and fund. Only what
 * third parties give can be restricted: subventions (74), générosité du public (754), contributions of other
 * organisations (755); members' cotisations (756) and sales are the caisse's own even when a payer names a fund.
 */
export async function restrictedResources(tx: EntityManager, caisseId: string, from: string, through: string): Promise<{ openings: Restricted[]; incomes: Restricted[] }> {
  const funders = await fundersOf(tx, caisseId);
  const incomeRows: { grant_ref: string | null; fund: string | null; public: boolean; amount: string }[] = await tx.query(
    `SELECT l.grant_ref, l.fund, bool_or(a.number LIKE '74%') AS public, sum(l.credit - l.debit)::text AS amount
       FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id JOIN ledger_accounts a ON a.id = l.account_id
      WHERE e.caisse_id = $1 AND e.entry_date BETWEEN $2 AND $3 AND (a.number LIKE '74%' OR a.number LIKE '754%' OR a.number LIKE '755%')
        AND (l.grant_ref IS NOT NULL OR l.fund IS NOT NULL)
      GROUP BY l.grant_ref, l.fund`,
    [caisseId, from, through],
  );
  const openingRows: { grant_ref: string | null; fund: string | null; number: string; aux: string; amount: string }[] = await tx.query(
    `SELECT l.grant_ref, l.fund, a.number, a.aux, sum(l.credit - l.debit)::text AS amount
       FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id JOIN ledger_accounts a ON a.id = l.account_id
      WHERE e.caisse_id = $1 AND e.entry_date < $2 AND a.number IN ('194', '195')
      GROUP BY l.grant_ref, l.fund, a.number, a.aux HAVING sum(l.credit - l.debit) > 0`,
    [caisseId, from],
  );
  return {
    incomes: incomeRows.map((r) => {
      const f = r.grant_ref ? funders.get(r.grant_ref) : undefined;
      return { grant: r.grant_ref, fund: r.fund, funder: f?.funder ?? '', publicFunder: r.public || !!f?.publicFunder, amount: money(r.amount) };
    }),
    openings: openingRows.map((r) => ({ grant: r.grant_ref, fund: r.fund, funder: r.aux, publicFunder: r.number === '194', amount: money(r.amount) })),
  };
}

/** Expenses of [from, through] charged to a fund or a grant (allocations on 6571, running costs…), net of expiries. */
export async function restrictedUsage(tx: EntityManager, caisseId: string, from: string, through: string): Promise<Usage[]> {
  const rows: { grant_ref: string | null; fund: string | null; amount: string }[] = await tx.query(
    `SELECT l.grant_ref, l.fund, sum(l.debit - l.credit)::text AS amount
       FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id JOIN ledger_accounts a ON a.id = l.account_id
      WHERE e.caisse_id = $1 AND e.entry_date BETWEEN $2 AND $3 AND a.number LIKE '6%' AND a.number NOT LIKE '689%'
        AND (l.grant_ref IS NOT NULL OR l.fund IS NOT NULL)
      GROUP BY l.grant_ref, l.fund ORDER BY l.grant_ref NULLS LAST, l.fund`,
    [caisseId, from, through],
  );
  return rows.map((r) => ({ grant: r.grant_ref, fund: r.fund, amount: money(r.amount) }));
}

/** Σ of the suspense account(s) 471x on a day: a closing wants it empty. */
export async function suspenseAt(tx: EntityManager, caisseId: string, through: string): Promise<string> {
  const [row]: { balance: string }[] = await tx.query(
    `SELECT coalesce(sum(l.debit - l.credit), 0)::text AS balance
       FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id JOIN ledger_accounts a ON a.id = l.account_id
      WHERE e.caisse_id = $1 AND e.entry_date <= $2 AND a.number LIKE '471%'`,
    [caisseId, through],
  );
  return row.balance;
}
