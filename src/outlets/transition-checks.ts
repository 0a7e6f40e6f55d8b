import { todayInFrance } from '../common/dates.js';
import { DomainError, type FieldErrors, ValidationFailed } from '../common/errors/domain-error.js';
import type { OutletStatus, TransitionRule } from './outlet-lifecycle.js';

/**
 * The checks of one lifecycle step that need no database: timing against the last recorded step, the proof a
 * decision-bound step carries, and the terms (review date, end of validity) it sets or carries over.
 */

export interface LastStep {
  to_status: OutletStatus;
  effective_at: Date;
  review_on: string | null;
  valid_until: string | null;
}

export interface StepInput {
  to: OutletStatus;
  decisionId?: string;
  decisionRef?: string;
  decisionMinutes?: string;
  reviewOn?: string;
  validUntil?: string;
}

export interface Terms {
  reviewOn: string | null;
  validUntil: string | null;
}

/** A recorded time may lag the decision by a little clock drift, not more: a step never takes effect in the past. */
export const PAST_TOLERANCE_MS = 5 * 60_000;

export function checkTiming(effectiveAt: Date, now: Date, last: LastStep, allowPast: boolean): void {
  if (!allowPast && effectiveAt.getTime() < now.getTime() - PAST_TOLERANCE_MS) {
    throw new ValidationFailed({ effectiveAt: ['effectiveAt cannot be in the past: purchases already accepted stay accepted'] });
  }
  if (effectiveAt < last.effective_at) {
    throw new DomainError(
      'TRANSITION_OUT_OF_ORDER',
      409,
      `The last step (${last.to_status}) takes effect at ${last.effective_at.toISOString()}; a new step cannot take effect before it.`,
      { currentStatus: last.to_status, errors: { effectiveAt: [`effectiveAt must be at or after ${last.effective_at.toISOString()}`] } },
    );
  }
}

export function decisionErrors(input: StepInput, rule: TransitionRule): FieldErrors {
  const errors: FieldErrors = {};
  if (input.decisionId && input.decisionRef) errors.decisionRef = ['give decisionId or decisionRef, not both'];
  if (input.decisionRef && !input.decisionMinutes) errors.decisionMinutes = ['decisionMinutes are required with a decisionRef'];
  if (input.decisionMinutes && !input.decisionRef) errors.decisionMinutes = ['decisionMinutes go with a decisionRef'];
  if (rule.needsDecision && !input.decisionId && !input.decisionRef) {
    errors.decisionId = [`"${rule.name}" needs the committee decision: decisionId, or decisionRef with decisionMinutes`];
  }
  return errors;
}

/**
 * Terms are set on admission and renewal (and may be on reinstatement), carried over by the steps that keep the
 * conventionnement alive or end it, and cleared when the outlet starts again as a candidate.
 */
export function termsFor(input: StepInput, rule: TransitionRule, last: LastStep, effectiveAt: Date): Terms {
  const errors: FieldErrors = {};
  const day = todayInFrance(effectiveAt);
  if (rule.setsTerms === 'none' && (input.reviewOn || input.validUntil)) {
    errors[input.reviewOn ? 'reviewOn' : 'validUntil'] = ['review and validity dates are set when admitting, renewing or reinstating an outlet'];
  }
  if (rule.setsTerms === 'required' && !input.reviewOn) errors.reviewOn = [`"${rule.name}" needs the review date of the conventionnement (reviewOn)`];
  if (rule.setsTerms === 'optional' && input.validUntil && !input.reviewOn) errors.reviewOn = ['give reviewOn with validUntil'];
  if (input.reviewOn && input.reviewOn <= day) errors.reviewOn = [`reviewOn must be after the day the step takes effect (${day})`];
  if (input.validUntil && input.reviewOn && input.validUntil < input.reviewOn) errors.validUntil = ['validUntil must not be before reviewOn'];

  const carried: Terms = input.to === 'candidate' || input.to === 'dossier-complete' ? { reviewOn: null, validUntil: null } : { reviewOn: last.review_on, validUntil: last.valid_until };
  const terms: Terms = rule.setsTerms !== 'none' && input.reviewOn ? { reviewOn: input.reviewOn, validUntil: input.validUntil ?? null } : carried;
  if (rule.setsTerms === 'optional' && !input.reviewOn && terms.validUntil && terms.validUntil < day && !errors.reviewOn) {
    errors.reviewOn = [`the conventionnement ended on ${terms.validUntil}: give a new reviewOn (and validUntil)`];
  }
  if (Object.keys(errors).length) throw new ValidationFailed(errors);
  return terms;
}
