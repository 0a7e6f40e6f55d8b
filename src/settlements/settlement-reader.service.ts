import { Injectable } from '@nestjs/common';
import { formatMoney, money } from '../common/money/money.js';
import { TransactionHost } from '../database/transaction.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { SettlementLineDto, SettlementRunDto } from './dto/settlement-run.dto.js';
import { SettlementRunNotFound } from './settlements.errors.js';

export interface RunRow {
  id: string;
  run_no: number;
  status: 'draft' | 'approved' | 'exported' | 'cancelled';
  until_date: string;
  bank_account: string;
  min_amount: string;
  instant: boolean;
  created_by: string;
  created_at: Date;
  approved_by: string | null;
  approved_at: Date | null;
  message_id: string | null;
  pain_version: '09' | '03' | null;
  exported_at: Date | null;
  execution_date: string | null;
}

export interface LineRow {
  id: string;
  outlet_id: string;
  outlet_code: string;
  account_code: string;
  payee_name: string;
  iban: string;
  bic: string | null;
  amount: string;
  end_to_end_id: string;
  period_from: string;
  iban_changed_at: Date | null;
  iban_flagged: boolean;
  iban_confirmed_by: string | null;
  address: { street: string | null; building: string | null; postcode: string | null; town: string; country: string; line: string | null } | null;
  status: 'pending' | 'rejected' | 'returned';
  bank_status: string | null;
  reason_code: string | null;
  reason_text: string | null;
  payout_entry_id: string | null;
  payout_letter: string | null;
  reversal_entry_id: string | null;
  items: number;
}

const RUN_COLUMNS = `id, run_no, status, to_char(until_date, 'YYYY-MM-DD') AS until_date, bank_account, min_amount::text AS min_amount, instant,
  created_by, created_at, approved_by, approved_at, message_id, pain_version, exported_at, to_char(execution_date, 'YYYY-MM-DD') AS execution_date`;

/**
 * Reads of runs. "paid" is never stored: a transfer is paid once the reconciliation letters the 512x line of its
 * payout entry (the bank statement shows it), so line and run statuses are derived from the ledger on every read.
 */
const LINE_SELECT = `SELECT l.run_id, l.id, l.outlet_id, l.outlet_code, l.account_code, l.payee_name, l.iban, l.bic, l.amount::text AS amount,
       l.end_to_end_id, to_char(l.period_from, 'YYYY-MM-DD') AS period_from, l.iban_changed_at, l.iban_flagged, l.iban_confirmed_by,
       l.address, l.status, l.bank_status, l.reason_code, l.reason_text, l.payout_entry_id, l.payout_letter, l.reversal_entry_id,
       (SELECT count(*)::int FROM settlement_items i WHERE i.line_id = l.id) AS items
  FROM settlement_lines l`;

@Injectable()
export class SettlementReader {
  constructor(
    readonly txHost: TransactionHost,
    private readonly ledger: LedgerService,
  ) {}

  async run(caisseId: string, runId: string, lock = false): Promise<RunRow> {
    const [row]: RunRow[] = await this.txHost.tx.query(`SELECT ${RUN_COLUMNS} FROM settlement_runs WHERE caisse_id = $1 AND id = $2 ${lock ? 'FOR UPDATE' : ''}`, [caisseId, runId]);
    if (!row) throw new SettlementRunNotFound(runId);
    return row;
  }

  async lines(runId: string, lock = false): Promise<LineRow[]> {
    return this.txHost.tx.query(`${LINE_SELECT} WHERE l.run_id = $1 ORDER BY l.outlet_code ${lock ? 'FOR UPDATE OF l' : ''}`, [runId]);
  }

  /** Payout entries of the run whose 512x line the bank reconciliation has lettered. */
  async paidEntries(caisseId: string, run: RunRow, lines: LineRow[]): Promise<Set<string>> {
    if (run.status !== 'exported') return new Set();
    return this.ledger.letteredEntries(caisseId, run.bank_account, lines.flatMap((l) => (l.payout_entry_id ? [l.payout_entry_id] : [])));
  }

  async get(caisseId: string, runId: string): Promise<SettlementRunDto> {
    const run = await this.run(caisseId, runId);
    return this.toDto(caisseId, run, await this.lines(runId));
  }

  async list(caisseId: string): Promise<SettlementRunDto[]> {
    const rows: RunRow[] = await this.txHost.tx.query(`SELECT ${RUN_COLUMNS} FROM settlement_runs WHERE caisse_id = $1 ORDER BY run_no DESC LIMIT 100`, [caisseId]);
    // The lines of all listed runs in one query rather than one per run.
    const lines: (LineRow & { run_id: string })[] = await this.txHost.tx.query(`${LINE_SELECT} WHERE l.run_id = ANY($1::uuid[]) ORDER BY l.outlet_code`, [rows.map((r) => r.id)]);
    const byRun = new Map<string, LineRow[]>(rows.map((r) => [r.id, []]));
    for (const l of lines) byRun.get(l.run_id)!.push(l);
    return Promise.all(rows.map((r) => this.toDto(caisseId, r, byRun.get(r.id)!)));
  }

  lineStatus(line: LineRow, paid: Set<string>): SettlementLineDto['status'] {
    if (line.status !== 'pending') return line.status;
    return line.payout_entry_id && paid.has(line.payout_entry_id) ? 'paid' : 'pending';
  }

  private async toDto(caisseId: string, run: RunRow, lines: LineRow[]): Promise<SettlementRunDto> {
    const paid = await this.paidEntries(caisseId, run, lines);
    const statuses = lines.map((l) => this.lineStatus(l, paid));
    let status: string = run.status;
    if (run.status === 'exported' && lines.length > 0 && !statuses.includes('pending')) status = statuses.every((s) => s === 'paid') ? 'paid' : 'partly-paid';
    return {
      id: run.id,
      runNo: run.run_no,
      status,
      progress: 100,
      until: run.until_date,
      bankAccount: run.bank_account,
      minAmount: run.min_amount,
      instant: run.instant,
      total: formatMoney(lines.reduce((s, l) => s.plus(l.amount), money(0))),
      lineCount: lines.length,
      createdBy: run.created_by,
      createdAt: run.created_at.toISOString(),
      approvedBy: run.approved_by,
      approvedAt: run.approved_at?.toISOString() ?? null,
      messageId: run.message_id,
      exportedAt: run.exported_at?.toISOString() ?? null,
      executionDate: run.execution_date,
      lines: lines.map((l, i) => ({
        id: l.id,
        outletId: l.outlet_id,
        outletCode: l.outlet_code,
        payeeName: l.payee_name,
        iban: l.iban,
        amount: l.amount,
        endToEndId: l.end_to_end_id,
        periodFrom: l.period_from,
        status: statuses[i],
        ibanFlagged: l.iban_flagged,
        ibanChangedAt: l.iban_changed_at?.toISOString() ?? null,
        ibanConfirmedBy: l.iban_confirmed_by,
        bankStatus: l.bank_status,
        reasonCode: l.reason_code,
        reasonText: l.reason_text,
        payoutEntryId: l.payout_entry_id,
        reversalEntryId: l.reversal_entry_id,
        items: l.items,
      })),
    };
  }
}
