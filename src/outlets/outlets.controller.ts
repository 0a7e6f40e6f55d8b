import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ProblemDto } from '../common/errors/problem.js';
import { CurrentPrincipal, Roles } from '../common/request-context/decorators.js';
import type { Principal } from '../common/request-context/principal.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { ListOutletsQueryDto } from './dto/list-outlets.query.js';
import { CreateOutletDto, OutletDto, OutletPageDto, UpdateOutletDto } from './dto/outlet.dto.js';
import { ReviewDueDto, ReviewDueQueryDto } from './dto/review.dto.js';
import { audienceOf, OutletAccess } from './outlet-access.service.js';
import { OutletReader } from './outlet-reader.service.js';
import { OutletRegistry } from './outlet-registry.service.js';
import { OutletReviewService } from './outlet-review.service.js';

@ApiTags('outlets')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/outlets')
export class OutletsController {
  constructor(
    private readonly registry: OutletRegistry,
    private readonly reader: OutletReader,
    private readonly access: OutletAccess,
    private readonly review: OutletReviewService,
  ) {}

  @Post()
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Register a producer or point of sale (candidate); opens its payable account 401-<code>' })
  @ApiCreatedResponse({ type: OutletDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'SIRET_TAKEN' })
  create(@UuidParam('caisseId') caisseId: string, @Body() dto: CreateOutletDto, @CurrentPrincipal() principal: Principal): Promise<OutletDto> {
    return this.registry.create(caisseId, dto, audienceOf(principal, caisseId));
  }

  @Get()
  @Roles('admin', 'treasurer', 'committee', 'cashier', 'member')
  @ApiOperation({
    summary: 'Outlets: all for the committee, the ones it staffs for a cashier, where to shop for a member (?commune=&openOn=)',
  })
  @ApiOkResponse({ type: OutletPageDto })
  list(@UuidParam('caisseId') caisseId: string, @Query() query: ListOutletsQueryDto, @CurrentPrincipal() principal: Principal): Promise<OutletPageDto> {
    return this.reader.list(caisseId, query, audienceOf(principal, caisseId));
  }

  // Declared before :outletId so the path is not read as an id.
  @Get('review-due')
  @Roles('admin', 'treasurer', 'committee')
  @ApiOperation({ summary: 'Outlets to re-examine: renewal due, review date or end of validity near, documents expired or expiring' })
  @ApiOkResponse({ type: [ReviewDueDto] })
  reviewDue(@UuidParam('caisseId') caisseId: string, @Query() query: ReviewDueQueryDto): Promise<ReviewDueDto[]> {
    return this.review.due(caisseId, query.within);
  }

  @Get(':outletId')
  @Roles('admin', 'treasurer', 'committee', 'cashier', 'member', 'terminal')
  @ApiSecurity('terminal')
  @ApiOperation({ summary: 'One outlet with its status now and its places (a terminal: only its own outlet)' })
  @ApiOkResponse({ type: OutletDto })
  async get(@UuidParam('caisseId') caisseId: string, @UuidParam('outletId') outletId: string, @CurrentPrincipal() principal: Principal): Promise<OutletDto> {
    const audience = await this.access.assertCanSee(principal, caisseId, outletId);
    return this.reader.get(caisseId, outletId, audience);
  }

  @Patch(':outletId')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Change registry fields; a new IBAN/BIC needs the treasurer role and is audited on its own' })
  @ApiOkResponse({ type: OutletDto })
  @ApiForbiddenResponse({ type: ProblemDto, description: 'FORBIDDEN (IBAN/BIC change without the treasurer role)' })
  @ApiConflictResponse({ type: ProblemDto, description: 'SIRET_TAKEN' })
  update(
    @UuidParam('caisseId') caisseId: string,
    @UuidParam('outletId') outletId: string,
    @Body() dto: UpdateOutletDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<OutletDto> {
    return this.registry.update(caisseId, outletId, dto, principal, audienceOf(principal, caisseId));
  }
}
