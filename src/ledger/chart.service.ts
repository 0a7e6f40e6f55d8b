import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { Conflict, ValidationFailed } from '../common/errors/domain-error.js';
import { formatMoney, money } from '../common/money/money.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { AccountsService } from './accounts.service.js';
import { customNumberError, FIXED_PREFIXES, sideAndKindOf } from './chart-rules.js';
import type { CreateAccountDto, UpdateAccountDto } from './dto/chart.dto.js';
import { AccountExists, UnknownAccount } from './ledger.errors.js';
import type { AccountView } from './ledger.types.js';

/**
 * The open chart: a caisse adds the accounts of its whole books (payroll, rent, its own suppliers…), renames and
 * closes them. Nothing is ever deleted: an account that was used stays in the FEC of its years.
 */
@Injectable()
export class ChartService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly accounts: AccountsService,
    private readonly audit: AuditService,
  ) {}

  @Transactional()
  async create(caisseId: string, dto: CreateAccountDto): Promise<AccountView> {
    const fault = customNumberError(dto.number);
    if (fault) throw new ValidationFailed({ number: [`number ${fault}`] });
    if (dto.aux !== undefined) {
      if (dto.auxiliaryKind !== undefined) throw new ValidationFailed({ auxiliaryKind: ['an auxiliary account takes the kind of its general account'] });
      return this.createAux(caisseId, dto.number, dto.aux, dto.label.trim());
    }
    const { side, kind } = sideAndKindOf(dto.number);
    const rows: unknown[] = await this.txHost.tx.query(
      `INSERT INTO ledger_accounts (caisse_id, number, label, normal_side, kind, custom, auxiliary_kind)
       VALUES ($1, $2, $3, $4, $5, true, $6) ON CONFLICT (caisse_id, code) DO NOTHING RETURNING id`,
      [caisseId, dto.number, dto.label.trim(), side, kind, dto.auxiliaryKind ?? null],
    );
    if (rows.length === 0) throw new AccountExists(dto.number);
    const view = await this.accounts.get(caisseId, dto.number);
    await this.audit.record({ caisseId, action: 'ledger.account-created', targetType: 'ledger-account', targetId: view.code, after: view });
    return view;
  }

  private async createAux(caisseId: string, number: string, aux: string, label: string): Promise<AccountView> {
    const code = `${number}-${aux}`;
    const [exists] = await this.txHost.tx.query(`SELECT 1 FROM ledger_accounts WHERE caisse_id = $1 AND code = $2`, [caisseId, code]);
    if (exists) throw new AccountExists(code);
    const [general]: { auxiliary_kind: string | null; closed: boolean }[] = await this.txHost.tx.query(
      `SELECT auxiliary_kind, closed_at IS NOT NULL AS closed FROM ledger_accounts WHERE caisse_id = $1 AND code = $2 AND custom`,
      [caisseId, number],
    );
    if (!general?.auxiliary_kind || general.closed) {
      throw new ValidationFailed({ aux: [`${number} is not an open account of this caisse kept per third party (create it with an auxiliaryKind first)`] });
    }
    await this.accounts.ensureAux({ caisseId, number, aux, label });
    const view = await this.accounts.get(caisseId, code);
    await this.audit.record({ caisseId, action: 'ledger.account-created', targetType: 'ledger-account', targetId: code, after: view });
    return view;
  }

  /**
   * Renames, closes or reopens. Closing needs a zero balance (an unused account, or one whose balance was settled):
   * a closed account with money on it would drop out of the books' picture. The accounts the system posts to per
   * member, outlet, funder or bank are closed by their own modules, never here.
   */
  @Transactional()
  async update(caisseId: string, code: string, dto: UpdateAccountDto): Promise<AccountView> {
    const [row]: { number: string; debits_posted: string; credits_posted: string; closed: boolean; custom: boolean }[] = await this.txHost.tx.query(
      `SELECT number, debits_posted, credits_posted, closed_at IS NOT NULL AS closed, custom FROM ledger_accounts WHERE caisse_id = $1 AND code = $2 FOR UPDATE`,
      [caisseId, code],
    );
    if (!row) throw new UnknownAccount(code, 'code');
    const before = await this.accounts.get(caisseId, code);
    if (dto.label !== undefined) await this.accounts.rename(caisseId, code, dto.label);
    if (dto.closed !== undefined && dto.closed !== row.closed) {
      const fixed = FIXED_PREFIXES.find((f) => row.number.startsWith(f.prefix));
      if (fixed) throw new ValidationFailed({ closed: [`accounts under ${fixed.prefix} belong to ${fixed.owner} and are closed there`] });
      // The standard chart is what the caisse's own postings use (580 for every deposit, 530, 627…): never closed.
      if (dto.closed && !row.custom) throw new ValidationFailed({ closed: [`${code} belongs to the standard chart the caisse's postings use; only accounts the caisse added can be closed`] });
      const balance = money(row.debits_posted).minus(row.credits_posted);
      if (dto.closed && !balance.isZero()) {
        throw new Conflict('ACCOUNT_NOT_SETTLED', `Account ${code} still has a balance of ${formatMoney(balance)}; settle it before closing.`, { balance: formatMoney(balance) });
      }
      await this.txHost.tx.query(`UPDATE ledger_accounts SET closed_at = ${dto.closed ? 'now()' : 'NULL'} WHERE caisse_id = $1 AND code = $2`, [caisseId, code]);
    }
    const after = await this.accounts.get(caisseId, code);
    await this.audit.record({ caisseId, action: 'ledger.account-updated', targetType: 'ledger-account', targetId: code, before, after });
    return after;
  }
}
