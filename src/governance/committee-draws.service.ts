import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { Conflict, DomainError, type FieldErrors, NotFound, ValidationFailed } from '../common/errors/domain-error.js';
import { type CommittedDraw, commitDraw, executeDraw, InfeasibleDraw, randomnessProblems } from '../common/sortition/draw.js';
import { commitmentProblems } from '../common/sortition/sources.js';
import { type DrawResult, type PoolEntry, type PublishedDraw, type RandomnessSpec, SORTITION_ALGORITHM } from '../common/sortition/sortition.types.js';
import { type DrawVerification, verifyPublishedDraw } from '../common/sortition/verify.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { MembersService } from '../members/members.service.js';
import { CommitteeService } from './committee.service.js';
import type { CommitteeDrawDto, CreateCommitteeDrawDto } from './dto/committee-draw.dto.js';
import { GovernanceLogService } from './governance-log.service.js';

interface Terms { startsOn: string; endsOn: string; cohort: number | null }
interface Outcome { values: string[]; combined: string; seed: string; result: DrawResult; mandateIds: string[] }
interface DrawRow { id: string; label: string; committed: CommittedDraw & { randomness: RandomnessSpec }; terms: Terms; committed_at: Date; outcome: Outcome | null }

/**
 * Committee seats drawn by lot with the same verifiable procedure and standalone verifier as the enrolment lottery
 * (src/common/sortition): pool and quotas frozen and hashed first, randomness named in advance, then the draw;
 * those drawn get a "drawn" mandate, the others stay in draw order as alternates.
 */
