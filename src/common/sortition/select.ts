import { compareUtf8 } from './canonical.js';
import { DrawRng, shuffle } from './draw-rng.js';
import { canonicalPool, canonicalSpec, describeStratum, drawProblems, stratumKey } from './pool.js';
import type { DrawResult, DrawSpec, PoolEntry } from './sortition.types.js';

/**
 * The deterministic selection of ssa-sortition/1, given the seed:
 * 1. group the canonical pool by stratum; visit the groups in stratum-key order (UTF-8 bytes) and shuffle each
 *    group (members in id order) with Fisher–Yates;
 * 2. reserved seats: from each group, in that order, select the first `min` of its shuffled order;
 * 3. open seats: shuffle everyone not yet selected (in id order) and walk that order: select while seats remain and
 *    the candidate's stratum is below its `max`; everyone else joins the waitlist in walking order.
 * One generator serves all shuffles in the order above, so applicants of one stratum are exchangeable: each has the
 * same chance of a seat and the same distribution of waitlist rank.
 */
export function selectPanel(pool: readonly PoolEntry[], spec: DrawSpec, seedHex: string): DrawResult {
  const problems = drawProblems(pool, spec);
  if (Object.keys(problems).length) throw new RangeError(`the draw is not feasible: ${JSON.stringify(problems)}`);
  const canonical = canonicalSpec(spec);
  const entries = canonicalPool(pool, canonical.strata);
  const keyOf = (e: PoolEntry) => stratumKey(e.stratum, canonical.strata);
  const quotas = new Map(canonical.quotas.map((q) => [stratumKey(q.stratum, canonical.strata), q]));
  const rng = new DrawRng(seedHex);

  const groups = new Map<string, PoolEntry[]>();
  for (const e of entries) (groups.get(keyOf(e)) ?? groups.set(keyOf(e), []).get(keyOf(e))!).push(e);
  const selected: string[] = [];
  const taken = new Set<string>();
  const seated = new Map<string, number>();
  for (const key of [...groups.keys()].sort(compareUtf8)) {
    const order = shuffle(groups.get(key)!, rng);
    const min = quotas.get(key)?.min ?? 0;
    for (const e of order.slice(0, min)) {
      selected.push(e.id);
      taken.add(e.id);
    }
    seated.set(key, Math.min(min, order.length));
  }

  const waitlist: string[] = [];
  for (const e of shuffle(entries.filter((e) => !taken.has(e.id)), rng)) {
    const key = keyOf(e);
    const max = quotas.get(key)?.max ?? null;
    if (selected.length < canonical.seats && (max === null || seated.get(key)! < max)) {
      selected.push(e.id);
      seated.set(key, seated.get(key)! + 1);
    } else {
      waitlist.push(e.id);
    }
  }
  return { selected, waitlist };
}

/**
 * Independent of how the panel was chosen: does it fill the seats, respect every quota and leave everyone else on the
 * waitlist exactly once? Used by the verifier and the property tests.
 */
export function resultProblems(pool: readonly PoolEntry[], spec: DrawSpec, result: DrawResult): string[] {
  const problems: string[] = [];
  if (result.selected.length !== spec.seats) problems.push(`${result.selected.length} selected for ${spec.seats} seats`);
  const all = [...result.selected, ...result.waitlist];
  const ids = new Set(pool.map((e) => e.id));
  if (new Set(all).size !== all.length) problems.push('an applicant appears twice in the result');
  if (all.length !== ids.size || all.some((id) => !ids.has(id))) problems.push('the result does not list exactly the pool');
  const byId = new Map(pool.map((e) => [e.id, e]));
  for (const q of spec.quotas) {
    const key = stratumKey(q.stratum, spec.strata);
    const count = result.selected.filter((id) => byId.has(id) && stratumKey(byId.get(id)!.stratum, spec.strata) === key).length;
    const label = describeStratum(q.stratum, spec.strata);
    if (count < (q.min ?? 0)) problems.push(`${label}: ${count} selected, below its minimum ${q.min}`);
    if (q.max !== null && q.max !== undefined && count > q.max) problems.push(`${label}: ${count} selected, above its maximum ${q.max}`);
  }
  return problems;
}
