import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Decimal } from 'decimal.js';
import { formatMoney, money } from '../common/money/money.js';
import { TransactionHost } from '../database/transaction.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { PostingLineInput } from '../ledger/ledger.types.js';
import { monthGiftParts } from './month-gift.js';

interface LivePayment {
  id: string;
  amount: string;
  gift_part: string;
  fund: string | null;
}

/**
 * The gift part of a member's month (accounting.md: the part above the allocation "for that month, summed over all
 * the month's payments"). Every payment or reversal of the month first locks the month's row, so two payments of
 * the same member and month recorded at once see each other; the row also fixes the allocation the month is
 * measured against, so a later rule or household change does not move a gift already booked or receipted.
 */
@Injectable()
export class MonthGiftsService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly ledger: LedgerService,
  ) {}

  /** Locks the member month until the transaction ends; `threshold` is asked only on the month's first payment. */
  async lock(caisseId: string, memberId: string, period: string, threshold: () => Promise<Decimal | null>): Promise<Decimal | null> {
    const read = async () =>
      (await this.txHost.tx.query(`SELECT gift_threshold::text AS t FROM contribution_months WHERE caisse_id = $1 AND member_id = $2 AND period = $3 FOR UPDATE`, [caisseId, memberId, period]))[0] as
        | { t: string | null }
        | undefined;
    let row = await read();
    if (!row) {
      const t = await threshold();
      // A concurrent first payment makes this insert wait for it, then do nothing: both end on the same row.
      await this.txHost.tx.query(`INSERT INTO contribution_months (caisse_id, member_id, period, gift_threshold) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [
        caisseId,
        memberId,
        period,
        t === null ? null : formatMoney(t),
      ]);
      row = await read();
    }
    return row!.t === null ? null : money(row!.t);
  }

  /** Gift part of a new payment of the (locked) month: only what it brings above the allocation. */
  async giftOfNewPayment(caisseId: string, memberId: string, period: string, threshold: Decimal | null, amount: string): Promise<Decimal> {
    const live = await this.live(caisseId, memberId, period);
    const parts = monthGiftParts([...live.map((p) => money(p.amount)), money(amount)], threshold);
    return parts[parts.length - 1];
  }

  /**
   * After a reversal (or any drift), gives every live payment of the month the gift part the month rule says and
   * books the difference as one reclassification between 756 and 7541 (per fund). Null when nothing moved.
   */
  async realign(caisseId: string, memberId: string, period: string, threshold: Decimal | null, date: string, why: string): Promise<string | null> {
    const live = await this.live(caisseId, memberId, period);
    const parts = monthGiftParts(live.map((p) => money(p.amount)), threshold);
    const deltaByFund = new Map<string | null, Decimal>();
    for (const [i, p] of live.entries()) {
      const delta = parts[i].minus(p.gift_part);
      if (delta.isZero()) continue;
      await this.txHost.tx.query(`UPDATE contributions SET gift_part = $2 WHERE id = $1`, [p.id, formatMoney(parts[i])]);
      deltaByFund.set(p.fund, (deltaByFund.get(p.fund) ?? money(0)).plus(delta));
    }
    const lines: PostingLineInput[] = [];
    for (const [fund, delta] of deltaByFund) {
      if (delta.isZero()) continue;
      const [from, to] = delta.greaterThan(0) ? ['756', '7541'] : ['7541', '756'];
      lines.push({ account: from, debit: formatMoney(delta.abs()), fund: fund ?? undefined }, { account: to, credit: formatMoney(delta.abs()), fund: fund ?? undefined });
    }
    if (lines.length === 0) return null;
    const { entry } = await this.ledger.post({
      caisseId,
      journal: 'OD',
      date,
      label: `Cotisation ${period} : part en don recalculée (${why})`.slice(0, 200),
      pieceRef: `GIFT-${period}`,
      idempotencyKey: `gift-realign:${randomUUID()}`,
      lines,
    });
    return entry.id;
  }

  /** Live (not reversed) payments of the month in recording order: the order the gift parts are measured in. */
  private live(caisseId: string, memberId: string, period: string): Promise<LivePayment[]> {
    return this.txHost.tx.query(
      `SELECT id, amount::text, gift_part::text, fund FROM contributions
        WHERE caisse_id = $1 AND member_id = $2 AND period = $3 AND reversed_at IS NULL ORDER BY created_at, id`,
      [caisseId, memberId, period],
    );
  }
}
