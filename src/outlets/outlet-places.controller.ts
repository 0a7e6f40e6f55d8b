import { Body, Controller, Delete, Get, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ProblemDto } from '../common/errors/problem.js';
import { CurrentPrincipal, Roles } from '../common/request-context/decorators.js';
import type { Principal } from '../common/request-context/principal.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { PlaceDto, PlaceInputDto } from './dto/place.dto.js';
import { OutletAccess } from './outlet-access.service.js';
import { OutletPlacesService } from './outlet-places.service.js';

@ApiTags('outlets')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/outlets/:outletId/places')
export class OutletPlacesController {
  constructor(
    private readonly places: OutletPlacesService,
    private readonly access: OutletAccess,
  ) {}

  @Post()
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Add a point of sale, market pitch, mobile-grocery stop, locker or pick-up point with its weekly hours' })
  @ApiCreatedResponse({ type: PlaceDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'ROUND_OVERLAP (a stop overlapping another stop of the van)' })
  add(@UuidParam('caisseId') caisseId: string, @UuidParam('outletId') outletId: string, @Body() dto: PlaceInputDto): Promise<PlaceDto> {
    return this.places.add(caisseId, outletId, dto);
  }

  @Get()
  @Roles('admin', 'treasurer', 'committee', 'cashier', 'member', 'terminal')
  @ApiSecurity('terminal')
  @ApiOperation({ summary: 'Where and when the outlet sells' })
  @ApiOkResponse({ type: [PlaceDto] })
  async list(@UuidParam('caisseId') caisseId: string, @UuidParam('outletId') outletId: string, @CurrentPrincipal() principal: Principal): Promise<PlaceDto[]> {
    await this.access.assertCanSee(principal, caisseId, outletId);
    return this.places.list(caisseId, outletId);
  }

  @Put(':placeId')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Replace a place and its whole week of hours' })
  @ApiOkResponse({ type: PlaceDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'ROUND_OVERLAP' })
  replace(
    @UuidParam('caisseId') caisseId: string,
    @UuidParam('outletId') outletId: string,
    @UuidParam('placeId') placeId: string,
    @Body() dto: PlaceInputDto,
  ): Promise<PlaceDto> {
    return this.places.replace(caisseId, outletId, placeId, dto);
  }

  @Delete(':placeId')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Remove a place (kept in the audit log)' })
  @ApiOkResponse({ type: PlaceDto })
  remove(@UuidParam('caisseId') caisseId: string, @UuidParam('outletId') outletId: string, @UuidParam('placeId') placeId: string): Promise<PlaceDto> {
    return this.places.archive(caisseId, outletId, placeId);
  }
}
