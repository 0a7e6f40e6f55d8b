/**
 * Every refusal the caisse expresses on purpose. The problem+json filter turns it into an RFC 9457 body,
 * so modules only choose a stable code, an HTTP status and a sentence a volunteer can act on.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export type FieldErrors = Record<string, string[]>;

export class ValidationFailed extends DomainError {
  constructor(readonly errors: FieldErrors, message = 'The request has invalid fields.') {
    super('VALIDATION_FAILED', 400, message, { errors });
  }
}

export class NotFound extends DomainError {
  constructor(what: string, id?: string) {
    super('NOT_FOUND', 404, id ? `${what} ${id} was not found.` : `${what} was not found.`);
  }
}

export class Conflict extends DomainError {
  constructor(code: string, message: string, extra: Record<string, unknown> = {}) {
    super(code, 409, message, extra);
  }
}

export class Forbidden extends DomainError {
  constructor(message = 'Your role does not allow this action.') {
    super('FORBIDDEN', 403, message);
  }
}

export class Unauthorized extends DomainError {
  constructor(message = 'Authentication is required.', code = 'UNAUTHENTICATED') {
    super(code, 401, message);
  }
}
