import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import { AuditModule } from '../audit/audit.module.js';
import { AccountsService } from './accounts.service.js';
import { BankAccountsService } from './bank-accounts.service.js';
import { BatchPostingService } from './batch-posting.service.js';
import { BooksSettingsService } from './books-settings.service.js';
import { ChartController } from './chart.controller.js';
import { ChartService } from './chart.service.js';
import { DepositsService } from './deposits.service.js';
import { ClosingsController } from './closings.controller.js';
import { EntryReader } from './entry-reader.service.js';
import { IntegrityService } from './integrity.service.js';
import { LedgerController } from './ledger.controller.js';
import { LEDGER_QUEUE, LedgerProcessor } from './ledger.processor.js';
import { BookReadsService } from './book-reads.service.js';
import { LedgerService } from './ledger.service.js';
import { LetteringService } from './lettering.service.js';
import { ManualEntriesService } from './manual-entries.service.js';
import { PeriodsService } from './periods.service.js';
import { PostingService } from './posting.service.js';
import { TrialBalanceService } from './trial-balance.service.js';
import { TreasuryController } from './treasury.controller.js';
import { FecSource } from './fec-source.js';
import { YearClosingsReader } from './year-closings.reader.js';
import { YearEndController } from './year-end.controller.js';
import { YearEndService } from './year-end.service.js';

@Module({
  imports: [AuditModule, BullModule.registerQueue({ name: LEDGER_QUEUE })],
  controllers: [LedgerController, ClosingsController, ChartController, TreasuryController, YearEndController],
  providers: [
    LedgerService,
    BookReadsService,
    PostingService,
    BatchPostingService,
    AccountsService,
    EntryReader,
    PeriodsService,
    IntegrityService,
    TrialBalanceService,
    ManualEntriesService,
    LedgerProcessor,
    ChartService,
    BooksSettingsService,
    BankAccountsService,
    DepositsService,
    LetteringService,
    YearEndService,
    YearClosingsReader,
    FecSource,
  ],
  exports: [LedgerService],
})
export class LedgerModule {}
