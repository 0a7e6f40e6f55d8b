import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { todayInFrance } from '../common/dates.js';
import { ProblemDto } from '../common/errors/problem.js';
import { NotFound, ValidationFailed } from '../common/errors/domain-error.js';
import { CurrentPrincipal, Roles } from '../common/request-context/decorators.js';
import type { Principal } from '../common/request-context/principal.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { isIsoDate } from '../common/validation/validators.js';
import { DailyPurchasesDto } from './dto/daily-purchases.dto.js';
import { PurchaseSettingsDto } from './dto/purchase-settings.dto.js';
import { PurchaseReportsService } from './purchase-reports.service.js';
import { PurchaseSettingsService } from './purchase-settings.service.js';

@ApiTags('purchases')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId')
export class PurchaseAdminController {
  constructor(
    private readonly reports: PurchaseReportsService,
    private readonly settings: PurchaseSettingsService,
  ) {}

  @Get('outlets/:outletId/purchases')
  @Roles('admin', 'treasurer', 'committee', 'terminal')
  @ApiSecurity('terminal')
  @ApiOperation({ summary: "An outlet's purchases of a day (Europe/Paris) with totals and a printable Z-report; a terminal sees its own outlet only" })
  @ApiQuery({ name: 'date', required: false, example: '2026-11-26' })
  @ApiOkResponse({ type: DailyPurchasesDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'NOT_FOUND' })
  daily(@UuidParam('caisseId') caisseId: string, @UuidParam('outletId') outletId: string, @CurrentPrincipal() principal: Principal, @Query('date') date?: string): Promise<DailyPurchasesDto> {
    if (date !== undefined && !isIsoDate(date)) throw new ValidationFailed({ date: ['date must be a date written YYYY-MM-DD'] });
    if (principal.kind === 'terminal' && principal.outletId !== outletId) throw new NotFound('Outlet', outletId);
    return this.reports.daily(caisseId, outletId, date ?? todayInFrance());
  }

  @Get('purchase-settings')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: "The caisse's till rules: PIN policy, largest purchase, refund window" })
  @ApiOkResponse({ type: PurchaseSettingsDto })
  get(@UuidParam('caisseId') caisseId: string): Promise<PurchaseSettingsDto> {
    return this.settings.get(caisseId);
  }

  @Put('purchase-settings')
  @Roles('admin')
  @ApiOperation({ summary: "Replace the caisse's till rules" })
  @ApiOkResponse({ type: PurchaseSettingsDto })
  put(@UuidParam('caisseId') caisseId: string, @Body() dto: PurchaseSettingsDto): Promise<PurchaseSettingsDto> {
    return this.settings.put(caisseId, dto);
  }
}
