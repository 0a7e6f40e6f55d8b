import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service.js';
import { Transactional, TransactionHost } from '../../database/transaction.js';
import type { ReportName, ReportSettingsDto, UpdateReportSettingsDto } from './report-settings.dto.js';

const DEFAULTS = { publicReports: [] as ReportName[], minCell: 5 };

/** Which reports a caisse publishes without login, and its small-count threshold. */
@Injectable()
export class ReportSettingsService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly audit: AuditService,
  ) {}

  async get(caisseId: string): Promise<ReportSettingsDto> {
    const [row]: { public_reports: ReportName[]; min_cell: number }[] = await this.txHost.tx.query(
      `SELECT public_reports, min_cell FROM report_settings WHERE caisse_id = $1`,
      [caisseId],
    );
    return row ? { publicReports: row.public_reports, minCell: row.min_cell } : { ...DEFAULTS };
  }

  async isPublic(caisseId: string, report: ReportName): Promise<boolean> {
    return (await this.get(caisseId)).publicReports.includes(report);
  }

  @Transactional()
  async update(caisseId: string, dto: UpdateReportSettingsDto): Promise<ReportSettingsDto> {
    const before = await this.get(caisseId);
    const after = { publicReports: [...new Set(dto.publicReports ?? before.publicReports)].sort(), minCell: dto.minCell ?? before.minCell };
    await this.txHost.tx.query(
      `INSERT INTO report_settings (caisse_id, public_reports, min_cell) VALUES ($1, $2, $3)
       ON CONFLICT (caisse_id) DO UPDATE SET public_reports = EXCLUDED.public_reports, min_cell = EXCLUDED.min_cell, updated_at = now()`,
      [caisseId, after.publicReports, after.minCell],
    );
    await this.audit.record({ caisseId, action: 'reporting.settings-updated', targetType: 'report-settings', targetId: null, before, after });
    return after;
  }
}
