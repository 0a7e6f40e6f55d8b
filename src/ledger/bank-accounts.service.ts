import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { Conflict, NotFound, ValidationFailed } from '../common/errors/domain-error.js';
import { formatMoney, money } from '../common/money/money.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import type { BankAccountDto, CreateBankAccountDto, UpdateBankAccountDto } from './dto/treasury.dto.js';
import { AccountExists, UnknownBankAccount } from './ledger.errors.js';
import type { BankAccountRef } from './ledger.types.js';

interface BankRow {
  account: string;
  label: string;
  iban: string | null;
  bic: string | null;
  creditor_id: string | null;
  is_default: boolean;
  closed_at: Date | null;
  debits_posted: string;
  credits_posted: string;
}

const SELECT = `SELECT b.account, b.label, b.iban, b.bic, b.creditor_id, b.is_default, b.closed_at, a.debits_posted, a.credits_posted
  FROM ledger_bank_accounts b JOIN ledger_accounts a ON a.caisse_id = b.caisse_id AND a.code = b.account`;

const toDto = (r: BankRow): BankAccountDto => ({
  account: r.account,
  label: r.label,
  iban: r.iban,
  bic: r.bic,
  creditorId: r.creditor_id,
  isDefault: r.is_default,
  closedAt: r.closed_at ? r.closed_at.toISOString() : null,
  balance: formatMoney(money(r.debits_posted).minus(r.credits_posted)),
});


