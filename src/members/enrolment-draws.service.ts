import { Injectable } from '@nestjs/common';
import { In, IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { CaissesService } from '../caisses/caisses.service.js';
import { todayInFrance } from '../common/dates.js';
import { type FieldErrors, NotFound, ValidationFailed } from '../common/errors/domain-error.js';
import { commitmentProblems } from '../common/sortition/sources.js';
import { RequestContext } from '../common/request-context/request-context.js';
import { commitDraw, InfeasibleDraw } from '../common/sortition/draw.js';
import { type DrawSpec, type PoolEntry, SORTITION_ALGORITHM } from '../common/sortition/sortition.types.js';
import { verifyPublishedDraw } from '../common/sortition/verify.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import type { CreateEnrolmentDrawDto } from './dto/draw-input.dto.js';
import type { DrawVerificationDto, EnrolmentDrawDto, PublishedDrawDto } from './dto/draw.dto.js';
import { EnrolmentDrawEntry } from './entities/enrolment-draw-entry.entity.js';
import { EnrolmentDraw } from './entities/enrolment-draw.entity.js';
import { Member } from './entities/member.entity.js';
import { DERIVED_ATTRIBUTES, isStrictlyIncreasing, type PoolDerivation, stratumOf } from './draw-pool.js';
import { publishedDraw, toDrawDto } from './draw-publication.js';

const DRAWABLE = ['applicant', 'waitlisted'];

/**
 * Step 1 of the verifiable enrolment lottery (governance.md): freeze the pool and the quotas and publish their hashes
 * and the name of the future randomness. The pure procedure lives in common/sortition, shared with governance.
 */
@Injectable()
export class EnrolmentDrawsService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly audit: AuditService,
    private readonly caisses: CaissesService,
  ) {}

  @Transactional()
  async create(caisseId: string, dto: CreateEnrolmentDrawDto): Promise<EnrolmentDrawDto> {
    await this.caisses.get(caisseId);
    const errors = requestProblems(dto);
    if (Object.keys(errors).length) throw new ValidationFailed(errors);
    const members = await this.applicants(caisseId, dto, errors);
    if (Object.keys(errors).length) throw new ValidationFailed(errors);
    const derivation: PoolDerivation = { referenceYear: Number(todayInFrance().slice(0, 4)), ageBands: dto.ageBands ?? null, incomeBands: dto.incomeBands ?? null };
    const pool: PoolEntry[] = members.map(({ member, attributes }, i) => {
      const { stratum, missing } = stratumOf({ ...member, attributes }, dto.strata, derivation);
      for (const a of missing) (errors[`pool.${i}.attributes.${a}`] ??= []).push(`${a} is a stratum of this draw: give it for every applicant`);
      return { id: member.pseudonym, stratum };
    });
    const spec: DrawSpec = { algorithm: SORTITION_ALGORITHM, seats: dto.seats, strata: dto.strata, quotas: (dto.quotas ?? []).map((q) => ({ stratum: q.stratum, min: q.min ?? 0, max: q.max ?? null })) };
    if (Object.keys(errors).length) throw new ValidationFailed(errors);
    let committed;
    try {
      committed = commitDraw(pool, spec);
    } catch (e) {
      if (e instanceof InfeasibleDraw) throw new ValidationFailed(e.problems, 'The draw cannot be made as asked: see which stratum or field is short.');
      throw e;
    }
    const principal = RequestContext.principal();
    const { identifiers } = await this.txHost.tx.getRepository(EnrolmentDraw).insert({
      caisseId,
      label: dto.label.trim(),
      algorithm: SORTITION_ALGORITHM,
      seats: dto.seats,
      spec: committed.spec,
      derivation,
      poolSize: pool.length,
      poolHash: committed.poolHash,
      quotasHash: committed.quotasHash,
      randomnessDescription: dto.randomness.description,
      randomnessParties: dto.randomness.commitments.length,
      randomnessCommitments: dto.randomness.commitments,
      randomnessAvailableAfter: new Date(dto.randomness.availableAfter),
      status: 'committed',
      createdBy: principal?.kind === 'user' ? principal.userId : null,
    });
    const drawId = identifiers[0].id as string;
    await this.txHost.tx.query(
      `INSERT INTO enrolment_draw_entries (draw_id, caisse_id, pseudonym, member_id, stratum)
       SELECT $1, $2, x.pseudonym, x.member_id, x.stratum FROM unnest($3::text[], $4::uuid[], $5::jsonb[]) AS x(pseudonym, member_id, stratum)`,
      [drawId, caisseId, pool.map((e) => e.id), members.map((m) => m.member.id), pool.map((e) => JSON.stringify(e.stratum))],
    );
    await this.audit.record({ caisseId, action: 'enrolment-draw.committed', targetType: 'enrolment-draw', targetId: drawId, after: { poolHash: committed.poolHash, quotasHash: committed.quotasHash, seats: dto.seats, poolSize: pool.length } });
    return this.get(caisseId, drawId);
  }

  async get(caisseId: string, drawId: string): Promise<EnrolmentDrawDto> {
    const { draw, entries } = await this.load(caisseId, drawId);
    return toDrawDto(draw, entries);
  }

  async list(caisseId: string): Promise<EnrolmentDrawDto[]> {
    const draws = await this.txHost.tx.getRepository(EnrolmentDraw).find({ where: { caisseId }, order: { committedAt: 'DESC', id: 'ASC' } });
    const entries = draws.length ? await this.txHost.tx.getRepository(EnrolmentDrawEntry).find({ where: { drawId: In(draws.map((d) => d.id)) } }) : [];
    return draws.map((d) => toDrawDto(d, entries.filter((e) => e.drawId === d.id)));
  }

  async published(caisseId: string, drawId: string): Promise<PublishedDrawDto> {
    const { draw, entries } = await this.load(caisseId, drawId);
    return publishedDraw(draw, entries);
  }

  /** Re-runs the draw from the stored rows with the same code the standalone verifier runs. */
  async verify(caisseId: string, drawId: string): Promise<DrawVerificationDto> {
    return verifyPublishedDraw(await this.published(caisseId, drawId));
  }

  async load(caisseId: string, drawId: string, lock = false): Promise<{ draw: EnrolmentDraw; entries: EnrolmentDrawEntry[] }> {
    const draw = await this.txHost.tx.getRepository(EnrolmentDraw).findOne({ where: { id: drawId, caisseId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!draw) throw new NotFound('Enrolment draw', drawId);
    const entries = await this.txHost.tx.getRepository(EnrolmentDrawEntry).find({ where: { drawId } });
    return { draw, entries };
  }

  /**
   * The pool: the listed members, or every applicant and waitlisted member not already in an open draw. Rows are
   * locked so that two draws being committed at once cannot take the same applicant.
   */
  private async applicants(caisseId: string, dto: CreateEnrolmentDrawDto, errors: FieldErrors): Promise<{ member: Member; attributes: Record<string, string> }[]> {
    const repo = this.txHost.tx.getRepository(Member);
    const lock = { mode: 'pessimistic_write' as const };
    const open = async (ids: string[]) =>
      new Map<string, string>(
        (
          await this.txHost.tx.query(
            `SELECT e.member_id, d.label FROM enrolment_draw_entries e JOIN enrolment_draws d ON d.id = e.draw_id WHERE d.status = 'committed' AND e.member_id = ANY($1::uuid[])`,
            [ids],
          )
        ).map((r: { member_id: string; label: string }) => [r.member_id, r.label]),
      );
    if (!dto.pool) {
      const members = await repo.find({ where: { caisseId, status: In(DRAWABLE), erasedAt: IsNull() }, order: { id: 'ASC' }, lock });
      const busy = await open(members.map((m) => m.id));
      const free = members.filter((m) => !busy.has(m.id)).sort((a, b) => a.number - b.number);
      if (!free.length) errors.pool = ['no applicant or waitlisted member is free to be drawn (members in an open draw are left out)'];
      return free.map((member) => ({ member, attributes: {} }));
    }
    const ids = dto.pool.map((p) => p.memberId.toLowerCase());
    const found = new Map((await repo.find({ where: { caisseId, id: In(ids) }, order: { id: 'ASC' }, lock })).map((m) => [m.id, m]));
    const busy = await open(ids);
    const seen = new Set<string>();
    return dto.pool.map((p, i) => {
      const id = ids[i];
      const member = found.get(id);
      const add = (message: string) => (errors[`pool.${i}.memberId`] ??= []).push(message);
      if (seen.has(id)) add('this member is listed twice');
      seen.add(id);
      if (!member) add('no member of this caisse has this id');
      else if (member.erasedAt || !DRAWABLE.includes(member.status)) add(`the member is ${member.status}: only applicants and waitlisted members can be drawn`);
      else if (busy.has(id)) add(`the member is already in the open draw "${busy.get(id)}"`);
      return { member: member!, attributes: p.attributes ?? {} };
    });
  }
}

/** What is wrong with the request itself, before any member is read. */
function requestProblems(dto: CreateEnrolmentDrawDto): FieldErrors {
  const errors: FieldErrors = {};
  const add = (path: string, message: string) => (errors[path] ??= []).push(message);
  if (dto.strata.includes('ageBand') && !dto.ageBands) add('ageBands', 'give the age band boundaries to stratify by ageBand, e.g. [30, 45, 60]');
  if (dto.ageBands && !isStrictlyIncreasing(dto.ageBands)) add('ageBands', 'ageBands must be in increasing order');
  if (dto.strata.includes('incomeBand') && !dto.incomeBands) add('incomeBands', 'give the income band boundaries to stratify by incomeBand, e.g. ["900.00", "1500.00"]');
  if (dto.incomeBands && !isStrictlyIncreasing(dto.incomeBands)) add('incomeBands', 'incomeBands must be in increasing order');
  const custom = dto.strata.filter((a) => !(DERIVED_ATTRIBUTES as readonly string[]).includes(a));
  if (custom.length && !dto.pool) add('pool', `list the applicants with their ${custom.join(', ')} (custom strata are not stored on members)`);
  dto.pool?.forEach((p, i) => {
    for (const a of Object.keys(p.attributes ?? {})) {
      if ((DERIVED_ATTRIBUTES as readonly string[]).includes(a)) add(`pool.${i}.attributes.${a}`, `${a} is computed from the member record and cannot be given`);
    }
  });
  // Everything named before the pool is drawn, as for committee draws: nobody can try values until a cohort suits them.
  const r = dto.randomness;
  const named = commitmentProblems({ description: r.description, parties: r.parties ?? r.commitments.length, commitments: r.commitments, availableAfter: r.availableAfter }, new Date());
  for (const [path, messages] of Object.entries(named)) for (const m of messages) add(path, m);
  return errors;
}
