import type { Decimal } from 'decimal.js';
import { luhnValid } from '../common/validation/validators.js';
import { money, roundCents } from '../common/money/money.js';
import type { CoverageInForce } from '../outlets/outlets.types.js';
import { rateFor } from '../outlets/outlets.types.js';
import type { CreatePurchaseDto } from './dto/purchase.dto.js';
import type { PurchaseSettingsDto } from './dto/purchase-settings.dto.js';
import { NothingCovered, PurchaseTooLarge, UnknownCategory } from './purchases.errors.js';
import { ValidationFailed } from '../common/errors/domain-error.js';

export interface Priced {
  amount: Decimal;
  covered: Decimal;
}

/** Shape checks class-validator cannot express (exactly one of card/qr, of amount/lines; positive amounts). */
export function checkShape(dto: CreatePurchaseDto, settings: PurchaseSettingsDto): Decimal {
  const errors: Record<string, string[]> = {};
  if ((dto.card === undefined) === (dto.qr === undefined)) errors.card = ['give exactly one of card or qr'];
  else if (dto.card !== undefined && !(/^\d{16}$/.test(dto.card) && luhnValid(dto.card))) errors.card = ['card must be 16 digits with a valid check digit'];
  else if (dto.qr !== undefined && !/^[A-Za-z0-9._~-]{16,2000}$/.test(dto.qr)) errors.qr = ['qr is not a QR payload of this caisse'];
  if (dto.pin !== undefined && !/^\d{4,8}$/.test(dto.pin)) errors.pin = ['pin must be 4 to 8 digits'];
  if ((dto.amount === undefined) === (dto.lines === undefined)) errors.amount = ['give exactly one of amount or lines'];
  if (dto.amount !== undefined && money(dto.amount).lte(0)) errors.amount = ['amount must be above 0'];
  dto.lines?.forEach((l, i) => {
    if (money(l.amount).lte(0)) errors[`lines.${i}.amount`] = ['amount must be above 0'];
  });
  if (Object.keys(errors).length) throw new ValidationFailed(errors);
  const total = dto.amount !== undefined ? money(dto.amount) : dto.lines!.reduce((s, l) => s.plus(l.amount), money(0));
  if (total.gt(settings.maxAmount)) throw new PurchaseTooLarge(settings.maxAmount);
  return total;
}

/** Covered = Σ roundCents(line × rate), each line rounded half-up on its own before summing (as the issue asks). */
export function price(dto: CreatePurchaseDto, coverage: CoverageInForce | null): Priced {
  const lines = dto.lines ?? [{ category: '*', amount: dto.amount! }];
  let amount = money(0);
  let covered = money(0);
  lines.forEach((l, i) => {
    const rate = coverage ? rateFor(coverage, l.category) : null;
    if (rate === null) {
      if (dto.lines) throw new UnknownCategory(`lines.${i}.category`, l.category);
      throw new NothingCovered();
    }
    amount = amount.plus(l.amount);
    covered = covered.plus(roundCents(money(l.amount).times(rate)));
  });
  if (covered.lte(0)) throw new NothingCovered();
  return { amount, covered };
}

/** Whether the caisse's policy asks this card payment for a PIN. */
export function pinRequired(settings: PurchaseSettingsDto, viaQr: boolean, amount: Decimal): boolean {
  if (viaQr || settings.pinPolicy === 'never') return false;
  if (settings.pinPolicy === 'above-amount') return amount.gt(settings.pinAbove);
  return true;
}
