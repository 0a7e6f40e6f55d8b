import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { todayInFrance } from '../common/dates.js';
import { Conflict, DomainError, NotFound, ValidationFailed } from '../common/errors/domain-error.js';
import { executeDraw, randomnessProblems } from '../common/sortition/draw.js';
import { poolHash, quotasHash } from '../common/sortition/pool.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import type { PromoteDto, RevealRandomnessDto } from './dto/draw-input.dto.js';
import type { EnrolmentDrawDto, PromotionDto } from './dto/draw.dto.js';
import { EnrolmentDraw } from './entities/enrolment-draw.entity.js';
import { Member } from './entities/member.entity.js';
import { poolOf } from './draw-publication.js';
import { EnrolmentDrawsService } from './enrolment-draws.service.js';
import { MemberCardsService } from './member-cards.service.js';
import { MemberRegistry } from './member-registry.service.js';

/**
 * Steps 3 and after: the announced randomness is revealed, the panel selected and enrolled, the others put on the
 * waitlist in draw order; later, seats that free up are filled from that waitlist, in order.
 */
@Injectable()
export class DrawOutcomeService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly audit: AuditService,
    private readonly draws: EnrolmentDrawsService,
    private readonly registry: MemberRegistry,
    private readonly cards: MemberCardsService,
  ) {}

  /**
   * One reveal per draw: the first acceptable values make the result final. Every refused attempt is audited apart
   * from its rolled-back transaction, so tries at values leave a trace.
   */
  async reveal(caisseId: string, drawId: string, dto: RevealRandomnessDto): Promise<EnrolmentDrawDto> {
    try {
      return await this.txHost.run(() => this.revealOnce(caisseId, drawId, dto));
    } catch (e) {
      if (e instanceof DomainError && !(e instanceof NotFound)) {
        await this.audit.record({ caisseId, action: 'enrolment-draw.reveal-refused', targetType: 'enrolment-draw', targetId: drawId, after: { code: e.code, values: dto.values } });
      }
      throw e;
    }
  }

  private async revealOnce(caisseId: string, drawId: string, dto: RevealRandomnessDto): Promise<EnrolmentDrawDto> {
    const { draw, entries } = await this.draws.load(caisseId, drawId, true);
    if (draw.status === 'drawn') throw new Conflict('ALREADY_DRAWN', 'This draw was already made; its result is final.');
    if (draw.randomnessAvailableAfter && Date.now() < draw.randomnessAvailableAfter.getTime()) {
      throw new Conflict('RANDOMNESS_NOT_YET_AVAILABLE', `The announced randomness cannot exist before ${draw.randomnessAvailableAfter.toISOString()}.`, { availableAfter: draw.randomnessAvailableAfter.toISOString() });
    }
    const problems = randomnessProblems({ description: draw.randomnessDescription, parties: draw.randomnessParties, commitments: draw.randomnessCommitments, availableAfter: null }, dto.values);
    if (Object.keys(problems).length) throw new ValidationFailed(problems);
    const pool = poolOf(entries);
    // The rows must still be what was published: otherwise the draw would silently run on another pool.
    if (poolHash(pool, draw.spec.strata) !== draw.poolHash || quotasHash(draw.spec) !== draw.quotasHash) {
      throw new Conflict('DRAW_TAMPERED', 'The stored pool or quotas no longer match their published hashes; the draw cannot be made.');
    }
    const { combined, seed, result } = executeDraw({ spec: draw.spec, pool, poolHash: draw.poolHash, quotasHash: draw.quotasHash }, dto.values);
    await this.txHost.tx.getRepository(EnrolmentDraw).update({ id: drawId }, { status: 'drawn', randomnessValues: dto.values, randomness: combined, seed, drawnAt: new Date() });
    const outcomes = [...result.selected.map((p, i) => ['selected', p, i + 1] as const), ...result.waitlist.map((p, i) => ['waitlist', p, i + 1] as const)];
    await this.txHost.tx.query(
      `UPDATE enrolment_draw_entries e SET outcome = x.outcome, rank = x.rank
         FROM unnest($2::text[], $3::text[], $4::int[]) AS x(outcome, pseudonym, rank)
        WHERE e.draw_id = $1 AND e.pseudonym = x.pseudonym`,
      [drawId, outcomes.map((o) => o[0]), outcomes.map((o) => o[1]), outcomes.map((o) => o[2])],
    );

    const byPseudonym = new Map(entries.map((e) => [e.pseudonym, e.memberId]));
    const members = await this.txHost.tx.getRepository(Member).find({ where: { caisseId, id: In(entries.map((e) => e.memberId)) }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
    const byId = new Map(members.map((m) => [m.id, m]));
    const on = dto.joinedOn ?? todayInFrance();
    const reason = `Tirage au sort « ${draw.label} »`.slice(0, 300);
    // Someone who left or was enrolled otherwise since the pool was frozen keeps their status; the result stands as published.
    for (const p of result.selected) {
      const m = byId.get(byPseudonym.get(p)!)!;
      if (!m.erasedAt && (m.status === 'applicant' || m.status === 'waitlisted')) await this.registry.changeStatus(m, 'active', on, reason, { clampDate: true });
    }
    for (const p of result.waitlist) {
      const m = byId.get(byPseudonym.get(p)!)!;
      if (!m.erasedAt && m.status === 'applicant') await this.registry.changeStatus(m, 'waitlisted', on, reason, { clampDate: true });
    }
    // A newer draw's waitlist replaces older ones for the same people: nobody is promoted twice from two lists.
    await this.txHost.tx.query(
      `UPDATE enrolment_draw_entries SET superseded_by = $1
        WHERE member_id = ANY($2::uuid[]) AND draw_id <> $1 AND outcome = 'waitlist' AND promoted_at IS NULL AND superseded_by IS NULL`,
      [drawId, entries.map((e) => e.memberId)],
    );
    await this.audit.record({ caisseId, action: 'enrolment-draw.drawn', targetType: 'enrolment-draw', targetId: drawId, after: { seed, selected: result.selected.length, waitlist: result.waitlist.length } });
    return this.draws.get(caisseId, drawId);
  }

  /** Enrols the next `count` people still waiting on this draw's list, in rank order (optionally of one stratum). */
  @Transactional()
  async promote(caisseId: string, drawId: string, dto: PromoteDto): Promise<PromotionDto> {
    const { draw } = await this.draws.load(caisseId, drawId, true);
    if (draw.status !== 'drawn') throw new Conflict('NOT_DRAWN_YET', 'The draw has not been made yet: there is no waitlist.');
    const unknown = Object.keys(dto.stratum ?? {}).filter((a) => !draw.spec.strata.includes(a));
    if (unknown.length) throw new ValidationFailed({ stratum: [`this draw has no stratum attribute ${unknown.join(', ')} (it has: ${draw.spec.strata.join(', ') || 'none'})`] });
    const waiting: { member_id: string; pseudonym: string; rank: number }[] = await this.txHost.tx.query(
      `SELECT e.member_id, e.pseudonym, e.rank FROM enrolment_draw_entries e JOIN members m ON m.id = e.member_id
        WHERE e.draw_id = $1 AND e.outcome = 'waitlist' AND e.promoted_at IS NULL AND e.superseded_by IS NULL
          AND m.status = 'waitlisted' AND m.erased_at IS NULL AND ($2::jsonb IS NULL OR e.stratum @> $2::jsonb)
        ORDER BY e.rank FOR UPDATE OF e, m`,
      [drawId, dto.stratum ? JSON.stringify(dto.stratum) : null],
    );
    if (waiting.length < dto.count) {
      throw new Conflict('WAITLIST_SHORT', `Only ${waiting.length} member(s) still wait on this list${dto.stratum ? ' in that stratum' : ''}; ${dto.count} asked.`, { available: waiting.length });
    }
    const on = dto.joinedOn ?? todayInFrance();
    const promoted: PromotionDto['promoted'] = [];
    for (const w of waiting.slice(0, dto.count)) {
      const member = await this.registry.lockMember(caisseId, w.member_id);
      await this.registry.changeStatus(member, 'active', on, `Liste d'attente « ${draw.label} », rang ${w.rank}`.slice(0, 300), { clampDate: true });
      await this.txHost.tx.query(`UPDATE enrolment_draw_entries SET promoted_at = now() WHERE draw_id = $1 AND pseudonym = $2`, [drawId, w.pseudonym]);
      promoted.push({ memberId: w.member_id, number: w.pseudonym, rank: w.rank, cardNumber: (await this.cards.activeCard(w.member_id))?.cardNumber ?? null });
    }
    await this.audit.record({ caisseId, action: 'enrolment-draw.promoted', targetType: 'enrolment-draw', targetId: drawId, after: { promoted: promoted.map((p) => ({ number: p.number, rank: p.rank })) } });
    return { promoted, remaining: waiting.length - dto.count };
  }
}
