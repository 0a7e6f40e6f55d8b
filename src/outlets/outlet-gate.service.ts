import { Injectable } from '@nestjs/common';
import { CoalescingReader } from '../database/coalescing-reader.js';
import { TransactionHost } from '../database/transaction.js';
import type { OutletStatus } from './outlet-lifecycle.js';
import { acceptingCondition, statusColumns, statusJoin } from './outlet-status.sql.js';
import { OutletNotAccepting, OutletNotFound } from './outlets.errors.js';
import { hot } from '../database/prepared.js';

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
  n: string;
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
 * The purchase gate. One indexed probe per outlet, inside the caller's transaction when there is one, and no cache
 * of any kind: a suspension or revocation is refused by every app instance from its effective instant, to the
 * millisecond (a step effective at 14:00 refuses at 14:00:00.000 and accepts at 13:59:59.999). Concurrent checks
 * outside a transaction share one query (each at its own instant).
 */
@Injectable()
export class OutletGate {
  private readonly reader: CoalescingReader<{ outletId: string; at: Date }, StandingRow | undefined>;

  constructor(readonly txHost: TransactionHost) {
    this.reader = new CoalescingReader(txHost, (caisse, keys) => this.read(caisse || undefined, keys));
  }

  async standingAt(caisseId: string | undefined, outletId: string, at: Date): Promise<OutletStanding> {
    const r = await this.reader.load(caisseId ?? '', { outletId, at });
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

  private async read(caisseId: string | undefined, keys: { outletId: string; at: Date }[]): Promise<(StandingRow | undefined)[]> {
    const rows: StandingRow[] = await this.txHost.tx.query(
      hot(`SELECT q.n::text AS n, o.id, o.caisse_id, o.name, o.account_code, ${statusColumns('q.at')},
              coalesce(${acceptingCondition('q.at')}, false) AS accepting,
              st.review_on::text AS review_on, st.valid_until::text AS valid_until
         FROM unnest($1::uuid[], $2::timestamptz[]) WITH ORDINALITY AS q(outlet_id, at, n)
         JOIN outlets o ON o.id = q.outlet_id AND ($3::uuid IS NULL OR o.caisse_id = $3::uuid)
         ${statusJoin('o.id', 'q.at')}`),
      [keys.map((k) => k.outletId), keys.map((k) => k.at), caisseId ?? null],
    );
    const byOrdinal = new Map(rows.map((r) => [Number(r.n), r]));
    return keys.map((_, i) => byOrdinal.get(i + 1));
  }

  async assertCanAccept(caisseId: string | undefined, outletId: string, at: Date): Promise<OutletStanding> {
    const standing = await this.standingAt(caisseId, outletId, at);
    if (!standing.accepting) throw new OutletNotAccepting(outletId, standing.status, standing.since, at);
    return standing;
  }
}
