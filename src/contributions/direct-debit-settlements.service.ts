import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { todayInFrance } from '../common/dates.js';
import { Conflict, NotFound, ValidationFailed } from '../common/errors/domain-error.js';
import { formatMoney, money } from '../common/money/money.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { PostingLineInput } from '../ledger/ledger.types.js';
import { ContributionRecorder } from './contribution-recorder.service.js';
import type { PendingDirectDebitBatch } from './contributions.types.js';
import type { BatchDto, ReturnInputDto, SettleInputDto } from './dto/direct-debit.dto.js';

interface BatchRow {
  id: string;
  message_id: string;
  status: 'built' | 'sent' | 'settled' | 'cancelled';
  built_on: string | null;
  bank_account: string;
}

/**
 * The bank side of a direct-debit batch (accounting.md): the calls sit on 411<member> until the bank settles the
 * batch (D 512 / C 411); a batch not yet sent to the bank can still be cancelled (its calls reversed); a return
 * after settlement takes the money back off 512 and the bank's reject fee goes to 627.
 */
@Injectable()
export class DirectDebitSettlements {
  constructor(
    readonly txHost: TransactionHost,
    private readonly audit: AuditService,
    private readonly ledger: LedgerService,
    private readonly recorder: ContributionRecorder,
  ) {}

  /** The file went to the bank: from now on only the bank's answer (settlement, returns) changes the batch. */
  @Transactional()
  async markSent(caisseId: string, batchId: string): Promise<void> {
    const b = await this.lock(caisseId, batchId);
    if (b.status !== 'built') throw new Conflict('BATCH_NOT_BUILT', `This batch is ${b.status}; only a batch just built can be marked as sent.`);
    await this.txHost.tx.query(`UPDATE direct_debit_batches SET status = 'sent', sent_at = now() WHERE id = $1`, [batchId]);
    await this.audit.record({ caisseId, action: 'contributions.direct-debit-batch-sent', targetType: 'direct-debit-batch', targetId: batchId });
  }

  /** The bank credited the batch: one BQ entry, D 512x (the batch's bank account) for what was not returned, C 411 per member. */
  @Transactional()
  async settle(caisseId: string, batchId: string, dto: SettleInputDto): Promise<void> {
    const b = await this.lock(caisseId, batchId);
    if (b.status === 'settled' || b.status === 'cancelled') throw new Conflict('BATCH_NOT_SETTLEABLE', `This batch is already ${b.status}.`);
    if (dto.settledOn < b.built_on!) throw new ValidationFailed({ settledOn: [`settledOn must not be before the batch was built (${b.built_on})`] });
    const items: { amount: string; receivable_account: string }[] = await this.txHost.tx.query(
      `SELECT amount::text, receivable_account FROM direct_debit_items WHERE batch_id = $1 AND returned_on IS NULL ORDER BY end_to_end_id`,
      [batchId],
    );
    let entryId: string | null = null;
    if (items.length) {
      const total = items.reduce((s, i) => s.plus(i.amount), money(0));
      const lines: PostingLineInput[] = [{ account: b.bank_account, debit: formatMoney(total) }, ...items.map((i) => ({ account: i.receivable_account, credit: i.amount }))];
      const { entry } = await this.ledger.post({ caisseId, journal: 'BQ', date: dto.settledOn, label: `Remise prélèvements ${b.message_id}`, pieceRef: b.message_id, idempotencyKey: `dd-settle:${batchId}`, lines });
      entryId = entry.id;
    }
    await this.txHost.tx.query(`UPDATE direct_debit_batches SET status = 'settled', settled_on = $2, settlement_entry_id = $3 WHERE id = $1`, [batchId, dto.settledOn, entryId]);
    await this.audit.record({ caisseId, action: 'contributions.direct-debit-batch-settled', targetType: 'direct-debit-batch', targetId: batchId, after: { settledOn: dto.settledOn, entryId } });
  }

  /** Built or sent batches of a bank account, not settled nor cancelled, with what the bank will credit. */
  async pending(caisseId: string, bankAccount: string): Promise<PendingDirectDebitBatch[]> {
    const rows: { id: string; message_id: string; bank_account: string; built_on: string; total: string; e2e: string[] }[] = await this.txHost.tx.query(
      `SELECT b.id, b.message_id, b.bank_account, to_char(b.built_on, 'YYYY-MM-DD') AS built_on, sum(i.amount)::text AS total, array_agg(i.end_to_end_id ORDER BY i.end_to_end_id) AS e2e
         FROM direct_debit_batches b JOIN direct_debit_items i ON i.batch_id = b.id AND i.returned_on IS NULL
        WHERE b.caisse_id = $1 AND b.bank_account = $2 AND b.status IN ('built', 'sent') AND b.built_on IS NOT NULL
        GROUP BY b.id ORDER BY b.message_id`,
      [caisseId, bankAccount],
    );
    return rows.map((r) => ({ id: r.id, messageId: r.message_id, bankAccount: r.bank_account, builtOn: r.built_on, total: formatMoney(r.total), endToEndIds: r.e2e }));
  }

