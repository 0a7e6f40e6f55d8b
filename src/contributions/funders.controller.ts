import { Body, Controller, Get, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../common/http/http-types.js';
import { todayInFrance } from '../common/dates.js';
import { ProblemDto } from '../common/errors/problem.js';
import { IdempotencyKey, markReplay } from '../common/idempotency/idempotency-key.decorator.js';
import { IdempotencyService } from '../common/idempotency/idempotency.service.js';
import { Roles } from '../common/request-context/decorators.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { ContributorsService } from './contributors.service.js';
import { ContributorDto, ContributorInputDto, ContributorUpdateDto } from './dto/contributor.dto.js';
import { AvailableForAllocationsDto, FundInputDto, FundReportQueryDto, FundReportRowDto } from './dto/fund.dto.js';
import { GrantDto, GrantInputDto, TrancheInputDto } from './dto/grant.dto.js';
import { FundsService } from './funds.service.js';
import { GrantsService } from './grants.service.js';

/** Contributors, their grant agreements and tranches, and the earmarked funds they feed. */
@ApiTags('contributions')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId')
export class FundersController {
  constructor(
    private readonly contributors: ContributorsService,
    private readonly grants: GrantsService,
    private readonly funds: FundsService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Post('contributors')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Register an employer (SIRET checked), public funder, foundation, company (mécénat) or individual donor' })
  @ApiCreatedResponse({ type: ContributorDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_FAILED (siret, iban, kind…)' })
  createContributor(@UuidParam('caisseId') caisseId: string, @Body() dto: ContributorInputDto): Promise<ContributorDto> {
    return this.contributors.create(caisseId, dto);
  }

  @Get('contributors')
  @Roles('admin', 'treasurer', 'committee')
  @ApiOperation({ summary: 'Contributors of the caisse' })
  @ApiOkResponse({ type: [ContributorDto] })
  listContributors(@UuidParam('caisseId') caisseId: string): Promise<ContributorDto[]> {
    return this.contributors.list(caisseId);
  }

  @Get('contributors/:contributorId')
  @Roles('admin', 'treasurer', 'committee')
  @ApiOperation({ summary: 'One contributor' })
  @ApiOkResponse({ type: ContributorDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'NOT_FOUND' })
  getContributor(@UuidParam('caisseId') caisseId: string, @UuidParam('contributorId') id: string): Promise<ContributorDto> {
    return this.contributors.get(caisseId, id);
  }

  @Put('contributors/:contributorId')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Correct a contributor’s name, SIRET, IBAN or address (kind and number stay: they chose its accounts)' })
  @ApiOkResponse({ type: ContributorDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_FAILED (name, siret, iban…)' })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'NOT_FOUND' })
  updateContributor(@UuidParam('caisseId') caisseId: string, @UuidParam('contributorId') id: string, @Body() dto: ContributorUpdateDto): Promise<ContributorDto> {
    return this.contributors.update(caisseId, id, dto);
  }

  @Post('grants')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Record a notified grant agreement: D 441 / C 741 (public funder) or D 4687 / C 7551 (others)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: GrantDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_FAILED (fund unknown, contributor, dates…)' })
  @ApiConflictResponse({ type: ProblemDto, description: 'GRANT_REFERENCE_TAKEN, IDEMPOTENCY_CONFLICT' })
  async createGrant(
    @UuidParam('caisseId') caisseId: string,
    @Body() dto: GrantInputDto,
    @IdempotencyKey() key: string | undefined,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<GrantDto> {
    const result = await this.idempotency.once(caisseId, 'grants.create', key, dto, async () => ({ status: 201, body: await this.grants.create(caisseId, dto) }));
    markReplay(res, result.replayed);
    return result.body;
  }

  @Get('grants')
  @Roles('admin', 'treasurer', 'committee')
  @ApiOperation({ summary: 'Grant agreements with what was received and what remains' })
  @ApiOkResponse({ type: [GrantDto] })
  listGrants(@UuidParam('caisseId') caisseId: string): Promise<GrantDto[]> {
    return this.grants.list(caisseId);
  }

  @Post('grants/:grantId/tranches')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Record a tranche received: D 512 / C 441 (or 4687); never more than what remains' })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiCreatedResponse({ type: GrantDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_FAILED (amount above the remaining amount…)' })
  async addTranche(
    @UuidParam('caisseId') caisseId: string,
    @UuidParam('grantId') grantId: string,
    @Body() dto: TrancheInputDto,
    @IdempotencyKey(true) key: string,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<GrantDto> {
    const result = await this.idempotency.once(caisseId, `grants.tranche:${grantId}`, key, dto, async () => ({
      status: 201,
      body: await this.grants.addTranche(caisseId, grantId, dto),
    }));
    markReplay(res, result.replayed);
    return result.body;
  }

  @Post('funds')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Add an earmark to the fund catalogue' })
  @ApiCreatedResponse({ type: FundReportRowDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'FUND_EXISTS' })
  async createFund(@UuidParam('caisseId') caisseId: string, @Body() dto: FundInputDto): Promise<FundReportRowDto> {
    await this.funds.create(caisseId, dto);
    return (await this.funds.report(caisseId)).find((f) => f.fund === dto.code)!;
  }

  @Get('funds')
  @Roles('admin', 'treasurer', 'committee')
  @ApiOperation({ summary: 'Per fund (and unrestricted): received, receivable, used, available' })
  @ApiOkResponse({ type: [FundReportRowDto] })
  fundReport(@UuidParam('caisseId') caisseId: string, @Query() q: FundReportQueryDto): Promise<FundReportRowDto[]> {
    return this.funds.report(caisseId, q.at ?? todayInFrance());
  }

  @Get('funds/available-for-allocations')
  @Roles('admin', 'treasurer', 'committee')
  @ApiOperation({ summary: 'Cash + receivables of funds usable for allocations − commitments (wallets, owed to outlets)' })
  @ApiOkResponse({ type: AvailableForAllocationsDto })
  available(@UuidParam('caisseId') caisseId: string, @Query() q: FundReportQueryDto): Promise<AvailableForAllocationsDto> {
    return this.funds.availableForAllocations(caisseId, q.at ?? todayInFrance());
  }
}
