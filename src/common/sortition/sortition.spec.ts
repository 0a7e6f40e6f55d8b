import fc from 'fast-check';
import { commitDraw, executeDraw, InfeasibleDraw, randomnessProblems } from './draw.js';
import { DrawRng, shuffle } from './draw-rng.js';
import { drawProblems, poolHash, quotasHash } from './pool.js';
import { combineRandomness, commitmentOf, deriveSeed } from './randomness.js';
import { resultProblems, selectPanel } from './select.js';
import { type DrawSpec, type PoolEntry, SORTITION_ALGORITHM } from './sortition.types.js';

/** A 256-bit value in lowercase hex, the form every seed has. */
const hex256 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex'));
const id = (n: number) => `M${String(n).padStart(8, '0')}`;
/** n applicants spread over the given age bands, round robin. */
function pool(n: number, bands = ['18-29', '30-59', '60+']): PoolEntry[] {
  return Array.from({ length: n }, (_, i) => ({ id: id(i + 1), stratum: { ageBand: bands[i % bands.length] } }));
}
function spec(overrides: Partial<DrawSpec> = {}): DrawSpec {
  return { algorithm: SORTITION_ALGORITHM, seats: 4, strata: ['ageBand'], quotas: [], ...overrides };
}

describe('pool and quota hashes', () => {
  it('do not depend on the order the pool or the quotas were given in', () => {
    const p = pool(9);
    expect(poolHash([...p].reverse(), ['ageBand'])).toBe(poolHash(p, ['ageBand']));
    const q = [{ stratum: { ageBand: '60+' }, min: 1, max: null }, { stratum: { ageBand: '18-29' }, min: 2, max: 3 }];
    expect(quotasHash(spec({ quotas: q }))).toBe(quotasHash(spec({ quotas: [...q].reverse() })));
  });

  it('change when any single pool entry changes (id or stratum)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), fc.boolean(), (index, changeId) => {
        const p = pool(9);
        const changed = p.map((e, i) => (i !== index ? e : changeId ? { ...e, id: `${e.id}X` } : { ...e, stratum: { ageBand: `${e.stratum.ageBand}!` } }));
        expect(poolHash(changed, ['ageBand'])).not.toBe(poolHash(p, ['ageBand']));
      }),
    );
  });

  it('change with the seats, a quota bound or the algorithm version', () => {
    const base = quotasHash(spec({ quotas: [{ stratum: { ageBand: '60+' }, min: 1, max: null }] }));
    expect(quotasHash(spec({ seats: 5, quotas: [{ stratum: { ageBand: '60+' }, min: 1, max: null }] }))).not.toBe(base);
    expect(quotasHash(spec({ quotas: [{ stratum: { ageBand: '60+' }, min: 1, max: 2 }] }))).not.toBe(base);
    expect(quotasHash(spec({ algorithm: 'ssa-sortition/2', quotas: [{ stratum: { ageBand: '60+' }, min: 1, max: null }] }))).not.toBe(base);
  });
});

describe('randomness and seed', () => {
  it('combines values as the sum of their SHA-256 modulo 2^256, whatever their order', () => {
    const a = BigInt(`0x${commitmentOf('drand round 4242: 9f3a')}`);
    const b = BigInt(`0x${commitmentOf('dés : 3 6 1 4')}`);
    expect(combineRandomness(['drand round 4242: 9f3a', 'dés : 3 6 1 4'])).toBe(((a + b) % (1n << 256n)).toString(16).padStart(64, '0'));
    expect(combineRandomness(['x', 'y'])).toBe(combineRandomness(['y', 'x']));
    expect(combineRandomness(['only'])).toBe(commitmentOf('only'));
  });

  it('checks revealed values against the commitments published in advance', () => {
    const r = { description: 'two parties', parties: 2, commitments: [commitmentOf('alpha'), commitmentOf('beta')], availableAfter: null };
    expect(randomnessProblems(r, ['alpha', 'beta'])).toEqual({});
    expect(Object.keys(randomnessProblems(r, ['alpha', 'gamma']))).toEqual(['values.1']);
    expect(Object.keys(randomnessProblems(r, ['alpha']))).toEqual(['values']);
  });

  it('derives the seed from the raw bytes of the three hashes', () => {
    const h = (c: string) => c.repeat(64);
    expect(deriveSeed(h('a'), h('b'), h('c'))).toMatch(/^[0-9a-f]{64}$/);
    expect(deriveSeed(h('a'), h('b'), h('c'))).not.toBe(deriveSeed(h('a'), h('b'), h('d')));
    expect(() => deriveSeed('zz', h('b'), h('c'))).toThrow(RangeError);
  });
});

