import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProblemDto } from '../common/errors/problem.js';
import { Roles } from '../common/request-context/decorators.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { CommitteeService } from './committee.service.js';
import { ConflictDto, CreateConflictDto, CreateMandateDto, MandateDto, RenewalByThirdsDto } from './dto/committee.dto.js';

@ApiTags('governance')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/committee')
export class CommitteeController {
  constructor(private readonly committee: CommitteeService) {}

  @Post('mandates')
  @Roles('admin')
  @ApiOperation({ summary: 'Seat a member on the citizen committee (volunteer, drawn or elected; cohort for renewal by thirds)' })
  @ApiCreatedResponse({ type: MandateDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'MANDATE_OVERLAP' })
  addMandate(@UuidParam('caisseId') caisseId: string, @Body() dto: CreateMandateDto): Promise<MandateDto> {
    return this.committee.addMandate(caisseId, dto);
  }

  @Get('mandates')
  @Roles('admin', 'committee')
  @ApiOperation({ summary: 'Committee mandates, past, current and future' })
  @ApiOkResponse({ type: [MandateDto] })
  mandates(@UuidParam('caisseId') caisseId: string): Promise<MandateDto[]> {
    return this.committee.mandates(caisseId);
  }

  @Get('renewals')
  @Roles('admin', 'committee')
  @ApiOperation({ summary: 'Renewal by thirds: which seats end when, per cohort' })
  @ApiOkResponse({ type: [RenewalByThirdsDto] })
  renewals(@UuidParam('caisseId') caisseId: string): Promise<RenewalByThirdsDto[]> {
    return this.committee.renewalByThirds(caisseId);
  }

  @Post('conflicts')
  @Roles('admin', 'committee')
  @ApiOperation({ summary: 'Declare a conflict of interest: the member is recused from decisions about that outlet' })
  @ApiCreatedResponse({ type: ConflictDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'CONFLICT_ALREADY_DECLARED' })
  declare(@UuidParam('caisseId') caisseId: string, @Body() dto: CreateConflictDto): Promise<ConflictDto> {
    return this.committee.declareConflict(caisseId, dto);
  }

  @Get('conflicts')
  @Roles('admin', 'committee')
  @ApiOperation({ summary: 'Declared conflicts of interest' })
  @ApiOkResponse({ type: [ConflictDto] })
  conflicts(@UuidParam('caisseId') caisseId: string): Promise<ConflictDto[]> {
    return this.committee.conflicts(caisseId);
  }
}
