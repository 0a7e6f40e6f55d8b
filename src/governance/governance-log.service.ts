import { Injectable } from '@nestjs/common';
import { ReadReplica } from '../database/read-replica.js';
import { TransactionHost } from '../database/transaction.js';
import { type ChainCheck, eventHash, GENESIS_HASH, type LogEvent, verifyChain } from './log-hash.js';

interface LogRow {
  seq: number;
  kind: string;
  payload: unknown;
  recorded_at: Date;
  prev_hash: string;
  hash: string;
}

export type PublishedEvent = LogEvent & { hash: string };

const toEvent = (r: LogRow): PublishedEvent => ({ seq: r.seq, kind: r.kind, payload: r.payload, recordedAt: r.recorded_at.toISOString(), prevHash: r.prev_hash, hash: r.hash });

/**
 * The public, append-only, hash-chained log of governance events of a caisse. Appends join the caller's
 * transaction and are serialised per caisse by an advisory lock, so the chain never forks. Secret ballots are
 * never logged one by one: only what the register publishes (participation counts, tallies at close). Its public
 * reads (list, verify) may come from the replica: a chain a few seconds behind still verifies.
 */
@Injectable()
export class GovernanceLogService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly replica: ReadReplica,
  ) {}

  async append(caisseId: string, kind: string, payload: Record<string, unknown>): Promise<void> {
    const tx = this.txHost.tx;
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('governance_log:' || $1))`, [caisseId]);
    const [last]: { seq: number; hash: string }[] = await tx.query(`SELECT seq, hash FROM governance_log WHERE caisse_id = $1 ORDER BY seq DESC LIMIT 1`, [caisseId]);
    // Millisecond precision, as the ISO string that is hashed and published.
    const [{ now }]: { now: Date }[] = await tx.query(`SELECT date_trunc('milliseconds', clock_timestamp()) AS now`);
    const event: LogEvent = { seq: (last?.seq ?? 0) + 1, kind, payload: JSON.parse(JSON.stringify(payload)), recordedAt: now.toISOString(), prevHash: last?.hash ?? GENESIS_HASH };
    await tx.query(`INSERT INTO governance_log (caisse_id, seq, kind, payload, recorded_at, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      caisseId, event.seq, kind, JSON.stringify(event.payload), now, event.prevHash, eventHash(event),
    ]);
  }

  async list(caisseId: string, afterSeq = 0, limit = 200): Promise<PublishedEvent[]> {
    const rows = await this.replica.query<LogRow>(
      `SELECT seq, kind, payload, recorded_at, prev_hash, hash FROM governance_log WHERE caisse_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [caisseId, afterSeq, limit],
    );
    return rows.map(toEvent);
  }

  /** The event that recorded a decision's close (tally, tie-break, published ballots), if it closed. */
  async closeEvent(caisseId: string, decisionId: string): Promise<PublishedEvent | undefined> {
    const [row]: LogRow[] = await this.txHost.tx.query(
      `SELECT seq, kind, payload, recorded_at, prev_hash, hash FROM governance_log
        WHERE caisse_id = $1 AND kind = 'decision.closed' AND payload->>'decisionId' = $2 ORDER BY seq DESC LIMIT 1`,
      [caisseId, decisionId],
    );
    return row && toEvent(row);
  }

  async verify(caisseId: string): Promise<ChainCheck> {
    const rows = await this.replica.query<LogRow>(`SELECT seq, kind, payload, recorded_at, prev_hash, hash FROM governance_log WHERE caisse_id = $1 ORDER BY seq`, [caisseId]);
    return verifyChain(rows.map(toEvent));
  }
}
