import { DomainError } from '../common/errors/domain-error.js';

export class DecisionNotFound extends DomainError {
  constructor(id: string) {
    super('NOT_FOUND', 404, `Decision ${id} was not found.`);
  }
}

export class DecisionNotOpen extends DomainError {
  constructor(state: string, detail: string) {
    super('DECISION_NOT_OPEN', 409, `The decision is ${state}: ${detail}`, { state });
  }
}

export class NotInElectorate extends DomainError {
  constructor(reason: string) {
    super('NOT_IN_ELECTORATE', 403, `You cannot vote on this decision: ${reason}.`);
  }
}

export class AlreadyVoted extends DomainError {
  constructor() {
    super('ALREADY_VOTED', 409, 'You already took part in this secret ballot; a secret ballot cannot be changed (nothing links it to you).');
  }
}

export class WrongMethod extends DomainError {
  constructor(message: string) {
    super('WRONG_METHOD', 409, message);
  }
}
