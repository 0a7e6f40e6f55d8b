import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { todayInFrance } from '../common/dates.js';
import { ValidationFailed } from '../common/errors/domain-error.js';
import { formatMoney, money } from '../common/money/money.js';
import type { Principal } from '../common/request-context/principal.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { BookLineView } from '../ledger/ledger.types.js';
import { OutletsService } from '../outlets/outlets.service.js';
import type { OutletPayee } from '../outlets/outlets.types.js';
import type { ApproveSettlementRunDto, CreateSettlementRunDto, ReturnLineDto, SettlementRunDto, SettlementSettingsDto, StatusReportResultDto } from './dto/settlement-run.dto.js';
import type { Pain001Version } from './pain001.js';
import { RemittanceService } from './remittance.service.js';
import { SettlementBank } from './settlement-bank.service.js';
import { SettlementExport } from './settlement-export.service.js';
import { SettlementReader } from './settlement-reader.service.js';
import { IbanChangeUnconfirmed, NothingToPay, OutletIbanChanged, RunStateConflict, SameApprover } from './settlements.errors.js';

const userOf = (p: Principal) => (p.kind === 'user' ? p.userId : p.kind === 'member' ? p.memberId : p.keyId);

/** The stable reference of a line, sent as EndToEndId and found again in the bank statement. */
export const endToEndId = (runNo: number, outletCode: string) => `REG-${String(runNo).padStart(5, '0')}-${outletCode}`;

/**
 * Payout runs: what each outlet is owed is the open (unlettered) lines of its 401 account up to `until` — purchases
 * credit it, refunds and earlier payouts debit it. Lines are computed inside the request (one ledger read per
 * outlet; a caisse has tens of outlets, not thousands), so the 202 carries a complete run. A draft is approved by
 * a second treasurer or admin (four-eyes), then exported (SettlementExport).
 */
