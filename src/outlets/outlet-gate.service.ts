import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction.js';
import type { OutletStatus } from './outlet-lifecycle.js';
import { acceptingCondition, statusColumns, statusJoin } from './outlet-status.sql.js';
import { OutletNotAccepting, OutletNotFound } from './outlets.errors.js';

export interface OutletStanding {
  outletId: string;
  caisseId: string;
  name: string;
  accountCode: string;
  /** null before the outlet was registered. */
  status: OutletStatus | null;
  since: Date | null;
  accepting: boolean;
  reviewOn: string | null;
  validUntil: string | null;
}

interface StandingRow {
  id: string;
  caisse_id: string;
  name: string;
  account_code: string;
  status: OutletStatus | null;
  status_since: Date | null;
  accepting: boolean;
  review_on: string | null;
  valid_until: string | null;
}

/**
 * The purchase gate. One indexed query per call, inside the caller's transaction when there is one, and no cache
 * of any kind: a suspension or revocation is refused by every app instance from its effective instant, to the
 * millisecond (a step effective at 14:00 refuses at 14:00:00.000 and accepts at 13:59:59.999).
 */
@Injectable()
export class OutletGate {
  constructor(readonly txHost: TransactionHost) {}

  async standingAt(caisseId: string | undefined, outletId: string, at: Date): Promise<OutletStanding> {
    const rows: StandingRow[] = await this.txHost.tx.query(
      `SELECT o.id, o.caisse_id, o.name, o.account_code, ${statusColumns('$3::timestamptz')},
              coalesce(${acceptingCondition('$3::timestamptz')}, false) AS accepting,
              st.review_on::text AS review_on, st.valid_until::text AS valid_until
         FROM outlets o
         ${statusJoin('o.id', '$3::timestamptz')}
        WHERE o.id = $1 AND ($2::uuid IS NULL OR o.caisse_id = $2::uuid)`,
      [outletId, caisseId ?? null, at],
    );
    const r = rows[0];
    if (!r) throw new OutletNotFound(outletId);
    return {
      outletId: r.id,
      caisseId: r.caisse_id,
      name: r.name,
      accountCode: r.account_code,
      status: r.status,
      since: r.status_since,
      accepting: r.accepting,
      reviewOn: r.review_on,
      validUntil: r.valid_until,
    };
  }

  async assertCanAccept(caisseId: string | undefined, outletId: string, at: Date): Promise<OutletStanding> {
    const standing = await this.standingAt(caisseId, outletId, at);
    if (!standing.accepting) throw new OutletNotAccepting(outletId, standing.status, standing.since, at);
    return standing;
  }
}
