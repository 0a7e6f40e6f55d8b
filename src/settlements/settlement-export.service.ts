import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { CaissesService } from '../caisses/caisses.service.js';
import { todayInFrance } from '../common/dates.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { OutletsService } from '../outlets/outlets.service.js';
import type { SettlementRunDto } from './dto/settlement-run.dto.js';
import { buildPain001, type CreditorAddress, type Pain001Version } from './pain001.js';
import { type LineRow, type RunRow, SettlementReader } from './settlement-reader.service.js';
import { OutletAddressIncomplete, RunStateConflict } from './settlements.errors.js';

/** MsgId and PmtInfId: "REG" + the run's uuid in hex — 35 characters, unique across caisses by construction. */
export const messageIdOf = (runId: string) => `REG${runId.replace(/-/g, '')}`;

/**
 * Export of an approved run: fixes the MsgId, the creation time and each creditor's address, posts one REG entry per
 * line (D 401<outlet> / C 512x, pieceRef = EndToEndId) and letters it with the 401 lines it pays, all in one
 * transaction. The run row is locked first: two exports at once give one set of postings, the second one just
 * returns the exported run. The pain.001 is rebuilt from what was stored, so every download is the same file.
 */
@Injectable()
export class SettlementExport {
  constructor(
    readonly txHost: TransactionHost,
    private readonly ledger: LedgerService,
    private readonly outlets: OutletsService,
    private readonly caisses: CaissesService,
    private readonly audit: AuditService,
    private readonly reader: SettlementReader,
  ) {}

  @Transactional()
  async export(caisseId: string, runId: string, version: Pain001Version = '09'): Promise<{ run: SettlementRunDto; exported: boolean }> {
    const run = await this.reader.run(caisseId, runId, true);
    if (run.status === 'exported') return { run: await this.reader.get(caisseId, runId), exported: false };
    if (run.status !== 'approved') throw new RunStateConflict('exported', run.status);
    const lines = await this.reader.lines(runId, true);
    const payees = new Map((await this.outlets.payees(caisseId, lines.map((l) => l.outlet_id))).map((p) => [p.outletId, p]));
    // Checks every creditor before any posting: one incomplete address refuses the whole export.
    const addresses = lines.map((l) => {
      const a = payees.get(l.outlet_id)!.address;
      if (!a.town) throw new OutletAddressIncomplete(l.outlet_id, l.outlet_code, 'communeName');
      if (!a.country) throw new OutletAddressIncomplete(l.outlet_id, l.outlet_code, 'country');
      return { ...a, town: a.town, country: a.country } satisfies CreditorAddress;
    });
    await this.ledger.bankAccount(caisseId, run.bank_account);
    const messageId = messageIdOf(runId);
    const today = todayInFrance();
    for (const [i, l] of lines.entries()) {
      const { entry } = await this.ledger.post({
        caisseId,
        journal: 'REG',
        date: today,
        label: `Virement ${l.end_to_end_id} ${l.payee_name}`.slice(0, 200),
        pieceRef: l.end_to_end_id,
        idempotencyKey: `payout:${messageId}:${l.end_to_end_id}`,
        lines: [
          { account: l.account_code, debit: l.amount },
          { account: run.bank_account, credit: l.amount },
        ],
      });
      const payoutLine = entry.lines.find((x) => x.account === l.account_code)!.lineNo;
      const items: { entry_id: string; line_no: number }[] = await this.txHost.tx.query(`SELECT entry_id, line_no FROM settlement_items WHERE line_id = $1 AND held`, [l.id]);
      // The payout settles exactly these purchases and refunds: lettered together, they are no longer owed.
      const letter = await this.ledger.letter(caisseId, [...items.map((x) => ({ entryId: x.entry_id, lineNo: Number(x.line_no) })), { entryId: entry.id, lineNo: payoutLine }], today);
      await this.txHost.tx.query(`UPDATE settlement_lines SET payout_entry_id = $2, payout_letter = $3, address = $4 WHERE id = $1`, [l.id, entry.id, letter, JSON.stringify(addresses[i])]);
    }
    await this.txHost.tx.query(
      `UPDATE settlement_runs SET status = 'exported', message_id = $2, pain_version = $3, exported_at = date_trunc('second', now()), execution_date = $4 WHERE id = $1`,
      [runId, messageId, version, today],
    );
    const exported = await this.reader.get(caisseId, runId);
    await this.audit.record({ caisseId, action: 'settlement.run-exported', targetType: 'settlement-run', targetId: runId, after: { messageId, version, total: exported.total, lines: lines.length } });
    return { run: exported, exported: true };
  }

  /** The pain.001 of an exported run, rebuilt from the stored MsgId, creation time, lines and addresses. */
  async pain001(caisseId: string, runId: string, version: Pain001Version = '09'): Promise<{ filename: string; xml: string }> {
    const run = await this.reader.run(caisseId, runId);
    if (run.status !== 'exported') throw new RunStateConflict('downloaded as pain.001 before its export', run.status);
    const lines = await this.reader.lines(runId);
    const bank = await this.ledger.bankAccount(caisseId, run.bank_account);
    const caisse = await this.caisses.get(caisseId);
    const xml = buildPain001({
      version,
      messageId: run.message_id!,
      createdAt: run.exported_at!,
      executionDate: run.execution_date!,
      instant: run.instant,
      debtor: { name: caisse.name, iban: bank.iban!, bic: bank.bic },
      lines: lines.map((l) => ({
        endToEndId: l.end_to_end_id,
        amount: l.amount,
        creditorName: l.payee_name,
        creditorIban: l.iban,
        creditorBic: l.bic,
        address: l.address!,
        remittance: remittanceText(run, l, caisse.name),
      })),
    });
    return { filename: `${run.message_id}-pain.001.001.${version}.xml`, xml };
  }
}

/** Ustrd: statement number and period, so the outlet finds the statement that details the transfer. */
export function remittanceText(run: RunRow, line: LineRow, caisseName: string): string {
  return `Releve ${statementNo(run, line)} achats du ${line.period_from} au ${run.until_date} ${caisseName}`;
}

export const statementNo = (run: Pick<RunRow, 'run_no'>, line: Pick<LineRow, 'outlet_code'>) => `${run.run_no}-${line.outlet_code}`;
