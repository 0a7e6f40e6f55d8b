import { Injectable } from '@nestjs/common';
import { In, QueryFailedError } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { CaissesService } from '../caisses/caisses.service.js';
import { todayInFrance } from '../common/dates.js';
import { Conflict, ValidationFailed } from '../common/errors/domain-error.js';
import { money } from '../common/money/money.js';
import { decodeCursor, type Page, toPage } from '../common/pagination/cursor.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { CreateMemberDto, UpdateMemberDto } from './dto/member-input.dto.js';
import type { MemberDto, MemberListQueryDto } from './dto/member.dto.js';
import { MemberCard } from './entities/member-card.entity.js';
import { MemberStatusChange } from './entities/member-status.entity.js';
import { Member } from './entities/member.entity.js';
import { pseudonymOf } from './household.js';
import { MemberCardsService } from './member-cards.service.js';
import { memberChanges } from './member-update.js';
import { auditFacts, type MemberView, toMemberDto } from './member-view.js';
import { EmailTaken, InvalidStatusTransition, MemberErased, MemberNotFound } from './members.errors.js';
import type { MemberStatus } from './members.types.js';
import { generatePin, PinDigests } from './pin.js';

/** Which status may follow which; "left" is not final (a household may apply again). */
export const TRANSITIONS: Record<MemberStatus, MemberStatus[]> = {
  applicant: ['waitlisted', 'active', 'left'],
  waitlisted: ['applicant', 'active', 'left'],
  active: ['suspended', 'left'],
  suspended: ['active', 'left'],
  left: ['applicant', 'active'],
};

function pgError(e: unknown): { code?: string; constraint?: string } {
  return e instanceof QueryFailedError ? (e.driverError as { code?: string; constraint?: string }) : {};
}

/** The register of members: creation, changes, the dated status history and what activation brings (wallet, card). */
@Injectable()
export class MemberRegistry {
  constructor(
    readonly txHost: TransactionHost,
    private readonly audit: AuditService,
    private readonly ledger: LedgerService,
    private readonly caisses: CaissesService,
    private readonly cards: MemberCardsService,
    private readonly pins: PinDigests,
  ) {}

  /** Creates a member; an active one gets its wallet and card at once (the PIN is generated unless chosen or withheld). */
  @Transactional()
  async create(caisseId: string, dto: CreateMemberDto, opts: { issuePin: boolean } = { issuePin: true }): Promise<{ member: MemberDto; pin: string | null }> {
    await this.caisses.get(caisseId);
    if (dto.pin !== undefined && dto.status !== 'active') throw new ValidationFailed({ pin: ['a PIN is only set for an active member (cards are issued on activation)'] });
    const email = dto.contact?.email ?? null;
    if (email) await this.assertEmailFree(caisseId, email);
    const [{ last }]: { last: number }[] = await this.txHost.tx.query(
      `INSERT INTO member_counters (caisse_id, last_number) VALUES ($1, 1)
       ON CONFLICT (caisse_id) DO UPDATE SET last_number = member_counters.last_number + 1 RETURNING last_number AS last`,
      [caisseId],
    );
    const walletAccount = dto.status === 'active' ? await this.ensureWallet(caisseId, last) : null;
    const repo = this.txHost.tx.getRepository(Member);
    const consentsGiven = dto.consents !== undefined;
    const values: Partial<Member> = {
      caisseId,
      number: last,
      firstName: dto.firstName,
      lastName: dto.lastName,
      birthYear: dto.birthYear ?? null,
      commune: dto.commune,
      email,
      phone: dto.contact?.phone ?? null,
      address: dto.contact?.address ?? null,
      status: dto.status,
      joinedOn: dto.joinedOn,
      adults: dto.household.adults,
      childrenBirthYears: dto.household.childrenBirthYears,
      monthlyIncome: dto.monthlyIncome === undefined ? null : money(dto.monthlyIncome),
      incomeDeclaredOn: dto.monthlyIncome === undefined ? null : todayInFrance(),
      consentDataProcessing: dto.consents?.dataProcessing ?? false,
      consentContact: dto.consents?.contact ?? false,
      consentResearch: dto.consents?.research ?? false,
      consentsUpdatedAt: consentsGiven ? new Date() : null,
      walletAccount,
      updatedAt: new Date(),
    };
    let id: string;
    try {
      id = (await repo.insert(values)).identifiers[0].id as string;
    } catch (e) {
      if (pgError(e).constraint === 'uq_members_email') throw new EmailTaken(email!);
      throw e;
    }
    await this.recordStatus(caisseId, id, dto.status, dto.joinedOn, null);
    let pin: string | null = null;
    if (dto.status === 'active') {
      pin = dto.pin ?? (opts.issuePin ? generatePin() : null);
      await this.cards.issue(caisseId, id, pin ? this.pins.digest(id, pin) : null);
      if (dto.pin !== undefined) pin = null;
    }
    const member = await repo.findOneByOrFail({ id });
    await this.audit.record({ caisseId, action: 'member.created', targetType: 'member', targetId: id, after: auditFacts(member) });
    return { member: await this.view(member, 'staff'), pin };
  }

