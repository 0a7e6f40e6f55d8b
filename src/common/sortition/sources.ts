import type { Problems, RandomnessSpec } from './sortition.types.js';

/**
 * Named randomness sources. Each entry of `RandomnessSpec.commitments` fixes, before the pool's draw, what its value
 * will be checked against:
 * - `<64 hex>`: commit-then-reveal, the SHA-256 of the value a party will reveal;
 * - `drand:<chain>:<round>`: a drand beacon round; its value is the round's `randomness`, 32 bytes in lowercase hex,
 *   that anyone can fetch from any drand relay (…/public/<round>) to check the published draw;
 * - `meeting:<count>x<max>`: numbers drawn in a public meeting, `count` integers from 1 to `max`, space separated.
 * Any other string is refused, so the value of a named source cannot be a free text chosen after the fact.
 */
export const DRAND_CHAINS: Record<string, { genesis: number; period: number; hash: string }> = {
  quicknet: { genesis: 1692803367, period: 3, hash: '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971' },
  default: { genesis: 1595431050, period: 30, hash: '8990e7a9aaed2ffed73dbd7092123d6f289930540d7651336225dc172e51b2ce' },
};

export type Source =
  | { kind: 'commit'; sha256: string }
  | { kind: 'drand'; chain: string; round: number; at: Date }
  | { kind: 'meeting'; count: number; max: number };

const HEX64 = /^[0-9a-f]{64}$/;

export function parseSource(ref: string): Source | null {
  if (HEX64.test(ref)) return { kind: 'commit', sha256: ref };
  const d = /^drand:([a-z]+):([1-9]\d{0,11})$/.exec(ref);
  // Own keys only: `drand:constructor:1` must not find Object.prototype and pass as a beacon with no date.
  if (d && Object.hasOwn(DRAND_CHAINS, d[1])) {
    const { genesis, period } = DRAND_CHAINS[d[1]];
    const round = Number(d[2]);
    return { kind: 'drand', chain: d[1], round, at: new Date((genesis + (round - 1) * period) * 1000) };
  }
  const m = /^meeting:([1-9]\d?)x([1-9]\d{0,5})$/.exec(ref);
  if (m && Number(m[2]) >= 2) return { kind: 'meeting', count: Number(m[1]), max: Number(m[2]) };
  return null;
}

/** Why `value` cannot be the value of the named, non-commitment source (null when its format fits). */
export function valueFormatProblem(source: Exclude<Source, { kind: 'commit' }>, value: string): string | null {
  if (source.kind === 'drand') return HEX64.test(value) ? null : `drand ${source.chain} round ${source.round} gives its randomness as 64 lowercase hex digits`;
  const numbers = value.split(' ');
  const ok = numbers.length === source.count && numbers.every((n) => /^\d{1,6}$/.test(n) && Number(n) >= 1 && Number(n) <= source.max);
  return ok ? null : `the meeting draws ${source.count} whole number(s) from 1 to ${source.max}, separated by single spaces`;
}

/**
 * What a draw must name before it is committed, so that nobody (an admin included) can try values until a panel
 * suits them: one reference per party, at least one public source no party controls (a beacon round or a public
 * meeting), and `availableAfter` in the future, not before any named beacon round exists.
 */
export function commitmentProblems(r: RandomnessSpec, now: Date): Problems {
  const problems: Problems = {};
  const add = (field: string, message: string) => (problems[field] ??= []).push(message);
  if (r.commitments.length !== r.parties) add('randomness.commitments', `name one source per party (${r.parties})`);
  const after = r.availableAfter ? new Date(r.availableAfter) : null;
  if (!after || Number.isNaN(after.getTime())) add('randomness.availableAfter', 'say when the randomness will exist (ISO 8601)');
  else if (after <= now) add('randomness.availableAfter', 'must be in the future: a value that already exists could have been chosen');
  const sources = r.commitments.map(parseSource);
  sources.forEach((s, i) => {
    if (!s) add(`randomness.commitments.${i}`, 'a SHA-256 commitment (64 lowercase hex), drand:<quicknet|default>:<round> or meeting:<count>x<max>');
    else if (s.kind === 'drand' && s.at <= now) add(`randomness.commitments.${i}`, `drand ${s.chain} round ${s.round} was emitted at ${s.at.toISOString()}: name a future round`);
    else if (s.kind === 'drand' && after && after < s.at) add('randomness.availableAfter', `must not be before drand round ${s.round} (${s.at.toISOString()})`);
  });
  if (sources.every((s) => !s || s.kind === 'commit')) add('randomness.commitments', 'include a public source no party controls (a drand round or a public meeting draw)');
  return problems;
}
