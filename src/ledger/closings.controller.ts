import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProblemDto } from '../common/errors/problem.js';
import { Roles } from '../common/request-context/decorators.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { ClosePeriodDto } from './dto/entry.dto.js';
import { ClosingViewDto } from './dto/views.dto.js';
import { LedgerService } from './ledger.service.js';
import { ManualEntriesService } from './manual-entries.service.js';

@ApiTags('ledger')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/closings')
export class ClosingsController {
  constructor(
    private readonly ledger: LedgerService,
    private readonly manual: ManualEntriesService,
  ) {}

  @Post()
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Close a month (and every month before it); a closed month cannot be reopened' })
  @ApiCreatedResponse({ type: ClosingViewDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'PERIOD_ALREADY_CLOSED' })
  close(@UuidParam('caisseId') caisseId: string, @Body() dto: ClosePeriodDto): Promise<ClosingViewDto> {
    return this.manual.close(caisseId, dto.period);
  }

  @Get()
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Closed months' })
  @ApiOkResponse({ type: [ClosingViewDto] })
  list(@UuidParam('caisseId') caisseId: string): Promise<ClosingViewDto[]> {
    return this.ledger.closings(caisseId);
  }
}
