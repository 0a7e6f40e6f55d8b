import { Controller, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../common/http/http-types.js';
import { ValidationFailed } from '../common/errors/domain-error.js';
import { ProblemDto } from '../common/errors/problem.js';
import { IdempotencyKey, markReplay } from '../common/idempotency/idempotency-key.decorator.js';
import { IdempotencyService } from '../common/idempotency/idempotency.service.js';
import { Roles } from '../common/request-context/decorators.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { CSV_BODY_LIMIT, CsvBody } from './csv-body.js';
import { ImportReportDto } from './dto/import.dto.js';
import { MemberImportService } from './member-import.service.js';

const EXAMPLE = 'firstName;lastName;commune;status;joinedOn;adults;childrenBirthYears;email;monthlyIncome\nNadia;Benali;34172;applicant;2027-01-04;2;2015 2019;nadia.b@example.org;1240,50\n';

@ApiTags('members')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/members/imports')
export class MemberImportsController {
  constructor(
    private readonly imports: MemberImportService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: `Import members from CSV (header line of column names, "," ";" or tab separated, UTF-8, up to ${CSV_BODY_LIMIT}); dryRun reports each line's errors` })
  @ApiConsumes('text/csv')
  @ApiBody({ required: true, schema: { type: 'string', example: EXAMPLE }, description: 'Columns: firstName, lastName, commune, status, joinedOn, adults (required); birthYear, childrenBirthYears (space separated), email, phone, address, monthlyIncome, consentDataProcessing, consentContact, consentResearch' })
  @ApiQuery({ name: 'dryRun', required: false, type: Boolean, description: 'true: only check and report; false (default): import all lines or none' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOkResponse({ type: ImportReportDto, description: 'Dry run report' })
  @ApiCreatedResponse({ type: ImportReportDto, description: 'All lines imported' })
  @ApiResponse({ status: 415, type: ProblemDto, description: 'UNSUPPORTED_MEDIA_TYPE: the body is not text/csv' })
  async import(
    @UuidParam('caisseId') caisseId: string,
    @CsvBody() csv: string,
    @IdempotencyKey() key: string | undefined,
    @Res({ passthrough: true }) res: HttpReply,
    @Query('dryRun') dryRun?: string,
  ): Promise<ImportReportDto> {
    if (dryRun !== undefined && dryRun !== 'true' && dryRun !== 'false') throw new ValidationFailed({ dryRun: ['dryRun must be true or false'] });
    if (dryRun === 'true') {
      res.status(200);
      return this.imports.dryRun(caisseId, csv);
    }
    const result = await this.idempotency.once(caisseId, 'members.import', key, { csv }, async () => ({ status: 201, body: await this.imports.commit(caisseId, csv) }));
    markReplay(res, result.replayed);
    return result.body;
  }
}
