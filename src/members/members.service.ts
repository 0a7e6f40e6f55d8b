import { Injectable } from '@nestjs/common';
import type { Page } from '../common/pagination/cursor.js';
import type { CardDto, IssuedCardDto } from './dto/card.dto.js';
import type { MemberExportDto } from './dto/export.dto.js';
import type { ImportReportDto } from './dto/import.dto.js';
import type { CreateMemberDto } from './dto/member-input.dto.js';
import type { MemberDto } from './dto/member.dto.js';
import type { WalletDto } from './dto/wallet.dto.js';
import { MemberCardsService } from './member-cards.service.js';
import { MemberImportService } from './member-import.service.js';
import { MemberPrivacyService } from './member-privacy.service.js';
import { MemberRegistry } from './member-registry.service.js';
import { MemberRoster } from './member-roster.service.js';
import { MemberSessionsService } from './member-sessions.service.js';
import { MemberWalletService } from './member-wallet.service.js';
import type { MemberMoves, MemberProfile, PeriodHousehold, ResolvedCard } from './members.types.js';

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
    private readonly cardsService: MemberCardsService,
    private readonly imports: MemberImportService,
    private readonly privacy: MemberPrivacyService,
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

  /** Members with their status on `at`, commune, household size and declared income: for aggregated reports only. */
  profilesAt(caisseId: string, at: string): Promise<MemberProfile[]> {
    return this.roster.profilesAt(caisseId, at);
  }

  /** Enrolments and exits dated in [from, to]. */
  movesBetween(caisseId: string, from: string, to: string): Promise<MemberMoves> {
    return this.roster.movesBetween(caisseId, from, to);
  }

  // For the web pages, which check roles and self-access themselves (as the API controllers do with MemberAccess).

  /** The member as the viewer may see it: 'staff' shows declared income, 'self' does not. */
  view(caisseId: string, memberId: string, as: 'staff' | 'self'): Promise<MemberDto> {
    return this.registry.get(caisseId, memberId, as);
  }

  /** Members by number; `search` matches part of a name or email, or a member number. */
  list(caisseId: string, query: { cursor?: string; limit?: number; status?: string; search?: string }): Promise<Page<MemberDto>> {
    return this.registry.list(caisseId, query);
  }

  /** Enrols a member; an active one gets a wallet and a card, with the generated PIN returned once. */
  create(caisseId: string, dto: CreateMemberDto): Promise<{ member: MemberDto; pin: string | null }> {
    return this.registry.create(caisseId, dto);
  }

  importCheck(caisseId: string, csv: string): Promise<ImportReportDto> {
    return this.imports.dryRun(caisseId, csv);
  }

  /** All lines or none (ValidationFailed with every line's errors). */
  importCommit(caisseId: string, csv: string): Promise<ImportReportDto> {
    return this.imports.commit(caisseId, csv);
  }

  wallet(caisseId: string, memberId: string, query: { cursor?: string; limit?: number } = {}): Promise<WalletDto> {
    return this.wallets.wallet(caisseId, memberId, query);
  }

  cards(caisseId: string, memberId: string): Promise<CardDto[]> {
    return this.cardsService.list(caisseId, memberId);
  }

  blockCard(caisseId: string, memberId: string, reason: string): Promise<CardDto> {
    return this.cardsService.block(caisseId, memberId, reason);
  }

  /** A new PIN (generated and returned once unless chosen); also unlocks the card. */
  resetPin(caisseId: string, memberId: string, chosen?: string): Promise<IssuedCardDto> {
    return this.cardsService.setPin(caisseId, memberId, chosen);
  }

  /** A card with a new number for the same wallet (lost, damaged, blocked); the PIN carries over unless `newPin`. */
  replaceCard(caisseId: string, memberId: string, reason: string, newPin: boolean): Promise<IssuedCardDto> {
    return this.cardsService.replace(caisseId, memberId, reason, newPin);
  }

  unlockCard(caisseId: string, memberId: string): Promise<CardDto> {
    return this.cardsService.unlock(caisseId, memberId);
  }

  /** Every personal data held about the member (GDPR access), as one document. */
  exportData(caisseId: string, memberId: string): Promise<MemberExportDto> {
    return this.privacy.export(caisseId, memberId);
  }
}
