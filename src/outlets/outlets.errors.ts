import { Conflict, DomainError } from '../common/errors/domain-error.js';
import { allowedNext, type OutletStatus } from './outlet-lifecycle.js';

/** The gate's refusal: purchases turn it into a refusal at the till. Distinct code so a till can say why. */
export class OutletNotAccepting extends DomainError {
  constructor(outletId: string, outletStatus: OutletStatus | null, since: Date | null, at: Date) {
    const why = outletStatus ? `is ${outletStatus}${since ? ` since ${since.toISOString()}` : ''}` : 'was not registered yet';
    super('OUTLET_NOT_ACCEPTING', 409, `The outlet ${why}: it may not accept the allocation at ${at.toISOString()}.`, {
      outletId,
      outletStatus,
      since: since?.toISOString() ?? null,
      at: at.toISOString(),
    });
  }
}

export class IllegalTransition extends Conflict {
  constructor(from: OutletStatus, to: OutletStatus) {
    const next = allowedNext(from);
    super('ILLEGAL_TRANSITION', `An outlet cannot go from ${from} to ${to}; from ${from} it may go to: ${next.join(', ') || 'nothing'}.`, {
      currentStatus: from,
      requested: to,
      allowed: next,
    });
  }
}

export class OutletNotFound extends DomainError {
  constructor(outletId: string) {
    super('NOT_FOUND', 404, `Outlet ${outletId} was not found.`);
  }
}