@Injectable()
export class SettlementsService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly ledger: LedgerService,
    private readonly outlets: OutletsService,
    private readonly audit: AuditService,
    private readonly reader: SettlementReader,
    private readonly exporter: SettlementExport,
    private readonly bank: SettlementBank,
    private readonly remittance: RemittanceService,
  ) {}

  /** Facade for the web pages: a transfer returned after execution (R-transaction). */
  returnLine(caisseId: string, runId: string, lineId: string, dto: ReturnLineDto): Promise<SettlementRunDto> {
    return this.bank.returnLine(caisseId, runId, lineId, dto);
  }

  /** Facade for the web pages: the bank's pain.002 for an exported run (rejected transfers reversed, all or nothing). */
  statusReport(caisseId: string, runId: string, file: Buffer | undefined): Promise<StatusReportResultDto> {
    return this.bank.statusReport(caisseId, runId, file);
  }

  /** Facade for the web pages: one outlet's remittance statement as a file (PDF or CSV), for who may read it. */
  async statementFile(principal: Principal, caisseId: string, runId: string, outletId: string, format: 'pdf' | 'csv'): Promise<{ filename: string; contentType: string; body: Buffer }> {
    const s = await this.remittance.statement(principal, caisseId, runId, outletId);
    const csv = format === 'csv';
    const body = csv ? Buffer.from(this.remittance.csv(s), 'utf8') : await this.remittance.pdf(s);
    return { filename: `releve-${s.statementNo}.${format}`, contentType: csv ? 'text/csv; charset=utf-8' : 'application/pdf', body };
  }

  /** Facade for the web pages: export an approved run (idempotent by itself, the run is exported once). */
  exportRun(caisseId: string, runId: string, version?: Pain001Version): Promise<{ run: SettlementRunDto; exported: boolean }> {
    return this.exporter.export(caisseId, runId, version);
  }

  /** Facade for the web pages: the pain.001 of an exported run, the same bytes on every download. */
  pain001(caisseId: string, runId: string, version?: Pain001Version): Promise<{ filename: string; xml: string }> {
    return this.exporter.pain001(caisseId, runId, version);
  }

  get(caisseId: string, runId: string): Promise<SettlementRunDto> {
    return this.reader.get(caisseId, runId);
  }

  list(caisseId: string): Promise<SettlementRunDto[]> {
    return this.reader.list(caisseId);
  }

  async settings(caisseId: string): Promise<SettlementSettingsDto> {
    const [row] = await this.txHost.tx.query(`SELECT iban_change_window_days FROM settlement_settings WHERE caisse_id = $1`, [caisseId]);
    return { ibanChangeWindowDays: row?.iban_change_window_days ?? 30 };
  }

  @Transactional()
  async configure(caisseId: string, dto: SettlementSettingsDto): Promise<SettlementSettingsDto> {
    const before = await this.settings(caisseId);
    await this.txHost.tx.query(
      `INSERT INTO settlement_settings (caisse_id, iban_change_window_days) VALUES ($1, $2)
         ON CONFLICT (caisse_id) DO UPDATE SET iban_change_window_days = $2, updated_at = now()`,
      [caisseId, dto.ibanChangeWindowDays],
    );
    await this.audit.record({ caisseId, action: 'settlement.settings-changed', targetType: 'caisse', targetId: caisseId, before, after: dto });
    return this.settings(caisseId);
  }

  @Transactional()
  async create(caisseId: string, dto: CreateSettlementRunDto, principal: Principal): Promise<SettlementRunDto> {
    const today = todayInFrance();
    if (dto.until > today) throw new ValidationFailed({ until: [`until must not be after today (${today})`] });
    const minAmount = money(dto.minAmount ?? '0.01');
    const bank = await this.ledger.bankAccount(caisseId, dto.bankAccount);
    if (!bank.iban) throw new ValidationFailed({ bankAccount: [`bank account ${bank.account} has no IBAN to pay from`] });
    // The settings row numbers the runs and serialises their creation per caisse, so two runs never hold one purchase.
    const [{ last_run_no: runNo, iban_change_window_days: window }] = await this.txHost.tx.query(
      `INSERT INTO settlement_settings (caisse_id, last_run_no) VALUES ($1, 1)
         ON CONFLICT (caisse_id) DO UPDATE SET last_run_no = settlement_settings.last_run_no + 1 RETURNING last_run_no, iban_change_window_days`,
      [caisseId],
    );
    const payees = await this.outlets.payees(caisseId, dto.outlets);
    if (dto.outlets && payees.length !== dto.outlets.length) {
      const known = new Set(payees.map((p) => p.outletId));
      throw new ValidationFailed({ outlets: [`unknown outlets: ${dto.outlets.filter((o) => !known.has(o)).join(', ')}`] });
    }
    const [{ id: runId }] = await this.txHost.tx.query(
      `INSERT INTO settlement_runs (caisse_id, run_no, until_date, bank_account, min_amount, instant, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [caisseId, runNo, dto.until, bank.account, formatMoney(minAmount), dto.instant ?? false, userOf(principal)],
    );
    const flagSince = new Date(Date.now() - window * 86_400_000);
    let count = 0;
    for (const payee of payees) {
      const open = await this.openItems(caisseId, payee, dto.until);
      const owed = open.reduce((s, l) => s.plus(l.credit).minus(l.debit), money(0));
      if (open.length === 0 || owed.lessThan(minAmount) || owed.lessThanOrEqualTo(0)) continue;
      await this.insertLine(caisseId, runId, runNo, payee, open, formatMoney(owed), payee.ibanChangedAt !== null && payee.ibanChangedAt > flagSince);
      count++;
    }
    if (count === 0) throw new NothingToPay(dto.until);
    const run = await this.reader.get(caisseId, runId);
    await this.audit.record({ caisseId, action: 'settlement.run-created', targetType: 'settlement-run', targetId: runId, after: { ...dto, runNo, total: run.total, lines: count } });
    return run;
  }

  /** Open 401 lines up to `until` that no live line of another run holds yet. */
  private async openItems(caisseId: string, payee: OutletPayee, until: string): Promise<BookLineView[]> {
    const open = await this.ledger.bookLines(caisseId, payee.accountCode, { until, lettered: false });
    if (open.length === 0) return open;
    const held: { entry_id: string; line_no: number }[] = await this.txHost.tx.query(
      `SELECT entry_id, line_no FROM settlement_items WHERE held AND entry_id = ANY($1::uuid[])`,
      [open.map((l) => l.entryId)],
    );
    const taken = new Set(held.map((h) => `${h.entry_id}:${h.line_no}`));
    return open.filter((l) => !taken.has(`${l.entryId}:${l.lineNo}`));
  }

  private async insertLine(caisseId: string, runId: string, runNo: number, payee: OutletPayee, open: BookLineView[], amount: string, flagged: boolean): Promise<void> {
    const [{ id: lineId }] = await this.txHost.tx.query(
      `INSERT INTO settlement_lines (run_id, caisse_id, outlet_id, outlet_code, account_code, payee_name, iban, bic, amount, end_to_end_id, period_from, iban_changed_at, iban_flagged)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
      [runId, caisseId, payee.outletId, payee.code, payee.accountCode, payee.legalName, payee.iban, payee.bic, amount, endToEndId(runNo, payee.code), open[0].date, payee.ibanChangedAt, flagged],
    );
    await this.txHost.tx.query(
      `INSERT INTO settlement_items (line_id, entry_id, line_no, entry_date, journal, piece_ref, label, amount)
       SELECT $1, * FROM unnest($2::uuid[], $3::smallint[], $4::date[], $5::text[], $6::text[], $7::text[], $8::numeric[])`,
      [
        lineId,
        open.map((l) => l.entryId),
        open.map((l) => l.lineNo),
        open.map((l) => l.date),
        open.map((l) => l.journal),
        open.map((l) => l.pieceRef),
        open.map((l) => l.label),
        open.map((l) => formatMoney(money(l.credit).minus(l.debit))),
      ],
    );
  }

  /**
   * Four-eyes: a treasurer or admin other than the creator approves. Every line flagged for a recent IBAN change
   * must be confirmed by name (audited one by one); an IBAN changed since the run was prepared refuses the approval.
   */
  @Transactional()
  async approve(caisseId: string, runId: string, dto: ApproveSettlementRunDto, principal: Principal): Promise<SettlementRunDto> {
    const run = await this.reader.run(caisseId, runId, true);
    if (run.status !== 'draft') throw new RunStateConflict('approved', run.status);
    const approver = userOf(principal);
    if (approver === run.created_by) throw new SameApprover();
    const lines = await this.reader.lines(runId, true);
    const confirm = new Set(dto.confirmIbanChanges ?? []);
    const strangers = [...confirm].filter((id) => !lines.some((l) => l.id === id && l.iban_flagged));
    if (strangers.length) throw new ValidationFailed({ confirmIbanChanges: [`not flagged lines of this run: ${strangers.join(', ')}`] });
    const missing = lines.filter((l) => l.iban_flagged && !confirm.has(l.id));
    if (missing.length) throw new IbanChangeUnconfirmed(missing.map((l) => ({ lineId: l.id, outletCode: l.outlet_code })));
    const current = new Map((await this.outlets.payees(caisseId, lines.map((l) => l.outlet_id))).map((p) => [p.outletId, p]));
    const moved = lines.find((l) => current.get(l.outlet_id)?.iban !== l.iban);
    if (moved) throw new OutletIbanChanged(moved.outlet_code);
    for (const l of lines.filter((x) => x.iban_flagged)) {
      await this.txHost.tx.query(`UPDATE settlement_lines SET iban_confirmed_by = $2 WHERE id = $1`, [l.id, approver]);
      await this.audit.record({
        caisseId,
        action: 'settlement.iban-change-confirmed',
        targetType: 'outlet',
        targetId: l.outlet_id,
        after: { runId, lineId: l.id, endToEndId: l.end_to_end_id, iban: l.iban, ibanChangedAt: l.iban_changed_at, amount: l.amount },
      });
    }
    await this.txHost.tx.query(`UPDATE settlement_runs SET status = 'approved', approved_by = $2, approved_at = now() WHERE id = $1`, [runId, approver]);
    await this.audit.record({ caisseId, action: 'settlement.run-approved', targetType: 'settlement-run', targetId: runId, after: { confirmedIbanChanges: [...confirm] } });
    return this.reader.get(caisseId, runId);
  }

  /** A run not yet exported is dropped: its purchases are free for the next run. */
  @Transactional()
  async cancel(caisseId: string, runId: string): Promise<SettlementRunDto> {
    const run = await this.reader.run(caisseId, runId, true);
    if (run.status !== 'draft' && run.status !== 'approved') throw new RunStateConflict('cancelled', run.status);
    await this.txHost.tx.query(`UPDATE settlement_items SET held = false WHERE line_id IN (SELECT id FROM settlement_lines WHERE run_id = $1)`, [runId]);
    await this.txHost.tx.query(`UPDATE settlement_runs SET status = 'cancelled' WHERE id = $1`, [runId]);
    await this.audit.record({ caisseId, action: 'settlement.run-cancelled', targetType: 'settlement-run', targetId: runId, before: { status: run.status } });
    return this.reader.get(caisseId, runId);
  }
}
