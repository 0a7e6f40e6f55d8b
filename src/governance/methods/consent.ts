/**
 * Consent (sociocracy): a proposal passes when quorum is met and no objection stands. An objection needs a reason;
 * the facilitator may rule it non-paramount (with a recorded reason), after which it no longer blocks.
 */
export type ConsentPosition = 'consent' | 'objection' | 'stand-aside';

export interface ConsentBallot {
  /** Who or which ballot raised it, so a ruling can name the objection. */
  ref: string;
  position: ConsentPosition;
  reason?: string;
}

export interface ConsentRuling {
  ref: string;
  reason: string;
}

export interface ConsentTally {
  consent: number;
  objection: number;
  standAside: number;
  /** Objections still blocking after the rulings. */
  standing: number;
  ruledNonParamount: number;
  adopted: boolean;
}

export function tallyConsent(ballots: readonly ConsentBallot[], rulings: readonly ConsentRuling[], quorum: boolean): ConsentTally {
  const ruled = new Set(rulings.map((r) => r.ref));
  const objections = ballots.filter((b) => b.position === 'objection');
  const standing = objections.filter((b) => !ruled.has(b.ref)).length;
  return {
    consent: ballots.filter((b) => b.position === 'consent').length,
    objection: objections.length,
    standAside: ballots.filter((b) => b.position === 'stand-aside').length,
    standing,
    ruledNonParamount: objections.length - standing,
    adopted: quorum && standing === 0,
  };
}
