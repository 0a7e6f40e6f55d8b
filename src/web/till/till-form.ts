import { ValidationFailed } from '../../common/errors/domain-error.js';
import { checkPurchaseBody, type PurchaseBody } from '../../purchases/dto/purchase-body.check.js';
import { formValue } from '../view/forms.js';
import { IDEMPOTENCY_KEY } from './till-policy.js';

/** Lines by category are posted as `cat.<code>` fields (one per category of the outlet's coverage). */
export const CATEGORY_FIELD = 'cat.';

/** "12,5" or "12.50" (a cashier types a French comma) → "12.50"-like decimal string; anything else is left as typed. */
function decimal(value: string | undefined): string | undefined {
  const v = value?.trim().replace(',', '.');
  if (!v) return undefined;
  return /^\d+\.\d$/.test(v) ? `${v}0` : v;
}

/** The till form as the purchase body of the API, checked by the same code (field names as in the API's problems). */
export function purchaseFromForm(body: unknown): { key: string; dto: PurchaseBody } {
  const key = formValue(body, 'idempotencyKey') ?? '';
  if (!IDEMPOTENCY_KEY.test(key)) throw new ValidationFailed({ idempotencyKey: ['reload the till page: its form key is missing or malformed'] });
  const card = formValue(body, 'card')?.replace(/[\s-]/g, '') || undefined;
  const qr = formValue(body, 'qr')?.trim() || undefined;
  const pin = formValue(body, 'pin')?.trim() || undefined;
  const amount = decimal(formValue(body, 'amount'));
  const lines: { category: string; amount: string }[] = [];
  if (body && typeof body === 'object') {
    for (const name of Object.keys(body).sort()) {
      if (!name.startsWith(CATEGORY_FIELD)) continue;
      const value = decimal(formValue(body, name));
      if (value) lines.push({ category: name.slice(CATEGORY_FIELD.length), amount: value });
    }
  }
  const raw: Record<string, unknown> = { ...(qr ? { qr } : { card }), pin, amount: lines.length ? undefined : amount, lines: lines.length ? lines : undefined };
  for (const k of Object.keys(raw)) if (raw[k] === undefined) delete raw[k];
  return { key, dto: checkPurchaseBody(raw) };
}
