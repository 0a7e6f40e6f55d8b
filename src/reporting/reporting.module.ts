import { Module } from '@nestjs/common';
import { CaissesModule } from '../caisses/caisses.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { AnnualAccountsController } from './accounts/annual-accounts.controller.js';
import { AnnualAccountsService } from './accounts/annual-accounts.service.js';
import { FecController } from './fec/fec.controller.js';
import { FecExportService } from './fec/fec-export.service.js';

/**
 * Reports, exports and year-end documents: read-only views over the other modules' facades (tier 5). The FEC and the
 * annual accounts live under fec/ and accounts/, the management reports under reports/, each with its controller.
 */
@Module({
  imports: [LedgerModule, CaissesModule],
  controllers: [FecController, AnnualAccountsController],
  providers: [FecExportService, AnnualAccountsService],
  exports: [FecExportService, AnnualAccountsService],
})
export class ReportingModule {}
