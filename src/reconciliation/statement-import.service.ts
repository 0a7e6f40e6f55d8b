import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { ValidationFailed } from '../common/errors/domain-error.js';
import { formatMoney, money } from '../common/money/money.js';
import { TransactionHost } from '../database/transaction.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { ImportResultDto } from './dto/statement.dto.js';
import { AutoMatcher } from './auto-matcher.service.js';
import { CsvMappings } from './csv-mappings.service.js';
import { parseCamt053 } from './parsers/camt053.parser.js';
import { parseCfonb120 } from './parsers/cfonb120.parser.js';
import { parseCsvStatement } from './parsers/csv-statement.parser.js';
import { detectFormat } from './parsers/statement-format.js';
import { accountLabel, type ParsedStatement, type StatementAccountRef } from './parsers/statement.types.js';
import { DuplicateStatement, StatementOutOfSequence, UnknownStatementAccount } from './statement.errors.js';
import { insertStatement } from './statement-writer.js';

interface Last {
  to_date: string;
  closing: string;
  statement_ref: string;
}

/**
 * Imports a statement file: format detected, every statement of the file parsed and checked (account known, not
 * already imported, opening = the account's last closing), then stored and auto-matched — all in one transaction,
 * so a refusal anywhere leaves nothing behind.
 */
@Injectable()
export class StatementImportService {
  constructor(
    private readonly txHost: TransactionHost,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly matcher: AutoMatcher,
    private readonly mappings: CsvMappings,
  ) {}

  async import(caisseId: string, data: Buffer, bankAccount?: string): Promise<ImportResultDto> {
    const format = detectFormat(data);
    const sha = createHash('sha256').update(data).digest('hex');
    return this.txHost.run(async () => {
      const banks = await this.ledger.bankAccounts(caisseId);
      let statements: ParsedStatement[];
      let csvAccount: string | undefined;
      if (format === 'csv') {
        if (!bankAccount) throw new ValidationFailed({ bankAccount: ['a CSV statement names no account: give the bank account (e.g. 5121) it belongs to'] });
        const bank = banks.find((b) => b.account === bankAccount && !b.closedAt);
        if (!bank) throw new ValidationFailed({ bankAccount: [`${bankAccount} is not an open bank account of this caisse`] });
        csvAccount = bank.account;
        const mapping = await this.mappings.get(caisseId, bank.account);
        await this.lockAccount(caisseId, bank.account);
        const last = await this.last(caisseId, bank.account);
        statements = [parseCsvStatement(data, mapping, last ? formatMoney(last.closing) : '0.00')];
      } else {
        statements = format === 'camt053' ? parseCamt053(data) : parseCfonb120(data.toString('latin1'));
      }
      const resolve = (ref: StatementAccountRef): string | undefined => {
        if (csvAccount) return csvAccount;
        const open = banks.filter((b) => !b.closedAt && b.iban);
        if (ref.iban) return open.find((b) => b.iban === ref.iban)?.account;
        const { bank, branch, account } = ref.rib!;
        return open.find((b) => b.iban!.startsWith('FR') && b.iban!.slice(4, 25) === `${bank}${branch}${account}`)?.account;
      };
      const previous = new Map<string, Last | null>();
      const result: ImportResultDto = { format, statements: [], matched: 0, unmatched: 0 };
      for (const s of statements) {
        const account = resolve(s.account);
        if (!account) throw new UnknownStatementAccount(s.sourceLine, accountLabel(s.account));
        if (!previous.has(account)) {
          await this.lockAccount(caisseId, account);
          previous.set(account, await this.last(caisseId, account));
        }
        await this.assertNew(caisseId, account, s);
        const last = previous.get(account);
        if (last && s.toDate < last.to_date) {
          throw new StatementOutOfSequence(s.sourceLine, `statement ${s.statementRef} ends ${s.toDate}, before the last statement imported for ${account} (${last.statement_ref}, ${last.to_date})`);
        }
        if (last && !money(last.closing).eq(s.opening)) {
          throw new StatementOutOfSequence(s.sourceLine, `statement ${s.statementRef} opens at ${formatMoney(s.opening)}, but the previous statement of ${account} (${last.statement_ref}, ${last.to_date}) closed at ${formatMoney(last.closing)}`);
        }
        const id = await insertStatement(this.txHost.tx, caisseId, account, s, sha);
        previous.set(account, { to_date: s.toDate, closing: s.closing, statement_ref: s.statementRef });
        result.statements.push({ id, bankAccount: account, statementRef: s.statementRef, sequence: s.sequence, fromDate: s.fromDate, toDate: s.toDate, opening: s.opening, closing: s.closing, lines: s.lines.length });
      }
      for (const account of previous.keys()) {
        const outcome = await this.matcher.run(caisseId, account);
        result.matched += outcome.matched;
        result.unmatched += outcome.unmatched;
      }
      await this.audit.record({ caisseId, action: 'reconciliation.statement-imported', targetType: 'bank-statement', targetId: result.statements[0].id, after: { format, sha256: sha, statements: result.statements.map((s) => s.id) } });
      return result;
    });
  }

  /** Imports of one account wait for each other: the duplicate and sequence checks read what the other would write. */
  private async lockAccount(caisseId: string, account: string): Promise<void> {
    await this.txHost.tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`bank-statements:${caisseId}:${account}`]);
  }

  private async last(caisseId: string, account: string): Promise<Last | null> {
    const [row]: Last[] = await this.txHost.tx.query(
      `SELECT to_char(to_date, 'YYYY-MM-DD') AS to_date, closing::text, statement_ref FROM bank_statements
        WHERE caisse_id = $1 AND bank_account = $2 ORDER BY to_date DESC, imported_at DESC, id LIMIT 1`,
      [caisseId, account],
    );
    return row ?? null;
  }

  private async assertNew(caisseId: string, account: string, s: ParsedStatement): Promise<void> {
    const [dup]: { statement_ref: string; imported_at: Date }[] = await this.txHost.tx.query(
      `SELECT statement_ref, imported_at FROM bank_statements WHERE caisse_id = $1 AND bank_account = $2 AND from_date = $3 AND to_date = $4 AND sequence = $5`,
      [caisseId, account, s.fromDate, s.toDate, s.sequence],
    );
    if (dup) {
      const seq = s.sequence ? `, sequence ${s.sequence}` : '';
      throw new DuplicateStatement(s.sourceLine, `statement ${s.statementRef} (${account}, ${s.fromDate} → ${s.toDate}${seq}) was already imported on ${dup.imported_at.toISOString().slice(0, 10)}`);
    }
  }
}
