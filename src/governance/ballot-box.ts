import { randomInt } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Conflict } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction.js';
import { seal, unseal } from './ballot-seal.js';
import { DecisionNotOpen } from './governance.errors.js';

const LOCK = `hashtext('ballot-box:' || $1)`;
const MAX_WAIT_ATTEMPTS = 400;
/** Boxes held at once by this process (each holder pins one connection for its guard and needs another). */
const MAX_HOLDERS = 4;

/** Fisher–Yates with a CSPRNG: the order of the box must say nothing about the order of the votes. */
export function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * The ballot box of a secret decision. A vote is three transactions: (1) participation, marked pending, and its audit
 * row; (2) here, the whole box rewritten: every sealed ballot opened, sealed again with a fresh iv and written back
 * with the new one, in random order and with new random ids; (3) the participation confirmed. So no ballot row ever
 * shares an xmin with a participation or audit row, and xid, ctid or id order only tell which vote came last, not
 * which ballot is its: all rows of the box are one generation.
 * A crash between (1) and (3) leaves one pending participation; `reconcile` settles it by counting (pending ones
 * whose ballot is in = box size − confirmed), which is exact because the box lock serialises whole votes.
 *
 * The lock must work through pgbouncer in transaction pooling, where consecutive transactions of one client may run
 * on different server connections: so it is no session lock but a transaction-scoped advisory lock taken by a guard
 * transaction that stays open for the whole vote (pgbouncer keeps an open transaction on one server connection),
 * while the three steps commit on other connections. Commit or rollback of the guard, or its connection dropped
 * (crash, pgbouncer closing a client gone mid-transaction), frees the lock. The guard sits idle in transaction
 * for the length of one vote: an `idle_in_transaction_session_timeout` (server) or `idle_transaction_timeout`
 * (pgbouncer), if set, must be far above that (seconds).
 */
