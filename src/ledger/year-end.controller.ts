import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../common/http/http-types.js';
import { ProblemDto } from '../common/errors/problem.js';
import { Roles } from '../common/request-context/decorators.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { CloseYearDto, YearClosingDto } from './dto/year-end.dto.js';
import { LedgerService, parseYear } from './ledger.service.js';

@ApiTags('ledger')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/fiscal-years')
export class YearEndController {
  constructor(private readonly ledger: LedgerService) {}

  @Post(':year/close')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Close a fiscal year: fonds dédiés, result, à-nouveaux of the next year, seal (idempotent: 200 with the recorded closing once done)' })
  @ApiParam({ name: 'year', example: 2026, description: 'Calendar year the fiscal year starts in' })
  @ApiCreatedResponse({ type: YearClosingDto })
  @ApiOkResponse({ type: YearClosingDto, description: 'Already closed: the closing as recorded' })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_FAILED (year, reason)' })
  @ApiConflictResponse({ type: ProblemDto, description: 'MONTHS_NOT_CLOSED, SUSPENSE_NOT_EMPTY, PREVIOUS_YEAR_OPEN, FISCAL_YEAR_NOT_OVER' })
  async close(@UuidParam('caisseId') caisseId: string, @Param('year') year: string, @Body() dto: CloseYearDto, @Res({ passthrough: true }) res: HttpReply): Promise<YearClosingDto> {
    const { closing, replayed } = await this.ledger.closeYear(caisseId, parseYear(year), dto);
    if (replayed) res.status(200);
    return closing;
  }

  @Get('closings')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Closed fiscal years' })
  @ApiOkResponse({ type: [YearClosingDto] })
  list(@UuidParam('caisseId') caisseId: string): Promise<YearClosingDto[]> {
    return this.ledger.yearClosings(caisseId);
  }
}
