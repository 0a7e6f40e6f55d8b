import { canonicalJson, compareUtf8, sha256Hex } from './canonical.js';
import { type DrawSpec, type PoolEntry, type Problems, type Quota, SORTITION_ALGORITHM, type Stratum } from './sortition.types.js';

export const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;
const MAX_ID_LENGTH = 64;
const MAX_VALUE_LENGTH = 100;

/** The stratum's identity: its values in the spec's attribute order, as canonical JSON. */
export function stratumKey(stratum: Stratum, strata: readonly string[]): string {
  return canonicalJson(strata.map((a) => stratum[a]));
}

export function describeStratum(stratum: Stratum, strata: readonly string[]): string {
  return strata.length ? strata.map((a) => `${a}=${stratum[a]}`).join(', ') : 'the whole pool';
}

/** Pool in canonical order (ids by UTF-8 bytes), each stratum reduced to the spec's attributes. */
export function canonicalPool(pool: readonly PoolEntry[], strata: readonly string[]): PoolEntry[] {
  return pool
    .map((e) => ({ id: e.id, stratum: Object.fromEntries(strata.map((a) => [a, e.stratum[a]])) }))
    .sort((a, b) => compareUtf8(a.id, b.id));
}

/** Quotas with defaults made explicit, in stratum-key order, so equal specs hash equally whatever order they came in. */
export function canonicalSpec(spec: DrawSpec): DrawSpec {
  const quotas: Quota[] = spec.quotas
    .map((q) => ({ stratum: Object.fromEntries(spec.strata.map((a) => [a, q.stratum[a]])), min: q.min ?? 0, max: q.max ?? null }))
    .sort((a, b) => compareUtf8(stratumKey(a.stratum, spec.strata), stratumKey(b.stratum, spec.strata)));
  return { algorithm: spec.algorithm, seats: spec.seats, strata: [...spec.strata], quotas };
}

/** H_pool = SHA-256 of the canonical pool's canonical JSON. */
export function poolHash(pool: readonly PoolEntry[], strata: readonly string[]): string {
  return sha256Hex(canonicalJson(canonicalPool(pool, strata)));
}

/** H_quotas = SHA-256 of the canonical spec (algorithm, seats, strata, quotas). */
export function quotasHash(spec: DrawSpec): string {
  return sha256Hex(canonicalJson(canonicalSpec(spec)));
}

function sameKeys(stratum: unknown, strata: readonly string[]): boolean {
  if (!stratum || typeof stratum !== 'object' || Array.isArray(stratum)) return false;
  const keys = Object.keys(stratum);
  return keys.length === strata.length && strata.every((a) => typeof (stratum as Stratum)[a] === 'string');
}

/**
 * Everything that makes a draw impossible or ambiguous, keyed by field path, checked before any randomness exists:
 * a short stratum is reported with how many seats it reserves and how many applicants it has.
 */
export function drawProblems(pool: readonly PoolEntry[], spec: DrawSpec): Problems {
  const problems: Problems = {};
  const add = (path: string, message: string) => (problems[path] ??= []).push(message);
  if (spec.algorithm !== SORTITION_ALGORITHM) add('algorithm', `algorithm must be ${SORTITION_ALGORITHM}`);
  if (!Number.isSafeInteger(spec.seats) || spec.seats < 1) add('seats', 'seats must be a whole number of at least 1');
  const seen = new Set<string>();
  spec.strata.forEach((a, i) => {
    if (!ATTRIBUTE_NAME.test(a)) add(`strata.${i}`, 'an attribute name is a letter followed by up to 39 letters, digits, _ or -');
    if (seen.has(a)) add(`strata.${i}`, `attribute ${a} is listed twice`);
    seen.add(a);
  });
  if (Object.keys(problems).length) return problems;

  const ids = new Set<string>();
  const groups = new Map<string, number>();
  pool.forEach((e, i) => {
    if (typeof e.id !== 'string' || e.id.length < 1 || e.id.length > MAX_ID_LENGTH) add(`pool.${i}.id`, `id must be 1-${MAX_ID_LENGTH} characters`);
    else if (ids.has(e.id)) add(`pool.${i}.id`, `id ${e.id} appears twice in the pool`);
    ids.add(e.id);
    if (!sameKeys(e.stratum, spec.strata)) add(`pool.${i}.stratum`, `stratum must give exactly the attributes ${spec.strata.join(', ') || '(none)'}`);
    else if (Object.values(e.stratum).some((v) => v.length < 1 || v.length > MAX_VALUE_LENGTH)) add(`pool.${i}.stratum`, `attribute values must be 1-${MAX_VALUE_LENGTH} characters`);
    else groups.set(stratumKey(e.stratum, spec.strata), (groups.get(stratumKey(e.stratum, spec.strata)) ?? 0) + 1);
  });
  if (pool.length === 0) add('pool', 'the pool is empty');

  const quotaKeys = new Set<string>();
  let reserved = 0;
  const maxByKey = new Map<string, number>();
  spec.quotas.forEach((q, i) => {
    if (!sameKeys(q.stratum, spec.strata)) return add(`quotas.${i}.stratum`, `stratum must give exactly the attributes ${spec.strata.join(', ') || '(none)'}`);
    const key = stratumKey(q.stratum, spec.strata);
    if (quotaKeys.has(key)) add(`quotas.${i}.stratum`, `${describeStratum(q.stratum, spec.strata)} has two quotas`);
    quotaKeys.add(key);
    const min = q.min ?? 0;
    const max = q.max ?? null;
    if (!Number.isSafeInteger(min) || min < 0) return add(`quotas.${i}.min`, 'min must be a whole number of at least 0');
    if (max !== null && (!Number.isSafeInteger(max) || max < min)) return add(`quotas.${i}.max`, 'max must be a whole number not below min');
    reserved += min;
    if (max !== null) maxByKey.set(key, max);
    const applicants = groups.get(key) ?? 0;
    if (applicants < min) {
      add(`quotas.${i}.min`, `stratum ${describeStratum(q.stratum, spec.strata)} is short: ${min} seats reserved but only ${applicants} applicants`);
    }
  });
  if (Object.keys(problems).length) return problems;

  if (reserved > spec.seats) add('quotas', `the quotas reserve ${reserved} seats, more than the ${spec.seats} seats to fill`);
  let capacity = 0;
  for (const [key, count] of groups) capacity += Math.min(count, maxByKey.get(key) ?? count);
  if (capacity < spec.seats) {
    add('seats', pool.length < spec.seats
      ? `the pool holds ${pool.length} applicants, fewer than the ${spec.seats} seats`
      : `only ${capacity} applicants can be seated within the quotas' maxima, fewer than the ${spec.seats} seats`);
  }
  return problems;
}