  @Transactional()
  async update(caisseId: string, memberId: string, dto: UpdateMemberDto): Promise<MemberDto> {
    const member = await this.lockMember(caisseId, memberId);
    const email = dto.contact?.email;
    if (email) await this.assertEmailFree(caisseId, email, memberId);
    const { changes, changed } = memberChanges(member, dto, todayInFrance());
    if (dto.status !== undefined && dto.status !== member.status) {
      await this.changeStatus(member, dto.status, dto.statusOn ?? todayInFrance(), dto.statusReason ?? null);
      changed.push('status');
    } else if (dto.statusOn !== undefined || dto.statusReason !== undefined) {
      throw new ValidationFailed({ status: ['statusOn and statusReason go with a change of status'] });
    }
    try {
      await this.txHost.tx.getRepository(Member).update({ id: memberId }, { ...changes, updatedAt: new Date() });
    } catch (e) {
      const { code, constraint } = pgError(e);
      if (constraint === 'uq_members_email') throw new EmailTaken(email!);
      if (constraint === 'uq_members_user') throw new Conflict('USER_ALREADY_LINKED', 'This user account is already linked to another member of this caisse.', { errors: { userId: ['already linked to another member'] } });
      if (code === '23503') throw new ValidationFailed({ userId: ['no user account has this id'] });
      throw e;
    }
    const saved = await this.txHost.tx.getRepository(Member).findOneByOrFail({ id: memberId });
    if (changed.length) await this.audit.record({ caisseId, action: 'member.updated', targetType: 'member', targetId: memberId, after: { ...auditFacts(saved), changed } });
    return this.view(saved, 'staff');
  }

  /**
   * Moves a locked member to another status from a date on, with what the status brings: becoming active opens the
   * wallet (first time) and issues a card without PIN if none is active; leaving blocks the card.
   */
  async changeStatus(member: Member, to: MemberStatus, onDate: string, reason: string | null, opts: { clampDate?: boolean } = {}): Promise<void> {
    if (member.erasedAt) throw new MemberErased(member.id);
    if (!TRANSITIONS[member.status].includes(to)) throw new InvalidStatusTransition(member.status, to, TRANSITIONS[member.status]);
    const [{ last }]: { last: string | null }[] = await this.txHost.tx.query(`SELECT max(effective_on)::text AS last FROM member_status_history WHERE member_id = $1`, [member.id]);
    let on = onDate;
    // Bulk changes (a draw, an erasure) take effect on the given day or, for a member whose history runs later, that later day.
    if (last && on < last && opts.clampDate) on = last;
    if (last && on < last) throw new ValidationFailed({ statusOn: [`the status cannot change before its last change, on ${last}`] });
    if (to === 'active') {
      member.walletAccount ??= await this.ensureWallet(member.caisseId, member.number);
      await this.txHost.tx.query(`UPDATE members SET wallet_account = $2 WHERE id = $1`, [member.id, member.walletAccount]);
      if (!(await this.cards.activeCard(member.id))) await this.cards.issue(member.caisseId, member.id, null);
    }
    if (to === 'left') await this.cards.retire(member.id, 'member left', false);
    await this.recordStatus(member.caisseId, member.id, to, on, reason);
    member.status = to;
    await this.txHost.tx.query(`UPDATE members SET status = $2, updated_at = now() WHERE id = $1`, [member.id, to]);
  }

