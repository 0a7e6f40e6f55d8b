import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { todayInFrance } from '../common/dates.js';
import { Conflict, DomainError, NotFound, ValidationFailed } from '../common/errors/domain-error.js';
import { canonicalJson } from '../common/idempotency/idempotency.service.js';
import { formatMoney, money } from '../common/money/money.js';
import type { TerminalPrincipal } from '../common/request-context/principal.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { AuditService } from '../audit/audit.service.js';
import { CaissesService } from '../caisses/caisses.service.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { MembersService } from '../members/members.service.js';
import { OutletsService } from '../outlets/outlets.service.js';
import type { CreateVoucherBatchDto, IssuedVoucherDto, RedeemVoucherDto, VoucherBatchDto, VoucherDto } from './dto/voucher.dto.js';
import { outletOf } from './purchase-outlet.js';
import { voucherSheet } from './voucher-sheet.js';
import { idempotencyConflict, VoucherLocked } from './purchases.errors.js';
import { codeMatches, drawVouchers, hashCode, MAX_CODE_ATTEMPTS, SERIAL } from './voucher-codes.js';
import { VoucherThrottle } from './voucher-throttle.service.js';

/** Paper vouchers in circulation: a no-overdraft account, so more can never be redeemed than was issued. */
const FLOAT = { number: '4671', aux: 'BONS', label: 'Bons papier en circulation' };

interface BatchRow {
  id: string;
  count: number;
  face_value: string;
  member_id: string | null;
  entry_id: string;
  created_at: Date;
  request_hash: string;
}

interface VoucherRow {
  id: string;
  code_hash: string;
  face_value: string;
  redeemed_at: Date | null;
  locked_at: Date | null;
}

/** A wrong serial or code is answered after its count committed, so the refusal is not rolled back with the rest. */
type Claim = { voucher: VoucherDto } | { refused: DomainError };

