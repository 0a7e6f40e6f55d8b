import { Injectable } from '@nestjs/common';
import { type RenderedFile, renderTabular } from '../common/tabular/render.js';
import type { TabularDoc } from '../common/tabular/tabular.types.js';
import { annualAccountsDocument } from './accounts/annual-accounts.document.js';
import { AnnualAccountsService } from './accounts/annual-accounts.service.js';
import { type FecFile, FecExportService } from './fec/fec-export.service.js';
import { ReadReplica } from '../database/read-replica.js';
import { type BalanceView, TrialBalanceReportService } from './books/trial-balance-report.service.js';
import { GeneralLedgerService, type GeneralLedgerView } from './books/general-ledger.service.js';
import { type ActivityView, ActivityReportService } from './reports/activity-report.service.js';
import { type FundersView, FundersReportService } from './reports/funders-report.service.js';
import type { ReportAudience } from './reports/report-access.guard.js';
import { type ReportPeriod, resolvePeriod } from './reports/report-period.js';
import type { ReportName, ReportSettingsDto, UpdateReportSettingsDto } from './reports/report-settings.dto.js';
import { ReportSettingsService } from './reports/report-settings.service.js';
import { type RunwayView, RunwayReportService } from './reports/runway-report.service.js';
import { type SolidarityView, SolidarityReportService } from './reports/solidarity-report.service.js';
import { type SpendingView, SpendingReportService } from './reports/spending-report.service.js';

/** A report's figures and the same figures as a document for CSV/XLSX/PDF. */
export interface Report<T> {
  view: T;
  doc: TabularDoc;
}

export interface ReportRequest {
  from?: string;
  to?: string;
  audience: ReportAudience;
}

/**
 * Facade of the reporting module (the web pages call it): the management reports, the general ledger and the
 * balance, and the per-caisse publication settings. Every method resolves and checks the period itself.
 * Reports and books are read in one read-only snapshot on the replica while it keeps up (ReadReplica.read); the
 * publication settings stay on the primary, since an admin who just changed them expects to see the change.
 */
@Injectable()
export class ReportingService {
  constructor(
    private readonly settings: ReportSettingsService,
    private readonly fundersReport: FundersReportService,
    private readonly runwayReport: RunwayReportService,
    private readonly solidarityReport: SolidarityReportService,
    private readonly spendingReport: SpendingReportService,
    private readonly activityReport: ActivityReportService,
    private readonly generalLedgerBook: GeneralLedgerService,
    private readonly balanceBook: TrialBalanceReportService,
    private readonly annualAccounts: AnnualAccountsService,
    private readonly fecExport: FecExportService,
    private readonly replica: ReadReplica,
  ) {}

  period(q: { from?: string; to?: string }): ReportPeriod {
    return resolvePeriod(q);
  }

  async funders(caisseId: string, r: ReportRequest & { operation?: string }): Promise<Report<FundersView>> {
    return this.replica.read(async () => {
      const view = await this.fundersReport.view(caisseId, resolvePeriod(r), r.audience, r.operation);
      return { view, doc: this.fundersReport.doc(view) };
    });
  }

  async runway(caisseId: string, r: ReportRequest): Promise<Report<RunwayView>> {
    return this.replica.read(async () => {
      const view = await this.runwayReport.view(caisseId, resolvePeriod(r), r.audience);
      return { view, doc: this.runwayReport.doc(view) };
    });
  }

  async solidarity(caisseId: string, r: ReportRequest): Promise<Report<SolidarityView>> {
    return this.replica.read(async () => {
      const { minCell } = await this.settings.get(caisseId);
      const view = await this.solidarityReport.view(caisseId, resolvePeriod(r), r.audience, minCell);
      return { view, doc: this.solidarityReport.doc(view, minCell) };
    });
  }

  async spending(caisseId: string, r: ReportRequest): Promise<Report<SpendingView>> {
    return this.replica.read(async () => {
      const { minCell } = await this.settings.get(caisseId);
      const view = await this.spendingReport.view(caisseId, resolvePeriod(r), r.audience, minCell);
      return { view, doc: this.spendingReport.doc(view, minCell) };
    });
  }

  async activity(caisseId: string, r: ReportRequest): Promise<Report<ActivityView>> {
    return this.replica.read(async () => {
      const { minCell } = await this.settings.get(caisseId);
      const view = await this.activityReport.view(caisseId, resolvePeriod(r), r.audience, minCell);
      return { view, doc: this.activityReport.doc(view, minCell) };
    });
  }

  async generalLedger(caisseId: string, q: { from?: string; to?: string; account?: string }): Promise<Report<GeneralLedgerView>> {
    return this.replica.read(async () => {
      const view = await this.generalLedgerBook.view(caisseId, resolvePeriod(q), q.account);
      return { view, doc: this.generalLedgerBook.doc(view) };
    });
  }

  async balance(caisseId: string, q: { from?: string; to?: string; account?: string }): Promise<Report<BalanceView>> {
    return this.replica.read(async () => {
      const view = await this.balanceBook.view(caisseId, resolvePeriod(q), q.account);
      return { view, doc: this.balanceBook.doc(view) };
    });
  }

  reportSettings(caisseId: string): Promise<ReportSettingsDto> {
    return this.settings.get(caisseId);
  }

  updateReportSettings(caisseId: string, dto: UpdateReportSettingsDto): Promise<ReportSettingsDto> {
    return this.settings.update(caisseId, dto);
  }

  isPublic(caisseId: string, report: ReportName): Promise<boolean> {
    return this.settings.isPublic(caisseId, report);
  }

  /** The annual accounts of a fiscal year as a PDF or XLSX document (the web closings page links to both). */
  async annualAccountsFile(caisseId: string, year: number, format: 'pdf' | 'xlsx'): Promise<RenderedFile> {
    return renderTabular(annualAccountsDocument(await this.annualAccounts.build(caisseId, year)), format, `comptes-annuels-${year}`);
  }

  /** The FEC of a fiscal year, streamed (every check done before the first byte). */
  fec(caisseId: string, year: number): Promise<FecFile> {
    return this.fecExport.open(caisseId, year);
  }
}
