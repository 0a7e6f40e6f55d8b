import { DomainError, NotFound } from '../common/errors/domain-error.js';

export class ContributorNotFound extends NotFound {
  constructor(id: string) {
    super('Contributor', id);
  }
}

export class GrantNotFound extends NotFound {
  constructor(id: string) {
    super('Grant agreement', id);
  }
}

/** A rule that needs an input the member's record lacks (grid without income): 409, the record must be completed. */
export class QuoteNotComputable extends DomainError {
  constructor(field: string, message: string) {
    super('QUOTE_NOT_COMPUTABLE', 409, message, { field });
  }
}