@Injectable()
export class CommitteeDrawsService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly members: MembersService,
    private readonly committee: CommitteeService,
    private readonly audit: AuditService,
    private readonly log: GovernanceLogService,
  ) {}

  @Transactional()
  async commit(caisseId: string, dto: CreateCommitteeDrawDto): Promise<CommitteeDrawDto> {
    const errors: FieldErrors = {};
    if (dto.endsOn <= dto.startsOn) errors.endsOn = ['endsOn must be after startsOn'];
    const pool: PoolEntry[] = [];
    const entries: { pseudonym: string; memberId: string }[] = [];
    const seen = new Set<string>();
    for (const [i, p] of dto.pool.entries()) {
      const add = (field: string, message: string) => (errors[`pool.${i}.${field}`] ??= []).push(message);
      if (seen.has(p.memberId)) add('memberId', 'this member is listed twice');
      seen.add(p.memberId);
      const member = await this.members.get(caisseId, p.memberId).catch(() => undefined);
      if (!member) { add('memberId', 'no member of this caisse has this id'); continue; }
      if (member.status !== 'active') add('memberId', `the member is ${member.status}: only active members can sit on the committee`);
      const stratum = Object.fromEntries(dto.strata.map((s) => [s, p.attributes?.[s]]));
      for (const s of dto.strata) if (!stratum[s]) add(`attributes.${s}`, `${s} is a stratum of this draw: give it for every member of the pool`);
      pool.push({ id: member.number, stratum: stratum as Record<string, string> });
      entries.push({ pseudonym: member.number, memberId: p.memberId });
    }
    const busy: { member_id: string }[] = await this.txHost.tx.query(
      `SELECT member_id FROM committee_mandates WHERE caisse_id = $1 AND member_id = ANY($2::uuid[]) AND starts_on <= $4 AND ends_on >= $3`,
      [caisseId, [...seen], dto.startsOn, dto.endsOn],
    );
    for (const b of busy) errors[`pool.${dto.pool.findIndex((p) => p.memberId === b.member_id)}.memberId`] = ['the member already holds a mandate over part of this period'];
    if (Object.keys(errors).length) throw new ValidationFailed(errors);
    let committed: CommittedDraw;
    try {
      committed = commitDraw(pool, { algorithm: SORTITION_ALGORITHM, seats: dto.seats, strata: dto.strata, quotas: (dto.quotas ?? []).map((q) => ({ stratum: q.stratum, min: q.min ?? 0, max: q.max ?? null })) });
    } catch (e) {
      if (e instanceof InfeasibleDraw) throw new ValidationFailed(e.problems, 'The draw cannot be made as asked: see which stratum or field is short.');
      throw e;
    }
    const r = dto.randomness;
    const randomness: RandomnessSpec = { description: r.description, parties: r.commitments.length, commitments: r.commitments, availableAfter: new Date(r.availableAfter).toISOString() };
    const named = commitmentProblems(randomness, new Date());
    if (Object.keys(named).length) throw new ValidationFailed(named, 'The randomness must be named, in full, before the draw is committed.');
    const terms: Terms = { startsOn: dto.startsOn, endsOn: dto.endsOn, cohort: dto.cohort ?? null };
    const [{ id }]: { id: string }[] = await this.txHost.tx.query(`INSERT INTO committee_draws (caisse_id, label, committed, terms) VALUES ($1, $2, $3, $4) RETURNING id`, [
      caisseId, dto.label.trim(), JSON.stringify({ ...committed, randomness }), JSON.stringify(terms),
    ]);
    await this.txHost.tx.query(`INSERT INTO committee_draw_entries (draw_id, pseudonym, member_id) SELECT $1, x.p, x.m FROM unnest($2::text[], $3::uuid[]) AS x(p, m)`, [
      id, entries.map((e) => e.pseudonym), entries.map((e) => e.memberId),
    ]);
    await this.audit.record({ caisseId, action: 'governance.committee-draw.commit', targetType: 'committee-draw', targetId: id, after: { poolHash: committed.poolHash, quotasHash: committed.quotasHash, seats: dto.seats } });
    await this.log.append(caisseId, 'committee.draw-committed', { drawId: id, label: dto.label.trim(), poolHash: committed.poolHash, quotasHash: committed.quotasHash, seats: dto.seats, randomness });
    return this.get(caisseId, id);
  }

  /**
   * One reveal per draw: the first acceptable values make the result final (a trigger refuses any later change).
   * Every refused attempt is audited apart from its rolled-back transaction, so tries leave a trace.
   */
  async draw(caisseId: string, drawId: string, values: string[]): Promise<CommitteeDrawDto> {
    try {
      return await this.txHost.run(() => this.reveal(caisseId, drawId, values));
    } catch (e) {
      if (e instanceof DomainError && !(e instanceof NotFound)) {
        await this.audit.record({ caisseId, action: 'governance.committee-draw.reveal-refused', targetType: 'committee-draw', targetId: drawId, after: { code: e.code, values } });
      }
      throw e;
    }
  }

  private async reveal(caisseId: string, drawId: string, values: string[]): Promise<CommitteeDrawDto> {
    const row = await this.load(caisseId, drawId, true);
    if (row.outcome) throw new Conflict('ALREADY_DRAWN', 'This draw was already made; its result is final.');
    const { randomness } = row.committed;
    // Draws committed before sources and availableAfter became required are refused rather than drawn unchecked.
    if (!randomness.availableAfter || randomness.commitments.length !== randomness.parties) {
      throw new Conflict('RANDOMNESS_NOT_NAMED', 'This draw was committed without naming its randomness in full; commit a new draw.');
    }
    if (Date.now() < new Date(randomness.availableAfter).getTime()) {
      throw new Conflict('RANDOMNESS_NOT_YET_AVAILABLE', `The announced randomness cannot exist before ${randomness.availableAfter}.`);
    }
    const problems = randomnessProblems(randomness, values);
    if (Object.keys(problems).length) throw new ValidationFailed(problems);
    const { combined, seed, result } = executeDraw(row.committed, values);
    const byPseudonym = new Map(
      ((await this.txHost.tx.query(`SELECT pseudonym, member_id FROM committee_draw_entries WHERE draw_id = $1`, [drawId])) as { pseudonym: string; member_id: string }[]).map((e) => [e.pseudonym, e.member_id]),
    );
    const mandateIds: string[] = [];
    for (const pseudonym of result.selected) {
      const m = await this.committee.addMandate(caisseId, { memberId: byPseudonym.get(pseudonym)!, designation: 'drawn', position: 'membre tiré au sort', ...row.terms, cohort: row.terms.cohort ?? undefined });
      mandateIds.push(m.id);
    }
    await this.txHost.tx.query(`UPDATE committee_draws SET outcome = $2, drawn_at = now() WHERE id = $1`, [drawId, JSON.stringify({ values, combined, seed, result, mandateIds })]);
    await this.audit.record({ caisseId, action: 'governance.committee-draw.draw', targetType: 'committee-draw', targetId: drawId, after: { seed, result, mandateIds } });
    await this.log.append(caisseId, 'committee.draw-made', { drawId, values, combined, seed, selected: result.selected, waitlist: result.waitlist });
    return this.get(caisseId, drawId);
  }

  async get(caisseId: string, drawId: string): Promise<CommitteeDrawDto> {
    const r = await this.load(caisseId, drawId);
    return {
      id: r.id, label: r.label, status: r.outcome ? 'drawn' : 'committed', seats: r.committed.spec.seats, poolSize: r.committed.pool.length, poolHash: r.committed.poolHash,
      quotasHash: r.committed.quotasHash, seed: r.outcome?.seed ?? null, selected: r.outcome?.result.selected ?? [], waitlist: r.outcome?.result.waitlist ?? [], mandateIds: r.outcome?.mandateIds ?? [],
    };
  }

  /** The document the standalone verifier (npm run verify-draw) re-runs. */
  async published(caisseId: string, drawId: string): Promise<PublishedDraw> {
    const r = await this.load(caisseId, drawId);
    const { spec, pool, poolHash, quotasHash, randomness } = r.committed;
    return {
      format: 'ssa-sortition-draw', algorithm: spec.algorithm, drawId: r.id, label: r.label, committedAt: r.committed_at.toISOString(), spec, pool, poolHash, quotasHash,
      randomness: { ...randomness, values: r.outcome?.values ?? null, combined: r.outcome?.combined ?? null }, seed: r.outcome?.seed ?? null, result: r.outcome?.result ?? null,
    };
  }

  async verify(caisseId: string, drawId: string): Promise<DrawVerification> {
    return verifyPublishedDraw(await this.published(caisseId, drawId));
  }

  private async load(caisseId: string, drawId: string, lock = false): Promise<DrawRow> {
    const [row]: DrawRow[] = await this.txHost.tx.query(
      `SELECT id, label, committed, terms, committed_at, outcome FROM committee_draws WHERE id = $1 AND caisse_id = $2 ${lock ? 'FOR UPDATE' : ''}`,
      [drawId, caisseId],
    );
    if (!row) throw new NotFound('Committee draw', drawId);
    return row;
  }
}
