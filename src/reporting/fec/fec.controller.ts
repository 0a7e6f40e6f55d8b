import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ValidationFailed } from '../../common/errors/domain-error.js';
import { ProblemDto } from '../../common/errors/problem.js';
import { Roles } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import { parseYear } from '../../ledger/ledger.service.js';
import { FecPreviewDto } from './fec.dto.js';
import { FecExportService } from './fec-export.service.js';
import { FEC_CHARSET } from './fec-format.js';

@ApiTags('reporting')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/exports')
export class FecController {
  constructor(private readonly fec: FecExportService) {}

  @Get('fec')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'FEC of a fiscal year (<SIREN>FEC<AAAAMMJJ>.txt, tab-separated, ISO-8859-15, CR LF), streamed; format=json previews its first lines' })
  @ApiQuery({ name: 'fiscalYear', example: 2026, description: 'Calendar year the fiscal year starts in' })
  @ApiQuery({ name: 'format', required: false, enum: ['txt', 'json'] })
  @ApiQuery({ name: 'limit', required: false, type: Number, description: 'Lines of the JSON preview (1–500, default 50)' })
  @ApiProduces('text/plain', 'application/json')
  @ApiExtraModels(FecPreviewDto)
  @ApiOkResponse({ description: 'The FEC file, or its first lines as JSON', content: { 'text/plain': { schema: { type: 'string', format: 'binary' } }, 'application/json': { schema: { $ref: getSchemaPath(FecPreviewDto) } } } })
  @ApiConflictResponse({ type: ProblemDto, description: 'SIREN_MISSING' })
  async export(
    @UuidParam('caisseId') caisseId: string,
    @Query('fiscalYear') fiscalYear?: string,
    @Query('format') format?: string,
    @Query('limit') limit?: string,
  ): Promise<StreamableFile | FecPreviewDto> {
    const year = parseYear(fiscalYear, 'fiscalYear');
    if (format !== undefined && format !== 'txt' && format !== 'json') throw new ValidationFailed({ format: ['format must be txt or json'] });
    if (format === 'json') {
      const n = limit === undefined ? 50 : /^\d{1,3}$/.test(limit) ? Number(limit) : NaN;
      if (!(n >= 1 && n <= 500)) throw new ValidationFailed({ limit: ['limit must be a whole number from 1 to 500'] });
      return this.fec.preview(caisseId, year, n);
    }
    if (limit !== undefined) throw new ValidationFailed({ limit: ['limit applies to format=json only'] });
    const file = await this.fec.open(caisseId, year);
    return new StreamableFile(file.stream, { type: `text/plain; charset=${FEC_CHARSET}`, disposition: `attachment; filename="${file.filename}"` });
  }
}
