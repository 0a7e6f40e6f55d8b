import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { todayInFrance } from '../common/dates.js';
import { Conflict, NotFound, ValidationFailed } from '../common/errors/domain-error.js';
import { formatMoney, money } from '../common/money/money.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { ContributionRecorder } from './contribution-recorder.service.js';
import { DirectDebitSettlements } from './direct-debit-settlements.service.js';
import type { BatchDto, BatchInputDto, BatchItemDto, ReturnInputDto } from './dto/direct-debit.dto.js';
import { MandatesService } from './mandates.service.js';
import { MemberDuesService } from './member-dues.service.js';
import { buildPain008, type DirectDebitLine } from './pain008.js';
import { collectionDateError } from './target2.js';

/** Returns that mean the mandate cannot be used again (closed account, no or revoked mandate, deceased debtor). */
const REVOKING_REASONS = new Set(['AC01', 'AC04', 'AC06', 'MD01', 'MD07']);

/**
 * SEPA Core direct-debit batches. Building a batch calls each member's dues the day it is built (D 411<member> /
 * C 756, gift part by the month rule): the money is owed, not yet in the bank. The bank's settlement moves it to 512
 * (DirectDebitSettlements); an R-transaction reverses the call and flags the member's mandate, so the month shows
 * as due again.
 */
