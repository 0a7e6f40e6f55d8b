import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module.js';

/**
 * Reports, exports and year-end documents: read-only views over the other modules' facades (tier 5). The FEC and the
 * annual accounts live under fec/ and accounts/, the management reports under reports/, each with its controller.
 */
@Module({
  imports: [LedgerModule],
  controllers: [],
  providers: [],
})
export class ReportingModule {}
