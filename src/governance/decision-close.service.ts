import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { DomainError, ValidationFailed } from '../common/errors/domain-error.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { MembersService } from '../members/members.service.js';
import { OutletsService } from '../outlets/outlets.service.js';
import type { OutletStatus } from '../outlets/outlets.types.js';
import { BallotBox } from './ballot-box.js';
import { ballotKey, unseal } from './ballot-seal.js';
import { ballotSecret } from './ballot-secret.js';
import { type DecisionRow, stateOf } from './decision-row.js';
import { DecisionsService } from './decisions.service.js';
import type { PublishedBallotDto } from './dto/ballot.dto.js';
import type { CloseDecisionDto, DecisionDto, TallyDto } from './dto/decision.dto.js';
import { GovernanceLogService } from './governance-log.service.js';
import { DecisionNotFound, DecisionNotOpen } from './governance.errors.js';
import { canonicalJson } from './log-hash.js';
import type { BallotContent } from './methods/method.types.js';
import { tally } from './methods/tally.js';
import { mustSuppress } from './small-counts.js';

/** The outlet status an adopted decision leads to. */
const TARGET: Record<string, OutletStatus> = { conventionnement: 'conventionne', renewal: 'conventionne', reinstatement: 'conventionne', suspension: 'suspended', revocation: 'revoked' };

/**
 * Closing a decision: tally with the method's integer rule, publish (or withhold small counts), perform the outlet
 * transition in the same transaction, and open the next step of a fallback chain. Closing twice returns the result
 * of the first close.
 */
