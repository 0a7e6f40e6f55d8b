import { Conflict, DomainError, NotFound } from '../common/errors/domain-error.js';

export class AllocationRunNotFound extends NotFound {
  constructor(id: string) {
    super('Allocation run', id);
  }
}

/** The money available for allocations does not cover the run, and the rule does not say to reduce. */
export class InsufficientFundsForRun extends Conflict {
  constructor(readonly needed: string, readonly available: string, readonly missing: string) {
    super('INSUFFICIENT_FUNDS_FOR_ALLOCATIONS', `The run needs ${needed} but only ${available} is available for allocations: ${missing} is missing.`, { needed, available, missing });
  }
}

/** A top-up rule names a fund that is unknown or restricted to another use: no wallet may be paid from it. */
export class TopUpFundNotUsable extends Conflict {
  constructor(fund: string, usable: (string | null)[]) {
    super('TOP_UP_FUND_NOT_USABLE', `The top-up rule charges fund ${fund}, which is not a fund usable for allocations (${usable.filter((f) => f !== null).join(', ')}).`, { fund });
  }
}

export class RunNotCatchable extends Conflict {
  constructor(status: string) {
    super('RUN_NOT_CATCHABLE', `Only a completed run (not a dry run) takes a catch-up; this one is ${status}.`);
  }
}

export class RunFinished extends Conflict {
  constructor(status: string) {
    super('RUN_FINISHED', `The run is already ${status}.`);
  }
}

export class PeriodClosedForRun extends DomainError {
  constructor(period: string, closedThrough: string) {
    super('PERIOD_CLOSED', 409, `The books are closed through ${closedThrough}: no allocation can be posted for ${period}.`, { errors: { period: [`closed through ${closedThrough}`] } });
  }
}
