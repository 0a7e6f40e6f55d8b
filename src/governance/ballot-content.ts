import { randomInt } from 'node:crypto';
import { ValidationFailed } from '../common/errors/domain-error.js';
import type { CastBallotDto } from './dto/ballot.dto.js';
import type { BallotContent, MethodSpec } from './methods/method.types.js';

const RECEIPT_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ23456789';

/** 12 characters from 34 (≈ 61 bits): unguessable, and short enough to read out or copy from a phone. */
export function newReceipt(): string {
  return Array.from({ length: 12 }, () => RECEIPT_ALPHABET[randomInt(RECEIPT_ALPHABET.length)]).join('');
}

/** The ballot as stored, for the decision's method; a field error for anything another method would take. */
export function ballotContent(method: MethodSpec, dto: CastBallotDto): BallotContent {
  const given = (['choice', 'position', 'reason', 'approved', 'grades'] as const).filter((k) => dto[k] !== undefined);
  const only = (allowed: string[], content: BallotContent): BallotContent => {
    const extra = given.filter((k) => !allowed.includes(k));
    if (extra.length) throw new ValidationFailed(Object.fromEntries(extra.map((k) => [k, [`${k} is not part of a ${method.kind} ballot`]])));
    return content;
  };
  switch (method.kind) {
    case 'consensus':
      throw new ValidationFailed({ choice: ['a consensus is recorded at close (present members and outcome), without ballots'] });
    case 'simple-majority':
    case 'absolute-majority':
    case 'qualified-majority':
      if (!dto.choice) throw new ValidationFailed({ choice: ['choose for, against or abstain'] });
      return only(['choice'], { choice: dto.choice as 'for' | 'against' | 'abstain' });
    case 'consent':
      if (!dto.position) throw new ValidationFailed({ position: ['choose consent, objection or stand-aside'] });
      if (dto.position === 'objection' && !dto.reason) throw new ValidationFailed({ reason: ['an objection states its reason'] });
      return only(['position', 'reason'], dto.reason ? { position: dto.position as 'objection', reason: dto.reason.trim() } : { position: dto.position as 'consent' });
    case 'approval': {
      const approved = dto.approved ?? [];
      const unknown = approved.filter((o) => !method.options.includes(o));
      if (unknown.length || new Set(approved).size !== approved.length) throw new ValidationFailed({ approved: [`approve distinct options among: ${method.options.join(', ')}`] });
      return only(['approved'], { approved: [...approved].sort() });
    }
    case 'majority-judgment': {
      const grades = dto.grades ?? {};
      const keys = Object.keys(grades).sort();
      const ok =
        keys.length === method.options.length &&
        method.options.every((o) => Object.hasOwn(grades, o) && Number.isInteger(grades[o]) && grades[o] >= 0 && grades[o] < method.grades.length);
      if (!ok) throw new ValidationFailed({ grades: [`grade every option (${method.options.join(', ')}) with a grade index from 0 to ${method.grades.length - 1}`] });
      return only(['grades'], { grades: Object.fromEntries(keys.map((k) => [k, grades[k]])) });
    }
  }
}
