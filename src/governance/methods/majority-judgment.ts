import { createHash } from 'node:crypto';

/**
 * Majority judgment (Balinski–Laraki) of governance.md. A profile is the number of judgments per grade, worst → best
 * (index 0 = "À rejeter"). Everything is counting: no averages, no floats.
 */
export type Profile = readonly number[];

/** The k-th lowest judgment with k = ⌊(n+1)/2⌋: the lower median when n is even. Undefined with no judgment. */
export function majorityGrade(profile: Profile): number | undefined {
  const n = profile.reduce((s, c) => s + c, 0);
  if (n === 0) return undefined;
  const k = Math.floor((n + 1) / 2);
  let seen = 0;
  for (let g = 0; g < profile.length; g++) {
    seen += profile[g];
    if (seen >= k) return g;
  }
  return undefined;
}

/**
 * The grades obtained by removing, one at a time, a judgment equal to the current majority grade until none is left.
 * Comparing two of these sequences lexicographically is the majority-judgment ranking rule.
 */
export function gradeSequence(profile: Profile): number[] {
  const left = [...profile];
  const out: number[] = [];
  for (let g = majorityGrade(left); g !== undefined; g = majorityGrade(left)) {
    out.push(g);
    left[g]--;
  }
  return out;
}

/** > 0 when a ranks above b, < 0 below, 0 for a true tie (identical sequences). */
export function compareProfiles(a: Profile, b: Profile): number {
  const sa = gradeSequence(a);
  const sb = gradeSequence(b);
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) if (sa[i] !== sb[i]) return sa[i] - sb[i];
  // Sequences differ in length only when the numbers of judgments differ: more judgments at the same grades wins.
  return sa.length - sb.length;
}

export interface RankedOption {
  option: string;
  rank: number;
  majorityGrade: number | undefined;
  /** True when it ties exactly with a neighbour and its place came from the published seeded draw. */
  tieBrokenByDraw: boolean;
}

/** Order used for true ties: SHA-256(seed ‖ option), published with the seed so anyone can redo it. */
export function tieKey(seed: string, option: string): string {
  return createHash('sha256').update(`${seed}\u0000${option}`).digest('hex');
}

/** Best first. `seed` breaks true ties only and is published with the tally. */
export function rankOptions(profiles: Readonly<Record<string, Profile>>, seed: string): RankedOption[] {
  const options = Object.keys(profiles);
  const sorted = [...options].sort((x, y) => compareProfiles(profiles[y], profiles[x]) || (tieKey(seed, x) < tieKey(seed, y) ? -1 : 1));
  return sorted.map((option, i) => ({
    option,
    rank: i + 1,
    majorityGrade: majorityGrade(profiles[option]),
    tieBrokenByDraw: sorted.some((other) => other !== option && compareProfiles(profiles[other], profiles[option]) === 0),
  }));
}

/** Single-outlet rule: admitted iff the majority grade reaches the caisse's threshold grade. */
export function meetsThreshold(profile: Profile, threshold: number): boolean {
  const g = majorityGrade(profile);
  return g !== undefined && g >= threshold;
}

/** Judgments (grade indexes) → profile over `grades` grades. */
export function profileOf(judgments: readonly number[], grades: number): number[] {
  const p = new Array<number>(grades).fill(0);
  for (const j of judgments) p[j]++;
  return p;
}
