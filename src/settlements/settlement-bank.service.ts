import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { todayInFrance } from '../common/dates.js';
import { ValidationFailed } from '../common/errors/domain-error.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { ReturnLineDto, SettlementRunDto, StatusReportResultDto } from './dto/settlement-run.dto.js';
import { parsePain002, Pain002Error, type StatusReport } from './pain002.js';
import { type LineRow, type RunRow, SettlementReader } from './settlement-reader.service.js';
import { LineAlreadyPaid, LineAlreadyReversed, RunStateConflict, SettlementLineNotFound, StatusReportRefused } from './settlements.errors.js';

/** Statuses of a pain.002 that mean the bank will not execute the transfer. */
const REJECTED = new Set(['RJCT', 'CANC']);

/**
 * The bank's answers on an exported run. A rejection (pain.002) or a return (R-transaction seen later) reverses the
 * line's payout entry (idempotency key payout-return:<MsgId>:<EndToEndId>) and takes its letter off the purchases,
 * so they are owed again and the next run pays them; the payout's 401 line is then lettered with its reversal's,
 * so neither shows as an open item. Everything is checked before anything is applied, in one transaction.
 */
@Injectable()
export class SettlementBank {
  constructor(
    readonly txHost: TransactionHost,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly reader: SettlementReader,
  ) {}

  @Transactional()
  async statusReport(caisseId: string, runId: string, file: Buffer | undefined): Promise<StatusReportResultDto> {
    if (!file || file.length === 0) throw new ValidationFailed({ file: ['send the pain.002 XML file as file'] });
    let report: StatusReport;
    try {
      report = parsePain002(file.toString('utf8'));
    } catch (e) {
      if (e instanceof Pain002Error) throw new StatusReportRefused('MALFORMED_STATUS_REPORT', 400, e.message, e.line);
      throw e;
    }
    const run = await this.reader.run(caisseId, runId, true);
    if (run.status !== 'exported') throw new RunStateConflict('given a status report before its export', run.status);
    if (report.originalMessageId !== run.message_id) {
      throw new StatusReportRefused('UNKNOWN_MESSAGE', 422, `OrgnlMsgId ${report.originalMessageId} is not the MsgId of this run (${run.message_id})`, report.originalMessageLine);
    }
    const lines = await this.reader.lines(runId, true);
    const byE2e = new Map(lines.map((l) => [l.end_to_end_id, l]));
    const unknown = report.transactions.find((t) => !byE2e.has(t.endToEndId));
    if (unknown) throw new StatusReportRefused('UNKNOWN_TRANSACTION', 422, `OrgnlEndToEndId ${unknown.endToEndId} is not a transfer of this run`, unknown.line);
    // A whole-file rejection may list no transaction: it applies to every line.
    const statuses =
      report.transactions.length === 0 && report.groupStatus && REJECTED.has(report.groupStatus)
        ? lines.map((l) => ({ endToEndId: l.end_to_end_id, status: report.groupStatus!, reasonCode: report.groupReasonCode, reasonText: null }))
        : report.transactions;
    const paid = await this.reader.paidEntries(caisseId, run, lines);
    const toReject = statuses.filter((t) => REJECTED.has(t.status) && byE2e.get(t.endToEndId)!.status === 'pending');
    const alreadyPaid = toReject.find((t) => paid.has(byE2e.get(t.endToEndId)!.payout_entry_id!));
    if (alreadyPaid) throw new LineAlreadyPaid(alreadyPaid.endToEndId);
    const today = todayInFrance();
    for (const t of toReject) {
      await this.reverse(caisseId, run, byE2e.get(t.endToEndId)!, { status: 'rejected', code: t.reasonCode, text: t.reasonText, on: today, bankStatus: t.status });
    }
    const accepted = statuses.filter((t) => !REJECTED.has(t.status) && byE2e.get(t.endToEndId)!.status === 'pending');
    for (const t of accepted) {
      await this.txHost.tx.query(`UPDATE settlement_lines SET bank_status = $2, reason_code = $3, reason_text = $4 WHERE id = $1`, [byE2e.get(t.endToEndId)!.id, t.status, t.reasonCode, t.reasonText]);
    }
    await this.audit.record({
      caisseId,
      action: 'settlement.status-report',
      targetType: 'settlement-run',
      targetId: runId,
      after: { reportId: report.messageId, groupStatus: report.groupStatus, rejected: toReject.map((t) => ({ endToEndId: t.endToEndId, reason: t.reasonCode })) },
    });
    return { reportId: report.messageId, rejected: toReject.length, accepted: accepted.length, run: await this.reader.get(caisseId, runId) };
  }

  /** A transfer returned by the creditor's bank after it was executed (R-transaction), paid or not yet reconciled. */
  @Transactional()
  async returnLine(caisseId: string, runId: string, lineId: string, dto: ReturnLineDto): Promise<SettlementRunDto> {
    const run = await this.reader.run(caisseId, runId, true);
    if (run.status !== 'exported') throw new RunStateConflict('given a return before its export', run.status);
    const line = (await this.reader.lines(runId, true)).find((l) => l.id === lineId);
    if (!line) throw new SettlementLineNotFound(lineId);
    if (line.status !== 'pending') throw new LineAlreadyReversed(line.status);
    if (dto.returnedOn < run.execution_date! || dto.returnedOn > todayInFrance()) {
      throw new ValidationFailed({ returnedOn: [`returnedOn must be between the execution date (${run.execution_date}) and today`] });
    }
    await this.reverse(caisseId, run, line, { status: 'returned', code: dto.reason.slice(0, 35), text: dto.reason, on: dto.returnedOn, bankStatus: null });
    await this.audit.record({ caisseId, action: 'settlement.line-returned', targetType: 'outlet', targetId: line.outlet_id, after: { runId, lineId, endToEndId: line.end_to_end_id, ...dto } });
    return this.reader.get(caisseId, runId);
  }

  private async reverse(
    caisseId: string,
    run: RunRow,
    line: LineRow,
    why: { status: 'rejected' | 'returned'; code: string | null; text: string | null; on: string; bankStatus: string | null },
  ): Promise<void> {
    const { entry: reversal } = await this.ledger.reverse(caisseId, line.payout_entry_id!, `${why.status === 'rejected' ? 'Rejet' : 'Retour'} virement ${line.end_to_end_id} ${why.code ?? ''}`.trim(), {
      date: why.on,
      idempotencyKey: `payout-return:${run.message_id}:${line.end_to_end_id}`,
    });
    await this.ledger.unletter(caisseId, line.payout_letter!);
    const payout = await this.ledger.entry(caisseId, line.payout_entry_id!);
    const lineOf = (lines: { account: string; lineNo: number }[]) => lines.find((x) => x.account === line.account_code)!.lineNo;
    await this.ledger.letter(caisseId, [{ entryId: payout.id, lineNo: lineOf(payout.lines) }, { entryId: reversal.id, lineNo: lineOf(reversal.lines) }], why.on);
    await this.txHost.tx.query(`UPDATE settlement_items SET held = false WHERE line_id = $1`, [line.id]);
    await this.txHost.tx.query(
      `UPDATE settlement_lines SET status = $2, reason_code = $3, reason_text = $4, status_on = $5, reversal_entry_id = $6, bank_status = coalesce($7, bank_status) WHERE id = $1`,
      [line.id, why.status, why.code, why.text, why.on, reversal.id, why.bankStatus],
    );
  }
}
