import type { ConsentPosition, ConsentRuling } from './consent.js';
import type { QuorumRule } from './quorum.js';
import type { QualifiedBasis, VoteChoice } from './votes.js';

/** How a decision is taken; stored as given on the decision (the basis of a qualified majority included). */
export type MethodSpec =
  | { kind: 'consensus' }
  | { kind: 'consent' }
  | { kind: 'simple-majority' }
  | { kind: 'absolute-majority' }
  | { kind: 'qualified-majority'; a: number; b: number; basis: QualifiedBasis }
  | { kind: 'approval'; theta: number; options: string[] }
  | { kind: 'majority-judgment'; grades: string[]; threshold: number; options: string[] };

export type MethodKind = MethodSpec['kind'];
export const METHOD_KINDS: MethodKind[] = ['consensus', 'consent', 'simple-majority', 'absolute-majority', 'qualified-majority', 'approval', 'majority-judgment'];

/** What one ballot says, per method family. */
export type BallotContent =
  | { choice: VoteChoice }
  | { position: ConsentPosition; reason?: string }
  | { approved: string[] }
  | { grades: Record<string, number> };

export interface TallyInput {
  method: MethodSpec;
  quorum: QuorumRule;
  /** E: eligible members after recusals. */
  electorate: number;
  /** One per participant; `ref` names an objection for a ruling (consent). */
  ballots: { ref: string; content: BallotContent }[];
  rulings?: ConsentRuling[];
  /** Consensus only: members present at the meeting and whether consensus was reached. */
  consensus?: { present: number; reached: boolean };
  /** Breaks true majority-judgment ties; published with the tally. */
  seed: string;
}

export type Outcome = 'adopted' | 'rejected' | 'no-decision';

export interface Tally {
  method: MethodKind;
  electorate: number;
  participants: number;
  quorumMet: boolean;
  outcome: Outcome;
  /** Method-specific counts (for/against/abstain, consent positions, approvals, grade profiles and ranking). */
  detail: Record<string, unknown>;
}
