import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiSecurity, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { HttpReply } from '../common/http/http-types.js';
import { ProblemDto } from '../common/errors/problem.js';
import { IdempotencyKey, markReplay } from '../common/idempotency/idempotency-key.decorator.js';
import { CurrentPrincipal, Roles } from '../common/request-context/decorators.js';
import type { Principal, TerminalPrincipal } from '../common/request-context/principal.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { CreateVoucherBatchDto, RedeemVoucherDto, VoucherBatchDto, VoucherDto } from './dto/voucher.dto.js';
import { VouchersService } from './vouchers.service.js';

@ApiTags('purchases')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId')
export class VouchersController {
  constructor(private readonly vouchers: VouchersService) {}

  @Post('voucher-batches')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: "Issue numbered paper vouchers (serial + check code), from a member's wallet or the allocation budget" })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiCreatedResponse({ type: VoucherBatchDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'NOT_FOUND (member)' })
  @ApiConflictResponse({ type: ProblemDto, description: 'INSUFFICIENT_BALANCE, IDEMPOTENCY_CONFLICT' })
  async issue(
    @UuidParam('caisseId') caisseId: string,
    @Body() dto: CreateVoucherBatchDto,
    @IdempotencyKey(true) key: string,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<VoucherBatchDto> {
    const { batch, replayed } = await this.vouchers.issue(caisseId, key, dto);
    markReplay(res, replayed);
    return batch;
  }

  @Post('vouchers/redeem')
  @HttpCode(200)
  @Roles('terminal')
  @ApiSecurity('terminal')
  @ApiOperation({ summary: "Redeem a paper voucher at the terminal's outlet (once)" })
  @ApiOkResponse({ type: VoucherDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'NOT_FOUND (unknown serial or wrong code)' })
  @ApiConflictResponse({ type: ProblemDto, description: 'VOUCHER_ALREADY_REDEEMED, OUTLET_NOT_ACCEPTING' })
  @ApiResponse({ status: 423, type: ProblemDto, description: 'VOUCHER_LOCKED (too many wrong codes for this voucher)' })
  @ApiTooManyRequestsResponse({ type: ProblemDto, description: 'TOO_MANY_VOUCHER_ATTEMPTS (too many wrong codes from this terminal; see Retry-After)' })
  redeem(@UuidParam('caisseId') caisseId: string, @Body() dto: RedeemVoucherDto, @CurrentPrincipal() principal: Principal): Promise<VoucherDto> {
    return this.vouchers.redeem(principal as TerminalPrincipal, caisseId, dto);
  }

  @Post('vouchers/:serial/unlock')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Forget the wrong codes typed for a voucher and unlock it' })
  @ApiOkResponse({ type: VoucherDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'NOT_FOUND' })
  unlock(@UuidParam('caisseId') caisseId: string, @Param('serial') serial: string): Promise<VoucherDto> {
    return this.vouchers.unlock(caisseId, serial);
  }

  @Get('vouchers/outstanding')
  @Roles('admin', 'treasurer', 'committee')
  @ApiOperation({ summary: 'Vouchers issued and not redeemed yet (first 5,000 by serial)' })
  @ApiOkResponse({ type: [VoucherDto] })
  outstanding(@UuidParam('caisseId') caisseId: string): Promise<VoucherDto[]> {
    return this.vouchers.outstanding(caisseId);
  }
}
