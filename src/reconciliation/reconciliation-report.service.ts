import { Injectable } from '@nestjs/common';
import { NotFound, ValidationFailed } from '../common/errors/domain-error.js';
import { formatMoney, money } from '../common/money/money.js';
import { TransactionHost } from '../database/transaction.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { ContributionsService } from '../contributions/contributions.service.js';
import type { ReconciliationDto } from './dto/reconciliation.dto.js';

/**
 * The rapprochement bancaire at a date: the bank's balance (last statement), the books' 512x balance, and the items
 * on either side not yet explained by the other at that date. difference = bank − book; explained = Σ bank items
 * not in the books − Σ book items not at the bank; the account is reconciled to that date when nothing is left.
 */
@Injectable()
export class ReconciliationReport {
  constructor(
    private readonly txHost: TransactionHost,
    private readonly ledger: LedgerService,
    private readonly contributions: ContributionsService,
  ) {}

  async at(caisseId: string, bankAccount: string, asOf: string): Promise<ReconciliationDto> {
    return this.txHost.run(async () => {
      const tx = this.txHost.tx;
      const banks = await this.ledger.bankAccounts(caisseId);
      if (!banks.some((b) => b.account === bankAccount)) throw new ValidationFailed({ bankAccount: [`${bankAccount} is not a bank account of this caisse`] });
      const [stmt]: { id: string; opening: string; to_date: string }[] = await tx.query(
        `SELECT id, opening::text, to_char(to_date, 'YYYY-MM-DD') AS to_date FROM bank_statements
          WHERE caisse_id = $1 AND bank_account = $2 AND from_date <= $3 ORDER BY to_date DESC, imported_at DESC LIMIT 1`,
        [caisseId, bankAccount, asOf],
      );
      if (!stmt) throw new NotFound(`Bank statement of ${bankAccount} on or before ${asOf}`);
      const [{ moved }]: { moved: string }[] = await tx.query(
        `SELECT coalesce(sum(amount), 0)::text AS moved FROM bank_statement_lines WHERE statement_id = $1 AND booked_on <= $2`,
        [stmt.id, asOf],
      );
      const bankBalance = money(stmt.opening).plus(moved);
      // An item is outstanding at asOf when nothing explains it, or when what explains it is dated after asOf.
      const bankItems: { id: string; booked_on: string; amount: string; label: string; reference: string }[] = await tx.query(
        `SELECT s.id, to_char(s.booked_on, 'YYYY-MM-DD') AS booked_on, s.amount::text, s.label, s.reference FROM bank_statement_lines s
          WHERE s.caisse_id = $1 AND s.bank_account = $2 AND s.booked_on <= $3
            AND (s.match_id IS NULL OR EXISTS (SELECT 1 FROM bank_match_book_lines b WHERE b.match_id = s.match_id AND b.book_date > $3))
          ORDER BY s.booked_on, s.line_no`,
        [caisseId, bankAccount, asOf],
      );
      const lettered: { entry_id: string; line_no: number }[] = await tx.query(
        `SELECT b.entry_id, b.line_no FROM bank_match_book_lines b JOIN bank_matches m ON m.id = b.match_id AND m.undone_at IS NULL
          WHERE m.caisse_id = $1 AND m.bank_account = $2
            AND NOT EXISTS (SELECT 1 FROM bank_statement_lines s WHERE s.match_id = m.id AND s.booked_on > $3)`,
        [caisseId, bankAccount, asOf],
      );
      const explainedBook = new Set(lettered.map((l) => `${l.entry_id}:${Number(l.line_no)}`));
      const book = await this.ledger.bookLines(caisseId, bankAccount, { until: asOf });
      const bookBalance = book.reduce((s, l) => s.plus(l.debit).minus(l.credit), money(0));
      const bookItems = book.filter((l) => !explainedBook.has(`${l.entryId}:${l.lineNo}`));
      const bankSum = bankItems.reduce((s, l) => s.plus(l.amount), money(0));
      const bookSum = bookItems.reduce((s, l) => s.plus(l.debit).minus(l.credit), money(0));
      const difference = bankBalance.minus(bookBalance);
      const unexplained = difference.minus(bankSum).plus(bookSum);
      // Book items in transit (a cheque not yet cashed) are normal at any date; a bank line the books do not hold yet is not.
      const reconciled = unexplained.isZero() && bankItems.length === 0;
      const pending = await this.contributions.pendingDirectDebitBatches(caisseId, bankAccount);
      return {
        bankAccount,
        asOf,
        bankBalance: formatMoney(bankBalance),
        bookBalance: formatMoney(bookBalance),
        difference: formatMoney(difference),
        explained: formatMoney(bankSum.minus(bookSum)),
        unexplained: formatMoney(unexplained),
        reconciled,
        reconciledTo: reconciled ? asOf : null,
        unmatchedBank: bankItems.map((l) => ({ id: l.id, date: l.booked_on, amount: formatMoney(l.amount), label: l.label || l.reference })),
        unmatchedBook: bookItems.map((l) => ({ entryId: l.entryId, lineNo: l.lineNo, date: l.date, amount: formatMoney(money(l.debit).minus(l.credit)), label: l.label, pieceRef: l.pieceRef })),
        expected: pending.map((b) => ({ kind: 'direct-debit-batch', reference: b.messageId, amount: b.total })),
        matchedBankLines: (await tx.query(`SELECT count(*)::int AS n FROM bank_statement_lines WHERE caisse_id = $1 AND bank_account = $2 AND booked_on <= $3 AND match_id IS NOT NULL`, [caisseId, bankAccount, asOf]))[0].n,
      };
    });
  }
}
