import { Injectable } from '@nestjs/common';
import type { MemberDto } from './dto/member.dto.js';
import { MemberRegistry } from './member-registry.service.js';
import { MemberRoster } from './member-roster.service.js';
import { MemberSessionsService } from './member-sessions.service.js';
import { MemberWalletService } from './member-wallet.service.js';
import type { PeriodHousehold, ResolvedCard } from './members.types.js';

/**
 * Facade of the members module for the modules above it (purchases, allocations, governance). Nothing it returns
 * besides get() carries personal data: a card resolves to the member's id, pseudonym, wallet and states.
 */
@Injectable()
export class MembersService {
  constructor(
    private readonly registry: MemberRegistry,
    private readonly sessions: MemberSessionsService,
    private readonly roster: MemberRoster,
    private readonly wallets: MemberWalletService,
  ) {}

  /** The member as admins see it (declared income included). */
  get(caisseId: string, memberId: string): Promise<MemberDto> {
    return this.registry.get(caisseId, memberId, 'staff');
  }

  /** Card number -> member, wallet and states; undefined for an unknown number. Check status and cardState before paying. */
  resolveCard(caisseId: string, cardNumber: string): Promise<ResolvedCard | undefined> {
    return this.sessions.resolveCard(caisseId, cardNumber);
  }

  /** Signed QR payload (from POST …/members/{id}/card/qr) -> the same; throws INVALID_QR when forged or expired. */
  resolveQr(caisseId: string, payload: string): Promise<ResolvedCard> {
    return this.sessions.resolveQr(caisseId, payload);
  }

  /**
   * Card + PIN check with the lockout counted in the database. Call it before opening the purchase's transaction:
   * it commits its own, so a wrong PIN stays counted whatever the caller does next (it throws if called inside one).
   * Throws INVALID_CREDENTIALS, INVALID_PIN (attemptsLeft), CARD_LOCKED, CARD_BLOCKED or PIN_NOT_SET.
   */
  verifyPin(caisseId: string, cardNumber: string, pin: string): Promise<ResolvedCard> {
    return this.sessions.verifyPin(caisseId, cardNumber, pin);
  }

  /**
   * Members active on at least one day of the month (YYYY-MM), with days active and household on the first day;
   * with `memberId`, only that member (an empty list when not active then).
   */
  activeInPeriod(caisseId: string, period: string, memberId?: string): Promise<PeriodHousehold[]> {
    return this.roster.activeInPeriod(caisseId, period, memberId);
  }

  /**
   * Declared monthly income per member (only those who declared one), for the contributions module's dues of a whole
   * period at once. Personal data, like get(): never pass it on beyond the dues computation.
   */
  declaredIncomes(caisseId: string): Promise<Map<string, string>> {
    return this.roster.declaredIncomes(caisseId);
  }

  /** What the member can spend now, as a decimal string ("0.00" before the wallet exists). */
  walletBalance(caisseId: string, memberId: string): Promise<string> {
    return this.wallets.balanceOf(caisseId, memberId);
  }
}
