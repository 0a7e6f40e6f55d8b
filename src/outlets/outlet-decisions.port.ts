/**
 * How the lifecycle checks a decisionId. Decisions belong to the governance module, which sits beside outlets and
 * may not be imported from here: governance provides this token (from a global module) once it exists. Until then
 * no provider is bound, a decisionId cannot be verified and is refused, and an admin-entered decisionRef with its
 * minutes is the accepted proof.
 */
export const OUTLET_DECISIONS = Symbol('OUTLET_DECISIONS');

export interface OutletDecision {
  /** The decision was adopted (quorum and majority reached, or consent without standing objection). */
  adopted: boolean;
  /** The decision is about this outlet. */
  concernsOutlet: boolean;
}

export interface OutletDecisions {
  /** The decision of this caisse, or undefined when it does not exist there. */
  find(caisseId: string, decisionId: string, outletId: string): Promise<OutletDecision | undefined>;
}
