import { Controller, Get, Query, type StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/request-context/decorators.js';
import { UuidParam } from '../../common/request-context/uuid-param.js';
import { ReportingService } from '../reporting.service.js';
import { TabularResponses } from '../reports/report-docs.decorator.js';
import { BooksQueryDto } from '../reports/report-query.dto.js';
import { reply } from '../reports/report-reply.js';

/** The books of a period for the accountant: general ledger and balance, with sub-ledgers (?account=4671). */
@ApiTags('books')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/books')
export class BooksController {
  constructor(private readonly reporting: ReportingService) {}

  @Get('general-ledger')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'General ledger (grand livre) of the period; ?account= gives one sub-ledger, per pseudonymous auxiliary' })
  @TabularResponses('General ledger')
  async generalLedger(@UuidParam('caisseId') caisseId: string, @Query() q: BooksQueryDto): Promise<object | StreamableFile> {
    const r = await this.reporting.generalLedger(caisseId, q);
    return reply(r.view, () => r.doc, q.format, `grand-livre${q.account ? `-${q.account}` : ''}-${r.view.from}-${r.view.to}`);
  }

  @Get('balance')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Balance (trial balance) of the period: brought forward, movements, closing; ?account= gives the auxiliary balance' })
  @TabularResponses('Balance')
  async balance(@UuidParam('caisseId') caisseId: string, @Query() q: BooksQueryDto): Promise<object | StreamableFile> {
    const r = await this.reporting.balance(caisseId, q);
    return reply(r.view, () => r.doc, q.format, `balance${q.account ? `-${q.account}` : ''}-${r.view.from}-${r.view.to}`);
  }
}
