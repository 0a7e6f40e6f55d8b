import { createHash, randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { todayInFrance } from '../common/dates.js';
import { Conflict, DomainError, NotFound } from '../common/errors/domain-error.js';
import { canonicalJson } from '../common/idempotency/idempotency.service.js';
import { formatMoney, money } from '../common/money/money.js';
import type { TerminalPrincipal } from '../common/request-context/principal.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { AuditService } from '../audit/audit.service.js';
import { CaissesService } from '../caisses/caisses.service.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { MembersService } from '../members/members.service.js';
import { OutletsService } from '../outlets/outlets.service.js';
import type { CreateVoucherBatchDto, RedeemVoucherDto, VoucherBatchDto, VoucherDto } from './dto/voucher.dto.js';
import { outletOf } from './purchases.service.js';
import { voucherSheet } from './voucher-sheet.js';
import { idempotencyConflict } from './purchases.errors.js';

/** Paper vouchers in circulation: a no-overdraft account, so more can never be redeemed than was issued. */
const FLOAT = { number: '4671', aux: 'BONS', label: 'Bons papier en circulation' };
const hashCode = (caisseId: string, serial: string, code: string) => createHash('sha256').update(`${caisseId}:${serial}:${code}`).digest('hex');

interface BatchRow {
  id: string;
  count: number;
  face_value: string;
  member_id: string | null;
  entry_id: string;
  created_at: Date;
  request_hash: string;
}

/**
 * Numbered paper vouchers (serial V00000042 + 6-digit check code). Issuing moves their total into the voucher float
 * (from the member's wallet when handed to a member, else from the allocation budget, 6571); redeeming moves one
 * face value from the float to the outlet, once: the voucher row is claimed by a conditional UPDATE.
 */
@Injectable()
export class VouchersService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly ledger: LedgerService,
    private readonly members: MembersService,
    private readonly outlets: OutletsService,
    private readonly caisses: CaissesService,
    private readonly audit: AuditService,
  ) {}

  @Transactional()
  async issue(caisseId: string, key: string, dto: CreateVoucherBatchDto): Promise<{ batch: VoucherBatchDto; replayed: boolean }> {
    const tx = this.txHost.tx;
    const hash = createHash('sha256').update(canonicalJson(dto)).digest('hex');
    const [stored]: BatchRow[] = await tx.query(`SELECT * FROM voucher_batches WHERE caisse_id = $1 AND idempotency_key = $2`, [caisseId, key]);
    if (stored) {
      if (stored.request_hash !== hash) throw idempotencyConflict();
      const serials: { serial: string; face_value: string }[] = await tx.query(`SELECT serial, face_value::text FROM vouchers WHERE batch_id = $1 ORDER BY serial`, [stored.id]);
      // Codes are never stored in clear: a replay gives the serials back, not the codes.
      return { batch: this.view(stored, serials.map((v) => ({ serial: v.serial, code: '', faceValue: formatMoney(v.face_value) })), null), replayed: true };
    }
    const total = money(dto.faceValue).times(dto.count);
    if (money(dto.faceValue).lte(0)) throw new DomainError('VALIDATION_FAILED', 400, 'faceValue must be above 0', { errors: { faceValue: ['faceValue must be above 0'] } });
    let source = '6571';
    if (dto.memberId) {
      const member = await this.members.get(caisseId, dto.memberId);
      const wallet = member.walletAccount;
      if (!wallet) throw new Conflict('INSUFFICIENT_BALANCE', 'The member has no wallet yet.', { available: '0.00', requested: formatMoney(total) });
      source = wallet;
    }
    const float = await this.ledger.ensureAuxAccount({ caisseId, ...FLOAT });
    const { entry } = await this.ledger.post({
      caisseId,
      journal: dto.memberId ? 'ACH' : 'ALL',
      date: todayInFrance(),
      label: `Bons papier : ${dto.count} × ${formatMoney(dto.faceValue)}`,
      pieceRef: `BONS-${hash.slice(0, 16)}`,
      idempotencyKey: `vouchers:${createHash('sha256').update(key).digest('hex').slice(0, 48)}`,
      lines: [
        { account: source, debit: formatMoney(total) },
        { account: float, credit: formatMoney(total) },
      ],
    });
    const [batch]: BatchRow[] = await tx.query(
      `INSERT INTO voucher_batches (caisse_id, idempotency_key, request_hash, count, face_value, member_id, entry_id) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [caisseId, key, hash, dto.count, formatMoney(dto.faceValue), dto.memberId ?? null, entry.id],
    );
    const [{ last_no }]: { last_no: number }[] = await tx.query(
      `INSERT INTO voucher_counters AS c (caisse_id, last_no) VALUES ($1, $2) ON CONFLICT (caisse_id) DO UPDATE SET last_no = c.last_no + $2 RETURNING last_no`,
      [caisseId, dto.count],
    );
    const issued = Array.from({ length: dto.count }, (_, i) => ({
      serial: `V${String(last_no - dto.count + 1 + i).padStart(8, '0')}`,
      code: String(randomInt(0, 1_000_000)).padStart(6, '0'),
      faceValue: formatMoney(dto.faceValue),
    }));
    await tx.query(
      `INSERT INTO vouchers (caisse_id, batch_id, serial, code_hash, face_value) SELECT $1, $2, s, h, $5 FROM unnest($3::text[], $4::text[]) AS x(s, h)`,
      [caisseId, batch.id, issued.map((v) => v.serial), issued.map((v) => hashCode(caisseId, v.serial, v.code)), formatMoney(dto.faceValue)],
    );
    await this.audit.record({ caisseId, action: 'voucher-batch.issued', targetType: 'voucher-batch', targetId: batch.id, after: { count: dto.count, faceValue: formatMoney(dto.faceValue), memberId: dto.memberId ?? null, serials: [issued[0].serial, issued.at(-1)!.serial] } });
    const sheet = voucherSheet((await this.caisses.get(caisseId)).name, issued).toString('base64');
    return { batch: this.view(batch, issued, sheet), replayed: false };
  }

  /** By a terminal: the outlet must accept now; the voucher is claimed once (a second claim finds it redeemed). */
  @Transactional()
  async redeem(terminal: TerminalPrincipal, caisseId: string, dto: RedeemVoucherDto): Promise<VoucherDto> {
    const outletId = outletOf(terminal);
    const standing = await this.outlets.assertCanAccept(caisseId, outletId, new Date());
    const tx = this.txHost.tx;
    const [voucher]: { id: string; code_hash: string; face_value: string; redeemed_at: Date | null }[] = await tx.query(
      `SELECT id, code_hash, face_value::text, redeemed_at FROM vouchers WHERE caisse_id = $1 AND serial = $2 FOR UPDATE`,
      [caisseId, dto.serial],
    );
    if (!voucher || voucher.code_hash !== hashCode(caisseId, dto.serial, dto.code)) throw new NotFound('Voucher', dto.serial);
    if (voucher.redeemed_at) throw new Conflict('VOUCHER_ALREADY_REDEEMED', `Voucher ${dto.serial} was already redeemed on ${voucher.redeemed_at.toISOString()}.`);
    const float = await this.ledger.ensureAuxAccount({ caisseId, ...FLOAT });
    const { entry } = await this.ledger.post({
      caisseId,
      journal: 'ACH',
      date: todayInFrance(),
      label: `Bon ${dto.serial} chez ${standing.name}`.slice(0, 200),
      pieceRef: dto.serial,
      idempotencyKey: `voucher:${voucher.id}`,
      lines: [
        { account: float, debit: voucher.face_value },
        { account: standing.accountCode, credit: voucher.face_value },
      ],
    });
    // TypeORM answers an UPDATE with [rows, affected count].
    const [[row]]: [{ serial: string; face_value: string; batch_id: string; redeemed_at: Date; redeemed_outlet_id: string }[], number] = await tx.query(
      `UPDATE vouchers SET redeemed_at = now(), redeemed_outlet_id = $2, redeem_entry_id = $3 WHERE id = $1 RETURNING serial, face_value::text, batch_id, redeemed_at, redeemed_outlet_id`,
      [voucher.id, outletId, entry.id],
    );
    return { serial: row.serial, faceValue: formatMoney(row.face_value), batchId: row.batch_id, redeemedAt: row.redeemed_at.toISOString(), redeemedOutletId: row.redeemed_outlet_id };
  }

  async outstanding(caisseId: string): Promise<VoucherDto[]> {
    const rows: { serial: string; face_value: string; batch_id: string }[] = await this.txHost.tx.query(
      `SELECT serial, face_value::text, batch_id FROM vouchers WHERE caisse_id = $1 AND redeemed_at IS NULL ORDER BY serial LIMIT 5000`,
      [caisseId],
    );
    return rows.map((r) => ({ serial: r.serial, faceValue: formatMoney(r.face_value), batchId: r.batch_id, redeemedAt: null, redeemedOutletId: null }));
  }

  private view(b: BatchRow, vouchers: VoucherBatchDto['vouchers'], sheetPdf: string | null): VoucherBatchDto {
    const face = formatMoney(b.face_value);
    return { id: b.id, count: b.count, faceValue: face, total: formatMoney(money(face).times(b.count)), memberId: b.member_id, entryId: b.entry_id, vouchers, sheetPdf, createdAt: b.created_at.toISOString() };
  }
}
