import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { todayInFrance } from '../common/dates.js';
import { ValidationFailed } from '../common/errors/domain-error.js';
import { canonicalJson } from '../common/idempotency/idempotency.service.js';
import { formatMoney, money } from '../common/money/money.js';
import type { TerminalPrincipal } from '../common/request-context/principal.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { CreateRefundDto, RefundDto } from './dto/refund.dto.js';
import { PurchaseSettingsService } from './purchase-settings.service.js';
import { outletOf } from './purchase-outlet.js';
import { idempotencyConflict, PurchaseNotFound, RefundNotAllowed } from './purchases.errors.js';

interface RefundRow {
  id: string;
  purchase_id: string;
  amount: string;
  reason: string;
  entry_id: string;
  created_at: Date;
  request_hash: string;
}

const toDto = (r: RefundRow): RefundDto => ({ id: r.id, purchaseId: r.purchase_id, amount: formatMoney(r.amount), reason: r.reason, entryId: r.entry_id, createdAt: r.created_at.toISOString() });

/**
 * Refunds by the outlet that sold, within the caisse's window, never more in total than the wallet paid (D 401 / C 4671).
 * The purchase row is locked first, so concurrent refunds of one purchase are checked one after the other.
 */
@Injectable()
export class RefundsService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly ledger: LedgerService,
    private readonly settings: PurchaseSettingsService,
  ) {}

  @Transactional()
  async refund(terminal: TerminalPrincipal, caisseId: string, purchaseId: string, key: string, dto: CreateRefundDto): Promise<{ refund: RefundDto; replayed: boolean }> {
    const outletId = outletOf(terminal);
    if (money(dto.amount).lte(0)) throw new ValidationFailed({ amount: ['amount must be above 0'] });
    const tx = this.txHost.tx;
    const hash = createHash('sha256').update(canonicalJson({ purchaseId, ...dto })).digest('hex');
    const [p]: { id: string; outlet_id: string; covered: string; entry_id: string; created_at: Date }[] = await tx.query(
      `SELECT id, outlet_id, covered::text, entry_id, created_at FROM purchases WHERE id = $1 AND caisse_id = $2 FOR UPDATE`,
      [purchaseId, caisseId],
    );
    if (!p) throw new PurchaseNotFound(purchaseId);
    const [stored]: RefundRow[] = await tx.query(`SELECT * FROM purchase_refunds WHERE caisse_id = $1 AND idempotency_key = $2`, [caisseId, key]);
    if (stored) {
      if (stored.request_hash !== hash) throw idempotencyConflict();
      return { refund: toDto(stored), replayed: true };
    }
    if (p.outlet_id !== outletId) throw new RefundNotAllowed('REFUND_WRONG_OUTLET', 403, 'Only the outlet where the purchase was made can refund it.');
    const { refundWindowDays } = await this.settings.get(caisseId);
    if (Date.now() > p.created_at.getTime() + refundWindowDays * 86_400_000) {
      throw new RefundNotAllowed('REFUND_WINDOW_CLOSED', 409, `Purchases can be refunded for ${refundWindowDays} day(s) only.`, { refundWindowDays });
    }
    const [{ refunded }]: { refunded: string }[] = await tx.query(`SELECT coalesce(sum(amount), 0)::text AS refunded FROM purchase_refunds WHERE purchase_id = $1`, [purchaseId]);
    const left = money(p.covered).minus(refunded);
    if (money(dto.amount).gt(left)) {
      throw new RefundNotAllowed('REFUND_EXCEEDS_COVERED', 409, `At most ${formatMoney(left)} can still be refunded on this purchase.`, {
        refundable: formatMoney(left),
        errors: { amount: [`amount must not exceed ${formatMoney(left)}`] },
      });
    }
    const original = await this.ledger.entry(caisseId, p.entry_id);
    const wallet = original.lines.find((l) => money(l.debit).gt(0))!.account;
    const payable = original.lines.find((l) => money(l.credit).gt(0))!.account;
    const amount = formatMoney(dto.amount);
    const { entry } = await this.ledger.post({
      caisseId,
      journal: 'ACH',
      date: todayInFrance(),
      label: `Remboursement : ${dto.reason}`.slice(0, 200),
      pieceRef: original.pieceRef,
      idempotencyKey: `refund:${hash.slice(0, 40)}:${createHash('sha256').update(key).digest('hex').slice(0, 40)}`,
      lines: [
        { account: payable, debit: amount },
        { account: wallet, credit: amount },
      ],
    });
    const [row]: RefundRow[] = await tx.query(
      `INSERT INTO purchase_refunds (caisse_id, purchase_id, idempotency_key, request_hash, amount, reason, entry_id) VALUES ($1, $2, $3, $4, $5, $6, $7)
       RETURNING id, purchase_id, amount::text, reason, entry_id, created_at, request_hash`,
      [caisseId, purchaseId, key, hash, amount, dto.reason, entry.id],
    );
    return { refund: toDto(row), replayed: false };
  }
}
