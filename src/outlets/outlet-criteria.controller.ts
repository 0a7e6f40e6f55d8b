import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { todayInFrance } from '../common/dates.js';
import { ValidationFailed } from '../common/errors/domain-error.js';
import { ProblemDto } from '../common/errors/problem.js';
import { CurrentPrincipal, Roles } from '../common/request-context/decorators.js';
import type { Principal } from '../common/request-context/principal.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { isIsoDate } from '../common/validation/validators.js';
import { AnswerCriterionDto, CreateCriteriaVersionDto, CriteriaVersionDto, CRITERION_CODE, GridItemDto, OutletGridDto } from './dto/criteria.dto.js';
import { OutletAccess } from './outlet-access.service.js';
import { OutletCriteriaService } from './outlet-criteria.service.js';

@ApiTags('outlet criteria')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId')
export class OutletCriteriaController {
  constructor(
    private readonly criteria: OutletCriteriaService,
    private readonly access: OutletAccess,
  ) {}

  @Post('outlet-criteria')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Publish a new version of the criteria grid (immutable, dated)' })
  @ApiCreatedResponse({ type: CriteriaVersionDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'CRITERIA_VERSION_EXISTS' })
  publish(@UuidParam('caisseId') caisseId: string, @Body() dto: CreateCriteriaVersionDto): Promise<CriteriaVersionDto> {
    return this.criteria.publish(caisseId, dto);
  }

  @Get('outlet-criteria')
  @Roles('admin', 'treasurer', 'committee')
  @ApiOperation({ summary: 'Every version of the criteria grid, oldest first' })
  @ApiOkResponse({ type: [CriteriaVersionDto] })
  list(@UuidParam('caisseId') caisseId: string): Promise<CriteriaVersionDto[]> {
    return this.criteria.list(caisseId);
  }

  @Get('outlet-criteria/in-force')
  @Roles('admin', 'treasurer', 'committee', 'cashier')
  @ApiOperation({ summary: 'The criteria grid in force on a date (default: today)' })
  @ApiQuery({ name: 'at', required: false, example: '2027-01-15' })
  @ApiOkResponse({ type: CriteriaVersionDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'NO_CRITERIA_IN_FORCE' })
  inForce(@UuidParam('caisseId') caisseId: string, @Query('at') at?: string): Promise<CriteriaVersionDto> {
    if (at !== undefined && !isIsoDate(at)) throw new ValidationFailed({ at: ['at must be a date written YYYY-MM-DD'] });
    return this.criteria.inForceOrFail(caisseId, at ?? todayInFrance());
  }

  @Get('outlets/:outletId/criteria')
  @Roles('admin', 'treasurer', 'committee', 'cashier')
  @ApiOperation({ summary: "The outlet's grid: each criterion in force with its answer and documents" })
  @ApiOkResponse({ type: OutletGridDto })
  async grid(@UuidParam('caisseId') caisseId: string, @UuidParam('outletId') outletId: string, @CurrentPrincipal() principal: Principal): Promise<OutletGridDto> {
    await this.access.assertCanSee(principal, caisseId, outletId);
    return this.criteria.grid(caisseId, outletId);
  }

  @Put('outlets/:outletId/criteria/:code')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Answer one criterion for the outlet (replaces the previous answer; audited)' })
  @ApiOkResponse({ type: GridItemDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'NOT_FOUND (criterion not in the grid in force), NO_CRITERIA_IN_FORCE' })
  answer(
    @UuidParam('caisseId') caisseId: string,
    @UuidParam('outletId') outletId: string,
    @Param('code') code: string,
    @Body() dto: AnswerCriterionDto,
  ): Promise<GridItemDto> {
    if (!CRITERION_CODE.test(code) || code.length > 60) throw new ValidationFailed({ code: ['code must be the code of a criterion, e.g. organic-practice'] });
    return this.criteria.answer(caisseId, outletId, code, dto);
  }
}
