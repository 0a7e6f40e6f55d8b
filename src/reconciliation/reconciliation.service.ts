import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction.js';
import { AutoMatcher } from './auto-matcher.service.js';
import { BankLinesService } from './bank-lines.service.js';
import { CsvMappings } from './csv-mappings.service.js';
import type { BankLineDto, ManualMatchDto } from './dto/bank-line.dto.js';
import type { CsvMappingDto } from './dto/csv-mapping.dto.js';
import type { ReconciliationDto } from './dto/reconciliation.dto.js';
import type { ImportResultDto, StatementSummaryDto } from './dto/statement.dto.js';
import { rapprochementCsv, rapprochementPdf } from './rapprochement-document.js';
import { ReconciliationReport } from './reconciliation-report.service.js';
import { StatementImportService } from './statement-import.service.js';
import { listStatements } from './statement-list.js';
import type { SuggestionKind } from './suggestions.js';

/** Facade of the reconciliation module: statement imports, matching, and the rapprochement bancaire. */
@Injectable()
export class ReconciliationService {
  constructor(
    private readonly txHost: TransactionHost,
    private readonly imports: StatementImportService,
    private readonly matcher: AutoMatcher,
    private readonly bankLines: BankLinesService,
    private readonly mappings: CsvMappings,
    private readonly reports: ReconciliationReport,
  ) {}

  importStatement(caisseId: string, data: Buffer, bankAccount?: string): Promise<ImportResultDto> {
    return this.imports.import(caisseId, data, bankAccount);
  }

  /** The statements imported, newest first (the web statements page). */
  statements(caisseId: string): Promise<StatementSummaryDto[]> {
    return listStatements(this.txHost.tx, caisseId);
  }

  autoMatch(caisseId: string, bankAccount: string): Promise<{ matched: number; unmatched: number }> {
    return this.txHost.run(() => this.matcher.run(caisseId, bankAccount));
  }

  saveCsvMapping(caisseId: string, bankAccount: string, dto: CsvMappingDto): Promise<CsvMappingDto> {
    return this.mappings.save(caisseId, bankAccount, dto);
  }

  /** The CSV column mapping saved for an account, or undefined when none is. */
  csvMapping(caisseId: string, bankAccount: string): Promise<CsvMappingDto | undefined> {
    return this.mappings.find(caisseId, bankAccount);
  }

  lines(caisseId: string, q: { bankAccount?: string; status?: 'matched' | 'unmatched'; recent?: number }): Promise<BankLineDto[]> {
    return this.bankLines.list(caisseId, q);
  }

  match(caisseId: string, lineId: string, dto: ManualMatchDto): Promise<BankLineDto> {
    return this.bankLines.match(caisseId, lineId, dto);
  }

  unmatch(caisseId: string, matchId: string): Promise<void> {
    return this.bankLines.unmatch(caisseId, matchId);
  }

  accept(caisseId: string, lineId: string, kind?: SuggestionKind): Promise<BankLineDto> {
    return this.bankLines.accept(caisseId, lineId, kind);
  }

  report(caisseId: string, bankAccount: string, asOf: string): Promise<ReconciliationDto> {
    return this.reports.at(caisseId, bankAccount, asOf);
  }

  csv(report: ReconciliationDto): string {
    return rapprochementCsv(report);
  }

  pdf(report: ReconciliationDto): Promise<Buffer> {
    return rapprochementPdf(report);
  }
}
