import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { Conflict, DomainError, NotFound, ValidationFailed } from '../common/errors/domain-error.js';
import { formatMoney, money } from '../common/money/money.js';
import { TransactionHost } from '../database/transaction.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { BankLineDto, ManualMatchDto } from './dto/bank-line.dto.js';
import { MatchWriter } from './match-writer.service.js';
import { SUGGESTION_ACCOUNT, type SuggestionKind, suggestionFor } from './suggestions.js';

interface LineRow {
  id: string;
  bank_account: string;
  booked_on: string;
  amount: string;
  reference: string;
  label: string;
  remittance: string;
  counterparty_name: string;
  bank_code: string;
  end_to_end_ids: string[];
  match_id: string | null;
  letter: string | null;
  rule: string | null;
  proposal: unknown;
  statement_id: string;
  source_line: number;
}

const SELECT = `SELECT s.id, s.bank_account, to_char(s.booked_on, 'YYYY-MM-DD') AS booked_on, s.amount::text, s.reference, s.label, s.remittance,
  s.counterparty_name, s.bank_code, s.end_to_end_ids, s.match_id, m.letter, m.rule, s.proposal, s.statement_id, s.source_line
  FROM bank_statement_lines s LEFT JOIN bank_matches m ON m.id = s.match_id`;

export const toLineDto = (r: LineRow): BankLineDto => ({
  id: r.id,
  statementId: r.statement_id,
  sourceLine: r.source_line,
  bankAccount: r.bank_account,
  bookedOn: r.booked_on,
  amount: formatMoney(r.amount),
  reference: r.reference,
  label: r.label,
  remittance: r.remittance,
  counterpartyName: r.counterparty_name,
  endToEndIds: r.end_to_end_ids,
  matchId: r.match_id,
  letter: r.letter,
  rule: r.rule,
  proposal: (r.proposal as BankLineDto['proposal']) ?? null,
  suggestion: r.match_id ? null : suggestionFor({ amount: r.amount, bankCode: r.bank_code, label: r.label, remittance: r.remittance }),
});

/** The treasurer's hands on bank lines: list, match by hand, unmatch, and accept the suggested posting. */
@Injectable()
export class BankLinesService {
  constructor(
    private readonly txHost: TransactionHost,
    private readonly ledger: LedgerService,
    private readonly writer: MatchWriter,
    private readonly audit: AuditService,
  ) {}

  /** Oldest first, at most 2,000; `recent`: the newest `recent` lines instead, newest first (the web screen's history). */
  async list(caisseId: string, q: { bankAccount?: string; status?: 'matched' | 'unmatched'; recent?: number }): Promise<BankLineDto[]> {
    const order = q.recent ? 's.booked_on DESC, s.statement_id DESC, s.line_no DESC' : 's.booked_on, s.statement_id, s.line_no';
    const rows: LineRow[] = await this.txHost.tx.query(
      `${SELECT} WHERE s.caisse_id = $1 AND ($2::text IS NULL OR s.bank_account = $2)
         AND ($3::text IS NULL OR (s.match_id IS NULL) = ($3 = 'unmatched')) ORDER BY ${order} LIMIT $4`,
      [caisseId, q.bankAccount ?? null, q.status ?? null, Math.min(q.recent ?? 2000, 2000)],
    );
    return rows.map(toLineDto);
  }

  async get(caisseId: string, id: string, lock = false): Promise<BankLineDto> {
    const [row]: LineRow[] = await this.txHost.tx.query(`${SELECT} WHERE s.caisse_id = $1 AND s.id = $2${lock ? ' FOR UPDATE OF s' : ''}`, [caisseId, id]);
    if (!row) throw new NotFound('Bank statement line', id);
    return toLineDto(row);
  }

  /** Matches a bank line with 512x lines chosen by the treasurer: the amounts must add up exactly. */
  async match(caisseId: string, lineId: string, dto: ManualMatchDto): Promise<BankLineDto> {
    return this.txHost.run(async () => {
      const line = await this.get(caisseId, lineId, true);
      if (line.matchId) throw new Conflict('ALREADY_MATCHED', `This bank line is already matched (letter ${line.letter}); unmatch it first.`);
      const open = await this.ledger.bookLines(caisseId, line.bankAccount, { lettered: false });
      const chosen = dto.bookLines.map((r, i) => {
        const found = open.find((l) => l.entryId === r.entryId && l.lineNo === r.lineNo);
        if (!found) throw new ValidationFailed({ [`bookLines.${i}`]: [`not an open (unlettered) line of ${line.bankAccount}`] });
        return found;
      });
      const total = chosen.reduce((s, l) => s.plus(l.debit).minus(l.credit), money(0));
      if (!total.eq(line.amount)) throw new ValidationFailed({ bookLines: [`the lines add up to ${formatMoney(total)}, the bank line is ${line.amount}`] });
      const [matchId] = await this.writer.write(caisseId, line.bankAccount, [
        { bankLineIds: [line.id], bookLines: chosen.map((l) => ({ entryId: l.entryId, lineNo: l.lineNo, date: l.date, amount: formatMoney(money(l.debit).minus(l.credit)) })), rule: 'manual', confidence: 1, on: line.bookedOn },
      ]);
      const after = await this.get(caisseId, lineId);
      await this.audit.record({ caisseId, action: 'reconciliation.matched', targetType: 'bank-match', targetId: matchId, after });
      return after;
    });
  }

