import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { CaissesModule } from '../caisses/caisses.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { MembersModule } from '../members/members.module.js';
import { ContributionRecorder } from './contribution-recorder.service.js';
import { ContributionsController } from './contributions.controller.js';
import { ContributionReportReads } from './contribution-report-reads.service.js';
import { ContributionsService } from './contributions.service.js';
import { ContributorsService } from './contributors.service.js';
import { DirectDebitController } from './direct-debit.controller.js';
import { DirectDebitReads } from './direct-debit-reads.service.js';
import { DirectDebitService } from './direct-debit.service.js';
import { DirectDebitSettlements } from './direct-debit-settlements.service.js';
import { FundersController } from './funders.controller.js';
import { FundsService } from './funds.service.js';
import { GrantsService } from './grants.service.js';
import { TaxReceiptsController } from './tax-receipts.controller.js';
import { TaxReceiptsService } from './tax-receipts.service.js';
import { MandatesService } from './mandates.service.js';
import { MemberDuesService } from './member-dues.service.js';
import { PeriodStatusesService } from './period-statuses.service.js';
import { MonthGiftsService } from './month-gifts.service.js';

@Module({
  imports: [AuditModule, LedgerModule, CaissesModule, MembersModule],
  controllers: [ContributionsController, FundersController, DirectDebitController, TaxReceiptsController],
  providers: [ContributionsService, ContributionReportReads, ContributionRecorder, ContributorsService, FundsService, GrantsService, MemberDuesService, PeriodStatusesService, MandatesService, DirectDebitService, TaxReceiptsService, MonthGiftsService, DirectDebitSettlements, DirectDebitReads],
  exports: [ContributionsService],
})
export class ContributionsModule {}
