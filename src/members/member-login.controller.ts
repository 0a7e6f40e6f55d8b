import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ProblemDto } from '../common/errors/problem.js';
import { Public } from '../common/request-context/decorators.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { MemberLoginDto, MemberTokenDto } from './dto/card.dto.js';
import { MemberSessionsService } from './member-sessions.service.js';

@ApiTags('member cards')
@Controller('api/v1/caisses/:caisseId/members')
export class MemberLoginController {
  constructor(private readonly sessions: MemberSessionsService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Member login with card number and PIN: a short-lived token that reads only this member' })
  @ApiOkResponse({ type: MemberTokenDto })
  @ApiUnauthorizedResponse({ type: ProblemDto, description: 'INVALID_CREDENTIALS (unknown card), INVALID_PIN (with attemptsLeft)' })
  @ApiForbiddenResponse({ type: ProblemDto, description: 'CARD_BLOCKED, MEMBER_NOT_ACTIVE' })
  @ApiConflictResponse({ type: ProblemDto, description: 'PIN_NOT_SET' })
  @ApiResponse({ status: 423, type: ProblemDto, description: 'CARD_LOCKED: too many wrong PINs, an admin must unlock the card' })
  login(@UuidParam('caisseId') caisseId: string, @Body() dto: MemberLoginDto): Promise<MemberTokenDto> {
    // Public, so no guard vouched for the caisse: an unknown caisse simply finds no card.
    return this.sessions.login(caisseId.toLowerCase(), dto.cardNumber, dto.pin);
  }
}
