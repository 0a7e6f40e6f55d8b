import { Module } from '@nestjs/common';
import { AllocationsModule } from '../allocations/allocations.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { CaissesModule } from '../caisses/caisses.module.js';
import { ContributionsModule } from '../contributions/contributions.module.js';
import { GovernanceModule } from '../governance/governance.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { MembersModule } from '../members/members.module.js';
import { OutletsModule } from '../outlets/outlets.module.js';
import { PurchasesModule } from '../purchases/purchases.module.js';
import { AnnualAccountsController } from './accounts/annual-accounts.controller.js';
import { AnnualAccountsService } from './accounts/annual-accounts.service.js';
import { BooksController } from './books/books.controller.js';
import { GeneralLedgerService } from './books/general-ledger.service.js';
import { TrialBalanceReportService } from './books/trial-balance-report.service.js';
import { FecExportService } from './fec/fec-export.service.js';
import { FecController } from './fec/fec.controller.js';
import { ReportingService } from './reporting.service.js';
import { ActivityReportService } from './reports/activity-report.service.js';
import { FundersReportService } from './reports/funders-report.service.js';
import { ReportAccessGuard } from './reports/report-access.guard.js';
import { ReportSettingsService } from './reports/report-settings.service.js';
import { ReportsController } from './reports/reports.controller.js';
import { RunwayReportService } from './reports/runway-report.service.js';
import { SolidarityReportService } from './reports/solidarity-report.service.js';
import { SpendingReportService } from './reports/spending-report.service.js';

/**
 * Reports, exports and year-end documents: read-only views over the other modules' facades (tier 5). The FEC and the
 * annual accounts live under fec/ and accounts/, the management reports under reports/, the books under books/.
 */
@Module({
  imports: [LedgerModule, AuditModule, AuthModule, CaissesModule, MembersModule, OutletsModule, ContributionsModule, GovernanceModule, PurchasesModule, AllocationsModule],
  controllers: [ReportsController, BooksController, FecController, AnnualAccountsController],
  providers: [
    ReportingService,
    ReportSettingsService,
    ReportAccessGuard,
    FundersReportService,
    RunwayReportService,
    SolidarityReportService,
    SpendingReportService,
    ActivityReportService,
    GeneralLedgerService,
    TrialBalanceReportService,
    FecExportService,
    AnnualAccountsService,
  ],
  exports: [ReportingService],
})
export class ReportingModule {}
