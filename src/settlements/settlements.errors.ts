import { Conflict, DomainError, NotFound } from '../common/errors/domain-error.js';

export class SettlementRunNotFound extends NotFound {
  constructor(id: string) {
    super('Settlement run', id);
  }
}

export class SettlementLineNotFound extends NotFound {
  constructor(id: string) {
    super('Settlement line', id);
  }
}

/** The run is not in the state the action needs (approve a draft, export an approved run…). */
export class RunStateConflict extends Conflict {
  constructor(action: string, status: string) {
    super('RUN_STATE_CONFLICT', `A ${status} run cannot be ${action}.`, { status });
  }
}

export class NothingToPay extends Conflict {
  constructor(until: string) {
    super('NOTHING_TO_PAY', `No outlet is owed at least the minimum amount on purchases up to ${until}.`);
  }
}

/** Four-eyes: whoever prepared the run never approves it. */
export class SameApprover extends DomainError {
  constructor() {
    super('FOUR_EYES', 403, 'A run is approved by a second treasurer or admin, not by the person who created it.');
  }
}

export class IbanChangeUnconfirmed extends Conflict {
  constructor(lines: { lineId: string; outletCode: string }[]) {
    super(
      'IBAN_CHANGE_UNCONFIRMED',
      `These lines pay an IBAN changed recently and need an explicit confirmation (confirmIbanChanges): ${lines.map((l) => l.outletCode).join(', ')}.`,
      { lines },
    );
  }
}

export class OutletIbanChanged extends Conflict {
  constructor(outletCode: string) {
    super('OUTLET_IBAN_CHANGED', `The IBAN of outlet ${outletCode} changed after the run was prepared: cancel the run and prepare a new one.`, { outletCode });
  }
}

/** pain.001 needs the creditor's town and country (banks refuse unstructured-only addresses since November 2026). */
export class OutletAddressIncomplete extends DomainError {
  constructor(outletId: string, outletCode: string, field: 'communeName' | 'country') {
    super('OUTLET_ADDRESS_INCOMPLETE', 422, `Outlet ${outletCode} has no ${field === 'communeName' ? 'town (communeName)' : 'country'}: complete its address before exporting.`, {
      outletId,
      outletCode,
      field,
      errors: { [`outlets.${outletId}.${field}`]: [`${field} is required for a SEPA transfer`] },
    });
  }
}

/** The file is not well-formed XML or not a pain.002, or names what this run does not hold; `line` is 1-based. */
export class StatusReportRefused extends DomainError {
  constructor(code: 'MALFORMED_STATUS_REPORT' | 'UNKNOWN_MESSAGE' | 'UNKNOWN_TRANSACTION', status: number, message: string, line: number) {
    super(code, status, `Line ${line}: ${message}`, { line, errors: { file: [`line ${line}: ${message}`] } });
  }
}

export class LineAlreadyReversed extends Conflict {
  constructor(status: string) {
    super('LINE_ALREADY_REVERSED', `This transfer is already ${status}: its payout was reversed.`, { status });
  }
}

export class LineAlreadyPaid extends Conflict {
  constructor(endToEndId: string) {
    super('LINE_ALREADY_PAID', `Transfer ${endToEndId} is already confirmed by the bank statement: record a return instead of a rejection.`, { endToEndId });
  }
}
