import { Body, Controller, Get, Put, Query, type StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import { ReportingService } from '../reporting.service.js';
import type { ReportAudience } from './report-access.guard.js';
import { ReportEndpoint } from './report-docs.decorator.js';
import { FundersQueryDto, ReportQueryDto } from './report-query.dto.js';
import { Audience, reply } from './report-reply.js';
import { ReportSettingsDto, UpdateReportSettingsDto } from './report-settings.dto.js';

/** Management reports: JSON, or CSV/XLSX/PDF with ?format=, over a period (?from=&to=). */
@ApiTags('reports')
@Controller('api/v1/caisses/:caisseId/reports')
export class ReportsController {
  constructor(private readonly reporting: ReportingService) {}

  @Get('funders')
  @ReportEndpoint('funders', 'Per grant and funder: notified, received, used, unused; per fund; top-ups; FSE+ statement of ?operation=')
  async funders(@UuidParam('caisseId') caisseId: string, @Query() q: FundersQueryDto, @Audience() audience: ReportAudience): Promise<object | StreamableFile> {
    const r = await this.reporting.funders(caisseId, { ...q, audience });
    return reply(r.view, () => r.doc, q.format, `financeurs-${r.view.to}`);
  }

  @Get('runway')
  @ReportEndpoint('runway', 'Cash, commitments, coming allocation needs, months of runway and the date money runs out, with and without new grants')
  async runway(@UuidParam('caisseId') caisseId: string, @Query() q: ReportQueryDto, @Audience() audience: ReportAudience): Promise<object | StreamableFile> {
    const r = await this.reporting.runway(caisseId, { ...q, audience });
    return reply(r.view, () => r.doc, q.format, `autonomie-${r.view.to}`);
  }

  @Get('solidarity')
  @ReportEndpoint('solidarity', 'Contributions against allocations by income band, net transfers and the redistribution rate')
  async solidarity(@UuidParam('caisseId') caisseId: string, @Query() q: ReportQueryDto, @Audience() audience: ReportAudience): Promise<object | StreamableFile> {
    const r = await this.reporting.solidarity(caisseId, { ...q, audience });
    return reply(r.view, () => r.doc, q.format, `solidarite-${r.view.from}-${r.view.to}`);
  }

  @Get('spending')
  @ReportEndpoint('spending', 'Purchases by outlet, kind, commune and month; organic and local shares; members who stopped buying (counts only)')
  async spending(@UuidParam('caisseId') caisseId: string, @Query() q: ReportQueryDto, @Audience() audience: ReportAudience): Promise<object | StreamableFile> {
    const r = await this.reporting.spending(caisseId, { ...q, audience });
    return reply(r.view, () => r.doc, q.format, `depenses-${r.view.from}-${r.view.to}`);
  }

  @Get('activity')
  @ReportEndpoint('activity', 'Members, households, people, enrolments, exits, outlets by status and decisions taken')
  async activity(@UuidParam('caisseId') caisseId: string, @Query() q: ReportQueryDto, @Audience() audience: ReportAudience): Promise<object | StreamableFile> {
    const r = await this.reporting.activity(caisseId, { ...q, audience });
    return reply(r.view, () => r.doc, q.format, `activite-${r.view.from}-${r.view.to}`);
  }

  @Get('settings')
  @Roles('admin', 'treasurer')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Which reports the caisse publishes without login, and the smallest count they show' })
  @ApiOkResponse({ type: ReportSettingsDto })
  settings(@UuidParam('caisseId') caisseId: string): Promise<ReportSettingsDto> {
    return this.reporting.reportSettings(caisseId);
  }

  @Put('settings')
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Publish reports without login (or stop), and set the small-count threshold of public reports (admin)' })
  @ApiOkResponse({ type: ReportSettingsDto })
  updateSettings(@UuidParam('caisseId') caisseId: string, @Body() dto: UpdateReportSettingsDto): Promise<ReportSettingsDto> {
    return this.reporting.updateReportSettings(caisseId, dto);
  }
}