describe('generator', () => {
  it('is a pure function of the seed', () => {
    const seq = (seed: string) => {
      const rng = new DrawRng(seed);
      return Array.from({ length: 20 }, () => rng.below(1000));
    };
    expect(seq('1'.repeat(64))).toEqual(seq('1'.repeat(64)));
    expect(seq('1'.repeat(64))).not.toEqual(seq('2'.repeat(64)));
  });

  it('stays below n, and shuffles into a permutation', () => {
    fc.assert(
      fc.property(hex256, fc.integer({ min: 1, max: 50 }), (seed, n) => {
        const rng = new DrawRng(seed);
        for (let i = 0; i < 20; i++) expect(rng.below(n)).toBeLessThan(n);
        const items = Array.from({ length: n }, (_, i) => i);
        expect([...shuffle(items, rng)].sort((a, b) => a - b)).toEqual(items);
      }),
    );
  });
});

describe('feasibility (explains what is short)', () => {
  it.each<[string, PoolEntry[], Partial<DrawSpec>, Record<string, RegExp>]>([
    ['empty pool', [], {}, { pool: /empty/ }],
    ['pool smaller than the seats', pool(3), { seats: 4 }, { seats: /3 applicants, fewer than the 4 seats/ }],
    ['a short stratum', pool(9), { quotas: [{ stratum: { ageBand: '60+' }, min: 4, max: null }] }, { 'quotas.0.min': /ageBand=60\+ is short: 4 seats reserved but only 3 applicants/ }],
    ['a quota for a stratum nobody is in', pool(9), { quotas: [{ stratum: { ageBand: '90+' }, min: 1, max: null }] }, { 'quotas.0.min': /ageBand=90\+ is short: 1 seats reserved but only 0/ }],
    [
      'quotas reserving more than the seats',
      pool(9),
      { quotas: [{ stratum: { ageBand: '60+' }, min: 3, max: null }, { stratum: { ageBand: '18-29' }, min: 2, max: null }] },
      { quotas: /reserve 5 seats, more than the 4/ },
    ],
    [
      'maxima leaving too few seatable applicants',
      pool(9),
      { quotas: ['18-29', '30-59', '60+'].map((b) => ({ stratum: { ageBand: b }, min: 0, max: 1 })) },
      { seats: /only 3 applicants can be seated/ },
    ],
    ['max below min', pool(9), { quotas: [{ stratum: { ageBand: '60+' }, min: 2, max: 1 }] }, { 'quotas.0.max': /not below min/ }],
    ['duplicate quota', pool(9), { quotas: [{ stratum: { ageBand: '60+' }, min: 0, max: null }, { stratum: { ageBand: '60+' }, min: 1, max: null }] }, { 'quotas.1.stratum': /two quotas/ }],
    ['a quota missing an attribute', pool(9), { quotas: [{ stratum: {}, min: 1, max: null }] }, { 'quotas.0.stratum': /exactly the attributes ageBand/ }],
    ['a pool entry missing the attribute', [...pool(4), { id: 'M99', stratum: {} }], {}, { 'pool.4.stratum': /exactly the attributes/ }],
    ['a duplicate id', [...pool(4), { id: id(1), stratum: { ageBand: '60+' } }], {}, { 'pool.4.id': /twice/ }],
    ['a bad attribute name', pool(4), { strata: ['age band'] }, { 'strata.0': /attribute name/ }],
  ])('refuses %s', (_name, p, overrides, expected) => {
    const problems = drawProblems(p, spec(overrides));
    expect(Object.keys(problems).sort()).toEqual(Object.keys(expected).sort());
    for (const [path, pattern] of Object.entries(expected)) expect(problems[path].join(' ')).toMatch(pattern);
    expect(() => commitDraw(p, spec(overrides))).toThrow(InfeasibleDraw);
  });

  it('accepts a plain draw without strata or quotas', () => {
    expect(drawProblems(pool(5).map((e) => ({ id: e.id, stratum: {} })), spec({ strata: [], seats: 5 }))).toEqual({});
  });
});

