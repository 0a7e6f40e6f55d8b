import { Injectable } from '@nestjs/common';
import { ContributionsService } from '../contributions/contributions.service.js';
import { TransactionHost } from '../database/transaction.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { MatchWriter, type MatchToWrite } from './match-writer.service.js';
import { APPLY_CONFIDENCE, type BankLineForMatch, planMatches } from './matching-rules.js';

/**
 * Runs the matching rules over every open bank line of an account: matches above the confidence threshold are
 * applied (a pending direct-debit batch is settled on the way), the others are kept as proposals on their line.
 */
@Injectable()
export class AutoMatcher {
  constructor(
    private readonly txHost: TransactionHost,
    private readonly ledger: LedgerService,
    private readonly contributions: ContributionsService,
    private readonly writer: MatchWriter,
  ) {}

  async run(caisseId: string, bankAccount: string): Promise<{ matched: number; unmatched: number }> {
    const tx = this.txHost.tx;
    const bank: BankLineForMatch[] = await tx.query(
      `SELECT id, to_char(booked_on, 'YYYY-MM-DD') AS "bookedOn", amount::text AS amount, reference, end_to_end_ids AS "endToEndIds",
              batch_refs AS "batchRefs", counterparty_name AS "counterpartyName", remittance, label
         FROM bank_statement_lines WHERE caisse_id = $1 AND bank_account = $2 AND match_id IS NULL ORDER BY booked_on, statement_id, line_no`,
      [caisseId, bankAccount],
    );
    if (bank.length === 0) return { matched: 0, unmatched: 0 };
    const book = await this.ledger.bookLines(caisseId, bankAccount, { lettered: false });
    const batches = await this.contributions.pendingDirectDebitBatches(caisseId, bankAccount);
    const planned = planMatches(bank, book, batches);
    const byId = new Map(bank.map((b) => [b.id, b]));
    const apply: MatchToWrite[] = [];
    const proposals: { id: string; proposal: string }[] = [];
    for (const p of planned) {
      const line = byId.get(p.bankLineId)!;
      if (p.confidence < APPLY_CONFIDENCE) {
        proposals.push({ id: p.bankLineId, proposal: JSON.stringify({ rule: p.rule, confidence: p.confidence, bookLines: p.bookLines }) });
        continue;
      }
      let bookLines = p.bookLines;
      if (p.settleBatch) {
        const entryId = await this.contributions.settleDirectDebitBatch(caisseId, p.settleBatch.id, line.bookedOn);
        if (!entryId) continue;
        const entry = await this.ledger.entry(caisseId, entryId);
        bookLines = entry.lines.filter((l) => l.account === bankAccount).map((l) => ({ entryId, lineNo: l.lineNo, date: entry.date, amount: l.debit }));
      }
      apply.push({ bankLineIds: [p.bankLineId], bookLines, rule: p.rule, confidence: p.confidence, on: line.bookedOn });
    }
    await this.writer.write(caisseId, bankAccount, apply);
    if (proposals.length) {
      await tx.query(
        `UPDATE bank_statement_lines s SET proposal = r.proposal::jsonb FROM unnest($2::uuid[], $3::text[]) AS r(id, proposal) WHERE s.id = r.id AND s.caisse_id = $1`,
        [caisseId, proposals.map((p) => p.id), proposals.map((p) => p.proposal)],
      );
    }
    return { matched: apply.length, unmatched: bank.length - apply.length };
  }
}
