import { Body, Controller, Get, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../common/http/http-types.js';
import { ProblemDto } from '../common/errors/problem.js';
import { IdempotencyKey, markReplay } from '../common/idempotency/idempotency-key.decorator.js';
import { IdempotencyService } from '../common/idempotency/idempotency.service.js';
import type { Page } from '../common/pagination/cursor.js';
import { CurrentPrincipal, Roles } from '../common/request-context/decorators.js';
import type { Principal } from '../common/request-context/principal.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { CreateMemberDto, UpdateMemberDto } from './dto/member-input.dto.js';
import { CreatedMemberDto, MemberDto, MemberListQueryDto, MemberPageDto } from './dto/member.dto.js';
import { MemberAccess } from './member-access.service.js';
import { MemberRegistry } from './member-registry.service.js';

@ApiTags('members')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/members')
export class MembersController {
  constructor(
    private readonly registry: MemberRegistry,
    private readonly access: MemberAccess,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Enrol a household representative; an active member gets a wallet and a card (PIN returned once)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: CreatedMemberDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'EMAIL_TAKEN, IDEMPOTENCY_CONFLICT' })
  async create(
    @UuidParam('caisseId') caisseId: string,
    @Body() dto: CreateMemberDto,
    @IdempotencyKey() key: string | undefined,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<CreatedMemberDto> {
    // The PIN is neither stored with the replay nor part of its fingerprint: only its argon2 hash is ever kept.
    let pin: string | null = null;
    const result = await this.idempotency.once(caisseId, 'members.create', key, { ...dto, pin: undefined }, async () => {
      const created = await this.registry.create(caisseId, dto);
      pin = created.pin;
      return { status: 201, body: created.member };
    });
    markReplay(res, result.replayed);
    return { ...result.body, pin: result.replayed ? null : pin };
  }

  @Get()
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Members of the caisse by number, optionally of one status' })
  @ApiOkResponse({ type: MemberPageDto })
  list(@UuidParam('caisseId') caisseId: string, @Query() query: MemberListQueryDto): Promise<Page<MemberDto>> {
    return this.registry.list(caisseId, query);
  }

  @Get(':memberId')
  @Roles('admin', 'treasurer', 'member')
  @ApiOperation({ summary: 'One member (a member reads only itself; declared income only for admins and treasurers)' })
  @ApiOkResponse({ type: MemberDto })
  async get(@UuidParam('caisseId') caisseId: string, @UuidParam('memberId') memberId: string, @CurrentPrincipal() principal: Principal): Promise<MemberDto> {
    const view = await this.access.viewOf(principal, caisseId, memberId);
    return this.registry.get(caisseId, memberId, view);
  }

  @Patch(':memberId')
  @Roles('admin')
  @ApiOperation({ summary: 'Change a member: identity, contact, household, income, consents, login account, or status (dated)' })
  @ApiOkResponse({ type: MemberDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'EMAIL_TAKEN, INVALID_STATUS_TRANSITION, MEMBER_ERASED, USER_ALREADY_LINKED' })
  update(@UuidParam('caisseId') caisseId: string, @UuidParam('memberId') memberId: string, @Body() dto: UpdateMemberDto): Promise<MemberDto> {
    return this.registry.update(caisseId, memberId, dto);
  }
}