@Injectable()
export class DirectDebitService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly audit: AuditService,
    private readonly mandates: MandatesService,
    private readonly dues: MemberDuesService,
    private readonly recorder: ContributionRecorder,
    private readonly settlements: DirectDebitSettlements,
    private readonly ledger: LedgerService,
  ) {}

  @Transactional()
  async createBatch(caisseId: string, dto: BatchInputDto): Promise<BatchDto> {
    const settings = await this.mandates.settings(caisseId);
    if (!settings) throw new Conflict('DIRECT_DEBIT_NOT_CONFIGURED', 'Set the creditor identifier (ICS) and account of the caisse first.');
    const builtOn = todayInFrance();
    const dateError = collectionDateError(dto.collectionDate, builtOn);
    if (dateError) throw new ValidationFailed({ collectionDate: [dateError] });
    // Serialises batch creation per caisse: message ids are numbered, and a mandate's FRST must be sent once.
    await this.txHost.tx.query(`SELECT 1 FROM contribution_settings WHERE caisse_id = $1 FOR UPDATE`, [caisseId]);
    const [{ n }] = await this.txHost.tx.query(
      `SELECT count(*)::int + 1 AS n FROM direct_debit_batches WHERE caisse_id = $1 AND period = $2`,
      [caisseId, dto.period],
    );
    const messageId = `DD-${dto.period}-${String(n).padStart(4, '0')}`;
    // The account the bank will credit on settlement, and whose IBAN and ICS the file names.
    const bank = await this.ledger.bankAccount(caisseId, dto.bankAccount);
    const mandates = await this.mandates.activeForUpdate(caisseId);
    const statuses = new Map((await this.dues.statusFor(caisseId, dto.period)).map((s) => [s.memberId, s]));
    const lines: (DirectDebitLine & { memberId: string; mandateRowId: string })[] = [];
    for (const m of mandates) {
      const s = statuses.get(m.member_id);
      if (!s || s.status === 'paid' || s.status === 'waived') continue;
      const amount = money(s.due).minus(s.paid);
      if (amount.lessThanOrEqualTo(0)) continue;
      lines.push({
        memberId: m.member_id,
        mandateRowId: m.id,
        endToEndId: `${messageId}-${String(lines.length + 1).padStart(5, '0')}`,
        amount: formatMoney(amount),
        sequenceType: m.first_collected ? 'RCUR' : 'FRST',
        mandateId: m.reference,
        mandateSignedOn: m.signed_on,
        debtorName: m.debtor_name,
        debtorIban: m.iban,
        debtorBic: m.bic,
        remittance: `Cotisation ${dto.period}`,
      });
    }
    if (lines.length === 0) throw new Conflict('NOTHING_TO_COLLECT', `No member with a mandate owes anything for ${dto.period}.`);
    const xml = buildPain008({
      messageId,
      createdAt: new Date(),
      collectionDate: dto.collectionDate,
      // The bank account's own IBAN and ICS when it has them; a caisse's historical 512 keeps the direct-debit settings.
      creditor: bank.iban
        ? { name: settings.creditorName, iban: bank.iban, bic: bank.bic, creditorId: bank.creditorId ?? settings.creditorId }
        : { name: settings.creditorName, iban: settings.creditorIban, bic: settings.creditorBic, creditorId: settings.creditorId },
      lines,
    });
    const total = lines.reduce((sum, l) => sum.plus(l.amount), money(0));
    const [{ id }] = await this.txHost.tx.query(
      `INSERT INTO direct_debit_batches (caisse_id, message_id, period, collection_date, transactions, control_sum, xml, built_on, bank_account) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [caisseId, messageId, dto.period, dto.collectionDate, lines.length, formatMoney(total), xml, builtOn, bank.account],
    );
    for (const l of lines) {
      const contribution = await this.recorder.record(caisseId, { memberId: l.memberId, amount: l.amount, period: dto.period, method: 'direct-debit', receivedOn: dto.collectionDate }, { calledOn: builtOn });
      const [{ account: receivable }] = await this.txHost.tx.query(
        `SELECT a.code AS account FROM journal_lines jl JOIN ledger_accounts a ON a.id = jl.account_id WHERE jl.entry_id = $1 AND a.code LIKE '411-%' LIMIT 1`,
        [contribution.entryId],
      );
      await this.txHost.tx.query(
        `INSERT INTO direct_debit_items (batch_id, mandate_id, member_id, end_to_end_id, sequence_type, amount, contribution_id, receivable_account) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [id, l.mandateRowId, l.memberId, l.endToEndId, l.sequenceType, l.amount, contribution.id, receivable],
      );
      if (l.sequenceType === 'FRST') await this.txHost.tx.query(`UPDATE sepa_mandates SET first_collected = true WHERE id = $1`, [l.mandateRowId]);
    }
    const batch = await this.get(caisseId, id);
    await this.audit.record({ caisseId, action: 'contributions.direct-debit-batch-created', targetType: 'direct-debit-batch', targetId: id, after: batch });
    return batch;
  }

  async get(caisseId: string, id: string): Promise<BatchDto> {
    const [b] = await this.txHost.tx.query(
      `SELECT id, message_id, period, to_char(collection_date, 'YYYY-MM-DD') AS collection_date, transactions, control_sum::text, status,
              to_char(built_on, 'YYYY-MM-DD') AS built_on, sent_at, to_char(settled_on, 'YYYY-MM-DD') AS settled_on, settlement_entry_id
         FROM direct_debit_batches WHERE caisse_id = $1 AND id = $2`,
      [caisseId, id],
    );
    if (!b) throw new NotFound('Direct-debit batch', id);
    const items: BatchItemDto[] = (
      await this.txHost.tx.query(
        `SELECT member_id, end_to_end_id, sequence_type, amount::text, contribution_id, to_char(returned_on, 'YYYY-MM-DD') AS returned_on, return_reason,
                fee::text, return_entry_id
           FROM direct_debit_items WHERE batch_id = $1 ORDER BY end_to_end_id`,
        [id],
      )
    ).map((i: Record<string, string | null>) => ({
      memberId: i.member_id!,
      endToEndId: i.end_to_end_id!,
      sequenceType: i.sequence_type!,
      amount: i.amount!,
      contributionId: i.contribution_id!,
      returnedOn: i.returned_on,
      returnReason: i.return_reason,
      returnFee: i.fee,
      returnEntryId: i.return_entry_id,
    }));
    return {
      id: b.id,
      messageId: b.message_id,
      period: b.period,
      collectionDate: b.collection_date,
      transactions: b.transactions,
      controlSum: b.control_sum,
      status: b.status,
      builtOn: b.built_on,
      sentAt: b.sent_at ? (b.sent_at as Date).toISOString() : null,
      settledOn: b.settled_on,
      settlementEntryId: b.settlement_entry_id,
      items,
    };
  }

  async xml(caisseId: string, id: string): Promise<{ messageId: string; xml: string }> {
    const [b] = await this.txHost.tx.query(`SELECT message_id, xml FROM direct_debit_batches WHERE caisse_id = $1 AND id = $2`, [caisseId, id]);
    if (!b) throw new NotFound('Direct-debit batch', id);
    return { messageId: b.message_id, xml: b.xml };
  }

  /**
   * A return, reject or refund (R-transaction): reverses the call (D 756 / C 411), gives the money back on 512 when
   * the batch was already settled, books the bank's reject fee on 627, and flags the member's mandate.
   */
  @Transactional()
  async recordReturn(caisseId: string, batchId: string, dto: ReturnInputDto): Promise<BatchDto> {
    // The batch row is locked first, as settle and cancel do: a return decided on a stale status would skip the
    // money coming back off 512 while a concurrent settlement still counts the item as collected.
    await this.txHost.tx.query(`SELECT id FROM direct_debit_batches WHERE caisse_id = $1 AND id = $2 FOR UPDATE`, [caisseId, batchId]);
    const batch0 = await this.get(caisseId, batchId);
    if (batch0.status === 'cancelled') throw new Conflict('BATCH_CANCELLED', 'This batch was cancelled: nothing of it reached the bank.');
    const [item] = await this.txHost.tx.query(
      `SELECT id, mandate_id, member_id, sequence_type, contribution_id, returned_on, amount::text, receivable_account FROM direct_debit_items WHERE batch_id = $1 AND end_to_end_id = $2 FOR UPDATE`,
      [batchId, dto.endToEndId],
    );
    if (!item) throw new ValidationFailed({ endToEndId: ['no transaction of this batch has this EndToEndId'] });
    if (item.returned_on) throw new Conflict('ALREADY_RETURNED', 'This transaction was already marked as returned.');
    await this.recorder.reverse(caisseId, item.contribution_id, `Retour prélèvement ${dto.reasonCode} ${dto.endToEndId}`, dto.returnedOn);
    const moneyBack = await this.settlements.returnedMoney(caisseId, batch0, item, dto);
    await this.txHost.tx.query(`UPDATE direct_debit_items SET returned_on = $2, return_reason = $3, fee = $4, return_entry_id = $5 WHERE id = $1`, [
      item.id,
      dto.returnedOn,
      dto.reasonCode,
      dto.fee ?? null,
      moneyBack,
    ]);
    // A returned first debit was never a first collection: the next one is FRST again.
    await this.txHost.tx.query(
      `UPDATE sepa_mandates SET flagged_at = now(), flag_reason = $2,
              first_collected = CASE WHEN $3 = 'FRST' THEN false ELSE first_collected END,
              revoked_on = CASE WHEN $4 THEN $5::date ELSE revoked_on END
        WHERE id = $1`,
      [item.mandate_id, `${dto.reasonCode} on ${dto.endToEndId}`, item.sequence_type, REVOKING_REASONS.has(dto.reasonCode), dto.returnedOn],
    );
    const batch = await this.get(caisseId, batchId);
    await this.audit.record({ caisseId, action: 'contributions.direct-debit-returned', targetType: 'member', targetId: item.member_id, after: { batchId, ...dto } });
    return batch;
  }
}