  /** Undoes a match: the ledger takes the letter off, our lines are open again; the match row stays, marked undone. */
  async unmatch(caisseId: string, matchId: string): Promise<void> {
    return this.txHost.run(async () => {
      const [m]: { letter: string; undone_at: Date | null; rule: string }[] = await this.txHost.tx.query(
        `SELECT letter, undone_at, rule FROM bank_matches WHERE caisse_id = $1 AND id = $2 FOR UPDATE`,
        [caisseId, matchId],
      );
      if (!m) throw new NotFound('Bank match', matchId);
      if (m.undone_at) throw new Conflict('MATCH_UNDONE', 'This match was already undone.');
      const lines = await this.ledger.unletter(caisseId, m.letter);
      await this.txHost.tx.query(`UPDATE bank_statement_lines SET match_id = NULL WHERE match_id = $1`, [matchId]);
      await this.txHost.tx.query(`UPDATE bank_matches SET undone_at = now() WHERE id = $1`, [matchId]);
      await this.audit.record({ caisseId, action: 'reconciliation.unmatched', targetType: 'bank-match', targetId: matchId, before: { letter: m.letter, rule: m.rule, bookLines: lines } });
    });
  }

  /**
   * Posts what the suggestion (or the treasurer's choice) says — fee D 627 / C 512x, interest D 512x / C 768, unknown
   * D/C 471 against 512x — journal BQ, piece = the bank's reference, keyed on the bank line; then letters it.
   */
  async accept(caisseId: string, lineId: string, kind?: SuggestionKind): Promise<BankLineDto> {
    return this.txHost.run(async () => {
      const line = await this.get(caisseId, lineId, true);
      if (line.matchId) throw new Conflict('ALREADY_MATCHED', `This bank line is already matched (letter ${line.letter}).`);
      const what = kind ?? line.suggestion!;
      const amount = money(line.amount);
      if (what === 'fee' && !amount.isNegative()) throw new ValidationFailed({ kind: ['a bank fee is money out: this line is a credit'] });
      if (what === 'interest' && amount.isNegative()) throw new ValidationFailed({ kind: ['interest is money in: this line is a debit'] });
      const other = SUGGESTION_ACCOUNT[what];
      const abs = formatMoney(amount.abs());
      const bankSide = amount.isNegative() ? { account: line.bankAccount, credit: abs } : { account: line.bankAccount, debit: abs };
      const otherSide = amount.isNegative() ? { account: other, debit: abs } : { account: other, credit: abs };
      const posted = await this.ledger
        .post({
          caisseId,
          journal: 'BQ',
          date: line.bookedOn,
          label: `${what === 'fee' ? 'Frais bancaires' : what === 'interest' ? 'Intérêts' : 'En attente'} — ${line.label || line.remittance || line.reference}`.slice(0, 200),
          pieceRef: (line.reference || `RLV-${line.id.slice(0, 8)}`).slice(0, 35),
          idempotencyKey: `bank-line:${line.id}`,
          lines: amount.isNegative() ? [otherSide, bankSide] : [bankSide, otherSide],
        })
        .catch((e: unknown) => {
          if (e instanceof DomainError && e.code === 'UNKNOWN_ACCOUNT') throw new DomainError('UNKNOWN_ACCOUNT', 422, `Account ${other} is not in this caisse's chart: add it (…/chart) before accepting this suggestion.`, { errors: { kind: [`account ${other} missing from the chart`] } });
          throw e;
        });
      const bankLine = posted.entry.lines.find((l) => l.account === line.bankAccount)!;
      const [matchId] = await this.writer.write(caisseId, line.bankAccount, [
        { bankLineIds: [line.id], bookLines: [{ entryId: posted.entry.id, lineNo: bankLine.lineNo, date: posted.entry.date, amount: formatMoney(amount) }], rule: 'suggestion', confidence: 1, on: line.bookedOn },
      ]);
      const after = await this.get(caisseId, lineId);
      await this.audit.record({ caisseId, action: 'reconciliation.suggestion-accepted', targetType: 'bank-match', targetId: matchId, after: { kind: what, entryId: posted.entry.id, line: after } });
      return after;
    });
  }
}
