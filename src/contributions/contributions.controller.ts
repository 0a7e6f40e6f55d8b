import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../common/http/http-types.js';
import { ProblemDto } from '../common/errors/problem.js';
import { IdempotencyKey, markReplay } from '../common/idempotency/idempotency-key.decorator.js';
import { IdempotencyService } from '../common/idempotency/idempotency.service.js';
import { Roles } from '../common/request-context/decorators.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { ContributionRecorder } from './contribution-recorder.service.js';
import { ContributionDto, ContributionListQueryDto, ContributionStatusDto, PeriodQueryDto, QuoteDto, QuoteQueryDto, RecordContributionDto, WaiverInputDto } from './dto/contribution.dto.js';
import { MemberDuesService } from './member-dues.service.js';

@ApiTags('contributions')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId')
export class ContributionsController {
  constructor(
    private readonly recorder: ContributionRecorder,
    private readonly dues: MemberDuesService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Post('contributions')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Record money received from a member (for a month) or a contributor; posts D 512 / C 756 (7541, 7551, 7542, 741)' })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiCreatedResponse({ type: ContributionDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_FAILED (amount, memberId not active, fund unknown…)' })
  @ApiConflictResponse({ type: ProblemDto, description: 'IDEMPOTENCY_CONFLICT; GRANT_TRANCHE_EXPECTED (a public funder with an open grant: grantId and trancheRoute say where the payment belongs)' })
  async record(
    @UuidParam('caisseId') caisseId: string,
    @Body() dto: RecordContributionDto,
    @IdempotencyKey(true) key: string,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<ContributionDto> {
    const result = await this.idempotency.once(caisseId, 'contributions.record', key, dto, async () => ({ status: 201, body: await this.recorder.record(caisseId, dto) }));
    markReplay(res, result.replayed);
    return result.body;
  }

  @Get('members/:memberId/contribution-quote')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: "The member's monthly contribution under the rule in force for the period, with the computation" })
  @ApiOkResponse({ type: QuoteDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'QUOTE_NOT_COMPUTABLE (e.g. a grid and no declared income)' })
  quote(@UuidParam('caisseId') caisseId: string, @UuidParam('memberId') memberId: string, @Query() q: QuoteQueryDto): Promise<QuoteDto> {
    return this.dues.quote(caisseId, memberId, q.period, q.level);
  }

  @Get('members/:memberId/contribution-status')
  @Roles('admin', 'treasurer', 'committee')
  @ApiOperation({ summary: "The member's contribution status for a month: due, paid, partial or waived" })
  @ApiOkResponse({ type: ContributionStatusDto })
  status(@UuidParam('caisseId') caisseId: string, @UuidParam('memberId') memberId: string, @Query() q: PeriodQueryDto): Promise<ContributionStatusDto> {
    return this.dues.statusOfMember(caisseId, memberId, q.period);
  }

  @Post('members/:memberId/contribution-waivers')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: "Waive the member's contribution for a month (the allocation gate then lets the allocation through)" })
  @ApiCreatedResponse({ type: ContributionStatusDto })
  waive(@UuidParam('caisseId') caisseId: string, @UuidParam('memberId') memberId: string, @Body() dto: WaiverInputDto): Promise<ContributionStatusDto> {
    return this.dues.waive(caisseId, memberId, dto);
  }

  @Get('contribution-statuses')
  @Roles('admin', 'treasurer', 'committee')
  @ApiOperation({ summary: 'Contribution status of every member active in a month' })
  @ApiOkResponse({ type: [ContributionStatusDto] })
  statuses(@UuidParam('caisseId') caisseId: string, @Query() q: PeriodQueryDto): Promise<ContributionStatusDto[]> {
    return this.dues.statusFor(caisseId, q.period);
  }

  @Get('contributions')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Recorded contributions, newest first, filtered by month, member or contributor (at most 1000)' })
  @ApiOkResponse({ type: [ContributionDto] })
  list(@UuidParam('caisseId') caisseId: string, @Query() q: ContributionListQueryDto): Promise<ContributionDto[]> {
    return this.recorder.list(caisseId, q);
  }

  @Get('contributions/:contributionId')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'One recorded contribution' })
  @ApiOkResponse({ type: ContributionDto })
  get(@UuidParam('caisseId') caisseId: string, @UuidParam('contributionId') id: string): Promise<ContributionDto> {
    return this.recorder.get(caisseId, id);
  }
}
