import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res, StreamableFile, UseInterceptors } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ValidationFailed } from '../common/errors/domain-error.js';
import { ProblemDto } from '../common/errors/problem.js';
import { FileUpload, type UploadedFileData, UploadedDocument } from '../common/http/file-upload.js';
import type { HttpReply } from '../common/http/http-types.js';
import { IdempotencyKey, markReplay } from '../common/idempotency/idempotency-key.decorator.js';
import { IdempotencyService } from '../common/idempotency/idempotency.service.js';
import { Roles } from '../common/request-context/decorators.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { BANK_ACCOUNT } from '../ledger/dto/treasury.dto.js';
import { AcceptSuggestionDto, BankLineDto, BankLinesQueryDto, ManualMatchDto } from './dto/bank-line.dto.js';
import { CsvMappingDto } from './dto/csv-mapping.dto.js';
import { ReconciliationDto, ReconciliationQueryDto } from './dto/reconciliation.dto.js';
import { AutoMatchResultDto, ImportResultDto, MAX_STATEMENT_BYTES, UploadStatementDto } from './dto/statement.dto.js';
import { ReconciliationService } from './reconciliation.service.js';

const account = (value: string): string => {
  if (!BANK_ACCOUNT.test(value)) throw new ValidationFailed({ account: ['account must be a bank account such as 512 or 5121'] });
  return value;
};

/** Bank statements in, matches with the books, and the rapprochement bancaire out. Treasurer and admin only. */
@ApiTags('reconciliation')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId')
export class ReconciliationController {
  constructor(
    private readonly reconciliation: ReconciliationService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Post('bank-statements')
  @Roles('admin', 'treasurer')
  @UseInterceptors(FileUpload('file', { fileSize: MAX_STATEMENT_BYTES, fields: 5, fieldSize: 256 }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadStatementDto })
  @ApiOperation({ summary: 'Import a bank statement file (camt.053, CFONB 120, CSV): all statements of the file or nothing, then auto-match' })
  @ApiCreatedResponse({ type: ImportResultDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'STATEMENT_ALREADY_IMPORTED, STATEMENT_OUT_OF_SEQUENCE (errors.file names the line)' })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: 'UNKNOWN_BANK_ACCOUNT, CSV_MAPPING_MISSING; MALFORMED_STATEMENT is a 400 naming the line' })
  importStatement(@UuidParam('caisseId') caisseId: string, @Body() dto: UploadStatementDto, @UploadedDocument() file: UploadedFileData | undefined): Promise<ImportResultDto> {
    if (!file) throw new ValidationFailed({ file: ['send the statement file as the multipart field "file"'] });
    return this.reconciliation.importStatement(caisseId, file.buffer, dto.bankAccount);
  }

  @Put('bank-accounts/:account/csv-mapping')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: "Save how this bank account's CSV export reads (columns by header name, separators, date format)" })
  @ApiOkResponse({ type: CsvMappingDto })
  saveCsvMapping(@UuidParam('caisseId') caisseId: string, @Param('account') bankAccount: string, @Body() dto: CsvMappingDto): Promise<CsvMappingDto> {
    return this.reconciliation.saveCsvMapping(caisseId, account(bankAccount), dto);
  }

  @Post('bank-accounts/:account/auto-match')
  @HttpCode(200)
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Run the automatic matching again over the open lines of a bank account (e.g. after payouts were posted)' })
  @ApiOkResponse({ type: AutoMatchResultDto })
  autoMatch(@UuidParam('caisseId') caisseId: string, @Param('account') bankAccount: string): Promise<AutoMatchResultDto> {
    return this.reconciliation.autoMatch(caisseId, account(bankAccount));
  }

  @Get('bank-statement-lines')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Bank lines (at most 2,000, oldest first) with their match, proposal or suggested posting' })
  @ApiOkResponse({ type: [BankLineDto] })
  lines(@UuidParam('caisseId') caisseId: string, @Query() q: BankLinesQueryDto): Promise<BankLineDto[]> {
    if (q.bankAccount !== undefined) account(q.bankAccount);
    return this.reconciliation.lines(caisseId, q);
  }

  @Post('bank-statement-lines/:lineId/match')
  @HttpCode(200)
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Match a bank line by hand with open 512x lines adding up to its amount (letters them, audited)' })
  @ApiOkResponse({ type: BankLineDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'ALREADY_MATCHED, ALREADY_LETTERED' })
  match(@UuidParam('caisseId') caisseId: string, @UuidParam('lineId') lineId: string, @Body() dto: ManualMatchDto): Promise<BankLineDto> {
    return this.reconciliation.match(caisseId, lineId, dto);
  }

  @Post('bank-statement-lines/:lineId/accept-suggestion')
  @Roles('admin', 'treasurer')
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiOperation({ summary: 'Post the suggested entry for an unexplained bank line (fee → 627, interest → 768, unknown → 471) and match it' })
  @ApiCreatedResponse({ type: BankLineDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'ALREADY_MATCHED, PERIOD_CLOSED, IDEMPOTENCY_CONFLICT' })
  async accept(
    @UuidParam('caisseId') caisseId: string,
    @UuidParam('lineId') lineId: string,
    @Body() dto: AcceptSuggestionDto,
    @IdempotencyKey(true) key: string,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<BankLineDto> {
    const result = await this.idempotency.once(caisseId, 'reconciliation.accept', key, { lineId, ...dto }, async () => ({ status: 201, body: await this.reconciliation.accept(caisseId, lineId, dto.kind) }));
    markReplay(res, result.replayed);
    return result.body;
  }

  @Delete('bank-matches/:matchId')
  @HttpCode(204)
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Undo a match: the letter leaves the 512x lines, the bank lines are open again (audited)' })
  @ApiNoContentResponse()
  @ApiConflictResponse({ type: ProblemDto, description: 'MATCH_UNDONE' })
  unmatch(@UuidParam('caisseId') caisseId: string, @UuidParam('matchId') matchId: string): Promise<void> {
    return this.reconciliation.unmatch(caisseId, matchId);
  }

  @Get('reconciliation')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Rapprochement bancaire at a date: bank and book balances, unmatched items on both sides, the explained difference (JSON, CSV or PDF)' })
  @ApiProduces('application/json', 'text/csv', 'application/pdf')
  @ApiOkResponse({ type: ReconciliationDto })
  async report(@UuidParam('caisseId') caisseId: string, @Query() q: ReconciliationQueryDto): Promise<ReconciliationDto | StreamableFile> {
    const report = await this.reconciliation.report(caisseId, q.bankAccount, q.asOf);
    const name = `rapprochement-${q.bankAccount}-${q.asOf}`;
    if (q.format === 'csv') return new StreamableFile(Buffer.from(this.reconciliation.csv(report), 'utf8'), { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="${name}.csv"` });
    if (q.format === 'pdf') return new StreamableFile(await this.reconciliation.pdf(report), { type: 'application/pdf', disposition: `attachment; filename="${name}.pdf"` });
    return report;
  }
}
