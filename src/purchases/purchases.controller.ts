import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { HttpReply } from '../common/http/http-types.js';
import { ProblemDto } from '../common/errors/problem.js';
import { IdempotencyKey, markReplay } from '../common/idempotency/idempotency-key.decorator.js';
import { CurrentPrincipal, Roles } from '../common/request-context/decorators.js';
import type { Principal, TerminalPrincipal } from '../common/request-context/principal.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { PurchaseBatchDto, PurchaseBatchResultDto } from './dto/purchase-batch.dto.js';
import { CreatePurchaseDto, PurchaseDto } from './dto/purchase.dto.js';
import { CreateRefundDto, RefundDto } from './dto/refund.dto.js';
import { PurchasesService } from './purchases.service.js';
import { RefundsService } from './refunds.service.js';

/** Roles('terminal') lets only terminal keys of this caisse in. */
const terminalOf = (p: Principal) => p as TerminalPrincipal;

@ApiTags('purchases')
@ApiSecurity('terminal')
@Controller('api/v1/caisses/:caisseId/purchases')
export class PurchasesController {
  constructor(
    private readonly purchases: PurchasesService,
    private readonly refunds: RefundsService,
  ) {}

  @Post()
  @Roles('terminal')
  @ApiOperation({ summary: "Pay at the till with the member's card (+ PIN) or QR; the wallet covers the outlet's rates" })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiCreatedResponse({ type: PurchaseDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_FAILED, UNKNOWN_CATEGORY' })
  @ApiUnauthorizedResponse({ type: ProblemDto, description: 'INVALID_PIN, PIN_REQUIRED, INVALID_QR' })
  @ApiForbiddenResponse({ type: ProblemDto, description: 'CARD_BLOCKED, MEMBER_NOT_ACTIVE' })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'UNKNOWN_CARD' })
  @ApiConflictResponse({ type: ProblemDto, description: 'INSUFFICIENT_BALANCE (with available), OUTLET_NOT_ACCEPTING, IDEMPOTENCY_CONFLICT, PIN_NOT_SET' })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: 'PURCHASE_TOO_LARGE, NOTHING_COVERED' })
  async create(
    @UuidParam('caisseId') caisseId: string,
    @Body() dto: CreatePurchaseDto,
    @IdempotencyKey(true) key: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<PurchaseDto> {
    const { purchase, replayed } = await this.purchases.purchase(terminalOf(principal), caisseId, key, dto);
    markReplay(res, replayed);
    return purchase;
  }

  @Post('batch')
  @HttpCode(200)
  @Roles('terminal')
  @ApiOperation({ summary: 'Purchases captured offline (≤ 1,000, each with its key and capture time): one result per item, in order' })
  @ApiOkResponse({ type: PurchaseBatchResultDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_FAILED (over 1,000 items, duplicate keys inside, bad item)' })
  batch(@UuidParam('caisseId') caisseId: string, @Body() dto: PurchaseBatchDto, @CurrentPrincipal() principal: Principal): Promise<PurchaseBatchResultDto> {
    return this.purchases.batch(terminalOf(principal), caisseId, dto);
  }

  @Post(':purchaseId/refunds')
  @Roles('terminal')
  @ApiOperation({ summary: 'Refund (part of) a purchase to the wallet, by the outlet that sold, within the refund window' })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiCreatedResponse({ type: RefundDto })
  @ApiForbiddenResponse({ type: ProblemDto, description: 'REFUND_WRONG_OUTLET' })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'NOT_FOUND' })
  @ApiConflictResponse({ type: ProblemDto, description: 'REFUND_EXCEEDS_COVERED, REFUND_WINDOW_CLOSED, IDEMPOTENCY_CONFLICT' })
  async refund(
    @UuidParam('caisseId') caisseId: string,
    @UuidParam('purchaseId') purchaseId: string,
    @Body() dto: CreateRefundDto,
    @IdempotencyKey(true) key: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<RefundDto> {
    const { refund, replayed } = await this.refunds.refund(terminalOf(principal), caisseId, purchaseId, key, dto);
    markReplay(res, replayed);
    return refund;
  }
}
