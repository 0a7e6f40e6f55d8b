import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction.js';
import type { MemberLastPurchase, OutletMonthSpending } from './purchases.types.js';

/** [from, to] as French days: from 00:00 of `from` to 24:00 of `to`, Europe/Paris. */
const between = (column: string) =>
  `${column} >= ($2::date::timestamp AT TIME ZONE 'Europe/Paris') AND ${column} < (($3::date + 1)::timestamp AT TIME ZONE 'Europe/Paris')`;
const month = (column: string) => `to_char(${column} AT TIME ZONE 'Europe/Paris', 'YYYY-MM')`;

/** Set-based reads of what members spent where, for the spending report (one statement each, any volume). */
@Injectable()
export class PurchaseSpendingService {
  constructor(readonly txHost: TransactionHost) {}

  async byOutletMonth(caisseId: string, from: string, to: string): Promise<OutletMonthSpending[]> {
    const rows: { outlet_id: string; month: string; purchases: number; amount: string; covered: string; refunded: string }[] = await this.txHost.tx.query(
      `WITH p AS (
         SELECT outlet_id, ${month('created_at')} AS month, count(*)::int AS purchases, sum(amount) AS amount, sum(covered) AS covered
           FROM purchases WHERE caisse_id = $1 AND ${between('created_at')} GROUP BY 1, 2
       ), r AS (
         SELECT p.outlet_id, ${month('r.created_at')} AS month, sum(r.amount) AS refunded
           FROM purchase_refunds r JOIN purchases p ON p.id = r.purchase_id
          WHERE r.caisse_id = $1 AND ${between('r.created_at')} GROUP BY 1, 2
       )
       SELECT coalesce(p.outlet_id, r.outlet_id) AS outlet_id, coalesce(p.month, r.month) AS month, coalesce(p.purchases, 0) AS purchases,
              coalesce(p.amount, 0)::text AS amount, coalesce(p.covered, 0)::text AS covered, coalesce(r.refunded, 0)::text AS refunded
         FROM p FULL JOIN r ON r.outlet_id = p.outlet_id AND r.month = p.month
        ORDER BY 2, 1`,
      [caisseId, from, to],
    );
    return rows.map((r) => ({ outletId: r.outlet_id, month: r.month, purchases: r.purchases, amount: r.amount, covered: r.covered, refunded: r.refunded }));
  }

  async lastPurchases(caisseId: string, to: string): Promise<MemberLastPurchase[]> {
    const rows: { member_id: string; last_on: string }[] = await this.txHost.tx.query(
      `SELECT member_id, to_char(max(created_at) AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD') AS last_on
         FROM purchases WHERE caisse_id = $1 AND created_at < (($2::date + 1)::timestamp AT TIME ZONE 'Europe/Paris')
        GROUP BY member_id`,
      [caisseId, to],
    );
    return rows.map((r) => ({ memberId: r.member_id, lastOn: r.last_on }));
  }
}