/** The caisse's bank accounts: one 512x ledger account per IBAN, one of them the default every posting falls back to. */
@Injectable()
export class BankAccountsService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly audit: AuditService,
  ) {}

  async list(caisseId: string): Promise<BankAccountDto[]> {
    const rows: BankRow[] = await this.txHost.tx.query(`${SELECT} WHERE b.caisse_id = $1 ORDER BY b.account`, [caisseId]);
    return rows.map(toDto);
  }

  async get(caisseId: string, account: string): Promise<BankAccountDto> {
    const [row]: BankRow[] = await this.txHost.tx.query(`${SELECT} WHERE b.caisse_id = $1 AND b.account = $2`, [caisseId, account]);
    if (!row) throw new NotFound('Bank account', account);
    return toDto(row);
  }

  /** The open bank account named by a request (its `field`), or the default one when none is named. */
  async resolve(caisseId: string, account: string | undefined, field = 'bankAccount'): Promise<BankAccountRef> {
    const [row]: BankRow[] = await this.txHost.tx.query(
      `${SELECT} WHERE b.caisse_id = $1 AND b.closed_at IS NULL AND ${account === undefined ? 'b.is_default' : 'b.account = $2'}`,
      account === undefined ? [caisseId] : [caisseId, account],
    );
    if (!row) throw new UnknownBankAccount(account ?? '(default)', field);
    return { account: row.account, label: row.label, iban: row.iban, bic: row.bic, creditorId: row.creditor_id };
  }

  @Transactional()
  async create(caisseId: string, dto: CreateBankAccountDto): Promise<BankAccountDto> {
    const tx = this.txHost.tx;
    // Serialises openings per caisse, so two requests never pick the same next 512x.
    await tx.query(`SELECT 1 FROM ledger_books WHERE caisse_id = $1 FOR UPDATE`, [caisseId]);
    const used = new Set<string>((await tx.query(`SELECT code FROM ledger_accounts WHERE caisse_id = $1 AND number LIKE '512%'`, [caisseId])).map((r: { code: string }) => r.code));
    let account = dto.account;
    if (account === undefined) for (let i = 1; account === undefined || used.has(account); i++) account = `512${i}`;
    else if (used.has(account)) throw new AccountExists(account);
    await this.assertIbanFree(caisseId, dto.iban, 'iban');
    await tx.query(`INSERT INTO ledger_accounts (caisse_id, number, label, normal_side, kind) VALUES ($1, $2, $3, 'D', 'bank')`, [caisseId, account, dto.label.trim()]);
    if (dto.isDefault) await tx.query(`UPDATE ledger_bank_accounts SET is_default = false WHERE caisse_id = $1 AND is_default`, [caisseId]);
    await tx.query(
      `INSERT INTO ledger_bank_accounts (caisse_id, account, label, iban, bic, creditor_id, is_default) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [caisseId, account, dto.label.trim(), dto.iban, dto.bic ?? null, dto.creditorId ?? null, dto.isDefault === true],
    );
    const created = await this.get(caisseId, account);
    await this.audit.record({ caisseId, action: 'ledger.bank-account-created', targetType: 'bank-account', targetId: account, after: created });
    return created;
  }

  @Transactional()
  async update(caisseId: string, account: string, dto: UpdateBankAccountDto): Promise<BankAccountDto> {
    const tx = this.txHost.tx;
    // Postings lock their accounts, then the books: closing takes the same order, so the two never deadlock.
    const [held]: { debits_posted: string; credits_posted: string }[] =
      dto.closed === true ? await tx.query(`SELECT debits_posted, credits_posted FROM ledger_accounts WHERE caisse_id = $1 AND code = $2 FOR UPDATE`, [caisseId, account]) : [];
    await tx.query(`SELECT 1 FROM ledger_books WHERE caisse_id = $1 FOR UPDATE`, [caisseId]);
    const before = await this.get(caisseId, account);
    if (dto.iban !== undefined && dto.iban !== before.iban) {
      if (before.iban) throw new ValidationFailed({ iban: ['an IBAN never changes: open another bank account for the new one'] });
      await this.assertIbanFree(caisseId, dto.iban, 'iban');
    }
    if (dto.closed === true) {
      if (before.isDefault || dto.isDefault) throw new ValidationFailed({ closed: ['the default bank account cannot be closed: choose another default first'] });
      const balance = money(held.debits_posted).minus(held.credits_posted);
      if (!balance.isZero()) throw new Conflict('ACCOUNT_NOT_SETTLED', `Bank account ${account} still holds ${formatMoney(balance)}.`, { balance: formatMoney(balance) });
    }
    if (dto.isDefault && before.closedAt && dto.closed !== false) throw new ValidationFailed({ isDefault: ['a closed bank account cannot be the default'] });
    if (dto.isDefault) await tx.query(`UPDATE ledger_bank_accounts SET is_default = false WHERE caisse_id = $1 AND is_default AND account <> $2`, [caisseId, account]);
    const closedAt = dto.closed === undefined ? 'closed_at' : dto.closed ? 'coalesce(closed_at, now())' : 'NULL';
    await tx.query(
      `UPDATE ledger_bank_accounts SET label = coalesce($3, label), iban = coalesce($4, iban), bic = coalesce($5, bic), creditor_id = coalesce($6, creditor_id),
              is_default = is_default OR coalesce($7, false), closed_at = ${closedAt} WHERE caisse_id = $1 AND account = $2`,
      [caisseId, account, dto.label?.trim() ?? null, dto.iban ?? null, dto.bic ?? null, dto.creditorId ?? null, dto.isDefault ?? null],
    );
    // The ledger account follows: same label, and closed with the bank account so nothing posts to it any more.
    await tx.query(
      `UPDATE ledger_accounts SET label = coalesce($3, label), closed_at = ${closedAt} WHERE caisse_id = $1 AND code = $2`,
      [caisseId, account, dto.label?.trim() ?? null],
    );
    const after = await this.get(caisseId, account);
    await this.audit.record({ caisseId, action: 'ledger.bank-account-updated', targetType: 'bank-account', targetId: account, before, after });
    return after;
  }

  private async assertIbanFree(caisseId: string, iban: string, field: string): Promise<void> {
    const [taken] = await this.txHost.tx.query(`SELECT account FROM ledger_bank_accounts WHERE caisse_id = $1 AND iban = $2`, [caisseId, iban]);
    if (taken) throw new ValidationFailed({ [field]: [`this IBAN is already the one of bank account ${taken.account}`] });
  }
}
