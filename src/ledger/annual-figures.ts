import type { EntityManager } from 'typeorm';

/**
 * Per account (auxiliaries apart), what the annual accounts need: the balance before the year and at its end
 * (all-time sums, true across years, see YearEndService), and the year's movements without its à-nouveaux and
 * without the technical counterparts the closings post (so classes 6–7 show the year's own charges and produits).
 */
export interface AccountYearFigures {
  code: string;
  number: string;
  aux: string;
  label: string;
  /** debits − credits before the first day */
  opening: string;
  yearDebit: string;
  yearCredit: string;
  /** debits − credits at the end of the last day */
  closing: string;
}

export interface GrantYearFigures {
  grant: string;
  fund: string | null;
  funder: string;
  /** credits − debits on 7x (not 789x) in the year */
  notified: string;
  /** credits on the receivables 441/4687 in the year (cash in) */
  received: string;
  /** 789x credits: earlier fonds dédiés used this year */
  released: string;
  /** 689x debits: left unused, allotted to fonds dédiés */
  allotted: string;
}

const EXCLUDED = `SELECT unnest(offset_entry_ids) FROM ledger_year_closings WHERE caisse_id = $1`;

export async function accountYearFigures(tx: EntityManager, caisseId: string, start: string, last: string): Promise<AccountYearFigures[]> {
  return tx.query(
    `SELECT a.code, a.number, a.aux, a.label,
            coalesce(sum(l.debit - l.credit) FILTER (WHERE e.entry_date < $2), 0)::text AS opening,
            coalesce(sum(l.debit) FILTER (WHERE e.entry_date >= $2 AND e.journal <> 'AN' AND NOT x.excluded), 0)::text AS "yearDebit",
            coalesce(sum(l.credit) FILTER (WHERE e.entry_date >= $2 AND e.journal <> 'AN' AND NOT x.excluded), 0)::text AS "yearCredit",
            coalesce(sum(l.debit - l.credit), 0)::text AS closing
       FROM journal_lines l
       JOIN journal_entries e ON e.id = l.entry_id
       JOIN ledger_accounts a ON a.id = l.account_id
       CROSS JOIN LATERAL (SELECT e.id IN (${EXCLUDED}) AS excluded) x
      WHERE e.caisse_id = $1 AND e.entry_date <= $3
      GROUP BY a.code, a.number, a.aux, a.label
      ORDER BY a.number, a.aux`,
    [caisseId, start, last],
  );
}

export async function grantYearFigures(tx: EntityManager, caisseId: string, start: string, last: string): Promise<GrantYearFigures[]> {
  return tx.query(
    `SELECT l.grant_ref AS grant, min(l.fund) AS fund,
            coalesce(min(a.aux) FILTER (WHERE a.aux <> '' AND a.number IN ('441', '4687', '741', '194', '195')), '') AS funder,
            coalesce(sum(l.credit - l.debit) FILTER (WHERE a.number LIKE '7%' AND a.number NOT LIKE '789%'), 0)::text AS notified,
            coalesce(sum(l.credit) FILTER (WHERE a.number IN ('441', '4687')), 0)::text AS received,
            coalesce(sum(l.credit - l.debit) FILTER (WHERE a.number LIKE '789%'), 0)::text AS released,
            coalesce(sum(l.debit - l.credit) FILTER (WHERE a.number LIKE '689%'), 0)::text AS allotted
       FROM journal_lines l
       JOIN journal_entries e ON e.id = l.entry_id
       JOIN ledger_accounts a ON a.id = l.account_id
      WHERE e.caisse_id = $1 AND e.entry_date BETWEEN $2 AND $3 AND l.grant_ref IS NOT NULL AND e.journal <> 'AN'
        AND e.id NOT IN (${EXCLUDED})
      GROUP BY l.grant_ref ORDER BY l.grant_ref`,
    [caisseId, start, last],
  );
}