  async lockMember(caisseId: string, memberId: string): Promise<Member> {
    const member = await this.txHost.tx.getRepository(Member).findOne({ where: { id: memberId, caisseId }, lock: { mode: 'pessimistic_write' } });
    if (!member) throw new MemberNotFound(memberId);
    if (member.erasedAt) throw new MemberErased(memberId);
    return member;
  }

  async get(caisseId: string, memberId: string, view: MemberView): Promise<MemberDto> {
    const member = await this.txHost.tx.getRepository(Member).findOneBy({ id: memberId, caisseId });
    if (!member) throw new MemberNotFound(memberId);
    return this.view(member, view);
  }

  /** `search` (web pages): part of a name or email, or a member number (M00000042 or 42). */
  async list(caisseId: string, query: MemberListQueryDto & { search?: string }): Promise<Page<MemberDto>> {
    const limit = query.limit ?? 50;
    const after = decodeCursor<{ n: number }>(query.cursor, ['n']);
    const qb = this.txHost.tx.getRepository(Member).createQueryBuilder('m').where('m.caisse_id = :caisseId', { caisseId }).orderBy('m.number', 'ASC').limit(limit + 1);
    if (query.status) qb.andWhere('m.status = :status', { status: query.status });
    if (after) qb.andWhere('m.number > :n', { n: Number(after.n) || 0 });
    const search = query.search?.trim();
    if (search) {
      const number = /^M?0*(\d{1,9})$/i.exec(search);
      const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere('(m.lastName ILIKE :like OR m.firstName ILIKE :like OR m.email ILIKE :like' + (number ? ' OR m.number = :num)' : ')'), { like, num: number ? Number(number[1]) : 0 });
    }
    const rows = await qb.getMany();
    const views = await this.views(rows.slice(0, limit), 'staff');
    return toPage(rows, limit, (m) => ({ n: m.number }), (m) => views.get(m.id)!);
  }

  async view(member: Member, view: MemberView): Promise<MemberDto> {
    return (await this.views([member], view)).get(member.id)!;
  }

  private async views(members: Member[], view: MemberView): Promise<Map<string, MemberDto>> {
    const ids = members.map((m) => m.id);
    const history = ids.length ? await this.txHost.tx.getRepository(MemberStatusChange).find({ where: { memberId: In(ids) }, order: { effectiveOn: 'ASC', id: 'ASC' } }) : [];
    const cards = ids.length ? await this.txHost.tx.getRepository(MemberCard).find({ where: { memberId: In(ids), state: 'active' } }) : [];
    return new Map(members.map((m) => [m.id, toMemberDto(m, history.filter((h) => h.memberId === m.id), cards.find((c) => c.memberId === m.id), view)]));
  }

  private async recordStatus(caisseId: string, memberId: string, status: MemberStatus, on: string, reason: string | null): Promise<void> {
    await this.txHost.tx.query(`INSERT INTO member_status_history (caisse_id, member_id, status, effective_on, reason) VALUES ($1, $2, $3, $4, $5)`, [caisseId, memberId, status, on, reason]);
  }

  /** The wallet carries only the pseudonym: the books go to the accountant and the tax office, names never do. */
  private ensureWallet(caisseId: string, number: number): Promise<string> {
    const pseudonym = pseudonymOf(number);
    return this.ledger.ensureAuxAccount({ caisseId, number: '4671', aux: pseudonym, label: `Adhérent ${pseudonym}` });
  }

  private async assertEmailFree(caisseId: string, email: string, exceptId?: string): Promise<void> {
    const rows: unknown[] = await this.txHost.tx.query(`SELECT 1 FROM members WHERE caisse_id = $1 AND email = $2 AND id IS DISTINCT FROM $3::uuid`, [caisseId, email, exceptId ?? null]);
    if (rows.length) throw new EmailTaken(email);
  }
}
