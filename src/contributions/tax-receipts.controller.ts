import { Body, Controller, Get, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
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
  ApiQuery,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { preferredType, type HttpRequest, type HttpReply } from '../common/http/http-types.js';
import { ValidationFailed } from '../common/errors/domain-error.js';
import { ProblemDto } from '../common/errors/problem.js';
import { IdempotencyKey, markReplay } from '../common/idempotency/idempotency-key.decorator.js';
import { IdempotencyService } from '../common/idempotency/idempotency.service.js';
import { Roles } from '../common/request-context/decorators.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { CancelReceiptDto, TaxReceiptDto, TaxReceiptInputDto, TaxReceiptPdfDto } from './dto/tax-receipt.dto.js';
import { TaxReceiptsService } from './tax-receipts.service.js';

@ApiTags('contributions')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/tax-receipts')
export class TaxReceiptsController {
  constructor(
    private readonly receipts: TaxReceiptsService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Post()
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: "Issue a receipt for a donor's gifts of a year not yet receipted (gapless number per caisse and year)" })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: TaxReceiptDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_FAILED (memberId/contributorId, year)' })
  @ApiConflictResponse({ type: ProblemDto, description: 'NOTHING_TO_RECEIPT, IDEMPOTENCY_CONFLICT' })
  async issue(
    @UuidParam('caisseId') caisseId: string,
    @Body() dto: TaxReceiptInputDto,
    @IdempotencyKey() key: string | undefined,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<TaxReceiptDto> {
    const result = await this.idempotency.once(caisseId, 'tax-receipts.issue', key, dto, async () => ({ status: 201, body: await this.receipts.issue(caisseId, dto) }));
    markReplay(res, result.replayed);
    return result.body;
  }

  @Get()
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Receipts in number order' })
  @ApiQuery({ name: 'year', required: false, type: Number })
  @ApiOkResponse({ type: [TaxReceiptDto] })
  list(@UuidParam('caisseId') caisseId: string, @Query('year') year?: string): Promise<TaxReceiptDto[]> {
    if (year !== undefined && !/^\d{4}$/.test(year)) throw new ValidationFailed({ year: ['year must be a year, e.g. 2026'] });
    return this.receipts.list(caisseId, year === undefined ? undefined : Number(year));
  }

  @Get(':receiptId')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'One receipt' })
  @ApiOkResponse({ type: TaxReceiptDto })
  get(@UuidParam('caisseId') caisseId: string, @UuidParam('receiptId') id: string): Promise<TaxReceiptDto> {
    return this.receipts.get(caisseId, id);
  }

  @Get(':receiptId/pdf')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'The receipt as PDF, or base64 in JSON when Accept asks for JSON' })
  @ApiProduces('application/pdf', 'application/json')
  @ApiExtraModels(TaxReceiptPdfDto)
  @ApiOkResponse({
    description: 'PDF receipt',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } }, 'application/json': { schema: { $ref: getSchemaPath(TaxReceiptPdfDto) } } },
  })
  async pdf(
    @UuidParam('caisseId') caisseId: string,
    @UuidParam('receiptId') id: string,
    @Req() req: HttpRequest,
  ): Promise<TaxReceiptPdfDto | StreamableFile> {
    const { filename, pdf } = await this.receipts.pdf(caisseId, id);
    if (preferredType(req, ['application/pdf', 'application/json']) === 'application/json') return { filename, base64: pdf.toString('base64') };
    // Binary as is: a plain Buffer return would get a text charset appended to its content type.
    return new StreamableFile(pdf, { type: 'application/pdf', disposition: `attachment; filename="${filename}"` });
  }

  @Post(':receiptId/cancellation')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Cancel a receipt (numbered cancellation); its money may then be receipted again' })
  @ApiCreatedResponse({ type: TaxReceiptDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'ALREADY_CANCELLED' })
  cancel(@UuidParam('caisseId') caisseId: string, @UuidParam('receiptId') id: string, @Body() dto: CancelReceiptDto): Promise<TaxReceiptDto> {
    return this.receipts.cancel(caisseId, id, dto);
  }
}
