import { Conflict, DomainError, NotFound, ValidationFailed } from '../common/errors/domain-error.js';

/** Card number that no member of this caisse holds (after the format was checked). */
export class UnknownCard extends DomainError {
  constructor() {
    super('UNKNOWN_CARD', 404, 'No card of this caisse has this number.', { errors: { card: ['unknown card number'] } });
  }
}

export class PinRequired extends DomainError {
  constructor() {
    super('PIN_REQUIRED', 401, "The caisse asks for the card's PIN for this purchase.", { errors: { pin: ['pin is required'] } });
  }
}

export class PurchaseTooLarge extends DomainError {
  constructor(max: string) {
    super('PURCHASE_TOO_LARGE', 422, `A purchase may not exceed ${max} in this caisse.`, { max, errors: { amount: [`amount must not exceed ${max}`] } });
  }
}

export class UnknownCategory extends DomainError {
  constructor(field: string, category: string) {
    super('UNKNOWN_CATEGORY', 400, `The outlet has no coverage rate for category ${category}.`, { errors: { [field]: [`unknown category ${category}`] } });
  }
}

export class NothingCovered extends DomainError {
  constructor() {
    super('NOTHING_COVERED', 422, 'The coverage rates of this outlet cover nothing of this purchase.');
  }
}

export class MemberCannotBuy extends DomainError {
  constructor(status: string) {
    super('MEMBER_NOT_ACTIVE', 403, `The member is ${status}, not active: the wallet cannot be used.`);
  }
}

export class InsufficientBalance extends Conflict {
  constructor(available: string, requested: string) {
    super('INSUFFICIENT_BALANCE', `The wallet holds ${available}, less than the ${requested} to cover (send allowPartial: true to cover what it holds).`, {
      available,
      requested,
    });
  }
}

export class PurchaseNotFound extends NotFound {
  constructor(id: string) {
    super('Purchase', id);
  }
}

export class RefundNotAllowed extends DomainError {
  constructor(code: 'REFUND_WRONG_OUTLET' | 'REFUND_WINDOW_CLOSED' | 'REFUND_EXCEEDS_COVERED', status: number, message: string, extra: Record<string, unknown> = {}) {
    super(code, status, message, extra);
  }
}

export const idempotencyConflict = () => new Conflict('IDEMPOTENCY_CONFLICT', 'This Idempotency-Key was already used with a different request body.');

export const badField = (field: string, message: string) => new ValidationFailed({ [field]: [message] });

export class VoucherLocked extends DomainError {
  constructor(serial: string) {
    super('VOUCHER_LOCKED', 423, `Too many wrong codes were typed for voucher ${serial}: it is locked until an admin of the caisse unlocks it.`);
  }
}

export class TooManyVoucherAttempts extends DomainError {
  constructor(retryAfterSeconds: number) {
    super('TOO_MANY_VOUCHER_ATTEMPTS', 429, `Too many wrong voucher codes from this terminal; try again in ${retryAfterSeconds} seconds.`, { retryAfterSeconds });
  }
}
