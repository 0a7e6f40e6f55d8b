import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { todayInFrance } from '../common/dates.js';
import { DomainError, ValidationFailed } from '../common/errors/domain-error.js';
import { ProblemDto } from '../common/errors/problem.js';
import { CurrentPrincipal, Roles } from '../common/request-context/decorators.js';
import type { Principal } from '../common/request-context/principal.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { isIsoDate } from '../common/validation/validators.js';
import { CoverageVersionDto, CreateCoverageDto } from './dto/coverage.dto.js';
import { OutletAccess } from './outlet-access.service.js';
import { OutletCoverageService } from './outlet-coverage.service.js';

@ApiTags('outlets')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/outlets/:outletId/coverage')
export class OutletCoverageController {
  constructor(
    private readonly coverage: OutletCoverageService,
    private readonly access: OutletAccess,
  ) {}

  @Post()
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Set the coverage rates per product category from a date (a new immutable version)' })
  @ApiCreatedResponse({ type: CoverageVersionDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'COVERAGE_VERSION_EXISTS' })
  create(@UuidParam('caisseId') caisseId: string, @UuidParam('outletId') outletId: string, @Body() dto: CreateCoverageDto): Promise<CoverageVersionDto> {
    return this.coverage.create(caisseId, outletId, dto);
  }

  @Get()
  @Roles('admin', 'treasurer', 'committee', 'cashier')
  @ApiOperation({ summary: 'Every version of the coverage rates, oldest first' })
  @ApiOkResponse({ type: [CoverageVersionDto] })
  async list(@UuidParam('caisseId') caisseId: string, @UuidParam('outletId') outletId: string, @CurrentPrincipal() principal: Principal): Promise<CoverageVersionDto[]> {
    await this.access.assertCanSee(principal, caisseId, outletId);
    return this.coverage.list(caisseId, outletId);
  }

  @Get('in-force')
  @Roles('admin', 'treasurer', 'committee', 'cashier', 'member', 'terminal')
  @ApiSecurity('terminal')
  @ApiOperation({ summary: 'The rates in force on a date (default: today), as purchases apply them' })
  @ApiQuery({ name: 'at', required: false, example: '2027-01-15' })
  @ApiOkResponse({ type: CoverageVersionDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'NO_COVERAGE_IN_FORCE' })
  async inForce(
    @UuidParam('caisseId') caisseId: string,
    @UuidParam('outletId') outletId: string,
    @CurrentPrincipal() principal: Principal,
    @Query('at') at?: string,
  ): Promise<CoverageVersionDto> {
    if (at !== undefined && !isIsoDate(at)) throw new ValidationFailed({ at: ['at must be a date written YYYY-MM-DD'] });
    await this.access.assertCanSee(principal, caisseId, outletId);
    const day = at ?? todayInFrance();
    const version = await this.coverage.versionOn(caisseId, outletId, day);
    if (!version) throw new DomainError('NO_COVERAGE_IN_FORCE', 404, `No coverage rates are in force at this outlet on ${day}: nothing is covered there.`);
    return version;
  }
}