@Injectable()
export class DecisionCloseService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly decisions: DecisionsService,
    private readonly members: MembersService,
    private readonly outlets: OutletsService,
    private readonly audit: AuditService,
    private readonly log: GovernanceLogService,
    private readonly box: BallotBox,
  ) {}

  /** Under the ballot-box lock: no vote is half-written while the box is opened, and a crash's leftover is settled first. */
  async close(caisseId: string, decisionId: string, dto: CloseDecisionDto = {}): Promise<DecisionDto> {
    return this.box.exclusive(decisionId, async () => {
      await this.box.reconcile(caisseId, decisionId);
      return this.closeLocked(caisseId, decisionId, dto);
    });
  }

  @Transactional()
  async closeLocked(caisseId: string, decisionId: string, dto: CloseDecisionDto): Promise<DecisionDto> {
    const tx = this.txHost.tx;
    const row = await this.decisions.lockOpened(caisseId, decisionId);
    if (row.closed_at) return this.decisions.get(caisseId, decisionId);
    const [{ now }]: { now: Date }[] = await tx.query(`SELECT now() AS now`);
    if (stateOf(row, now) === 'scheduled') throw new DecisionNotOpen('scheduled', `it opens at ${row.opens_at.toISOString()}.`);

    const electors: { member_id: string; recusal: string | null }[] = await tx.query(`SELECT member_id, recusal FROM decision_electorate WHERE decision_id = $1`, [decisionId]);
    const eligible = new Set(electors.filter((e) => !e.recusal).map((e) => e.member_id));
    const consensus = this.consensusOf(row, dto, eligible);
    const ballots = await this.ballots(row);
    const rulings: { ref: string; reason: string }[] = await tx.query(`SELECT objection_ref AS ref, reason FROM decision_rulings WHERE decision_id = $1 ORDER BY objection_ref`, [decisionId]);
    const tieBreak = await this.tieBreak(decisionId);
    // Reproducible from what is published (ballots, nonce), yet unknown to every voter until close: the nonce was
    // committed when the decision was created and stayed sealed under the ballot secret until now.
    const seed = createHash('sha256').update(`${decisionId}\u0000${canonicalJson(ballots.map((b) => b.content).map(canonicalJson).sort())}\u0000${tieBreak?.nonce ?? ''}`).digest('hex');
    const t = tally({ method: row.method, quorum: row.quorum, electorate: eligible.size, ballots, rulings, consensus: consensus && { present: consensus.present.length, reached: consensus.reached }, seed });
    const suppressed = row.secret && mustSuppress(t, row.min_published_count);
    const published: TallyDto = { ...t, detail: suppressed ? null : { ...t.detail, ...(consensus ? { outcomeText: consensus.text, presentMemberIds: consensus.present } : {}) }, suppressed };

    await tx.query(`UPDATE decisions SET closed_at = now(), outcome = $2, tally = $3, consensus = $4 WHERE id = $1`, [
      decisionId, t.outcome, JSON.stringify(published), consensus ? JSON.stringify(consensus) : null,
    ]);
    let transitionId: string | null = null;
    let consequenceError: string | null = null;
    if (t.outcome === 'adopted' && row.outlet_id) {
      const effectiveAt = row.effective_at && row.effective_at > now ? row.effective_at : undefined;
      // The outlet may have moved since the decision was put (e.g. withdrawn): the decision still closes, adopted,
      // with the refusal recorded, rather than stay open forever; nothing of the failed step remains.
      await tx.query(`SAVEPOINT decision_consequence`);
      try {
        const step = await this.outlets.transitionByDecision(caisseId, row.outlet_id, {
          to: TARGET[row.subject], decisionId, reason: `Décision du comité : ${row.title}`, effectiveAt,
          reviewOn: row.review_on ?? undefined, validUntil: row.valid_until ?? undefined,
        });
        transitionId = step.id;
        await tx.query(`RELEASE SAVEPOINT decision_consequence`);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        await tx.query(`ROLLBACK TO SAVEPOINT decision_consequence`);
        consequenceError = `${e.code}: ${e.message}`;
      }
      await tx.query(`UPDATE decisions SET transition_id = $2, consequence_error = $3 WHERE id = $1`, [decisionId, transitionId, consequenceError]);
    }
    await this.audit.record({ caisseId, action: 'governance.decision.close', targetType: 'decision', targetId: decisionId, after: { outcome: t.outcome, tally: published, transitionId, consequenceError } });
    await this.log.append(caisseId, 'decision.closed', { decisionId, outcome: t.outcome, tally: published, tieBreak, transitionId, consequenceError, ballots: await this.publishedBallots(caisseId, row, suppressed) });
    if (t.outcome !== 'adopted' && row.fallback.length) await this.fallBack(caisseId, row, now);
    return this.decisions.get(caisseId, decisionId);
  }

  /** The secret ballots after close, by receipt; contents withheld when counts are. A plain read (public route). */
  async published(caisseId: string, decisionId: string): Promise<PublishedBallotDto[]> {
    const [d]: { secret: boolean; closed_at: Date | null; tally: TallyDto | null }[] = await this.txHost.tx.query(
      `SELECT secret, closed_at, tally FROM decisions WHERE id = $1 AND caisse_id = $2`,
      [decisionId, caisseId],
    );
    if (!d) throw new DecisionNotFound(decisionId);
    if (!d.secret || !d.closed_at) throw new DecisionNotOpen(d.closed_at ? 'an open ballot' : 'not closed', d.closed_at ? 'its ballots are in the tally.' : 'ballots are published when it closes.');
    const rows: { receipt: string; content: Record<string, unknown> }[] = await this.txHost.tx.query(`SELECT receipt, content FROM secret_ballots WHERE decision_id = $1 ORDER BY receipt`, [decisionId]);
    return rows.map((r) => ({ receipt: r.receipt, content: d.tally?.suppressed ? null : r.content }));
  }

  private async ballots(row: DecisionRow): Promise<{ ref: string; content: BallotContent }[]> {
    if (!row.secret) return this.txHost.tx.query(`SELECT member_id AS ref, open_ballot AS content FROM decision_participation WHERE decision_id = $1 ORDER BY member_id`, [row.id]);
    // Open the seals and write the plain ballots in random order, in this one transaction: the rows published
    // carry nothing of the vote transactions (not even their xmin), and the sealed rows are gone.
    const key = ballotKey(ballotSecret(), row.id);
    const sealed: { sealed: Buffer }[] = await this.txHost.tx.query(`WITH gone AS (DELETE FROM sealed_ballots WHERE decision_id = $1 RETURNING sealed) SELECT sealed FROM gone`, [row.id]);
    const opened = sealed.map((b) => unseal<{ receipt: string; content: BallotContent }>(key, row.id, b.sealed));
    await this.txHost.tx.query(
      `INSERT INTO secret_ballots (decision_id, receipt, content) SELECT $1, x.receipt, x.content FROM unnest($2::text[], $3::jsonb[]) AS x(receipt, content) ORDER BY random()`,
      [row.id, opened.map((b) => b.receipt), opened.map((b) => JSON.stringify(b.content))],
    );
    return opened.map((b) => ({ ref: b.receipt, content: b.content })).sort((a, b) => (a.ref < b.ref ? -1 : 1));
  }

  /** The tie-break nonce committed at creation (majority judgment only), opened now that voting is over. */
  private async tieBreak(decisionId: string): Promise<{ commitment: string; nonce: string } | null> {
    const [r]: { commitment: string | null; sealed: Buffer | null }[] = await this.txHost.tx.query(
      `SELECT tie_break_commitment AS commitment, tie_break_sealed AS sealed FROM decisions WHERE id = $1`,
      [decisionId],
    );
    if (!r?.commitment || !r.sealed) return null;
    return { commitment: r.commitment, nonce: unseal<string>(ballotKey(ballotSecret(), decisionId), decisionId, r.sealed) };
  }

  private consensusOf(row: DecisionRow, dto: CloseDecisionDto, eligible: Set<string>): { present: string[]; reached: boolean; text: string } | undefined {
    const given = dto.presentMemberIds !== undefined || dto.reached !== undefined || dto.outcomeText !== undefined;
    if (row.method.kind !== 'consensus') {
      if (given) throw new ValidationFailed({ presentMemberIds: ['present members and outcome are recorded for a consensus only'] });
      return undefined;
    }
    const errors: Record<string, string[]> = {};
    if (!dto.presentMemberIds) errors.presentMemberIds = ['list the members present at the meeting'];
    else if (dto.presentMemberIds.some((m) => !eligible.has(m))) errors.presentMemberIds = ['only members of the electorate who are not recused count as present'];
    if (dto.reached === undefined) errors.reached = ['say whether the meeting reached consensus'];
    if (!dto.outcomeText) errors.outcomeText = ['minute the outcome of the meeting'];
    if (Object.keys(errors).length) throw new ValidationFailed(errors);
    return { present: [...new Set(dto.presentMemberIds)].sort(), reached: dto.reached!, text: dto.outcomeText!.trim() };
  }

  private async publishedBallots(caisseId: string, row: DecisionRow, suppressed: boolean): Promise<unknown[]> {
    if (row.secret) {
      const rows: { receipt: string; content: unknown }[] = await this.txHost.tx.query(`SELECT receipt, content FROM secret_ballots WHERE decision_id = $1 ORDER BY receipt`, [row.id]);
      return rows.map((r) => ({ receipt: r.receipt, content: suppressed ? null : r.content }));
    }
    const rows: { member_id: string; content: unknown }[] = await this.txHost.tx.query(`SELECT member_id, open_ballot AS content FROM decision_participation WHERE decision_id = $1 ORDER BY member_id`, [row.id]);
    // One query at a time: the transaction's single connection must not be given concurrent queries.
    const out: unknown[] = [];
    for (const r of rows) out.push({ member: (await this.members.get(caisseId, r.member_id)).number, content: r.content });
    return out;
  }

  /** The next method of the chain (Couserans: consensus, else consent, else 2/3), as a new decision opening now. */
  private async fallBack(caisseId: string, row: DecisionRow, now: Date): Promise<void> {
    const [kind, ...rest] = row.fallback;
    const window = row.closes_at.getTime() - row.opens_at.getTime();
    const closesAt = new Date(now.getTime() + window);
    const next = await this.decisions.create(
      caisseId,
      {
        title: row.title, subject: row.subject, outletId: row.outlet_id ?? undefined, method: kind, ...(kind === 'qualified-majority' ? { a: 2, b: 3, basis: 'cast' } : {}),
        quorumPercent: row.quorum.kind === 'percent' ? row.quorum.percent : undefined, secret: row.secret && kind !== 'consent' && kind !== 'consensus',
        minPublishedCount: row.min_published_count, opensAt: now.toISOString(), closesAt: closesAt.toISOString(),
        effectiveAt: row.effective_at && row.effective_at >= closesAt ? row.effective_at.toISOString() : undefined,
        reviewOn: row.review_on ?? undefined, validUntil: row.valid_until ?? undefined, replyDeadline: row.reply_deadline?.toISOString(), fallback: rest,
      },
      row.id,
    );
    // The outlet's reply was given to the committee, not to one method: the next step carries it.
    if (row.reply) await this.txHost.tx.query(`UPDATE decisions SET reply = $2, reply_recorded_at = now() WHERE id = $1`, [next.id, row.reply]);
    await this.log.append(caisseId, 'decision.fallback', { from: row.id, to: next.id, method: kind });
  }
}