/**
 * Numbered paper vouchers (random serial V00000042 + random 6-digit check code). Issuing moves their total into the voucher float
 * (from the member's wallet when handed to a member, else from the allocation budget, 6571); redeeming moves one
 * face value from the float to the outlet, once: the voucher row is claimed by a conditional UPDATE. Guessing is
 * bounded twice: MAX_CODE_ATTEMPTS wrong codes lock a voucher, and a terminal has a budget of wrong codes per window.
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
    private readonly throttle: VoucherThrottle,
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
      // The books' per-line limit applies to count × faceValue: name a field the caller sent.
      fields: { amount: 'faceValue' },
    });
    const [batch]: BatchRow[] = await tx.query(
      `INSERT INTO voucher_batches (caisse_id, idempotency_key, request_hash, count, face_value, member_id, entry_id) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [caisseId, key, hash, dto.count, formatMoney(dto.faceValue), dto.memberId ?? null, entry.id],
    );
    // In serial order, as a replay lists them.
    const issued = (await this.insertVouchers(caisseId, batch.id, dto.count, formatMoney(dto.faceValue))).sort((a, b) => (a.serial < b.serial ? -1 : 1));
    const serials = issued.map((v) => v.serial);
    await this.audit.record({ caisseId, action: 'voucher-batch.issued', targetType: 'voucher-batch', targetId: batch.id, after: { count: dto.count, faceValue: formatMoney(dto.faceValue), memberId: dto.memberId ?? null, serials } });
    const sheet = voucherSheet((await this.caisses.get(caisseId)).name, issued).toString('base64');
    return { batch: this.view(batch, issued, sheet), replayed: false };
  }

  /** Random serials may meet ones the caisse already holds: those are drawn again until every voucher has its own. */
  private async insertVouchers(caisseId: string, batchId: string, count: number, faceValue: string): Promise<IssuedVoucherDto[]> {
    const issued: IssuedVoucherDto[] = [];
    for (let round = 0; issued.length < count; round++) {
      if (round === 10) throw new Error('could not draw free voucher serials in 10 rounds');
      const drawn = drawVouchers(count - issued.length, faceValue, new Set(issued.map((v) => v.serial)));
      const rows: { serial: string }[] = await this.txHost.tx.query(
        `INSERT INTO vouchers (caisse_id, batch_id, serial, code_hash, face_value) SELECT $1, $2, s, h, $5 FROM unnest($3::text[], $4::text[]) AS x(s, h)
         ON CONFLICT ON CONSTRAINT uq_vouchers_serial DO NOTHING RETURNING serial`,
        [caisseId, batchId, drawn.map((v) => v.serial), drawn.map((v) => hashCode(caisseId, v.serial, v.code)), faceValue],
      );
      const inserted = new Set(rows.map((r) => r.serial));
      issued.push(...drawn.filter((v) => inserted.has(v.serial)));
    }
    return issued;
  }

  /**
   * By a terminal: the outlet must accept now; the voucher is claimed once (a second claim finds it redeemed). Unknown
   * serials, wrong codes and locked vouchers use up the terminal's budget; anything else gives its slot back.
   */
  async redeem(terminal: TerminalPrincipal, caisseId: string, dto: RedeemVoucherDto): Promise<VoucherDto> {
    const outletId = outletOf(terminal);
    await this.throttle.reserve(terminal.keyId);
    let claim: Claim | undefined;
    try {
      claim = await this.txHost.run(() => this.claim(caisseId, outletId, dto));
    } finally {
      if (!claim || 'voucher' in claim) await this.throttle.release(terminal.keyId);
    }
    if ('refused' in claim) throw claim.refused;
    return claim.voucher;
  }

  private async claim(caisseId: string, outletId: string, dto: RedeemVoucherDto): Promise<Claim> {
    const standing = await this.outlets.assertCanAccept(caisseId, outletId, new Date());
    const tx = this.txHost.tx;
    const [voucher]: VoucherRow[] = await tx.query(
      `SELECT id, code_hash, face_value::text, redeemed_at, locked_at FROM vouchers WHERE caisse_id = $1 AND serial = $2 FOR UPDATE`,
      [caisseId, dto.serial],
    );
    // An unknown serial and a wrong code get the same answer: a refusal must not confirm that a serial exists.
    if (!voucher) return { refused: new NotFound('Voucher', dto.serial) };
    if (voucher.locked_at) return { refused: new VoucherLocked(dto.serial) };
    if (!codeMatches(caisseId, dto.serial, dto.code, voucher.code_hash)) return { refused: await this.wrongCode(caisseId, voucher.id, dto.serial) };
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
    return { voucher: { serial: row.serial, faceValue: formatMoney(row.face_value), batchId: row.batch_id, redeemedAt: row.redeemed_at.toISOString(), redeemedOutletId: row.redeemed_outlet_id } };
  }

  private async wrongCode(caisseId: string, voucherId: string, serial: string): Promise<DomainError> {
    const [[row]]: [{ failed_attempts: number }[], number] = await this.txHost.tx.query(
      `UPDATE vouchers SET failed_attempts = failed_attempts + 1, locked_at = CASE WHEN failed_attempts + 1 >= $2 THEN now() END WHERE id = $1 RETURNING failed_attempts`,
      [voucherId, MAX_CODE_ATTEMPTS],
    );
    if (row.failed_attempts < MAX_CODE_ATTEMPTS) return new NotFound('Voucher', serial);
    await this.audit.record({ caisseId, action: 'voucher.locked', targetType: 'voucher', targetId: voucherId, after: { serial, failedAttempts: row.failed_attempts } });
    return new VoucherLocked(serial);
  }

  /** By an admin, once the voucher's holder is known to be genuine: wrong codes are forgotten and it can be redeemed. */
  @Transactional()
  async unlock(caisseId: string, serial: string): Promise<VoucherDto> {
    if (!SERIAL.test(serial)) throw new ValidationFailed({ serial: ['serial must look like V00000042'] });
    const tx = this.txHost.tx;
    const [voucher]: { id: string; failed_attempts: number }[] = await tx.query(`SELECT id, failed_attempts FROM vouchers WHERE caisse_id = $1 AND serial = $2 FOR UPDATE`, [caisseId, serial]);
    if (!voucher) throw new NotFound('Voucher', serial);
    if (voucher.failed_attempts > 0) {
      await tx.query(`UPDATE vouchers SET failed_attempts = 0, locked_at = NULL WHERE id = $1`, [voucher.id]);
      await this.audit.record({ caisseId, action: 'voucher.unlocked', targetType: 'voucher', targetId: voucher.id, after: { serial, failedAttempts: voucher.failed_attempts } });
    }
    const [row]: { serial: string; face_value: string; batch_id: string; redeemed_at: Date | null; redeemed_outlet_id: string | null }[] = await tx.query(
      `SELECT serial, face_value::text, batch_id, redeemed_at, redeemed_outlet_id FROM vouchers WHERE id = $1`,
      [voucher.id],
    );
    return { serial: row.serial, faceValue: formatMoney(row.face_value), batchId: row.batch_id, redeemedAt: row.redeemed_at?.toISOString() ?? null, redeemedOutletId: row.redeemed_outlet_id };
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
