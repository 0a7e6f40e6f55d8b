import { Body, Controller, Get, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { ValidationFailed } from '../common/errors/domain-error.js';
import type { HttpReply } from '../common/http/http-types.js';
import { ProblemDto } from '../common/errors/problem.js';
import { IdempotencyKey, markReplay } from '../common/idempotency/idempotency-key.decorator.js';
import { IdempotencyService } from '../common/idempotency/idempotency.service.js';
import { Roles } from '../common/request-context/decorators.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { BankAccountsService } from './bank-accounts.service.js';
import { DepositsService } from './deposits.service.js';
import { BANK_ACCOUNT, BankAccountDto, CreateBankAccountDto, CreateDepositDto, DepositDto, UpdateBankAccountDto } from './dto/treasury.dto.js';

/** Bank accounts (512x with their IBAN) and cash/cheque deposits to them. */
@ApiTags('treasury')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId')
export class TreasuryController {
  constructor(
    private readonly banks: BankAccountsService,
    private readonly deposits: DepositsService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Get('bank-accounts')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Bank accounts of the caisse, with their ledger balance' })
  @ApiOkResponse({ type: [BankAccountDto] })
  list(@UuidParam('caisseId') caisseId: string): Promise<BankAccountDto[]> {
    return this.banks.list(caisseId);
  }

  @Post('bank-accounts')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Open a bank account: a 512x ledger account for one IBAN' })
  @ApiCreatedResponse({ type: BankAccountDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'ACCOUNT_EXISTS' })
  create(@UuidParam('caisseId') caisseId: string, @Body() dto: CreateBankAccountDto): Promise<BankAccountDto> {
    return this.banks.create(caisseId, dto);
  }

  @Get('bank-accounts/:account')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'One bank account' })
  @ApiOkResponse({ type: BankAccountDto })
  @ApiNotFoundResponse({ type: ProblemDto })
  get(@UuidParam('caisseId') caisseId: string, @Param('account') account: string): Promise<BankAccountDto> {
    return this.banks.get(caisseId, bankAccountParam(account));
  }

  @Patch('bank-accounts/:account')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Rename, set the IBAN (once), BIC or creditor identifier, make default, close or reopen' })
  @ApiOkResponse({ type: BankAccountDto })
  @ApiNotFoundResponse({ type: ProblemDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'ACCOUNT_NOT_SETTLED' })
  update(@UuidParam('caisseId') caisseId: string, @Param('account') account: string, @Body() dto: UpdateBankAccountDto): Promise<BankAccountDto> {
    return this.banks.update(caisseId, bankAccountParam(account), dto);
  }

  @Post('deposits')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Deposit cash (530) or cheques (5112) at the bank through 580, with a numbered slip' })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiCreatedResponse({ type: DepositDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'INSUFFICIENT_BALANCE (more than the till or the cheque drawer holds), PERIOD_CLOSED, IDEMPOTENCY_CONFLICT' })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: 'UNKNOWN_BANK_ACCOUNT' })
  async deposit(
    @UuidParam('caisseId') caisseId: string,
    @Body() dto: CreateDepositDto,
    @IdempotencyKey(true) key: string,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<DepositDto> {
    const result = await this.idempotency.once(caisseId, 'ledger.deposit', key, dto, async () => ({ status: 201, body: await this.deposits.create(caisseId, dto) }));
    markReplay(res, result.replayed);
    return result.body;
  }

  @Get('deposits')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Deposit slips, newest first' })
  @ApiOkResponse({ type: [DepositDto] })
  listDeposits(@UuidParam('caisseId') caisseId: string): Promise<DepositDto[]> {
    return this.deposits.list(caisseId);
  }

  @Get('deposits/:depositId')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'One deposit slip' })
  @ApiOkResponse({ type: DepositDto })
  @ApiNotFoundResponse({ type: ProblemDto })
  getDeposit(@UuidParam('caisseId') caisseId: string, @UuidParam('depositId') depositId: string): Promise<DepositDto> {
    return this.deposits.get(caisseId, depositId);
  }
}

function bankAccountParam(account: string): string {
  if (!BANK_ACCOUNT.test(account)) throw new ValidationFailed({ account: ['account must be a bank account such as 512 or 5121'] });
  return account;
}
