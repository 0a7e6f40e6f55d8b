/**
 * Quorum of governance.md, in integers. E = members in office and eligible (after recusals), P = members taking part
 * (any ballot, abstention included). Default rule: strictly more than half take part (2·P > E). A percentage rule
 * `P ≥ ceil(q·E/100)` is the same as `100·P ≥ q·E` because P is an integer, which avoids any division.
 */
export type QuorumRule = { kind: 'half' } | { kind: 'percent'; percent: number };

export const DEFAULT_QUORUM: QuorumRule = { kind: 'half' };

export function quorumMet(rule: QuorumRule, participants: number, electorate: number): boolean {
  if (electorate <= 0) return false;
  if (rule.kind === 'half') return 2 * participants > electorate;
  return 100 * participants >= rule.percent * electorate;
}
