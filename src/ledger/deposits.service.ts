import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { NotFound, ValidationFailed } from '../common/errors/domain-error.js';
import { formatMoney, money } from '../common/money/money.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { readAvailable } from './balance-reads.js';
import { BankAccountsService } from './bank-accounts.service.js';
import type { CreateDepositDto, DepositDto, DepositItemDto } from './dto/treasury.dto.js';
import { HOLDING_ACCOUNT } from './ledger.types.js';
import { PostingService } from './posting.service.js';

const TRANSIT = '580';

interface DepositRow {
  id: string;
  slip_no: number;
  method: string;
  bank_account: string;
  amount: string;
  items: DepositItemDto[];
  deposited_on: string;
  credited_on: string;
  out_entry_id: string;
  in_entry_id: string;
}

const SELECT = `SELECT id, slip_no, method, bank_account, amount::text, items, to_char(deposited_on, 'YYYY-MM-DD') AS deposited_on,
  to_char(credited_on, 'YYYY-MM-DD') AS credited_on, out_entry_id, in_entry_id FROM ledger_deposits`;

const slip = (n: number) => `BRD-${String(n).padStart(6, '0')}`;

const toDto = (r: DepositRow): DepositDto => ({
  id: r.id,
  slip: slip(r.slip_no),
  method: r.method,
  bankAccount: r.bank_account,
  amount: formatMoney(r.amount),
  items: r.items,
  depositedOn: r.deposited_on,
  creditedOn: r.credited_on,
  outEntryId: r.out_entry_id,
  inEntryId: r.in_entry_id,
});

/**
 * Cash and cheque deposits: a numbered slip (bordereau) and two BQ entries through 580 — D 580 / C 530|5112 when
 * the money leaves the caisse, D 512x / C 580 when the bank credits it — so 580 shows money in transit while the
 * dates differ. The ledger refuses a deposit above what the till or drawer holds (530/5112 never go credit).
 */
@Injectable()
export class DepositsService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly posting: PostingService,
    private readonly banks: BankAccountsService,
    private readonly audit: AuditService,
  ) {}

  @Transactional()
  async create(caisseId: string, dto: CreateDepositDto): Promise<DepositDto> {
    if ((dto.items === undefined) === (dto.amount === undefined)) throw new ValidationFailed({ items: ['give either items (the cheques of the slip) or amount'] });
    const items = dto.items ?? [];
    const errors: Record<string, string[]> = {};
    items.forEach((i, n) => {
      if (!money(i.amount).gt(0)) errors[`items.${n}.amount`] = ['amount must be positive'];
    });
    if (dto.amount !== undefined && !money(dto.amount).gt(0)) errors.amount = ['amount must be positive'];
    const creditedOn = dto.creditedOn ?? dto.depositedOn;
    if (creditedOn < dto.depositedOn) errors.creditedOn = ['creditedOn cannot be before depositedOn'];
    if (Object.keys(errors).length) throw new ValidationFailed(errors);
    const amount = formatMoney(dto.amount ?? items.reduce((s, i) => s.plus(i.amount), money(0)));
    const holding = HOLDING_ACCOUNT[dto.method as keyof typeof HOLDING_ACCOUNT];
    const bank = await this.banks.resolve(caisseId, dto.bankAccount);
    const tx = this.txHost.tx;
    // Accounts first, then the books row (the order every posting takes), so a deposit never deadlocks a posting.
    await readAvailable(tx, caisseId, [holding, TRANSIT, bank.account], true);
    const [{ n }]: { n: number }[] = await tx.query(
      `WITH u AS (UPDATE ledger_books SET last_deposit_no = last_deposit_no + 1 WHERE caisse_id = $1 RETURNING last_deposit_no) SELECT last_deposit_no AS n FROM u`,
      [caisseId],
    );
    const id = randomUUID();
    const what = dto.method === 'cash' ? 'espèces' : `${items.length || ''} chèque(s)`.trim();
    const fields = { date: 'depositedOn', amount: dto.amount !== undefined ? 'amount' : 'items' };
    const out = await this.posting.post({
      caisseId,
      journal: 'BQ',
      date: dto.depositedOn,
      label: `Remise ${what} ${slip(n)}`,
      pieceRef: slip(n),
      idempotencyKey: `deposit:${id}:out`,
      fields,
      lines: [
        { account: TRANSIT, debit: amount },
        { account: holding, credit: amount },
      ],
    });
    const inn = await this.posting.post({
      caisseId,
      journal: 'BQ',
      date: creditedOn,
      label: `Crédit remise ${slip(n)} sur ${bank.account}`,
      pieceRef: slip(n),
      idempotencyKey: `deposit:${id}:in`,
      fields: { ...fields, date: 'creditedOn' },
      lines: [
        { account: bank.account, debit: amount },
        { account: TRANSIT, credit: amount },
      ],
    });
    await tx.query(
      `INSERT INTO ledger_deposits (id, caisse_id, slip_no, method, bank_account, amount, items, deposited_on, credited_on, out_entry_id, in_entry_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [id, caisseId, n, dto.method, bank.account, amount, JSON.stringify(items.map((i) => ({ reference: i.reference, amount: formatMoney(i.amount) }))), dto.depositedOn, creditedOn, out.entry.id, inn.entry.id],
    );
    const deposit = await this.get(caisseId, id);
    await this.audit.record({ caisseId, action: 'ledger.deposit-recorded', targetType: 'deposit', targetId: id, after: deposit });
    return deposit;
  }

  async get(caisseId: string, id: string): Promise<DepositDto> {
    const [row]: DepositRow[] = await this.txHost.tx.query(`${SELECT} WHERE caisse_id = $1 AND id = $2`, [caisseId, id]);
    if (!row) throw new NotFound('Deposit', id);
    return toDto(row);
  }

  /** Newest first, at most 500: a slip book, not an export. */
  async list(caisseId: string): Promise<DepositDto[]> {
    const rows: DepositRow[] = await this.txHost.tx.query(`${SELECT} WHERE caisse_id = $1 ORDER BY slip_no DESC LIMIT 500`, [caisseId]);
    return rows.map(toDto);
  }
}
