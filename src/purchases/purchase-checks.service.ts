import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { todayInFrance } from '../common/dates.js';
import { DomainError } from '../common/errors/domain-error.js';
import { canonicalJson } from '../common/idempotency/idempotency.service.js';
import { formatMoney } from '../common/money/money.js';
import type { TerminalPrincipal } from '../common/request-context/principal.js';
import { CardBlocked, CardLocked } from '../members/members.errors.js';
import { MembersService } from '../members/members.service.js';
import type { ResolvedCard } from '../members/members.types.js';
import { OutletsService } from '../outlets/outlets.service.js';
import type { CreatePurchaseDto } from './dto/purchase.dto.js';
import type { PurchaseSettingsDto } from './dto/purchase-settings.dto.js';
import { checkShape, pinRequired, price } from './purchase-pricing.js';
import type { PurchaseItem } from './purchase-record.js';
import { InsufficientBalance, MemberCannotBuy, PinRequired, UnknownCard } from './purchases.errors.js';

/** Fingerprint of a purchase request: the outlet and the body, so a key reused elsewhere or for another sale is a 409. */
export function requestHash(outletId: string, dto: CreatePurchaseDto): string {
  return createHash('sha256').update(canonicalJson({ outletId, ...dto })).digest('hex');
}

/**
 * Everything decided before the write, in the order the issue sets: body, card or QR, PIN (outside any transaction,
 * so a wrong one stays counted), the outlet gate at the given instant, then the covered amount from the rates.
 */
@Injectable()
export class PurchaseChecks {
  constructor(
    private readonly members: MembersService,
    private readonly outlets: OutletsService,
  ) {}

  async prepare(args: { terminal: TerminalPrincipal; outletId: string; caisseId: string; key: string; dto: CreatePurchaseDto; settings: PurchaseSettingsDto; at: Date; capturedAt: Date | null }): Promise<PurchaseItem> {
    const { caisseId, dto, settings, outletId } = args;
    const total = checkShape(dto, settings);
    const card = await this.card(caisseId, dto, pinRequired(settings, dto.qr !== undefined, total));
    if (card.status !== 'active') throw new MemberCannotBuy(card.status);
    const [standing, coverage] = await Promise.all([this.outlets.assertCanAccept(caisseId, outletId, args.at), this.outlets.coverageAt(caisseId, outletId, args.at)]);
    const priced = price(dto, coverage);
    if (!card.walletAccount) throw new InsufficientBalance('0.00', formatMoney(priced.covered));
    return {
      caisseId,
      outletId,
      outletAccount: standing.accountCode,
      outletName: standing.name,
      memberId: card.memberId,
      walletAccount: card.walletAccount,
      terminalKeyId: args.terminal.keyId,
      key: args.key,
      hash: requestHash(outletId, dto),
      amount: priced.amount,
      covered: priced.covered,
      allowPartial: dto.allowPartial === true,
      capturedAt: args.capturedAt,
      date: todayInFrance(),
    };
  }

  private async card(caisseId: string, dto: CreatePurchaseDto, needsPin: boolean): Promise<ResolvedCard> {
    if (dto.qr !== undefined) return usable(await this.members.resolveQr(caisseId, dto.qr));
    if (needsPin) {
      if (dto.pin === undefined) throw new PinRequired();
      try {
        return usable(await this.members.verifyPin(caisseId, dto.card!, dto.pin));
      } catch (e) {
        // The members module answers an unknown card like a wrong PIN (for logins); a till needs to say which.
        if (e instanceof DomainError && e.code === 'INVALID_CREDENTIALS') throw new UnknownCard();
        throw e;
      }
    }
    const card = await this.members.resolveCard(caisseId, dto.card!);
    if (!card) throw new UnknownCard();
    return usable(card);
  }
}

function usable(card: ResolvedCard): ResolvedCard {
  if (card.cardState === 'locked') throw new CardLocked();
  if (card.cardState !== 'active') throw new CardBlocked(card.cardState);
  return card;
}