  /** settle() for the bank statement line that credited the batch; returns the settlement entry (null: nothing left to settle). */
  @Transactional()
  async settleFromBank(caisseId: string, batchId: string, settledOn: string): Promise<string | null> {
    await this.settle(caisseId, batchId, { settledOn });
    const [row]: { settlement_entry_id: string | null }[] = await this.txHost.tx.query(`SELECT settlement_entry_id FROM direct_debit_batches WHERE id = $1`, [batchId]);
    return row.settlement_entry_id;
  }

  /** A batch never sent: its calls are reversed, its first debits stay first debits, nothing reached the bank. */
  @Transactional()
  async cancel(caisseId: string, batchId: string): Promise<void> {
    const b = await this.lock(caisseId, batchId);
    if (b.status !== 'built') throw new Conflict('BATCH_NOT_CANCELLABLE', `This batch is ${b.status}: only a batch not yet sent to the bank can be cancelled.`);
    const items: { contribution_id: string; mandate_id: string; sequence_type: string }[] = await this.txHost.tx.query(
      `SELECT contribution_id, mandate_id, sequence_type FROM direct_debit_items WHERE batch_id = $1 AND returned_on IS NULL ORDER BY end_to_end_id`,
      [batchId],
    );
    for (const i of items) {
      await this.recorder.reverse(caisseId, i.contribution_id, `Lot de prélèvements ${b.message_id} annulé`, todayInFrance());
      if (i.sequence_type === 'FRST') await this.txHost.tx.query(`UPDATE sepa_mandates SET first_collected = false WHERE id = $1`, [i.mandate_id]);
    }
    await this.txHost.tx.query(`UPDATE direct_debit_batches SET status = 'cancelled', cancelled_at = now() WHERE id = $1`, [batchId]);
    await this.audit.record({ caisseId, action: 'contributions.direct-debit-batch-cancelled', targetType: 'direct-debit-batch', targetId: batchId, after: { reversed: items.length } });
  }

  /**
   * The bank side of a return, once its call is reversed: after settlement the money leaves 512 again (D 411 /
   * C 512, clearing what the reversal left on 411); the reject fee is a bank charge (D 627 / C 512). Null: nothing to post.
   */
  async returnedMoney(caisseId: string, batch: BatchDto, item: { id: string; amount: string; receivable_account: string | null }, dto: ReturnInputDto): Promise<string | null> {
    const settledThrough411 = batch.status === 'settled' && item.receivable_account !== null && batch.settlementEntryId !== null;
    const fee = money(dto.fee ?? '0');
    const lines: PostingLineInput[] = [];
    if (settledThrough411) lines.push({ account: item.receivable_account!, debit: item.amount });
    if (fee.gt(0)) lines.push({ account: '627', debit: formatMoney(fee) });
    if (!lines.length) return null;
    const [{ bank_account: bank }]: { bank_account: string }[] = await this.txHost.tx.query(`SELECT bank_account FROM direct_debit_batches WHERE id = $1`, [batch.id]);
    lines.push({ account: bank, credit: formatMoney(money(settledThrough411 ? item.amount : 0).plus(fee)) });
    const { entry } = await this.ledger.post({
      caisseId,
      journal: 'BQ',
      date: dto.returnedOn,
      label: `Retour prélèvement ${dto.reasonCode} ${dto.endToEndId}`,
      pieceRef: batch.messageId,
      idempotencyKey: `dd-return:${item.id}`,
      lines,
    });
    return entry.id;
  }

  private async lock(caisseId: string, batchId: string): Promise<BatchRow> {
    const [b]: BatchRow[] = await this.txHost.tx.query(
      `SELECT id, message_id, status, to_char(built_on, 'YYYY-MM-DD') AS built_on, bank_account FROM direct_debit_batches WHERE caisse_id = $1 AND id = $2 FOR UPDATE`,
      [caisseId, batchId],
    );
    if (!b) throw new NotFound('Direct-debit batch', batchId);
    // Batches built before calls went through 411 were posted on 512 at once: they have nothing to settle or cancel.
    if (b.built_on === null) throw new Conflict('BATCH_POSTED_ON_BANK', 'This batch was posted straight to the bank (before calls went through 411).');
    return b;
  }
}