describe('selection', () => {
  const seeds = ['a', 'b', 'c', 'd'].map((c) => c.repeat(64));

  it.each<[string, Partial<DrawSpec>, Record<string, [number, number]>]>([
    ['no quotas', {}, {}],
    ['a reserved stratum', { quotas: [{ stratum: { ageBand: '60+' }, min: 3, max: null }] }, { '60+': [3, 4] }],
    ['exact quotas (min = max)', { seats: 6, quotas: ['18-29', '30-59', '60+'].map((b) => ({ stratum: { ageBand: b }, min: 2, max: 2 })) }, { '18-29': [2, 2], '30-59': [2, 2], '60+': [2, 2] }],
    ['a capped stratum', { quotas: [{ stratum: { ageBand: '18-29' }, min: 0, max: 0 }] }, { '18-29': [0, 0] }],
  ])('meets the quotas: %s', (_name, overrides, bounds) => {
    const p = pool(12);
    for (const seed of seeds) {
      const s = spec(overrides);
      const result = selectPanel(p, s, seed);
      expect(resultProblems(p, s, result)).toEqual([]);
      for (const [band, [lo, hi]] of Object.entries(bounds)) {
        const count = result.selected.filter((x) => p.find((e) => e.id === x)!.stratum.ageBand === band).length;
        expect(count).toBeGreaterThanOrEqual(lo);
        expect(count).toBeLessThanOrEqual(hi);
      }
    }
  });

  it('same inputs and same randomness give the same panel and waitlist; other randomness another one', () => {
    const committed = commitDraw(pool(30), spec({ seats: 10 }));
    const a = executeDraw(committed, ['public meeting 2027-01-12: 4 1 6 6 2']);
    const b = executeDraw(commitDraw([...pool(30)].reverse(), spec({ seats: 10 })), ['public meeting 2027-01-12: 4 1 6 6 2']);
    expect(b).toEqual(a);
    expect(executeDraw(committed, ['public meeting 2027-01-12: 4 1 6 6 3']).result).not.toEqual(a.result);
  });

  it('holds for random pools and quotas: seats filled, quotas met, everyone listed once, deterministic', () => {
    const arb = fc.record({
      sizes: fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 4 }),
      mins: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 4, maxLength: 4 }),
      maxExtra: fc.array(fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }), { minLength: 4, maxLength: 4 }),
      seats: fc.integer({ min: 1, max: 20 }),
      seed: hex256,
    });
    let ran = 0;
    fc.assert(
      fc.property(arb, ({ sizes, mins, maxExtra, seats, seed }) => {
        let n = 0;
        const p: PoolEntry[] = sizes.flatMap((size, s) => Array.from({ length: size }, () => ({ id: id(++n), stratum: { band: `b${s}` } })));
        const quotas = sizes.map((size, s) => ({ stratum: { band: `b${s}` }, min: Math.min(mins[s], size), max: maxExtra[s] === null ? null : Math.min(mins[s], size) + maxExtra[s]! }));
        const s: DrawSpec = { algorithm: SORTITION_ALGORITHM, seats, strata: ['band'], quotas };
        fc.pre(Object.keys(drawProblems(p, s)).length === 0);
        ran++;
        const result = selectPanel(p, s, seed);
        expect(resultProblems(p, s, result)).toEqual([]);
        expect(selectPanel([...p].reverse(), s, seed)).toEqual(result);
      }),
      { numRuns: 300 },
    );
    expect(ran).toBeGreaterThan(50);
  });
});
