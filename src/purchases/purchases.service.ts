import { Injectable } from '@nestjs/common';
import { DomainError, ValidationFailed } from '../common/errors/domain-error.js';
import type { TerminalPrincipal } from '../common/request-context/principal.js';
import { TransactionHost } from '../database/transaction.js';
import { MAX_BATCH, type PurchaseBatchDto, type PurchaseBatchItemDto, type PurchaseBatchResultDto } from './dto/purchase-batch.dto.js';
import type { DailyPurchasesDto } from './dto/daily-purchases.dto.js';
import type { CreatePurchaseDto, PurchaseDto } from './dto/purchase.dto.js';
import type { CreateRefundDto, RefundDto } from './dto/refund.dto.js';
import { PurchaseChecks, requestHash } from './purchase-checks.service.js';
import { PurchaseFlush } from './purchase-flush.service.js';
import { outletOf } from './purchase-outlet.js';
import { PurchaseReportsService } from './purchase-reports.service.js';
import { toPurchaseDto } from './purchase-record.js';
import { PurchaseSettingsService } from './purchase-settings.service.js';
import { PurchaseWriter } from './purchase-writer.service.js';
import { PurchaseSpendingService } from './purchase-spending.service.js';
import type { MemberLastPurchase, OutletMonthSpending } from './purchases.types.js';
import { idempotencyConflict } from './purchases.errors.js';
import { RefundsService } from './refunds.service.js';

/** Offline captures may be a little ahead of the server's clock, never more. */
const CLOCK_SKEW_MS = 5 * 60_000;
const PREPARE_CONCURRENCY = 16;

/** Facade of the purchases module: purchases at the till, one at a time or as an offline batch. */
@Injectable()
export class PurchasesService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly checks: PurchaseChecks,
    private readonly writer: PurchaseWriter,
    private readonly flush: PurchaseFlush,
    private readonly settings: PurchaseSettingsService,
    private readonly spending: PurchaseSpendingService,
    private readonly refunds: RefundsService,
    private readonly reports: PurchaseReportsService,
  ) {}

  /** Purchases and refunds per outlet and month (Paris) within [from, to], for the spending report. */
  spendingByOutletMonth(caisseId: string, from: string, to: string): Promise<OutletMonthSpending[]> {
    return this.spending.byOutletMonth(caisseId, from, to);
  }

  /** Each member's last purchase day on or before `to` (members who never bought are absent). */
  lastPurchases(caisseId: string, to: string): Promise<MemberLastPurchase[]> {
    return this.spending.lastPurchases(caisseId, to);
  }

  /** For the web till: a refund by the terminal's outlet (the API's route calls RefundsService the same way). */
  refund(terminal: TerminalPrincipal, caisseId: string, purchaseId: string, key: string, dto: CreateRefundDto): Promise<{ refund: RefundDto; replayed: boolean }> {
    return this.refunds.refund(terminal, caisseId, purchaseId, key, dto);
  }

  /** For the web till: its outlet's day and Z-report (the API's daily route). */
  daily(caisseId: string, outletId: string, date: string): Promise<DailyPurchasesDto> {
    return this.reports.daily(caisseId, outletId, date);
  }

  async purchase(terminal: TerminalPrincipal, caisseId: string, key: string, dto: CreatePurchaseDto): Promise<{ purchase: PurchaseDto; replayed: boolean }> {
    const outletId = outletOf(terminal);
    const hash = requestHash(outletId, dto);
    // With a PIN, a replay is answered before the PIN is checked again (a changed PIN must not count a wrong attempt).
    // Otherwise the write itself finds the stored purchase, and a refusal first asks whether this is a replay of an
    // accepted purchase whose card or outlet changed since: one query less on the hot path.
    const early = dto.pin !== undefined ? await this.storedReplay(caisseId, key, hash) : undefined;
    if (early) return { purchase: early, replayed: true };
    const settings = await this.settings.get(caisseId);
    let item;
    try {
      item = await this.checks.prepare({ terminal, outletId, caisseId, key, dto, settings, at: new Date(), capturedAt: null });
    } catch (e) {
      const replay = e instanceof DomainError ? await this.storedReplay(caisseId, key, hash) : undefined;
      if (replay) return { purchase: replay, replayed: true };
      throw e;
    }
    const outcome = await this.writer.write(item);
    if (!outcome.ok) throw outcome.error;
    return { purchase: outcome.purchase, replayed: outcome.replayed };
  }

  /** Up to 1,000 purchases captured offline: each checked at its capture instant and written on its own. */
  async batch(terminal: TerminalPrincipal, caisseId: string, dto: PurchaseBatchDto): Promise<PurchaseBatchResultDto> {
    const outletId = outletOf(terminal);
    if (dto.purchases.length > MAX_BATCH) throw new ValidationFailed({ purchases: [`at most ${MAX_BATCH} purchases per batch`] });
    const errors: Record<string, string[]> = {};
    const firstAt = new Map<string, number>();
    dto.purchases.forEach((p, i) => {
      const first = firstAt.get(p.idempotencyKey);
      if (first !== undefined) errors[`purchases.${i}.idempotencyKey`] = [`same idempotencyKey as purchases.${first}`];
      else firstAt.set(p.idempotencyKey, i);
      if (new Date(p.capturedAt).getTime() > Date.now() + CLOCK_SKEW_MS) errors[`purchases.${i}.capturedAt`] = ['capturedAt is in the future'];
    });
    if (Object.keys(errors).length) throw new ValidationFailed(errors);
    const settings = await this.settings.get(caisseId);
    const results: PurchaseBatchItemDto[] = new Array(dto.purchases.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < dto.purchases.length; i = next++) results[i] = await this.batchItem(terminal, outletId, caisseId, dto.purchases[i], settings);
    };
    await Promise.all(Array.from({ length: Math.min(PREPARE_CONCURRENCY, dto.purchases.length) }, worker));
    const count = (s: PurchaseBatchItemDto['status']) => results.filter((r) => r.status === s).length;
    return { results, accepted: count('accepted'), duplicates: count('duplicate'), refused: count('refused') };
  }

  private async batchItem(terminal: TerminalPrincipal, outletId: string, caisseId: string, p: PurchaseBatchDto['purchases'][number], settings: Awaited<ReturnType<PurchaseSettingsService['get']>>): Promise<PurchaseBatchItemDto> {
    const { idempotencyKey: key, capturedAt, ...body } = p;
    try {
      const replay = await this.storedReplay(caisseId, key, requestHash(outletId, body));
      if (replay) return { status: 'duplicate', idempotencyKey: key, purchase: replay };
      const at = new Date(capturedAt);
      const item = await this.checks.prepare({ terminal, outletId, caisseId, key, dto: body, settings, at, capturedAt: at });
      const outcome = await this.writer.write(item);
      if (!outcome.ok) throw outcome.error;
      return { status: outcome.replayed ? 'duplicate' : 'accepted', idempotencyKey: key, purchase: outcome.purchase };
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return { status: 'refused', idempotencyKey: key, problem: { code: e.code, status: e.status, detail: e.message, ...e.extra } };
    }
  }

  private async storedReplay(caisseId: string, key: string, hash: string): Promise<PurchaseDto | undefined> {
    const row = (await this.flush.stored(caisseId, [key])).get(key);
    if (!row) return undefined;
    if (row.request_hash !== hash) throw idempotencyConflict();
    return toPurchaseDto(row);
  }
}
