/** The first statement of a batch posting (batch-posting.service.ts): idempotency keys, account locks, books settings. */
import type { EntityManager } from 'typeorm';
import { BooksNotOpen } from './ledger.errors.js';
import type { BooksLimits } from './posting-limits.js';
import { hot } from '../database/prepared.js';

export interface AccountRow {
  id: string;
  code: string;
  label: string;
  no_overdraft: boolean;
  normal_side: 'D' | 'C';
  closed: boolean;
  debits_posted: string;
  credits_posted: string;
}

export interface Locked {
  accounts: AccountRow[];
  books: BooksLimits;
}

/**
 * One round trip: the entries already holding the batch's keys, and every account the batch touches, locked in id
 * order (so concurrent batches cannot deadlock) with the books' closing date and limits. Accounts of replays are locked too,
 * which costs nothing and saves a second statement.
 */
export async function readAndLock(tx: EntityManager, caisseId: string, prepared: { key: string; accounts: string[] }[]): Promise<{ existing: Map<string, { id: string; hash: string }>; locked: Locked }> {
  if (!prepared.length) return { existing: new Map(), locked: { accounts: [], books: undefined as unknown as BooksLimits } };
  // The books' settings ride in the label/code/amount columns of the 'books' row, to keep this one round trip.
  const rows: ({ kind: 'key'; k: string; id: string; hash: string } | ({ kind: 'account' } & AccountRow) | ({ kind: 'books' } & Record<string, string | null>))[] = await tx.query(
    hot(`WITH a AS (
       SELECT a.id, a.code, a.label, a.no_overdraft, a.normal_side, a.closed_at IS NOT NULL AS closed, a.debits_posted, a.credits_posted
         FROM ledger_accounts a WHERE a.caisse_id = $1 AND a.code = ANY($3::text[]) ORDER BY a.id FOR UPDATE
     )
     SELECT 'key' AS kind, idempotency_key AS k, id::text AS id, content_hash AS hash, NULL::text AS code, NULL::text AS label, NULL::bool AS no_overdraft,
            NULL::text AS normal_side, NULL::bool AS closed, NULL::text AS debits_posted, NULL::text AS credits_posted, NULL::text AS closed_through
       FROM journal_entries WHERE caisse_id = $1 AND idempotency_key = ANY($2::text[])
     UNION ALL
     SELECT 'account', NULL, a.id::text, NULL, a.code, a.label, a.no_overdraft, a.normal_side, a.closed, a.debits_posted::text, a.credits_posted::text, NULL FROM a
     UNION ALL
     SELECT 'books', fiscal_year_start_month::text, NULL, NULL,
            coalesce(books_start, (ledger_fiscal_year(opened_at::date, fiscal_year_start_month) - interval '1 year')::date)::text,
            max_days_ahead::text, NULL, NULL, NULL, max_line_amount::text, NULL, closed_through::text
       FROM ledger_books WHERE caisse_id = $1`),
    [caisseId, prepared.map((p) => p.key), [...new Set(prepared.flatMap((p) => p.accounts))]],
  );
  const existing = new Map<string, { id: string; hash: string }>();
  const accounts: AccountRow[] = [];
  let books: BooksLimits | undefined;
  for (const r of rows) {
    if (r.kind === 'key') existing.set(r.k, { id: r.id, hash: r.hash });
    else if (r.kind === 'account') accounts.push(r);
    else {
      books = {
        closedThrough: r.closed_through,
        fiscalYearStartMonth: Number(r.k),
        booksStart: r.code!,
        maxDaysAhead: Number(r.label),
        maxLineAmount: r.debits_posted!,
      };
    }
  }
  if (!books) throw new BooksNotOpen(caisseId);
  return { existing, locked: { accounts, books } };
}
