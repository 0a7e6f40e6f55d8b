import { todayInFrance } from '../common/dates.js';
import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { HttpReply } from '../common/http/http-types.js';
import { ValidationFailed } from '../common/errors/domain-error.js';
import { ProblemDto } from '../common/errors/problem.js';
import { IdempotencyKey, markReplay } from '../common/idempotency/idempotency-key.decorator.js';
import { CursorQueryDto } from '../common/pagination/cursor.js';
import { Roles } from '../common/request-context/decorators.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { isIsoDate } from '../common/validation/validators.js';
import { CreateEntryDto, ReverseEntryDto } from './dto/entry.dto.js';
import { AccountLinesPageDto, AccountViewDto, EntryViewDto, SealViewDto, TrialBalanceDto, VerifyReportDto } from './dto/views.dto.js';
import { LedgerService } from './ledger.service.js';
import { ManualEntriesService } from './manual-entries.service.js';

const BOOKKEEPERS = ['admin', 'treasurer'] as const;
const ACCOUNT_CODE = /^[1-7][0-9]{2,9}(-[A-Z0-9]{1,17})?$/;

@ApiTags('ledger')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/ledger')
export class LedgerController {
  constructor(
    private readonly ledger: LedgerService,
    private readonly manual: ManualEntriesService,
  ) {}

  @Get('accounts')
  @Roles(...BOOKKEEPERS)
  @ApiOperation({ summary: 'Chart of accounts with balances' })
  @ApiOkResponse({ type: [AccountViewDto] })
  accounts(@UuidParam('caisseId') caisseId: string): Promise<AccountViewDto[]> {
    return this.ledger.listAccounts(caisseId);
  }

  @Get('accounts/:code/lines')
  @Roles(...BOOKKEEPERS)
  @ApiOperation({ summary: 'General ledger of one account, in entry order, with running balance' })
  @ApiOkResponse({ type: AccountLinesPageDto })
  lines(@UuidParam('caisseId') caisseId: string, @Param('code') code: string, @Query() query: CursorQueryDto): Promise<AccountLinesPageDto> {
    if (!ACCOUNT_CODE.test(code)) throw new ValidationFailed({ code: ['code must be an account code such as 512 or 4671-M000042'] });
    return this.ledger.accountLines(caisseId, code, query);
  }

  @Get('entries/:entryId')
  @Roles(...BOOKKEEPERS)
  @ApiOperation({ summary: 'One journal entry with its lines' })
  @ApiOkResponse({ type: EntryViewDto })
  entry(@UuidParam('caisseId') caisseId: string, @UuidParam('entryId') entryId: string): Promise<EntryViewDto> {
    return this.ledger.entry(caisseId, entryId);
  }

  @Post('entries')
  @Roles(...BOOKKEEPERS)
  @ApiOperation({ summary: 'Post a manual entry (bank fees, corrections); audited' })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiCreatedResponse({ type: EntryViewDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'INSUFFICIENT_BALANCE, PERIOD_CLOSED, IDEMPOTENCY_CONFLICT' })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: 'UNKNOWN_ACCOUNT' })
  async post(
    @UuidParam('caisseId') caisseId: string,
    @Body() dto: CreateEntryDto,
    @IdempotencyKey(true) key: string,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<EntryViewDto> {
    const result = await this.manual.post(caisseId, dto, key);
    markReplay(res, result.replayed);
    return result.entry;
  }

  @Post('entries/:entryId/reversal')
  @Roles(...BOOKKEEPERS)
  @ApiOperation({ summary: 'Reverse an entry (once) with a mirror entry referencing it' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: EntryViewDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'ALREADY_REVERSED, INSUFFICIENT_BALANCE, PERIOD_CLOSED' })
  async reverse(
    @UuidParam('caisseId') caisseId: string,
    @UuidParam('entryId') entryId: string,
    @Body() dto: ReverseEntryDto,
    @IdempotencyKey() key: string | undefined,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<EntryViewDto> {
    const result = await this.manual.reverse(caisseId, entryId, dto.reason, dto.date, key);
    markReplay(res, result.replayed);
    return result.entry;
  }

  @Get('trial-balance')
  @Roles(...BOOKKEEPERS)
  @ApiOperation({ summary: 'Trial balance (balance générale) at a date; totals always equal' })
  @ApiQuery({ name: 'at', required: false, example: '2026-11-30' })
  @ApiOkResponse({ type: TrialBalanceDto })
  trialBalance(@UuidParam('caisseId') caisseId: string, @Query('at') at?: string): Promise<TrialBalanceDto> {
    if (at !== undefined && !isIsoDate(at)) throw new ValidationFailed({ at: ['at must be a date written YYYY-MM-DD'] });
    return this.ledger.trialBalance(caisseId, at ?? todayInFrance());
  }

  @Get('verify')
  @Roles(...BOOKKEEPERS)
  @ApiOperation({ summary: 'Recompute balances, entry hashes and the seal chain' })
  @ApiOkResponse({ type: VerifyReportDto })
  verify(@UuidParam('caisseId') caisseId: string): Promise<VerifyReportDto> {
    return this.ledger.verify(caisseId);
  }

  @Post('seals')
  @Roles(...BOOKKEEPERS)
  @ApiOperation({ summary: 'Seal the entries posted since the last seal now (also done hourly)' })
  @ApiCreatedResponse({ type: SealViewDto, description: '201 with the new seal; 200 with null when there was nothing to seal' })
  async seal(@UuidParam('caisseId') caisseId: string, @Res({ passthrough: true }) res: HttpReply): Promise<SealViewDto | null> {
    const seal = await this.manual.seal(caisseId);
    res.status(seal ? 201 : 200);
    return seal ?? null;
  }
}
