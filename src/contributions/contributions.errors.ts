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

/** A public funder's payment while one of its grants waits for money: it is that grant's tranche (item 10). */
export class GrantTrancheExpected extends DomainError {
  constructor(caisseId: string, grant: { id: string; reference: string; remaining: string }) {
    super(
      'GRANT_TRANCHE_EXPECTED',
      409,
      `Grant ${grant.reference} of this funder still awaits ${grant.remaining}: record the payment as its tranche (D 512 / C 441), or send notATranche with a reason.`,
      { grantId: grant.id, grantReference: grant.reference, remaining: grant.remaining, trancheRoute: `/api/v1/caisses/${caisseId}/grants/${grant.id}/tranches` },
    );
  }
}
