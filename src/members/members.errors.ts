import { Conflict, DomainError, NotFound, Unauthorized } from '../common/errors/domain-error.js';

export class MemberNotFound extends NotFound {
  constructor(id: string) {
    super('Member', id);
  }
}

export class EmailTaken extends Conflict {
  constructor(email: string) {
    super('EMAIL_TAKEN', `Another member of this caisse already uses ${email}.`, { errors: { 'contact.email': ['this email is already used by another member of this caisse'] } });
  }
}

export class MemberErased extends Conflict {
  constructor(id: string) {
    super('MEMBER_ERASED', `Member ${id} was erased (GDPR); only its pseudonym remains and it can no longer change.`);
  }
}

export class InvalidStatusTransition extends Conflict {
  constructor(from: string, to: string, allowed: readonly string[]) {
    super('INVALID_STATUS_TRANSITION', `A member cannot go from ${from} to ${to}; from ${from} it may become: ${allowed.join(', ') || 'nothing'}.`, { errors: { status: [`cannot go from ${from} to ${to}`] } });
  }
}

export class NoActiveCard extends Conflict {
  constructor() {
    super('NO_ACTIVE_CARD', 'This member has no active card (cards are issued when a member becomes active; a blocked card must be replaced).');
  }
}

export class CardLocked extends DomainError {
  constructor() {
    super('CARD_LOCKED', 423, 'Too many wrong PINs: the card is locked until an admin of the caisse unlocks it.');
  }
}

export class CardBlocked extends DomainError {
  constructor(state: string) {
    super('CARD_BLOCKED', 403, `This card is ${state} and can no longer be used.`);
  }
}

export class PinNotSet extends Conflict {
  constructor() {
    super('PIN_NOT_SET', 'No PIN was issued for this card yet; an admin of the caisse sets it.');
  }
}

export class InvalidPin extends Unauthorized {
  constructor(readonly attemptsLeft: number) {
    super(`Wrong PIN; ${attemptsLeft} attempt(s) left before the card locks.`, 'INVALID_PIN');
    Object.assign(this.extra, { attemptsLeft });
  }
}

export class UnknownCard extends Unauthorized {
  constructor() {
    super('Unknown card number or wrong PIN.', 'INVALID_CREDENTIALS');
  }
}

export class MemberNotActive extends DomainError {
  constructor(status: string) {
    super('MEMBER_NOT_ACTIVE', 403, `The member is ${status}, not active.`);
  }
}

export class WalletNotEmpty extends Conflict {
  constructor(account: string, balance: string) {
    super('WALLET_NOT_EMPTY', `The wallet ${account} still holds ${balance}; it must be spent, expired or settled before the member's data can be erased.`, { account, balance });
  }
}