@Injectable()
export class BallotBox {
  private readonly logger = new Logger('BallotBox');
  private holders = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly txHost: TransactionHost,
    private readonly audit: AuditService,
  ) {}

  /**
   * Runs `work` holding the decision's box lock. A waiter polls with a try-lock in a short transaction and gives its
   * connection back between tries, so waiters can never starve the pool the holder needs for its own transactions.
   */
  async exclusive<T>(decisionId: string, work: () => Promise<T>): Promise<T> {
    // A holder pins one connection (its guard) and needs another for its transactions: so many holders at once
    // could leave none for those transactions. Few boxes are held at a time in this process.
    while (this.holders >= MAX_HOLDERS) await new Promise<void>((r) => this.waiting.push(r));
    this.holders++;
    try {
      return await this.hold(decisionId, work);
    } finally {
      this.holders--;
      this.waiting.shift()?.();
    }
  }

  private async hold<T>(decisionId: string, work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const guard = this.dataSource.createQueryRunner('master');
      let broken: Error | undefined;
      try {
        await guard.connect();
        await guard.startTransaction();
        const [{ locked }] = (await guard.query(`SELECT pg_try_advisory_xact_lock(${LOCK}) AS locked`, [decisionId])) as { locked: boolean }[];
        if (locked) {
          const result = await work();
          // The vote is complete: a guard that cannot commit (its connection lost) has dropped the lock anyway.
          await guard.commitTransaction().catch((e: Error) => {
            this.logger.error(`box guard commit failed: ${e.message}`);
            broken = e;
          });
          return result;
        }
        await guard.rollbackTransaction();
      } finally {
        if (guard.isTransactionActive) {
          await guard.rollbackTransaction().catch((e: Error) => {
            this.logger.error(`box guard rollback failed: ${e.message}`);
            broken = e;
          });
        }
        // A connection whose guard may still be open is closed, not pooled: closing it ends the transaction and the lock.
        await (guard as unknown as { release(err?: Error): Promise<void> }).release(broken);
      }
      if (attempt >= MAX_WAIT_ATTEMPTS) throw new Conflict('BALLOT_BOX_BUSY', 'Too many ballots are being cast on this decision at once; try again.');
      await new Promise((r) => setTimeout(r, 2 + randomInt(8 * Math.min(attempt, 10))));
    }
  }

  /** Step 2: the box rewritten with one more sealed ballot, in a transaction of its own. */
  async deposit(decisionId: string, key: Buffer, sealed: Buffer): Promise<void> {
    await this.dataSource.transaction(async (box) => {
      // The row lock makes deposits one at a time even apart from the box lock; it writes no row of a voter.
      const [d] = (await box.query(`SELECT closed_at FROM decisions WHERE id = $1 FOR UPDATE`, [decisionId])) as { closed_at: Date | null }[];
      if (!d || d.closed_at) throw new DecisionNotOpen('closed', 'no ballot is accepted any more.');
      const old = (await box.query(`WITH gone AS (DELETE FROM sealed_ballots WHERE decision_id = $1 RETURNING sealed) SELECT sealed FROM gone`, [decisionId])) as { sealed: Buffer }[];
      const all = shuffled([...old.map((b) => seal(key, decisionId, unseal(key, decisionId, b.sealed))), sealed]);
      await box.query(`INSERT INTO sealed_ballots (decision_id, sealed) SELECT $1, x.s FROM unnest($2::bytea[]) WITH ORDINALITY AS x(s, n) ORDER BY x.n`, [decisionId, all]);
    });
  }

  /** Step 3, on its own (autocommit): the vote is complete. */
  async confirm(decisionId: string, memberId: string): Promise<void> {
    await this.dataSource.query(`UPDATE decision_participation SET ballot_pending = false WHERE decision_id = $1 AND member_id = $2`, [decisionId, memberId]);
  }

  /**
   * Settles participations a crash left pending, under the box lock (so none is in flight): their ballots are
   * either all in the box (confirm them) or none is (drop them: those votes were never acknowledged, and the
   * members may vote again). Anything else cannot arise from whole votes serialised by the lock.
   */
  async reconcile(caisseId: string, decisionId: string): Promise<void> {
    if (this.txHost.active) throw new Error('the ballot box is reconciled in a transaction of its own');
    await this.txHost.run(() => this.settle(caisseId, decisionId));
  }

  private async settle(caisseId: string, decisionId: string): Promise<void> {
    const box = this.txHost.tx;
    const pending = (await box.query(
      `SELECT p.member_id FROM decision_participation p JOIN decisions d ON d.id = p.decision_id
        WHERE p.decision_id = $1 AND d.caisse_id = $2 AND p.ballot_pending AND d.closed_at IS NULL`,
      [decisionId, caisseId],
    )) as { member_id: string }[];
    if (!pending.length) return;
    const [{ stored, confirmed }] = (await box.query(
      `SELECT (SELECT count(*) FROM sealed_ballots WHERE decision_id = $1)::int AS stored,
              (SELECT count(*) FROM decision_participation WHERE decision_id = $1 AND secret AND NOT ballot_pending)::int AS confirmed`,
      [decisionId],
    )) as { stored: number; confirmed: number }[];
    const members = pending.map((p) => p.member_id);
    if (stored - confirmed === pending.length) {
      await box.query(`UPDATE decision_participation SET ballot_pending = false WHERE decision_id = $1 AND member_id = ANY($2::uuid[])`, [decisionId, members]);
    } else if (stored === confirmed) {
      await box.query(`DELETE FROM decision_participation WHERE decision_id = $1 AND member_id = ANY($2::uuid[]) AND ballot_pending`, [decisionId, members]);
      for (const memberId of members) {
        await this.audit.record({ caisseId, action: 'governance.ballot.participation-dropped', targetType: 'decision', targetId: decisionId, after: { memberId, reason: 'interrupted before its ballot was stored' } });
      }
    } else {
      throw new Error(`ballot box of ${decisionId} holds ${stored} ballots for ${confirmed} confirmed and ${pending.length} pending votes`);
    }
  }
}
