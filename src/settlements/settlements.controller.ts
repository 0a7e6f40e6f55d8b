import { Body, Controller, Get, HttpCode, Post, Put, Query, Req, Res, StreamableFile, UseInterceptors } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { ProblemDto } from '../common/errors/problem.js';
import { FileUpload, type UploadedFileData, UploadedDocument } from '../common/http/file-upload.js';
import { type HttpReply, type HttpRequest, preferredType } from '../common/http/http-types.js';
import { IdempotencyKey, markReplay } from '../common/idempotency/idempotency-key.decorator.js';
import { IdempotencyService } from '../common/idempotency/idempotency.service.js';
import { CurrentPrincipal, Roles } from '../common/request-context/decorators.js';
import type { Principal } from '../common/request-context/principal.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import {
  ApproveSettlementRunDto,
  CreateSettlementRunDto,
  ExportSettlementRunDto,
  MAX_STATUS_REPORT_BYTES,
  Pain001FileDto,
  Pain001QueryDto,
  ReturnLineDto,
  SettlementRunDto,
  SettlementSettingsDto,
  StatementFileDto,
  StatementQueryDto,
  StatusReportResultDto,
  StatusReportUploadDto,
} from './dto/settlement-run.dto.js';
import { RemittanceService } from './remittance.service.js';
import { SettlementBank } from './settlement-bank.service.js';
import { SettlementExport } from './settlement-export.service.js';
import { SettlementsService } from './settlements.service.js';


@ApiTags('settlements')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId')
export class SettlementsController {
  constructor(
    private readonly runs: SettlementsService,
    private readonly exporter: SettlementExport,
    private readonly bank: SettlementBank,
    private readonly remittance: RemittanceService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Get('settlement-settings')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Settlement settings: the IBAN-change window (days) that flags a line for confirmation' })
  @ApiOkResponse({ type: SettlementSettingsDto })
  settings(@UuidParam('caisseId') caisseId: string): Promise<SettlementSettingsDto> {
    return this.runs.settings(caisseId);
  }

  @Put('settlement-settings')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Change the IBAN-change window (0–365 days, default 30)' })
  @ApiOkResponse({ type: SettlementSettingsDto })
  configure(@UuidParam('caisseId') caisseId: string, @Body() dto: SettlementSettingsDto): Promise<SettlementSettingsDto> {
    return this.runs.configure(caisseId, dto);
  }

  @Post('settlement-runs')
  @HttpCode(202)
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Prepare a payout run: per outlet, the open purchases − refunds on its 401 up to `until` (below minAmount: carried to the next run)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiAcceptedResponse({ type: SettlementRunDto, description: 'The draft run, complete (lines are computed within the request)' })
  @ApiConflictResponse({ type: ProblemDto, description: 'NOTHING_TO_PAY, IDEMPOTENCY_CONFLICT' })
  async create(
    @UuidParam('caisseId') caisseId: string,
    @Body() dto: CreateSettlementRunDto,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() key: string | undefined,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<SettlementRunDto> {
    const result = await this.idempotency.once(caisseId, 'settlement-runs.create', key, dto, async () => ({ status: 202, body: await this.runs.create(caisseId, dto, principal) }));
    markReplay(res, result.replayed);
    return result.body;
  }

  @Get('settlement-runs')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'The latest 100 runs, newest first' })
  @ApiOkResponse({ type: [SettlementRunDto] })
  list(@UuidParam('caisseId') caisseId: string): Promise<SettlementRunDto[]> {
    return this.runs.list(caisseId);
  }

