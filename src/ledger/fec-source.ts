import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { ReadReplica } from '../database/read-replica.js';

/**
 * One FEC line as the ledger gives it: the entry's number in its fiscal year (the order it was validated in), its
 * journal code, and the 15 fields after EcritureNum (EcritureDate … Idevise) already in FEC form, tab-joined:
 * AAAAMMJJ dates, decimal comma, "0,00" on the empty side, no tab or line break inside a field. The FEC writer
 * numbers entries in output order (à-nouveaux first) and adds JournalLib.
 */
export type FecRow = [yearEntryNo: string, journal: string, rest: string];

const clean = (expr: string) => `translate(${expr}, E'\\t\\r\\n', '   ')`;

/** Member accounts (wallets 4671, dues 411) are shown by their pseudonym whatever label they carry (GDPR). */
const LINE_SQL = `
  SELECT e.year_entry_no::text, e.journal,
         to_char(e.entry_date, 'YYYYMMDD') || E'\\t' || a.number || E'\\t' || ${clean('coalesce(g.label, a.label)')} || E'\\t' || a.aux || E'\\t' ||
         CASE WHEN a.aux = '' THEN '' WHEN a.number IN ('4671', '411') OR a.kind = 'wallet' THEN 'Adhérent ' || a.aux ELSE ${clean('a.label')} END || E'\\t' ||
         ${clean('e.piece_ref')} || E'\\t' || to_char(e.entry_date, 'YYYYMMDD') || E'\\t' || ${clean('e.label')} || E'\\t' ||
         replace(l.debit::text, '.', ',') || E'\\t' || replace(l.credit::text, '.', ',') || E'\\t' ||
         coalesce(ll.letter, '') || E'\\t' || coalesce(to_char(ll.lettered_on, 'YYYYMMDD'), '') || E'\\t' ||
         to_char(e.validated_at AT TIME ZONE 'Europe/Paris', 'YYYYMMDD') || E'\\t\\t'
    FROM journal_entries e
    JOIN journal_lines l ON l.entry_id = e.id
    JOIN ledger_accounts a ON a.id = l.account_id
    LEFT JOIN ledger_accounts g ON a.aux <> '' AND g.caisse_id = a.caisse_id AND g.number = a.number AND g.aux = ''
    LEFT JOIN journal_line_letters ll ON ll.entry_id = l.entry_id AND ll.line_no = l.line_no
   WHERE e.caisse_id = $1 AND e.fiscal_year = $2 AND NOT (e.id = ANY ($3::uuid[]))`;

/** The statement the FEC streams, for the benchmark to compare with COPY of the same rows. */
export function fecSql(part: 'opening' | 'rest'): string {
  return `${LINE_SQL} AND e.journal ${part === 'opening' ? '=' : '<>'} 'AN' ORDER BY e.year_entry_no, l.line_no`;
}

/**
 * Streams the lines of a fiscal year from server-side cursors on a connection of its own (on the replica while it
 * keeps up: ReadReplica), in one REPEATABLE READ read-only snapshot: the à-nouveaux first, then every other entry in
 * validation order. Memory stays flat whatever the size of the year (a batch written, the next one fetched);
 * stopping early (a client gone) closes the cursor and frees the connection.
 */
@Injectable()
export class FecSource {
  constructor(private readonly replica: ReadReplica) {}

  async *rows(caisseId: string, fiscalYear: string, batch = 5000): AsyncGenerator<FecRow[]> {
    const runner = await this.replica.runner();
    const client = (runner as unknown as { databaseConnection: PoolClient }).databaseConnection;
    let open = false;
    let ahead: Promise<FecRow[]> | undefined;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      open = true;
      // The whole result is read: plan the cursor for all of it (as COPY would), not for a fast first row.
      await client.query('SET LOCAL cursor_tuple_fraction = 1');
      const { rows: closings } = await client.query<{ ids: string[] | null }>(
        `SELECT array_agg(id)::text[] AS ids FROM ledger_year_closings c, unnest(c.offset_entry_ids) AS id WHERE c.caisse_id = $1`,
        [caisseId],
      );
      const excluded = closings[0]?.ids ?? [];
      for (const part of ['opening', 'rest'] as const) {
        await client.query(`DECLARE fec_${part} NO SCROLL CURSOR FOR ${fecSql(part)}`, [caisseId, fiscalYear, excluded]);
        const fetch = (): Promise<FecRow[]> => {
          const fetched = client.query<FecRow>({ text: `FETCH ${batch} FROM fec_${part}`, rowMode: 'array' }).then((r) => r.rows);
          fetched.catch(() => undefined); // handled where it is awaited: not an unhandled rejection while the consumer is busy
          return fetched;
        };
        // One FETCH ahead: PostgreSQL produces the next batch while this one is written out (two batches at most).
        ahead = fetch();
        for (;;) {
          const rows: FecRow[] = await ahead;
          ahead = rows.length < batch ? undefined : fetch();
          if (rows.length) yield rows;
          if (!ahead) break;
        }
        await client.query(`CLOSE fec_${part}`);
      }
    } finally {
      // A consumer gone mid-file leaves a FETCH in flight: let it end (its rows unread) before the rollback.
      await ahead?.catch(() => undefined);
      if (open) await client.query('ROLLBACK').catch(() => undefined);
      await runner.release();
    }
  }
}
