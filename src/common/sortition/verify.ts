import { canonicalJson } from './canonical.js';
import { randomnessProblems } from './draw.js';
import { canonicalPool, canonicalSpec, drawProblems, poolHash, quotasHash } from './pool.js';
import { combineRandomness, deriveSeed } from './randomness.js';
import { resultProblems, selectPanel } from './select.js';
import { type PublishedDraw, SORTITION_ALGORITHM } from './sortition.types.js';

export interface VerifyCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface DrawVerification {
  /** True only when every check passed and the published panel and waitlist were recomputed identically. */
  reproduced: boolean;
  checks: VerifyCheck[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return Boolean(v) && typeof v === 'object' && !Array.isArray(v);
}

/** The fields the procedure needs, with their types; anything else in the document is informative only. */
function shapeProblems(doc: unknown): string[] {
  if (!isObject(doc)) return ['the document is not a JSON object'];
  const out: string[] = [];
  const spec = doc.spec;
  if (!isObject(spec) || !Number.isSafeInteger(spec.seats) || !Array.isArray(spec.strata) || !Array.isArray(spec.quotas)) out.push('spec must hold seats, strata and quotas');
  if (!Array.isArray(doc.pool) || doc.pool.some((e) => !isObject(e) || typeof e.id !== 'string' || !isObject(e.stratum))) out.push('pool must be a list of {id, stratum}');
  if (typeof doc.poolHash !== 'string' || typeof doc.quotasHash !== 'string') out.push('poolHash and quotasHash must be strings');
  const r = doc.randomness;
  if (!isObject(r) || !Number.isSafeInteger(r.parties) || !Array.isArray(r.commitments)) out.push('randomness must hold parties and commitments');
  else if (r.values !== null && r.values !== undefined && (!Array.isArray(r.values) || r.values.some((v) => typeof v !== 'string'))) out.push('randomness.values must be a list of strings');
  const res = doc.result;
  if (res !== null && res !== undefined && (!isObject(res) || !Array.isArray(res.selected) || !Array.isArray(res.waitlist))) out.push('result must hold selected and waitlist');
  return out;
}

/**
 * Re-runs a published draw from its JSON alone (no database): pool and quota hashes, commitments, combined
 * randomness, seed, then the selection, compared entry by entry with the published panel and waitlist.
 */
export function verifyPublishedDraw(input: unknown): DrawVerification {
  const checks: VerifyCheck[] = [];
  const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  const shape = shapeProblems(input);
  if (shape.length) {
    check('format', false, shape.join('; '));
    return { reproduced: false, checks };
  }
  const doc = input as unknown as PublishedDraw;
  check('algorithm', doc.algorithm === SORTITION_ALGORITHM && doc.spec.algorithm === SORTITION_ALGORITHM, `${doc.algorithm} (this verifier runs ${SORTITION_ALGORITHM})`);
  const spec = canonicalSpec(doc.spec);

  const canonical = canonicalPool(doc.pool, spec.strata);
  const inOrder = canonicalJson(canonical) === canonicalJson(doc.pool);
  const recomputedPool = poolHash(doc.pool, spec.strata);
  check('pool hash', recomputedPool === doc.poolHash, `${doc.pool.length} applicants${inOrder ? '' : ' (not published in canonical order)'}, SHA-256 ${recomputedPool}`);
  const recomputedQuotas = quotasHash(spec);
  check('quotas hash', recomputedQuotas === doc.quotasHash, `${spec.seats} seats, strata [${spec.strata.join(', ')}], ${spec.quotas.length} quota(s), SHA-256 ${recomputedQuotas}`);
  const feasible = drawProblems(doc.pool, spec);
  check('quotas feasible', Object.keys(feasible).length === 0, Object.values(feasible).flat().join('; ') || 'every quota can be met');

  const values = doc.randomness.values ?? null;
  if (!values || !doc.result || !doc.seed) {
    check('randomness', false, 'the randomness has not been revealed yet: nothing to reproduce');
    return { reproduced: false, checks };
  }
  const reveal = randomnessProblems({ ...doc.randomness, commitments: doc.randomness.commitments ?? [] }, values);
  check('randomness values', Object.keys(reveal).length === 0, Object.values(reveal).flat().join('; ') || `${values.length} value(s)${doc.randomness.commitments?.length ? ', each matching its commitment' : ''}`);
  const combined = combineRandomness(values);
  check('combined randomness', combined === doc.randomness.combined, combined);
  const seed = deriveSeed(recomputedPool, recomputedQuotas, combined);
  check('seed', seed === doc.seed, seed);
  if (checks.some((c) => !c.ok)) return { reproduced: false, checks };

  const result = selectPanel(doc.pool, spec, seed);
  const samePanel = canonicalJson(result.selected) === canonicalJson(doc.result.selected);
  const sameWaitlist = canonicalJson(result.waitlist) === canonicalJson(doc.result.waitlist);
  check('panel', samePanel, samePanel ? `${result.selected.length} selected, identical and in the same order` : `recomputed ${result.selected.join(' ')}`);
  check('waitlist', sameWaitlist, sameWaitlist ? `${result.waitlist.length} on the waitlist, identical and in the same order` : `recomputed ${result.waitlist.join(' ')}`);
  const quotaIssues = resultProblems(doc.pool, spec, doc.result);
  check('quotas met', quotaIssues.length === 0, quotaIssues.join('; ') || 'every quota is met by the published panel');
  return { reproduced: checks.every((c) => c.ok), checks };
}
