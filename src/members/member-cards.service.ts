import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { generateCardNumber } from './card-number.js';
import type { CardDto, IssuedCardDto } from './dto/card.dto.js';
import { MemberCard } from './entities/member-card.entity.js';
import { Member } from './entities/member.entity.js';
import { MemberErased, MemberNotActive, MemberNotFound, NoActiveCard } from './members.errors.js';
import { isLocked, toCardDto } from './member-view.js';
import { generatePin, PinDigests } from './pin.js';

/** Cards of active members: issue, block, replace (new number, same wallet), PIN reset and unlock. */
@Injectable()
export class MemberCardsService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly audit: AuditService,
    private readonly pins: PinDigests,
  ) {}

  /** A new card (inside the caller's transaction); numbers are random, so a collision is simply drawn again. */
  async issue(caisseId: string, memberId: string, pinHash: string | null): Promise<MemberCard> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const rows: { id: string }[] = await this.txHost.tx.query(
        `INSERT INTO member_cards (caisse_id, member_id, card_number, pin_hash) VALUES ($1, $2, $3, $4)
         ON CONFLICT ON CONSTRAINT uq_member_cards_number DO NOTHING RETURNING id`,
        [caisseId, memberId, generateCardNumber(), pinHash],
      );
      if (rows.length) return this.txHost.tx.getRepository(MemberCard).findOneByOrFail({ id: rows[0].id });
    }
    throw new Error('could not draw a free card number in 10 attempts');
  }

  activeCard(memberId: string): Promise<MemberCard | null> {
    return this.txHost.tx.getRepository(MemberCard).findOneBy({ memberId, state: 'active' });
  }

  async list(caisseId: string, memberId: string): Promise<CardDto[]> {
    await this.member(caisseId, memberId);
    const cards = await this.txHost.tx.getRepository(MemberCard).find({ where: { caisseId, memberId }, order: { issuedAt: 'DESC', id: 'ASC' } });
    return cards.map(toCardDto);
  }

  @Transactional()
  async block(caisseId: string, memberId: string, reason: string): Promise<CardDto> {
    await this.member(caisseId, memberId, true);
    const card = await this.lockedActiveCard(memberId);
    await this.txHost.tx.getRepository(MemberCard).update({ id: card.id }, { state: 'blocked', blockedAt: new Date(), blockReason: reason });
    await this.audit.record({ caisseId, action: 'member-card.blocked', targetType: 'member', targetId: memberId, after: { cardId: card.id, reason } });
    return toCardDto(await this.txHost.tx.getRepository(MemberCard).findOneByOrFail({ id: card.id }));
  }

  /**
   * Issues a card with a new number for the same member and wallet. The current card (active, or the last blocked one)
   * is marked replaced by it; the PIN carries over unless a new one is asked for.
   */
  @Transactional()
  async replace(caisseId: string, memberId: string, reason: string, newPin: boolean): Promise<IssuedCardDto> {
    const member = await this.member(caisseId, memberId, true);
    if (member.status !== 'active' && member.status !== 'suspended') throw new MemberNotActive(member.status);
    const repo = this.txHost.tx.getRepository(MemberCard);
    const previous = await repo.findOne({ where: { memberId }, order: { issuedAt: 'DESC', id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
    const active = await this.activeCard(memberId);
    if (active) await repo.update({ id: active.id }, { state: 'replaced', blockedAt: new Date(), blockReason: reason });
    const source = active ?? previous;
    const pin = newPin || !source?.pinHash ? generatePin() : null;
    const card = await this.issue(caisseId, memberId, pin ? this.pins.digest(memberId, pin) : source!.pinHash);
    if (source) await repo.update({ id: source.id }, { replacedBy: card.id });
    await this.audit.record({ caisseId, action: 'member-card.replaced', targetType: 'member', targetId: memberId, after: { previousCardId: source?.id ?? null, cardId: card.id, reason, newPin: pin !== null } });
    return { card: toCardDto(card), pin };
  }

  /** Sets the PIN (chosen, or generated and returned once); it also clears failed attempts and the lock. */
  @Transactional()
  async setPin(caisseId: string, memberId: string, chosen: string | undefined): Promise<IssuedCardDto> {
    await this.member(caisseId, memberId, true);
    const card = await this.lockedActiveCard(memberId);
    const pin = chosen ?? generatePin();
    await this.txHost.tx.getRepository(MemberCard).update({ id: card.id }, { pinHash: this.pins.digest(memberId, pin), pinAttempts: 0, lockedAt: null });
    await this.audit.record({ caisseId, action: 'member-card.pin-set', targetType: 'member', targetId: memberId, after: { cardId: card.id, generated: chosen === undefined } });
    return { card: toCardDto(await this.txHost.tx.getRepository(MemberCard).findOneByOrFail({ id: card.id })), pin: chosen === undefined ? pin : null };
  }

  @Transactional()
  async unlock(caisseId: string, memberId: string): Promise<CardDto> {
    await this.member(caisseId, memberId, true);
    const card = await this.lockedActiveCard(memberId);
    if (isLocked(card) || card.pinAttempts > 0) {
      await this.txHost.tx.getRepository(MemberCard).update({ id: card.id }, { pinAttempts: 0, lockedAt: null });
      await this.audit.record({ caisseId, action: 'member-card.unlocked', targetType: 'member', targetId: memberId, after: { cardId: card.id, failedAttempts: card.pinAttempts } });
    }
    return toCardDto(await this.txHost.tx.getRepository(MemberCard).findOneByOrFail({ id: card.id }));
  }

  /** When a member leaves or is erased: the active card stops working, and an erased member's PINs are forgotten. */
  async retire(memberId: string, reason: string, forgetPins: boolean): Promise<void> {
    await this.txHost.tx.query(`UPDATE member_cards SET state = 'blocked', blocked_at = now(), block_reason = $2 WHERE member_id = $1 AND state = 'active'`, [memberId, reason]);
    if (forgetPins) await this.txHost.tx.query(`UPDATE member_cards SET pin_hash = NULL WHERE member_id = $1 AND pin_hash IS NOT NULL`, [memberId]);
  }

  private async member(caisseId: string, memberId: string, forChange = false): Promise<Member> {
    const member = await this.txHost.tx.getRepository(Member).findOne({ where: { id: memberId, caisseId }, ...(forChange ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!member) throw new MemberNotFound(memberId);
    if (forChange && member.erasedAt) throw new MemberErased(memberId);
    return member;
  }

  private async lockedActiveCard(memberId: string): Promise<MemberCard> {
    const card = await this.txHost.tx.getRepository(MemberCard).findOne({ where: { memberId, state: 'active' }, lock: { mode: 'pessimistic_write' } });
    if (!card) throw new NoActiveCard();
    return card;
  }
}
