import { DomainError } from '../common/errors/domain-error.js';

/**
 * A statement file refused as a whole: nothing of it is imported. `line` is the file line at fault (1-based, 0 when
 * the fault is the file itself); the problem's `errors.file` repeats it in words for the treasurer.
 */
export class StatementRefused extends DomainError {
  constructor(
    code: string,
    readonly line: number,
    reason: string,
    status = 422,
  ) {
    const where = line > 0 ? `line ${line}: ` : '';
    super(code, status, `The statement file was refused (nothing imported): ${where}${reason}`, { line, errors: { file: [`${where}${reason}`] } });
  }
}

/** The file is not one of the formats the import reads, or it breaks its format's rules. */
export class MalformedStatement extends StatementRefused {
  constructor(line: number, reason: string) {
    super('MALFORMED_STATEMENT', line, reason, 400);
  }
}

/** The statement names an account the caisse does not have. */
export class UnknownStatementAccount extends StatementRefused {
  constructor(line: number, account: string) {
    super('UNKNOWN_BANK_ACCOUNT', line, `${account} is not the IBAN/RIB of an open bank account of this caisse`);
  }
}

/** The same statement (account, dates, sequence number) was already imported. */
export class DuplicateStatement extends StatementRefused {
  constructor(line: number, what: string) {
    super('STATEMENT_ALREADY_IMPORTED', line, what, 409);
  }
}

/** The statement does not follow the last one imported for its account (balance or dates). */
export class StatementOutOfSequence extends StatementRefused {
  constructor(line: number, what: string) {
    super('STATEMENT_OUT_OF_SEQUENCE', line, what, 409);
  }
}
