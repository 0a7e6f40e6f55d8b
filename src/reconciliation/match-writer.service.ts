import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Conflict } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { LineRef } from '../ledger/ledger.types.js';
import type { MatchRule } from './matching-rules.js';

export interface MatchToWrite {
  bankLineIds: string[];
  bookLines: (LineRef & { date: string; amount: string })[];
  rule: MatchRule;
  confidence: number;
  /** Date of the match = the bank's booking date (the letter's DateLet). */
  on: string;
}

/**
 * Writes matches: the ledger letters the 512x lines (one code per match) and our rows record which bank lines
 * that letter explains — in the caller's transaction, a fixed number of statements for any number of matches.
 */
@Injectable()
export class MatchWriter {
  constructor(
    private readonly txHost: TransactionHost,
    private readonly ledger: LedgerService,
  ) {}

  async write(caisseId: string, bankAccount: string, matches: MatchToWrite[]): Promise<string[]> {
    if (matches.length === 0) return [];
    const tx = this.txHost.tx;
    const letters = await this.ledger.letterMany(caisseId, matches.map((m) => ({ lines: m.bookLines.map(({ entryId, lineNo }) => ({ entryId, lineNo })), on: m.on })));
    const ids = matches.map(() => randomUUID());
    await tx.query(
      `INSERT INTO bank_matches (id, caisse_id, bank_account, rule, letter, confidence, matched_on)
       SELECT r.id, $1, $2, r.rule, r.letter, r.confidence, r.matched_on FROM unnest($3::uuid[], $4::text[], $5::text[], $6::numeric[], $7::date[]) AS r(id, rule, letter, confidence, matched_on)`,
      [caisseId, bankAccount, ids, matches.map((m) => m.rule), letters, matches.map((m) => m.confidence.toFixed(2)), matches.map((m) => m.on)],
    );
    const bankPairs = matches.flatMap((m, i) => m.bankLineIds.map((b) => [b, ids[i]]));
    const updated: { id: string }[] = await tx.query(
      `WITH u AS (UPDATE bank_statement_lines s SET match_id = r.match_id, proposal = NULL FROM unnest($2::uuid[], $3::uuid[]) AS r(line_id, match_id)
        WHERE s.id = r.line_id AND s.caisse_id = $1 AND s.match_id IS NULL RETURNING s.id) SELECT id FROM u`,
      [caisseId, bankPairs.map((p) => p[0]), bankPairs.map((p) => p[1])],
    );
    if (updated.length !== bankPairs.length) throw new Conflict('ALREADY_MATCHED', 'A bank line to match is already matched: reload and try again.');
    const bookRows = matches.flatMap((m, i) => m.bookLines.map((l) => ({ ...l, matchId: ids[i] })));
    await tx.query(
      `INSERT INTO bank_match_book_lines (match_id, entry_id, line_no, book_date, amount)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::smallint[], $4::date[], $5::numeric[])`,
      [bookRows.map((r) => r.matchId), bookRows.map((r) => r.entryId), bookRows.map((r) => r.lineNo), bookRows.map((r) => r.date), bookRows.map((r) => r.amount)],
    );
    return ids;
  }
}
