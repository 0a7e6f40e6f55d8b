/**
 * For / against / abstain methods of governance.md, with integer comparisons only (a·x vs b·y, never a ratio).
 * F = for, A = against, S = abstentions or blank; E = eligible members.
 */
export type VoteChoice = 'for' | 'against' | 'abstain';

export interface VoteCounts {
  for: number;
  against: number;
  abstain: number;
}

/** Pass iff F > A; abstentions are not votes cast; a tie keeps the status quo. */
export function simpleMajority(c: VoteCounts): boolean {
  return c.for > c.against;
}

/** Pass iff more than half of the eligible members voted for: 2·F > E. */
export function absoluteMajority(c: VoteCounts, electorate: number): boolean {
  return 2 * c.for > electorate;
}

export type QualifiedBasis = 'cast' | 'members';

export interface Qualified {
  a: number;
  b: number;
  basis: QualifiedBasis;
}

/**
 * a/b of votes cast (b·F ≥ a·(F+A)) or of members (b·F ≥ a·E). With no vote cast the inequality holds as 0 ≥ 0,
 * which would adopt a motion nobody voted for: at least one vote for is required.
 */
export function qualifiedMajority(c: VoteCounts, q: Qualified, electorate: number): boolean {
  const basis = q.basis === 'cast' ? c.for + c.against : electorate;
  return c.for > 0 && q.b * c.for >= q.a * basis;
}

export function countVotes(choices: readonly VoteChoice[]): VoteCounts {
  const c: VoteCounts = { for: 0, against: 0, abstain: 0 };
  for (const choice of choices) c[choice]++;
  return c;
}
