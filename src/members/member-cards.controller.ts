import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProblemDto } from '../common/errors/problem.js';
import { CurrentPrincipal, Roles } from '../common/request-context/decorators.js';
import type { Principal } from '../common/request-context/principal.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { BlockCardDto, CardDto, IssuedCardDto, QrPayloadDto, ReplaceCardDto, SetPinDto } from './dto/card.dto.js';
import { MemberAccess } from './member-access.service.js';
import { MemberCardsService } from './member-cards.service.js';
import { MemberSessionsService } from './member-sessions.service.js';

@ApiTags('member cards')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/members/:memberId')
export class MemberCardsController {
  constructor(
    private readonly cards: MemberCardsService,
    private readonly sessions: MemberSessionsService,
    private readonly access: MemberAccess,
  ) {}

  @Get('cards')
  @Roles('admin', 'treasurer', 'member')
  @ApiOperation({ summary: 'Every card of the member, newest first' })
  @ApiOkResponse({ type: [CardDto] })
  async list(@UuidParam('caisseId') caisseId: string, @UuidParam('memberId') memberId: string, @CurrentPrincipal() principal: Principal): Promise<CardDto[]> {
    await this.access.viewOf(principal, caisseId, memberId);
    return this.cards.list(caisseId, memberId);
  }

  @Post('card/block')
  @HttpCode(200)
  @Roles('admin', 'member')
  @ApiOperation({ summary: 'Block the active card at once (lost, stolen); the member itself may do it' })
  @ApiOkResponse({ type: CardDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'NO_ACTIVE_CARD, MEMBER_ERASED' })
  async block(@UuidParam('caisseId') caisseId: string, @UuidParam('memberId') memberId: string, @Body() dto: BlockCardDto, @CurrentPrincipal() principal: Principal): Promise<CardDto> {
    await this.access.assertSelfOrAdmin(principal, caisseId, memberId);
    return this.cards.block(caisseId, memberId, dto.reason);
  }

  @Post('card/replacement')
  @Roles('admin')
  @ApiOperation({ summary: 'Issue a card with a new number for the same wallet; the PIN carries over unless newPin' })
  @ApiCreatedResponse({ type: IssuedCardDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'MEMBER_ERASED' })
  replace(@UuidParam('caisseId') caisseId: string, @UuidParam('memberId') memberId: string, @Body() dto: ReplaceCardDto): Promise<IssuedCardDto> {
    return this.cards.replace(caisseId, memberId, dto.reason, dto.newPin ?? false);
  }

  @Post('card/pin')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Set or reset the PIN of the active card (generated and returned once unless chosen); also unlocks it' })
  @ApiOkResponse({ type: IssuedCardDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'NO_ACTIVE_CARD, MEMBER_ERASED' })
  setPin(@UuidParam('caisseId') caisseId: string, @UuidParam('memberId') memberId: string, @Body() dto: SetPinDto): Promise<IssuedCardDto> {
    return this.cards.setPin(caisseId, memberId, dto.pin);
  }

  @Post('card/unlock')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Unlock a card locked by wrong PINs (the count restarts at zero)' })
  @ApiOkResponse({ type: CardDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'NO_ACTIVE_CARD, MEMBER_ERASED' })
  unlock(@UuidParam('caisseId') caisseId: string, @UuidParam('memberId') memberId: string): Promise<CardDto> {
    return this.cards.unlock(caisseId, memberId);
  }

  @Post('card/qr')
  @Roles('member')
  @ApiOperation({ summary: 'A signed, short-lived QR payload to pay with a phone (the member itself; holds no personal data)' })
  @ApiCreatedResponse({ type: QrPayloadDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'NO_ACTIVE_CARD' })
  async qr(@UuidParam('caisseId') caisseId: string, @UuidParam('memberId') memberId: string, @CurrentPrincipal() principal: Principal): Promise<QrPayloadDto> {
    await this.access.assertSelf(principal, caisseId, memberId);
    return this.sessions.createQr(caisseId, memberId);
  }
}
