import { Body, Controller, Get, HttpCode, Post, Put, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { preferredType, type HttpRequest, type HttpReply } from '../common/http/http-types.js';
import { ProblemDto } from '../common/errors/problem.js';
import { IdempotencyKey, markReplay } from '../common/idempotency/idempotency-key.decorator.js';
import { IdempotencyService } from '../common/idempotency/idempotency.service.js';
import { Roles } from '../common/request-context/decorators.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { DirectDebitReads } from './direct-debit-reads.service.js';
import { DirectDebitService } from './direct-debit.service.js';
import { DirectDebitSettlements } from './direct-debit-settlements.service.js';
import { BatchDto, BatchInputDto, BatchSummaryDto, DirectDebitSettingsDto, DirectDebitSettingsInputDto, SepaMandateDto, MandateInputDto, PainFileDto, ReturnInputDto, SettleInputDto } from './dto/direct-debit.dto.js';
import { MandatesService } from './mandates.service.js';

@ApiTags('contributions')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId')
export class DirectDebitController {
  constructor(
    private readonly mandates: MandatesService,
    private readonly debits: DirectDebitService,
    private readonly settlements: DirectDebitSettlements,
    private readonly reads: DirectDebitReads,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Put('direct-debit-settings')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Creditor identifier (ICS), name and account credited by the collections' })
  @ApiOkResponse({ type: DirectDebitSettingsDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_FAILED (creditorId, creditorIban…)' })
  configure(@UuidParam('caisseId') caisseId: string, @Body() dto: DirectDebitSettingsInputDto): Promise<DirectDebitSettingsDto> {
    return this.mandates.configure(caisseId, dto);
  }

  @Post('mandates')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: "Record a member's signed SEPA mandate (replaces the member's previous one)" })
  @ApiCreatedResponse({ type: SepaMandateDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_FAILED (iban, reference…)' })
  @ApiConflictResponse({ type: ProblemDto, description: 'MANDATE_REFERENCE_TAKEN' })
  createMandate(@UuidParam('caisseId') caisseId: string, @Body() dto: MandateInputDto): Promise<SepaMandateDto> {
    return this.mandates.create(caisseId, dto);
  }

  @Get('mandates')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Active mandates (IBAN masked), with the next sequence type and any flag from a return' })
  @ApiOkResponse({ type: [SepaMandateDto] })
  listMandates(@UuidParam('caisseId') caisseId: string): Promise<SepaMandateDto[]> {
    return this.mandates.list(caisseId);
  }

  @Post('direct-debit-batches')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Collect what members with a mandate still owe for the month: calls the dues today (D 411 / C 756) and writes the pain.008' })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiCreatedResponse({ type: BatchDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'DIRECT_DEBIT_NOT_CONFIGURED, NOTHING_TO_COLLECT, IDEMPOTENCY_CONFLICT' })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_FAILED (collectionDate not a TARGET2 business day, in the past or too soon)' })
  async createBatch(
    @UuidParam('caisseId') caisseId: string,
    @Body() dto: BatchInputDto,
    @IdempotencyKey(true) key: string,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<BatchDto> {
    const result = await this.idempotency.once(caisseId, 'direct-debit-batches.create', key, dto, async () => ({ status: 201, body: await this.debits.createBatch(caisseId, dto) }));
    markReplay(res, result.replayed);
    return result.body;
  }

  @Get('direct-debit-batches')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Direct-debit batches, newest first (at most 500), with their status and totals' })
  @ApiOkResponse({ type: [BatchSummaryDto] })
  listBatches(@UuidParam('caisseId') caisseId: string): Promise<BatchSummaryDto[]> {
    return this.reads.batches(caisseId);
  }

  @Get('direct-debit-batches/:batchId')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'A batch with its transactions and returns' })
  @ApiOkResponse({ type: BatchDto })
  getBatch(@UuidParam('caisseId') caisseId: string, @UuidParam('batchId') batchId: string): Promise<BatchDto> {
    return this.debits.get(caisseId, batchId);
  }

  @Get('direct-debit-batches/:batchId/pain.008')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'The pain.008.001.02 file to upload to the bank: the XML itself, or wrapped in JSON when Accept asks for JSON' })
  @ApiProduces('application/xml', 'application/json')
  @ApiExtraModels(PainFileDto)
  @ApiOkResponse({
    description: 'pain.008.001.02',
    content: { 'application/xml': { schema: { type: 'string' } }, 'application/json': { schema: { $ref: getSchemaPath(PainFileDto) } } },
  })
  async file(
    @UuidParam('caisseId') caisseId: string,
    @UuidParam('batchId') batchId: string,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<PainFileDto | string> {
    const { messageId, xml } = await this.debits.xml(caisseId, batchId);
    const filename = `${messageId}.xml`;
    if (preferredType(req, ['application/xml', 'application/json']) === 'application/json') return { filename, xml };
    res.header('Content-Type', 'application/xml; charset=utf-8');
    res.header('Content-Disposition', `attachment; filename="${filename}"`);
    return xml;
  }

  @Post('direct-debit-batches/:batchId/returns')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Mark a transaction returned/rejected/refunded (R-transaction): reverses the call, takes the money back off 512 when settled, books the fee on 627, flags the member' })
  @ApiCreatedResponse({ type: BatchDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_FAILED (endToEndId, reasonCode…)' })
  @ApiConflictResponse({ type: ProblemDto, description: 'ALREADY_RETURNED, BATCH_CANCELLED' })
  recordReturn(@UuidParam('caisseId') caisseId: string, @UuidParam('batchId') batchId: string, @Body() dto: ReturnInputDto): Promise<BatchDto> {
    return this.debits.recordReturn(caisseId, batchId, dto);
  }

  @Post('direct-debit-batches/:batchId/sent')
  @HttpCode(200)
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Mark the batch as sent to the bank: it can no longer be cancelled' })
  @ApiOkResponse({ type: BatchDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'BATCH_NOT_BUILT' })
  async markSent(@UuidParam('caisseId') caisseId: string, @UuidParam('batchId') batchId: string): Promise<BatchDto> {
    await this.settlements.markSent(caisseId, batchId);
    return this.debits.get(caisseId, batchId);
  }

  @Post('direct-debit-batches/:batchId/settle')
  @HttpCode(200)
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'The bank credited the batch: D 512 / C 411 for every transaction not returned' })
  @ApiOkResponse({ type: BatchDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'BATCH_NOT_SETTLEABLE (already settled or cancelled), BATCH_POSTED_ON_BANK' })
  async settle(@UuidParam('caisseId') caisseId: string, @UuidParam('batchId') batchId: string, @Body() dto: SettleInputDto): Promise<BatchDto> {
    await this.settlements.settle(caisseId, batchId, dto);
    return this.debits.get(caisseId, batchId);
  }

  @Post('direct-debit-batches/:batchId/cancel')
  @HttpCode(200)
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Cancel a batch not yet sent to the bank: its calls are reversed (D 756 / C 411)' })
  @ApiOkResponse({ type: BatchDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'BATCH_NOT_CANCELLABLE (sent, settled or cancelled), BATCH_POSTED_ON_BANK' })
  async cancel(@UuidParam('caisseId') caisseId: string, @UuidParam('batchId') batchId: string): Promise<BatchDto> {
    await this.settlements.cancel(caisseId, batchId);
    return this.debits.get(caisseId, batchId);
  }
}
