import { commitDraw, executeDraw } from './draw.js';
import { type PoolEntry, SORTITION_ALGORITHM } from './sortition.types.js';

/**
 * Sanity of the distribution over 10,000 simulated draws (fixed randomness values, so the test is deterministic):
 * applicants of one stratum are selected equally often, at the rate the quotas imply.
 *   A: 6 applicants, exactly 2 seats (min = max)      → 2/6 = 1/3
 *   B: 9 applicants, 3 reserved, no maximum          → 3/9 + 6/9 · 3/11 = 17/33
 *   C: 5 applicants, no reservation                  → 3/11
 * (8 seats: 2 + 3 reserved, the 3 open seats go to the 11 unreserved applicants of B and C, each equally likely.)
 */
const DRAWS = 10_000;
const STRATA: [string, number, number][] = [
  ['A', 6, 1 / 3],
  ['B', 9, 17 / 33],
  ['C', 5, 3 / 11],
];

describe('distribution of 10,000 simulated draws', () => {
  let n = 0;
  const pool: PoolEntry[] = STRATA.flatMap(([stratum, size]) => Array.from({ length: size }, () => ({ id: `M${String(++n).padStart(8, '0')}`, stratum: { group: stratum } })));
  const committed = commitDraw(pool, {
    algorithm: SORTITION_ALGORITHM,
    seats: 8,
    strata: ['group'],
    quotas: [
      { stratum: { group: 'A' }, min: 2, max: 2 },
      { stratum: { group: 'B' }, min: 3, max: null },
    ],
  });
  const selectedCount = new Map(pool.map((e) => [e.id, 0]));
  const firstOnWaitlist = new Map(pool.map((e) => [e.id, 0]));
  for (let i = 0; i < DRAWS; i++) {
    const { result } = executeDraw(committed, [`simulation ${i}`]);
    for (const id of result.selected) selectedCount.set(id, selectedCount.get(id)! + 1);
    firstOnWaitlist.set(result.waitlist[0], firstOnWaitlist.get(result.waitlist[0])! + 1);
  }

  it.each(STRATA)('gives every applicant of stratum %s (%i applicants) the same frequency, the one the quotas imply', (stratum, _size, expected) => {
    const members = pool.filter((e) => e.stratum.group === stratum);
    const frequencies = members.map((e) => selectedCount.get(e.id)! / DRAWS);
    // 4.5 standard errors of a binomial frequency over 10,000 draws: wide enough for chance, far too narrow for a bias.
    const tolerance = 4.5 * Math.sqrt((expected * (1 - expected)) / DRAWS);
    for (const f of frequencies) expect(Math.abs(f - expected)).toBeLessThan(tolerance);
    const mean = frequencies.reduce((a, b) => a + b, 0) / frequencies.length;
    expect(Math.abs(mean - expected)).toBeLessThan(tolerance / Math.sqrt(frequencies.length) + 1e-9);
  });

  it('never seats more than the maximum of a capped stratum, and fills every seat', () => {
    const total = [...selectedCount.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(8 * DRAWS);
    const a = pool.filter((e) => e.stratum.group === 'A').reduce((s, e) => s + selectedCount.get(e.id)!, 0);
    expect(a).toBe(2 * DRAWS);
  });

  it('puts each applicant of a stratum at the head of the waitlist equally often', () => {
    // The waitlist starts with the first not-seated applicant of the open shuffle; A's unseated applicants enter it too.
    const counts = pool.map((e) => firstOnWaitlist.get(e.id)!);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(DRAWS);
    for (const stratum of ['A', 'B', 'C']) {
      const c = pool.filter((e) => e.stratum.group === stratum).map((e) => firstOnWaitlist.get(e.id)!);
      const mean = c.reduce((a, b) => a + b, 0) / c.length;
      for (const x of c) expect(Math.abs(x - mean)).toBeLessThan(5 * Math.sqrt(mean) + 5);
    }
  });
});
