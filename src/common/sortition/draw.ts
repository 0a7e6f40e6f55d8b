import { canonicalPool, canonicalSpec, drawProblems, poolHash, quotasHash } from './pool.js';
import { combineRandomness, commitmentOf, deriveSeed } from './randomness.js';
import { selectPanel } from './select.js';
import { parseSource, valueFormatProblem } from './sources.js';
import type { DrawResult, DrawSpec, PoolEntry, Problems, RandomnessSpec } from './sortition.types.js';

export interface CommittedDraw {
  spec: DrawSpec;
  pool: PoolEntry[];
  poolHash: string;
  quotasHash: string;
}

export interface ExecutedDraw {
  combined: string;
  seed: string;
  result: DrawResult;
}

export class InfeasibleDraw extends Error {
  constructor(readonly problems: Problems) {
    super(`the draw is not feasible: ${Object.values(problems).flat().join('; ')}`);
  }
}

/** Step 1 of the protocol: freeze the pool and the quotas and compute what is published before any randomness. */
export function commitDraw(pool: readonly PoolEntry[], spec: DrawSpec): CommittedDraw {
  const problems = drawProblems(pool, spec);
  if (Object.keys(problems).length) throw new InfeasibleDraw(problems);
  const canonical = canonicalSpec(spec);
  return { spec: canonical, pool: canonicalPool(pool, canonical.strata), poolHash: poolHash(pool, canonical.strata), quotasHash: quotasHash(canonical) };
}

/** Problems with revealed values: their count, each matching its commitment or its named source's format (sources.ts). */
export function randomnessProblems(randomness: RandomnessSpec, values: readonly string[]): Problems {
  const problems: Problems = {};
  if (values.length !== randomness.parties) problems.values = [`${randomness.parties} value(s) were announced, ${values.length} given`];
  values.forEach((v, i) => {
    if (typeof v !== 'string' || v.length === 0) (problems[`values.${i}`] ??= []).push('a value must be a non-empty string');
    else if (randomness.commitments.length) {
      const source = parseSource(randomness.commitments[i] ?? '');
      const problem =
        source && source.kind !== 'commit' ? valueFormatProblem(source, v)
        : randomness.commitments[i] !== commitmentOf(v) ? `SHA-256 of this value does not match commitment ${i + 1} published in advance` : null;
      if (problem) (problems[`values.${i}`] ??= []).push(problem);
    }
  });
  return problems;
}

/** Steps 3: combine the revealed values, derive the seed and select. Pure: same inputs, same panel. */
export function executeDraw(committed: CommittedDraw, values: readonly string[]): ExecutedDraw {
  const combined = combineRandomness(values);
  const seed = deriveSeed(committed.poolHash, committed.quotasHash, combined);
  return { combined, seed, result: selectPanel(committed.pool, committed.spec, seed) };
}
