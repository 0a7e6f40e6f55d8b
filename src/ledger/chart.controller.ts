import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { ValidationFailed } from '../common/errors/domain-error.js';
import { ProblemDto } from '../common/errors/problem.js';
import { Roles } from '../common/request-context/decorators.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { BooksSettingsService } from './books-settings.service.js';
import { ChartService } from './chart.service.js';
import { BooksSettingsDto, CreateAccountDto, FiscalYearDto, UpdateAccountDto, UpdateBooksSettingsDto } from './dto/chart.dto.js';
import { AccountViewDto } from './dto/views.dto.js';

const ACCOUNT_CODE = /^[1-7][0-9]{2,9}(-[A-Z0-9]{1,17})?$/;

/** The caisse's own chart of accounts, its fiscal years and the limits of its books. */
@ApiTags('ledger')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/ledger')
export class ChartController {
  constructor(
    private readonly chart: ChartService,
    private readonly settings: BooksSettingsService,
  ) {}

  @Post('accounts')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Add an account of the PCG / ANC 2018-06 (classes 1–7) to the chart, or an auxiliary under one kept per third party' })
  @ApiCreatedResponse({ type: AccountViewDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'ACCOUNT_EXISTS' })
  create(@UuidParam('caisseId') caisseId: string, @Body() dto: CreateAccountDto): Promise<AccountViewDto> {
    return this.chart.create(caisseId, dto);
  }

  @Patch('accounts/:code')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Rename, close (zero balance) or reopen an account; accounts are never deleted' })
  @ApiOkResponse({ type: AccountViewDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'ACCOUNT_NOT_SETTLED' })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: 'UNKNOWN_ACCOUNT' })
  update(@UuidParam('caisseId') caisseId: string, @Param('code') code: string, @Body() dto: UpdateAccountDto): Promise<AccountViewDto> {
    if (!ACCOUNT_CODE.test(code)) throw new ValidationFailed({ code: ['code must be an account code such as 6226 or 421-E0001'] });
    return this.chart.update(caisseId, code, dto);
  }

  @Get('settings')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Fiscal year and sanity limits of the books' })
  @ApiOkResponse({ type: BooksSettingsDto })
  getSettings(@UuidParam('caisseId') caisseId: string): Promise<BooksSettingsDto> {
    return this.settings.get(caisseId);
  }

  @Patch('settings')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Change the first fiscal year of the books, the days ahead an entry may be dated, the largest line amount' })
  @ApiOkResponse({ type: BooksSettingsDto })
  updateSettings(@UuidParam('caisseId') caisseId: string, @Body() dto: UpdateBooksSettingsDto): Promise<BooksSettingsDto> {
    return this.settings.update(caisseId, dto);
  }

  @Get('fiscal-years')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Fiscal years of the books, with the last entry number of each' })
  @ApiOkResponse({ type: [FiscalYearDto] })
  fiscalYears(@UuidParam('caisseId') caisseId: string): Promise<FiscalYearDto[]> {
    return this.settings.fiscalYears(caisseId);
  }
}
