import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../common/request-context/principal.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { ballotContent, newReceipt } from './ballot-content.js';
import { BallotBox } from './ballot-box.js';
import { ballotKey, seal } from './ballot-seal.js';
import { ballotSecret } from './ballot-secret.js';
import { stateOf } from './decision-row.js';
import { DecisionsService } from './decisions.service.js';
import type { BallotReceiptDto, CastBallotDto } from './dto/ballot.dto.js';
import { AlreadyVoted, DecisionNotOpen, NotInElectorate } from './governance.errors.js';

/** What step 1 of a vote decided: an open ballot is complete; a secret one still has to reach the box. */
type Recorded = { done: BallotReceiptDto } | { secret: { memberId: string; receipt: string; sealed: Buffer; key: Buffer } };

/**
 * Casting ballots. Participation (who) and, for a secret decision, the ballot (what) are written in different
 * transactions to tables that share nothing but the decision id (see ballot-box.ts and README "Governance"). An open
 * ballot may be replaced until close; a secret one may not, since nothing may tie the stored ballot to its voter.
 */
@Injectable()
export class BallotsService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly decisions: DecisionsService,
    private readonly audit: AuditService,
    private readonly box: BallotBox,
  ) {}

  /** 201 only once the ballot is in the box: an acknowledged vote is never lost, an unacknowledged one may be cast again. */
  async cast(caisseId: string, decisionId: string, principal: Principal, dto: CastBallotDto): Promise<BallotReceiptDto> {
    return this.box.exclusive(decisionId, async () => {
      await this.box.reconcile(caisseId, decisionId);
      const step = await this.record(caisseId, decisionId, principal, dto);
      if ('done' in step) return step.done;
      const { memberId, receipt, sealed, key } = step.secret;
      await this.box.deposit(decisionId, key, sealed);
      await this.box.confirm(decisionId, memberId);
      return { decisionId, secret: true, receipt, replaced: false };
    });
  }

  /** Step 1, one transaction: checks, participation and its audit row. A secret ballot is only sealed here. */
  @Transactional()
  async record(caisseId: string, decisionId: string, principal: Principal, dto: CastBallotDto): Promise<Recorded> {
    const tx = this.txHost.tx;
    const row = await this.decisions.lockOpened(caisseId, decisionId);
    const [{ now }]: { now: Date }[] = await tx.query(`SELECT now() AS now`);
    const state = stateOf(row, now);
    if (state !== 'open') throw new DecisionNotOpen(state, state === 'scheduled' ? `voting opens at ${row.opens_at.toISOString()}.` : 'the result is published.');
    if (now >= row.closes_at) throw new DecisionNotOpen('past its closing time', 'no ballot is accepted any more.');
    const memberId = await this.voterOf(decisionId, principal);
    const content = ballotContent(row.method, dto);

    if (!row.secret) {
      const [r]: { replaced: boolean }[] = await tx.query(
        `INSERT INTO decision_participation (decision_id, member_id, secret, open_ballot, cast_at) VALUES ($1, $2, false, $3, clock_timestamp())
         ON CONFLICT (decision_id, member_id) DO UPDATE SET open_ballot = EXCLUDED.open_ballot, cast_at = EXCLUDED.cast_at
         RETURNING (xmax <> 0) AS replaced`,
        [decisionId, memberId, JSON.stringify(content)],
      );
      await this.audit.record({ caisseId, action: r.replaced ? 'governance.ballot.replace' : 'governance.ballot.cast', targetType: 'decision', targetId: decisionId, after: { memberId, content } });
      return { done: { decisionId, secret: false, receipt: null, replaced: r.replaced } };
    }

    const key = ballotKey(ballotSecret(), decisionId);
    // The primary key (decision, member) makes a second ballot impossible, even from two concurrent requests.
    const took: unknown[] = await tx.query(
      `INSERT INTO decision_participation (decision_id, member_id, secret, ballot_pending) VALUES ($1, $2, true, true) ON CONFLICT DO NOTHING RETURNING member_id`,
      [decisionId, memberId],
    );
    if (!took.length) throw new AlreadyVoted();
    const receipt = newReceipt();
    // Audited: that the member took part. Not audited: the content or the receipt, which would re-link the ballot.
    await this.audit.record({ caisseId, action: 'governance.ballot.participate', targetType: 'decision', targetId: decisionId, after: { memberId } });
    return { secret: { memberId, receipt, key, sealed: seal(key, decisionId, { receipt, content }) } };
  }

  /** A member votes as itself; a committee user as the member its account is linked to (captured at freeze). */
  private async voterOf(decisionId: string, principal: Principal): Promise<string> {
    const rows: { member_id: string; recusal: string | null }[] =
      principal.kind === 'member'
        ? await this.txHost.tx.query(`SELECT member_id, recusal FROM decision_electorate WHERE decision_id = $1 AND member_id = $2`, [decisionId, principal.memberId])
        : principal.kind === 'user'
          ? await this.txHost.tx.query(`SELECT member_id, recusal FROM decision_electorate WHERE decision_id = $1 AND user_id = $2`, [decisionId, principal.userId])
          : [];
    const elector = rows[0];
    if (!elector) throw new NotInElectorate('you held no committee mandate when it opened');
    if (elector.recusal) throw new NotInElectorate(`you are recused (${elector.recusal})`);
    return elector.member_id;
  }
}
