import type { Decimal } from 'decimal.js';
import type { DomainError } from '../common/errors/domain-error.js';
import { formatMoney } from '../common/money/money.js';
import type { PurchaseDto } from './dto/purchase.dto.js';

/** A purchase checked and priced, ready to be written (the flush only decides balance, receipt and row). */
export interface PurchaseItem {
  caisseId: string;
  outletId: string;
  outletAccount: string;
  outletName: string;
  memberId: string;
  walletAccount: string;
  terminalKeyId: string | null;
  key: string;
  hash: string;
  amount: Decimal;
  covered: Decimal;
  allowPartial: boolean;
  capturedAt: Date | null;
  date: string;
}

export type PurchaseOutcome = { ok: true; purchase: PurchaseDto; replayed: boolean } | { ok: false; error: DomainError };

export interface PurchaseRow {
  id: string;
  outlet_id: string;
  request_hash: string;
  amount: string;
  covered: string;
  member_pays: string;
  partial: boolean;
  balance_after: string;
  entry_id: string;
  receipt_no: number;
  created_at: Date;
  idempotency_key: string;
}

export const PURCHASE_COLUMNS = `id, outlet_id, request_hash, idempotency_key, amount::text, covered::text, member_pays::text, partial, balance_after::text, entry_id, receipt_no, created_at`;

export function toPurchaseDto(r: PurchaseRow): PurchaseDto {
  return {
    id: r.id,
    amount: formatMoney(r.amount),
    covered: formatMoney(r.covered),
    memberPays: formatMoney(r.member_pays),
    partial: r.partial,
    balanceAfter: formatMoney(r.balance_after),
    receiptNo: r.receipt_no,
    outletId: r.outlet_id,
    entryId: r.entry_id,
    createdAt: r.created_at.toISOString(),
  };
}
