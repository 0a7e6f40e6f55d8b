import { Injectable } from '@nestjs/common';
import { formatMoney, money } from '../common/money/money.js';
import { TransactionHost } from '../database/transaction.js';
import { OutletsService } from '../outlets/outlets.service.js';
import type { DailyPurchasesDto, DailySummaryDto } from './dto/daily-purchases.dto.js';
import { PURCHASE_COLUMNS, type PurchaseRow, toPurchaseDto } from './purchase-record.js';

/** A day is a French day: from 00:00 to 24:00 Europe/Paris, whatever the server's zone. */
const dayRange = (column: string) =>
  `${column} >= ($2::date::timestamp AT TIME ZONE 'Europe/Paris') AND ${column} < (($2::date + 1)::timestamp AT TIME ZONE 'Europe/Paris')`;

@Injectable()
export class PurchaseReportsService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly outlets: OutletsService,
  ) {}

  async daily(caisseId: string, outletId: string, date: string): Promise<DailyPurchasesDto> {
    const tx = this.txHost.tx;
    // Throws NOT_FOUND for an outlet of another caisse (its status does not matter: a suspended shop still reads its day).
    await this.outlets.standingAt(caisseId, outletId);
    const rows: PurchaseRow[] = await tx.query(`SELECT ${PURCHASE_COLUMNS} FROM purchases WHERE outlet_id = $1 AND ${dayRange('created_at')} ORDER BY receipt_no`, [outletId, date]);
    const [{ refunded }]: { refunded: string }[] = await tx.query(
      `SELECT coalesce(sum(r.amount), 0)::text AS refunded FROM purchase_refunds r JOIN purchases p ON p.id = r.purchase_id
        WHERE p.outlet_id = $1 AND ${dayRange('r.created_at')}`,
      [outletId, date],
    );
    const purchases = rows.map(toPurchaseDto);
    const sum = (f: (p: (typeof purchases)[number]) => string) => formatMoney(purchases.reduce((s, p) => s.plus(f(p)), money(0)));
    const summary: Omit<DailySummaryDto, 'text'> = {
      count: purchases.length,
      total: sum((p) => p.amount),
      covered: sum((p) => p.covered),
      memberPays: sum((p) => p.memberPays),
      refunded: formatMoney(refunded),
      firstReceiptNo: purchases[0]?.receiptNo ?? null,
      lastReceiptNo: purchases.at(-1)?.receiptNo ?? null,
    };
    return { outletId, date, purchases, summary: { ...summary, text: zReport(date, summary) } };
  }
}

function zReport(date: string, s: Omit<DailySummaryDto, 'text'>): string {
  const line = (label: string, value: string | number) => `${label.padEnd(24, '.')}${String(value).padStart(16)}`;
  return [
    `RAPPORT Z — ${date}`,
    line('Achats', s.count),
    line('Tickets', s.count ? `${s.firstReceiptNo} à ${s.lastReceiptNo}` : '—'),
    line('Total', s.total),
    line('Pris en charge', s.covered),
    line('Payé par les adhérents', s.memberPays),
    line('Remboursements', s.refunded),
  ].join('\n');
}
