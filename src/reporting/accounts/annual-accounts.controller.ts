import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ValidationFailed } from '../../common/errors/domain-error.js';
import { Roles } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import { renderTabular } from '../../common/tabular/render.js';
import { parseYear } from '../../ledger/ledger.service.js';
import { annualAccountsDocument } from './annual-accounts.document.js';
import { AnnualAccounts } from './annual-accounts.dto.js';
import { AnnualAccountsService } from './annual-accounts.service.js';

const FORMATS = ['json', 'pdf', 'xlsx'] as const;

@ApiTags('reporting')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/fiscal-years')
export class AnnualAccountsController {
  constructor(private readonly accounts: AnnualAccountsService) {}

  @Get(':year/accounts')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Annual accounts (ANC 2018-06): bilan, compte de résultat beside the previous year, fonds dédiés and grants — JSON, PDF or XLSX' })
  @ApiParam({ name: 'year', example: 2026, description: 'Calendar year the fiscal year starts in' })
  @ApiQuery({ name: 'format', required: false, enum: FORMATS })
  @ApiProduces('application/json', 'application/pdf', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiExtraModels(AnnualAccounts)
  @ApiOkResponse({
    content: {
      'application/json': { schema: { $ref: getSchemaPath(AnnualAccounts) } },
      'application/pdf': { schema: { type: 'string', format: 'binary' } },
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } },
    },
  })
  async get(@UuidParam('caisseId') caisseId: string, @Param('year') year: string, @Query('format') format?: string): Promise<AnnualAccounts | StreamableFile> {
    const y = parseYear(year);
    if (format !== undefined && !(FORMATS as readonly string[]).includes(format)) throw new ValidationFailed({ format: [`format must be one of ${FORMATS.join(', ')}`] });
    const accounts = await this.accounts.build(caisseId, y);
    if (format === undefined || format === 'json') return accounts;
    const file = await renderTabular(annualAccountsDocument(accounts), format as 'pdf' | 'xlsx', `comptes-annuels-${y}`);
    return new StreamableFile(file.body, { type: file.contentType, disposition: `attachment; filename="${file.filename}"` });
  }
}