  @Get('settlement-runs/:runId')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'A run with its lines; paid / partly-paid come from the bank reconciliation (lettered 512x lines)' })
  @ApiOkResponse({ type: SettlementRunDto })
  @ApiNotFoundResponse({ type: ProblemDto })
  get(@UuidParam('caisseId') caisseId: string, @UuidParam('runId') runId: string): Promise<SettlementRunDto> {
    return this.runs.get(caisseId, runId);
  }

  @Post('settlement-runs/:runId/approve')
  @HttpCode(200)
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Four-eyes approval by a treasurer or admin other than the creator; lines with a recent IBAN change must be confirmed' })
  @ApiOkResponse({ type: SettlementRunDto })
  @ApiForbiddenResponse({ type: ProblemDto, description: 'FOUR_EYES: the creator cannot approve' })
  @ApiConflictResponse({ type: ProblemDto, description: 'RUN_STATE_CONFLICT, IBAN_CHANGE_UNCONFIRMED, OUTLET_IBAN_CHANGED' })
  approve(@UuidParam('caisseId') caisseId: string, @UuidParam('runId') runId: string, @Body() dto: ApproveSettlementRunDto, @CurrentPrincipal() principal: Principal): Promise<SettlementRunDto> {
    return this.runs.approve(caisseId, runId, dto, principal);
  }

  @Post('settlement-runs/:runId/cancel')
  @HttpCode(200)
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Drop a run not yet exported: its purchases are owed again to the next run' })
  @ApiOkResponse({ type: SettlementRunDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'RUN_STATE_CONFLICT' })
  cancel(@UuidParam('caisseId') caisseId: string, @UuidParam('runId') runId: string): Promise<SettlementRunDto> {
    return this.runs.cancel(caisseId, runId);
  }

  @Post('settlement-runs/:runId/export')
  @HttpCode(200)
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Export an approved run: fixes the MsgId, posts D 401<outlet> / C 512x per line (journal REG) and letters the purchases paid. Idempotent.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Optional: the export is idempotent by itself (the run is exported once)' })
  @ApiOkResponse({ type: SettlementRunDto, description: 'The exported run (header Idempotent-Replayed: true when it was already exported)' })
  @ApiConflictResponse({ type: ProblemDto, description: 'RUN_STATE_CONFLICT (not approved), ALREADY_LETTERED' })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: 'OUTLET_ADDRESS_INCOMPLETE: an outlet lacks its town or country' })
  async export(
    @UuidParam('caisseId') caisseId: string,
    @UuidParam('runId') runId: string,
    @Body() dto: ExportSettlementRunDto,
    @IdempotencyKey() key: string | undefined,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<SettlementRunDto> {
    const result = await this.idempotency.once(caisseId, 'settlement-runs.export', key, { runId, ...dto }, async () => {
      const { run, exported } = await this.exporter.export(caisseId, runId, dto.version);
      return { status: 200, body: { run, exported } };
    });
    markReplay(res, result.replayed || !result.body.exported);
    return result.body.run;
  }

  @Get('settlement-runs/:runId/pain001')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'The pain.001 of an exported run (.001.001.09 by default, .03 on request), the same bytes on every download; wrapped in JSON when Accept asks for JSON' })
  @ApiExtraModels(Pain001FileDto)
  @ApiOkResponse({
    description: 'pain.001 XML',
    content: { 'application/xml': { schema: { type: 'string' } }, 'application/json': { schema: { $ref: getSchemaPath(Pain001FileDto) } } },
  })
  @ApiConflictResponse({ type: ProblemDto, description: 'RUN_STATE_CONFLICT (not exported yet)' })
  async pain001(
    @UuidParam('caisseId') caisseId: string,
    @UuidParam('runId') runId: string,
    @Query() q: Pain001QueryDto,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<Pain001FileDto | string> {
    const { filename, xml } = await this.exporter.pain001(caisseId, runId, q.version);
    if (preferredType(req, ['application/xml', 'application/json']) === 'application/json') return { filename, xml };
    res.header('Content-Type', 'application/xml; charset=utf-8');
    res.header('Content-Disposition', `attachment; filename="${filename}"`);
    return xml;
  }

  @Post('settlement-runs/:runId/status-report')
  @HttpCode(200)
  @Roles('admin', 'treasurer')
  @UseInterceptors(FileUpload('file', { fileSize: MAX_STATUS_REPORT_BYTES, fields: 2, fieldSize: 256 }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: StatusReportUploadDto })
  @ApiOperation({ summary: "The bank's pain.002: rejected transfers are reversed (owed again to the outlet), accepted ones noted. All or nothing; sending it twice changes nothing." })
  @ApiOkResponse({ type: StatusReportResultDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'RUN_STATE_CONFLICT, LINE_ALREADY_PAID' })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: 'UNKNOWN_MESSAGE, UNKNOWN_TRANSACTION (with the line in the file)' })
  statusReport(
    @UuidParam('caisseId') caisseId: string,
    @UuidParam('runId') runId: string,
    // The form has no text field; declared so the documented multipart body is the one validated.
    @Body() _form: StatusReportUploadDto,
    @UploadedDocument() file: UploadedFileData | undefined,
  ): Promise<StatusReportResultDto> {
    return this.bank.statusReport(caisseId, runId, file?.buffer);
  }

  @Post('settlement-runs/:runId/lines/:lineId/return')
  @HttpCode(200)
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'A transfer returned after execution (R-transaction): reverses its payout, the purchases are owed again' })
  @ApiOkResponse({ type: SettlementRunDto })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiConflictResponse({ type: ProblemDto, description: 'RUN_STATE_CONFLICT, LINE_ALREADY_REVERSED, IDEMPOTENCY_CONFLICT' })
  async returnLine(
    @UuidParam('caisseId') caisseId: string,
    @UuidParam('runId') runId: string,
    @UuidParam('lineId') lineId: string,
    @Body() dto: ReturnLineDto,
    @IdempotencyKey() key: string | undefined,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<SettlementRunDto> {
    const result = await this.idempotency.once(caisseId, 'settlement-runs.return', key, { runId, lineId, ...dto }, async () => ({ status: 200, body: await this.bank.returnLine(caisseId, runId, lineId, dto) }));
    markReplay(res, result.replayed);
    return result.body;
  }

  @Get('settlement-runs/:runId/statements/:outletId')
  @Roles('admin', 'treasurer', 'cashier')
  @ApiOperation({ summary: "Remittance statement of one outlet in a run (PDF or CSV; base64 in JSON when Accept asks for JSON): purchases, refunds, total, transfer reference. Treasurers and the outlet's own staff." })
  @ApiExtraModels(StatementFileDto)
  @ApiOkResponse({
    description: 'The statement',
    content: {
      'application/pdf': { schema: { type: 'string', format: 'binary' } },
      'text/csv': { schema: { type: 'string' } },
      'application/json': { schema: { $ref: getSchemaPath(StatementFileDto) } },
    },
  })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'Unknown run, or an outlet the caller does not staff' })
  async statement(
    @UuidParam('caisseId') caisseId: string,
    @UuidParam('runId') runId: string,
    @UuidParam('outletId') outletId: string,
    @Query() q: StatementQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: HttpRequest,
  ): Promise<StreamableFile | StatementFileDto> {
    const s = await this.remittance.statement(principal, caisseId, runId, outletId);
    const csv = q.format === 'csv';
    const file = csv ? Buffer.from(this.remittance.csv(s), 'utf8') : await this.remittance.pdf(s);
    const filename = `releve-${s.statementNo}.${csv ? 'csv' : 'pdf'}`;
    const type = csv ? 'text/csv' : 'application/pdf';
    if (preferredType(req, [type, 'application/json']) === 'application/json') return { filename, contentType: type, base64: file.toString('base64') };
    // Binary as is: a plain Buffer return would get a text charset appended to its content type.
    return new StreamableFile(file, { type: csv ? 'text/csv; charset=utf-8' : type, disposition: `attachment; filename="${filename}"` });
  }
}
