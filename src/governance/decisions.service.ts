import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Queue } from 'bull';
import { AuditService } from '../audit/audit.service.js';
import { Conflict, type FieldErrors, ValidationFailed } from '../common/errors/domain-error.js';
import { QueueSchedules } from '../database/schedules.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { MembersService } from '../members/members.service.js';
import { OutletsService } from '../outlets/outlets.service.js';
import { ballotKey, seal } from './ballot-seal.js';
import { ballotSecret } from './ballot-secret.js';
import { CommitteeService } from './committee.service.js';
import { DECISION_COLS, type DecisionRow, stateOf, toDecisionDto } from './decision-row.js';
import type { CreateDecisionDto, DecisionDto, ElectorDto, RulingDto } from './dto/decision.dto.js';
import { CLOSE_JOB, type DecisionJob, GOVERNANCE_QUEUE, OPEN_JOB } from './governance-queue.js';
import { GovernanceLogService } from './governance-log.service.js';
import { DecisionNotFound, DecisionNotOpen, WrongMethod } from './governance.errors.js';
import { methodSpecOf } from './method-spec.js';
import type { QuorumRule } from './methods/quorum.js';

const PAST_TOLERANCE_MS = 5 * 60_000;
const REPLY_SUBJECTS = ['suspension', 'revocation'];
const TERMS_SUBJECTS = ['conventionnement', 'renewal'];
/** Where the outlet must stand for each subject (outlets/outlet-lifecycle.ts is the authority). */
const FROM_STATUSES: Record<string, string[]> = {
  conventionnement: ['dossier-complete'],
  renewal: ['renewal-due'],
  reinstatement: ['suspended'],
  suspension: ['conventionne', 'renewal-due'],
  revocation: ['conventionne', 'renewal-due', 'suspended'],
};

/**
 * The majority-judgment tie-break nonce: committed (SHA-256, logged) now, sealed under the ballot secret, revealed at
 * close. No voter, not even the last one, can compute the tie-break before close; nor can the server pick it then.
 */
function tieBreakNonce(decisionId: string): { commitment: string; sealed: Buffer } {
  const nonce = randomBytes(32).toString('hex');
  return { commitment: createHash('sha256').update(nonce).digest('hex'), sealed: seal(ballotKey(ballotSecret(), decisionId), decisionId, nonce) };
}

