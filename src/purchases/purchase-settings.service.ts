import { Injectable } from '@nestjs/common';
import { ValidationFailed } from '../common/errors/domain-error.js';
import { formatMoney, money } from '../common/money/money.js';
import { AuditService } from '../audit/audit.service.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import type { PurchaseSettingsDto } from './dto/purchase-settings.dto.js';

export const DEFAULT_SETTINGS: PurchaseSettingsDto = { pinPolicy: 'always', pinAbove: '0.00', maxAmount: '500.00', refundWindowDays: 7 };

interface Row {
  pin_policy: PurchaseSettingsDto['pinPolicy'];
  pin_above: string;
  max_amount: string;
  refund_window_days: number;
}

/** Read on every purchase; a change made on another app instance shows there within this delay. */
const CACHE_MS = 1000;

/** Per-caisse till rules; a caisse that never set them gets the defaults (no row needed). */
@Injectable()
export class PurchaseSettingsService {
  private readonly cache = new Map<string, { at: number; value: Promise<PurchaseSettingsDto> }>();

  constructor(
    readonly txHost: TransactionHost,
    private readonly audit: AuditService,
  ) {}

  get(caisseId: string): Promise<PurchaseSettingsDto> {
    const hit = this.cache.get(caisseId);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.value.then((v) => ({ ...v }));
    const value = this.read(caisseId);
    this.cache.set(caisseId, { at: Date.now(), value });
    value.catch(() => this.cache.delete(caisseId));
    return value.then((v) => ({ ...v }));
  }

  private async read(caisseId: string): Promise<PurchaseSettingsDto> {
    const [row]: Row[] = await this.txHost.tx.query(
      `SELECT pin_policy, pin_above::text, max_amount::text, refund_window_days FROM purchase_settings WHERE caisse_id = $1`,
      [caisseId],
    );
    if (!row) return { ...DEFAULT_SETTINGS };
    return { pinPolicy: row.pin_policy, pinAbove: formatMoney(row.pin_above), maxAmount: formatMoney(row.max_amount), refundWindowDays: row.refund_window_days };
  }

  @Transactional()
  async put(caisseId: string, dto: PurchaseSettingsDto): Promise<PurchaseSettingsDto> {
    if (money(dto.maxAmount).lte(0)) throw new ValidationFailed({ maxAmount: ['maxAmount must be above 0'] });
    const before = await this.read(caisseId);
    await this.txHost.tx.query(
      `INSERT INTO purchase_settings (caisse_id, pin_policy, pin_above, max_amount, refund_window_days) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (caisse_id) DO UPDATE SET pin_policy = $2, pin_above = $3, max_amount = $4, refund_window_days = $5, updated_at = now()`,
      [caisseId, dto.pinPolicy, dto.pinAbove, dto.maxAmount, dto.refundWindowDays],
    );
    const after = await this.read(caisseId);
    await this.audit.record({ caisseId, action: 'purchase-settings.updated', targetType: 'caisse', targetId: caisseId, before, after });
    // Again after commit: a purchase reading meanwhile must not keep the old rules for a second.
    this.txHost.afterCommit(() => {
      this.cache.delete(caisseId);
    });
    this.cache.delete(caisseId);
    return after;
  }
}
