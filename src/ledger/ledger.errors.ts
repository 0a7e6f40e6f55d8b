import { Conflict, DomainError, NotFound, ValidationFailed } from '../common/errors/domain-error.js';

export class UnbalancedEntry extends ValidationFailed {
  constructor(debits: string, credits: string) {
    super({ lines: [`debits (${debits}) must equal credits (${credits})`] }, 'The entry does not balance.');
  }
}

export class InsufficientFunds extends Conflict {
  constructor(account: string, available: string, requested: string) {
    super('INSUFFICIENT_BALANCE', `Account ${account} holds ${available}, less than the ${requested} requested.`, { account, available, requested });
  }
}

export class PeriodClosed extends Conflict {
  constructor(date: string, closedThrough: string) {
    super('PERIOD_CLOSED', `The books are closed through ${closedThrough}; nothing can be dated ${date}.`, { closedThrough });
  }
}

export class AlreadyReversed extends Conflict {
  constructor(entryId: string, reversal: string) {
    super('ALREADY_REVERSED', `Entry ${entryId} was already reversed by entry ${reversal}.`, { reversedBy: reversal });
  }
}

export class UnknownAccount extends DomainError {
  constructor(code: string, field = 'lines') {
    super('UNKNOWN_ACCOUNT', 422, `Account ${code} does not exist in this caisse's chart.`, { errors: { [field]: [`unknown account ${code}`] } });
  }
}

export class EntryNotFound extends NotFound {
  constructor(id: string) {
    super('Journal entry', id);
  }
}

export class BooksNotOpen extends NotFound {
  constructor(caisseId: string) {
    super('Books of caisse', caisseId);
  }
}

export class AccountClosed extends Conflict {
  constructor(code: string) {
    super('ACCOUNT_CLOSED', `Account ${code} is closed; reopen it (PATCH …/ledger/accounts/${code}) or post to another account.`, { account: code });
  }
}

export class AccountExists extends Conflict {
  constructor(code: string) {
    super('ACCOUNT_EXISTS', `Account ${code} already exists in this caisse's chart.`, { account: code });
  }
}

export class UnknownBankAccount extends DomainError {
  constructor(account: string, field = 'bankAccount') {
    super('UNKNOWN_BANK_ACCOUNT', 422, `Bank account ${account} is not an open bank account of this caisse.`, { errors: { [field]: [`no open bank account ${account}`] } });
  }
}