/** Creating decisions, freezing their electorate when they open, the outlet's right of reply, rulings on objections. */
@Injectable()
export class DecisionsService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly committee: CommitteeService,
    private readonly members: MembersService,
    private readonly outlets: OutletsService,
    private readonly audit: AuditService,
    private readonly log: GovernanceLogService,
    @InjectQueue(GOVERNANCE_QUEUE) private readonly queue: Queue<DecisionJob>,
    private readonly schedules: QueueSchedules,
  ) {}

  @Transactional()
  async create(caisseId: string, dto: CreateDecisionDto, parentId: string | null = null): Promise<DecisionDto> {
    const errors: FieldErrors = {};
    const method = methodSpecOf(dto, errors);
    const now = await this.now();
    const opensAt = new Date(dto.opensAt);
    const closesAt = new Date(dto.closesAt);
    if (opensAt.getTime() < now.getTime() - PAST_TOLERANCE_MS) errors.opensAt = ['opensAt cannot be in the past: the electorate is frozen when the decision opens'];
    if (closesAt <= opensAt || closesAt <= now) errors.closesAt = ['closesAt must be after opensAt and in the future'];
    if (dto.subject === 'motion' ? dto.outletId : !dto.outletId) errors.outletId = [dto.subject === 'motion' ? 'a motion is about no outlet' : `a ${dto.subject} decision names its outlet`];
    if (dto.secret && (dto.method === 'consent' || dto.method === 'consensus')) errors.secret = [`${dto.method} is deliberated openly: objections are discussed, so it cannot be secret`];
    if (TERMS_SUBJECTS.includes(dto.subject) && !dto.reviewOn) errors.reviewOn = [`a ${dto.subject} decision sets the next review date (reviewOn)`];
    if (!TERMS_SUBJECTS.includes(dto.subject) && dto.subject !== 'reinstatement' && (dto.reviewOn || dto.validUntil)) errors.reviewOn = ['only admission, renewal and reinstatement set review dates'];
    if (REPLY_SUBJECTS.includes(dto.subject)) {
      if (!dto.replyDeadline) errors.replyDeadline = ['the outlet has a right of reply before a suspension or revocation: give its deadline'];
      else if (new Date(dto.replyDeadline) > opensAt) errors.replyDeadline = ['the reply deadline must pass before the decision opens'];
    } else if (dto.replyDeadline) errors.replyDeadline = ['a reply deadline is for suspensions and revocations'];
    if (dto.effectiveAt && new Date(dto.effectiveAt) < closesAt) errors.effectiveAt = ['a decision takes effect at or after it closes'];
    if (method && 'options' in method && new Set(method.options).size !== method.options.length) errors.options = ['options must be distinct'];
    if (Object.keys(errors).length || !method) throw new ValidationFailed(errors);
    if (dto.outletId) {
      // An early, friendly check; the outlets lifecycle checks again, authoritatively, when the decision closes.
      const { status } = await this.outlets.standingAt(caisseId, dto.outletId);
      const from = FROM_STATUSES[dto.subject] ?? [];
      if (!status || !from.includes(status)) {
        throw new Conflict('OUTLET_NOT_READY', `A ${dto.subject} decision is about an outlet that is ${from.join(' or ')}; this one is ${status ?? 'unregistered'}.`, { currentStatus: status });
      }
    }
    const quorum: QuorumRule = dto.quorumPercent ? { kind: 'percent', percent: dto.quorumPercent } : { kind: 'half' };

    // Refused up front rather than at the first ballot: without the ballot secret nothing secret can be sealed.
    if (dto.secret) ballotSecret();
    const id = randomUUID();
    const tieBreak = method.kind === 'majority-judgment' ? tieBreakNonce(id) : null;
    await this.txHost.tx.query(
      `INSERT INTO decisions (id, caisse_id, title, subject, outlet_id, method, quorum, secret, min_published_count, opens_at, closes_at, effective_at,
                              review_on, valid_until, reply_deadline, fallback, parent_id, tie_break_commitment, tie_break_sealed)
       VALUES ($17, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $18, $19)`,
      [
        caisseId, dto.title.trim(), dto.subject, dto.outletId ?? null, JSON.stringify(method), JSON.stringify(quorum), dto.secret, dto.minPublishedCount ?? 3,
        opensAt, closesAt, dto.effectiveAt ? new Date(dto.effectiveAt) : null, dto.reviewOn ?? null, dto.validUntil ?? null,
        dto.replyDeadline ? new Date(dto.replyDeadline) : null, dto.fallback ?? [], parentId, id, tieBreak?.commitment ?? null, tieBreak?.sealed ?? null,
      ],
    );
    const decision = await this.get(caisseId, id);
    await this.audit.record({ caisseId, action: 'governance.decision.create', targetType: 'decision', targetId: id, after: decision });
    await this.log.append(caisseId, 'decision.created', {
      decisionId: id, title: decision.title, subject: decision.subject, outletId: decision.outletId, method: decision.method, quorum, secret: decision.secret,
      opensAt: decision.opensAt, closesAt: decision.closesAt, fallback: decision.fallback, parentId, tieBreakCommitment: tieBreak?.commitment ?? null,
    });
    this.txHost.afterCommit(() => this.schedule(caisseId, id, opensAt, closesAt));
    return decision;
  }

  /**
   * Enqueued only after commit: a rolled-back decision leaves no job behind. jobIds make a second enqueue a no-op, so
   * GovernanceProcessor re-creates them from Postgres when Redis lost them; while Redis is down this fails fast (the
   * after-commit hook logs it) and that re-creation catches up.
   */
  async schedule(caisseId: string, decisionId: string, opensAt: Date | null, closesAt: Date): Promise<void> {
    const data = { caisseId, decisionId };
    const opts = { removeOnComplete: 100, removeOnFail: 100, attempts: 3, backoff: { type: 'exponential', delay: 5_000 } };
    if (opensAt) await this.schedules.add(this.queue, OPEN_JOB, data, { ...opts, jobId: `open:${decisionId}`, delay: Math.max(0, opensAt.getTime() - Date.now()) });
    await this.schedules.add(this.queue, CLOSE_JOB, data, { ...opts, jobId: `close:${decisionId}`, delay: Math.max(0, closesAt.getTime() - Date.now()) });
  }

  /** The decision, its electorate frozen first if it has opened meanwhile. */
  @Transactional()
  async get(caisseId: string, decisionId: string): Promise<DecisionDto> {
    const row = await this.lockOpened(caisseId, decisionId);
    return toDecisionDto(row, await this.electorate(decisionId), await this.now());
  }

  /** Latest first; with `outletId`, only the decisions about that outlet. */
  async list(caisseId: string, outletId?: string): Promise<DecisionDto[]> {
    const rows: DecisionRow[] = await this.txHost.tx.query(
      `SELECT ${DECISION_COLS} FROM decisions d WHERE d.caisse_id = $1 AND ($2::uuid IS NULL OR d.outlet_id = $2) ORDER BY d.opens_at DESC, d.id LIMIT 500`,
      [caisseId, outletId ?? null],
    );
    const now = await this.now();
    return rows.map((r) => toDecisionDto(r, [], now));
  }

  /**
   * Locks the decision row (closing, voting and freezing serialise on it) and freezes the electorate once the
   * decision has opened: members in office at opensAt, minus the recused, shown with the reason.
   */
  async lockOpened(caisseId: string, decisionId: string): Promise<DecisionRow> {
    const tx = this.txHost.tx;
    const [row]: DecisionRow[] = await tx.query(`SELECT ${DECISION_COLS} FROM decisions d WHERE d.id = $1 AND d.caisse_id = $2 FOR UPDATE`, [decisionId, caisseId]);
    if (!row) throw new DecisionNotFound(decisionId);
    if (row.frozen_at || stateOf(row, await this.now()) !== 'open') return row;
    const electors = await this.committee.electorateAt(caisseId, row.opens_at, row.outlet_id);
    for (const e of electors) {
      await tx.query(`INSERT INTO decision_electorate (decision_id, member_id, user_id, recusal) VALUES ($1, $2, $3, $4)`, [decisionId, e.memberId, e.userId, e.recusal]);
    }
    // (A CTE, because TypeORM answers an UPDATE … RETURNING with [rows, count] rather than rows.)
    const [{ frozen_at }]: { frozen_at: Date }[] = await tx.query(`WITH f AS (UPDATE decisions SET frozen_at = now() WHERE id = $1 RETURNING frozen_at) SELECT frozen_at FROM f`, [decisionId]);
    const published = electors.map((e) => ({ member: e.number, recusal: e.recusal }));
    await this.audit.record({ caisseId, action: 'governance.decision.open', targetType: 'decision', targetId: decisionId, after: { electorate: electors.map(({ memberId, recusal }) => ({ memberId, recusal })) } });
    await this.log.append(caisseId, 'decision.opened', {
      decisionId, electorate: published, reply: row.reply ? 'replied' : row.reply_deadline ? 'deadline passed' : null,
    });
    return { ...row, frozen_at };
  }

  async electorate(decisionId: string): Promise<ElectorDto[]> {
    const rows: { member_id: string; recusal: string | null; took_part: boolean }[] = await this.txHost.tx.query(
      `SELECT e.member_id, e.recusal, (p.member_id IS NOT NULL) AS took_part FROM decision_electorate e
         LEFT JOIN decision_participation p ON p.decision_id = e.decision_id AND p.member_id = e.member_id
        WHERE e.decision_id = $1 ORDER BY e.member_id`,
      [decisionId],
    );
    return rows.map((r) => ({ memberId: r.member_id, recusal: r.recusal, tookPart: r.took_part }));
  }

  /** The outlet's right of reply, recorded until the decision opens (an admin or the committee types it in). */
  @Transactional()
  async recordReply(caisseId: string, decisionId: string, reply: string): Promise<DecisionDto> {
    const row = await this.lockOpened(caisseId, decisionId);
    if (!REPLY_SUBJECTS.includes(row.subject)) throw new WrongMethod('Only suspension and revocation decisions take a reply from the outlet.');
    if (stateOf(row, await this.now()) !== 'scheduled') throw new DecisionNotOpen(stateOf(row, await this.now()), 'the reply is recorded before the decision opens.');
    await this.txHost.tx.query(`UPDATE decisions SET reply = $2, reply_recorded_at = now() WHERE id = $1`, [decisionId, reply.trim()]);
    await this.audit.record({ caisseId, action: 'governance.decision.reply', targetType: 'decision', targetId: decisionId, before: { reply: row.reply }, after: { reply } });
    await this.log.append(caisseId, 'decision.reply', { decisionId, reply: reply.trim() });
    return this.get(caisseId, decisionId);
  }

  /** The facilitator rules an objection non-paramount, with the reason; it then no longer blocks consent. */
  @Transactional()
  async rule(caisseId: string, decisionId: string, dto: RulingDto): Promise<DecisionDto> {
    const row = await this.lockOpened(caisseId, decisionId);
    if (row.method.kind !== 'consent') throw new WrongMethod('Objections are ruled on in consent decisions only.');
    if (row.closed_at) throw new DecisionNotOpen('closed', 'rulings are made before the decision closes.');
    const [objection]: { content: { position?: string } | null }[] = await this.txHost.tx.query(
      `SELECT open_ballot AS content FROM decision_participation WHERE decision_id = $1 AND member_id = $2`,
      [decisionId, dto.memberId],
    );
    if (objection?.content?.position !== 'objection') throw new ValidationFailed({ memberId: ['this member raised no objection on this decision'] });
    await this.txHost.tx.query(`INSERT INTO decision_rulings (decision_id, objection_ref, reason) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [decisionId, dto.memberId, dto.reason.trim()]);
    await this.audit.record({ caisseId, action: 'governance.decision.ruling', targetType: 'decision', targetId: decisionId, after: dto });
    const { number } = await this.members.get(caisseId, dto.memberId);
    await this.log.append(caisseId, 'decision.ruling', { decisionId, objector: number, ruling: 'non-paramount', reason: dto.reason.trim() });
    return this.get(caisseId, decisionId);
  }

  private async now(): Promise<Date> {
    const [{ now }]: { now: Date }[] = await this.txHost.tx.query(`SELECT now() AS now`);
    return now;
  }
}
