import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { ContributionsModule } from '../contributions/contributions.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { AutoMatcher } from './auto-matcher.service.js';
import { BankLinesService } from './bank-lines.service.js';
import { CsvMappings } from './csv-mappings.service.js';
import { MatchWriter } from './match-writer.service.js';
import { ReconciliationReport } from './reconciliation-report.service.js';
import { ReconciliationController } from './reconciliation.controller.js';
import { ReconciliationService } from './reconciliation.service.js';
import { StatementImportService } from './statement-import.service.js';

@Module({
  imports: [AuditModule, LedgerModule, ContributionsModule],
  controllers: [ReconciliationController],
  providers: [ReconciliationService, StatementImportService, AutoMatcher, MatchWriter, BankLinesService, CsvMappings, ReconciliationReport],
  exports: [ReconciliationService],
})
export class ReconciliationModule {}
