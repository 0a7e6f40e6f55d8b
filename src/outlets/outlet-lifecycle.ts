/**
 * The conventionnement lifecycle (domain/governance.md), in one place: which status may follow which, and which
 * steps need a committee decision. Everything else (HTTP, storage, the gate) reads these tables.
 *
 *   candidate → dossier-complete → conventionne → renewal-due → conventionne (renewed)
 *                                       ↓  ↑ (reinstated)
 *                                    suspended → revoked | withdrawn | expired
 */
export const OUTLET_STATUSES = ['candidate', 'dossier-complete', 'conventionne', 'renewal-due', 'suspended', 'revoked', 'withdrawn', 'expired'] as const;
export type OutletStatus = (typeof OUTLET_STATUSES)[number];

/** Where members may spend: the only statuses the purchase gate lets through. */
export const ACCEPTING_STATUSES: readonly OutletStatus[] = ['conventionne', 'renewal-due'];

export interface TransitionRule {
  /** A committee decision must authorise it (decisionId, or until governance exists a decisionRef with minutes). */
  needsDecision: boolean;
  /** The step sets the terms of a conventionnement (reviewOn required, validUntil optional). */
  setsTerms: 'required' | 'optional' | 'none';
  /** What the step is called in the history, e.g. "renewed" for renewal-due → conventionne. */
  name: string;
}

const rule = (name: string, needsDecision: boolean, setsTerms: TransitionRule['setsTerms'] = 'none'): TransitionRule => ({ name, needsDecision, setsTerms });

/**
 * from → to → rule. A pair missing here is illegal (409). Leaving the caisse (withdrawn) is the outlet's own choice,
 * and expiry is a date passing, so neither needs a decision; admission, renewal, reinstatement, suspension and
 * revocation are committee decisions. A withdrawn, expired or revoked outlet may apply again as a new candidate.
 */
export const TRANSITIONS: Record<OutletStatus, Partial<Record<OutletStatus, TransitionRule>>> = {
  candidate: {
    'dossier-complete': rule('dossier completed', false),
    withdrawn: rule('candidacy withdrawn', false),
  },
  'dossier-complete': {
    candidate: rule('dossier reopened', false),
    conventionne: rule('conventionné', true, 'required'),
    withdrawn: rule('candidacy withdrawn', false),
  },
  conventionne: {
    'renewal-due': rule('renewal due', false),
    suspended: rule('suspended', true),
    revoked: rule('revoked', true),
    withdrawn: rule('withdrawn', false),
    expired: rule('expired', false),
  },
  'renewal-due': {
    conventionne: rule('renewed', true, 'required'),
    suspended: rule('suspended', true),
    revoked: rule('revoked', true),
    withdrawn: rule('withdrawn', false),
    expired: rule('expired', false),
  },
  suspended: {
    conventionne: rule('reinstated', true, 'optional'),
    revoked: rule('revoked', true),
    withdrawn: rule('withdrawn', false),
    expired: rule('expired', false),
  },
  revoked: { candidate: rule('new candidacy', false) },
  withdrawn: { candidate: rule('new candidacy', false) },
  expired: { candidate: rule('new candidacy', false) },
};

export function isOutletStatus(value: unknown): value is OutletStatus {
  return typeof value === 'string' && (OUTLET_STATUSES as readonly string[]).includes(value);
}

/** The rule for from → to, or undefined when the step is not allowed. */
export function transitionRule(from: OutletStatus, to: OutletStatus): TransitionRule | undefined {
  return TRANSITIONS[from][to];
}

export function allowedNext(from: OutletStatus): OutletStatus[] {
  return OUTLET_STATUSES.filter((to) => TRANSITIONS[from][to] !== undefined);
}

export function isAccepting(status: OutletStatus): boolean {
  return ACCEPTING_STATUSES.includes(status);
}
