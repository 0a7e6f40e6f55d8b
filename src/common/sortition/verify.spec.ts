import { commitDraw, executeDraw } from './draw.js';
import { commitmentOf } from './randomness.js';
import { type PublishedDraw, SORTITION_ALGORITHM } from './sortition.types.js';
import { verifyPublishedDraw } from './verify.js';

function published(): PublishedDraw {
  const pool = Array.from({ length: 12 }, (_, i) => ({ id: `M${String(i + 1).padStart(8, '0')}`, stratum: { commune: i % 3 ? '34172' : '34057', ageBand: i % 2 ? '30-59' : '60+' } }));
  const committed = commitDraw(pool, {
    algorithm: SORTITION_ALGORITHM,
    seats: 5,
    strata: ['commune', 'ageBand'],
    quotas: [{ stratum: { commune: '34057', ageBand: '60+' }, min: 2, max: null }],
  });
  const values = ['alice: 7f1e', 'bob: 0c22'];
  const executed = executeDraw(committed, values);
  return {
    format: 'ssa-sortition-draw',
    algorithm: SORTITION_ALGORITHM,
    drawId: 'test',
    spec: committed.spec,
    pool: committed.pool,
    poolHash: committed.poolHash,
    quotasHash: committed.quotasHash,
    randomness: { description: 'two parties, commit then reveal', parties: 2, commitments: values.map(commitmentOf), availableAfter: null, values, combined: executed.combined },
    seed: executed.seed,
    result: executed.result,
  };
}

const failed = (doc: unknown) =>
  verifyPublishedDraw(doc)
    .checks.filter((c) => !c.ok)
    .map((c) => c.name);

describe('verifyPublishedDraw', () => {
  it('reproduces an honest draw, also after a JSON round trip', () => {
    const report = verifyPublishedDraw(JSON.parse(JSON.stringify(published())));
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.reproduced).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining(['pool hash', 'quotas hash', 'randomness values', 'combined randomness', 'seed', 'panel', 'waitlist', 'quotas met']),
    );
  });

  it.each<[string, (d: PublishedDraw) => void, string[]]>([
    ['an applicant slipped into the pool afterwards', (d) => d.pool.push({ id: 'M99999999', stratum: { commune: '34172', ageBand: '60+' } }), ['pool hash']],
    ['a stratum changed afterwards', (d) => (d.pool[0].stratum.ageBand = '30-59'), ['pool hash']],
    ['a quota changed afterwards', (d) => (d.spec.quotas[0].min = 1), ['quotas hash']],
    ['a revealed value that does not match its commitment', (d) => (d.randomness.values![1] = 'bob: 0c23'), ['randomness values', 'combined randomness', 'seed']],
    ['a different seed', (d) => (d.seed = 'f'.repeat(64)), ['seed']],
    ['two panel members swapped with the waitlist', (d) => ([d.result!.selected[0], d.result!.waitlist[0]] = [d.result!.waitlist[0], d.result!.selected[0]]), ['panel', 'waitlist']],
    ['the waitlist reordered', (d) => d.result!.waitlist.reverse(), ['waitlist']],
  ])('refuses %s', (_name, tamper, expected) => {
    const doc = published();
    tamper(doc);
    const report = verifyPublishedDraw(doc);
    expect(report.reproduced).toBe(false);
    expect(failed(doc)).toEqual(expect.arrayContaining(expected));
  });

  it('says there is nothing to reproduce before the randomness is revealed', () => {
    const doc = { ...published(), seed: null, result: null, randomness: { ...published().randomness, values: null, combined: null } };
    const report = verifyPublishedDraw(doc);
    expect(report.reproduced).toBe(false);
    expect(report.checks.find((c) => c.name === 'pool hash')?.ok).toBe(true);
    expect(report.checks.find((c) => c.name === 'randomness')?.detail).toMatch(/not been revealed/);
  });

  it.each([['not an object', 42], ['no pool', { ...published(), pool: undefined }], ['a malformed result', { ...published(), result: { selected: 'M1' } }]])(
    'reports a malformed document (%s) instead of throwing',
    (_name, doc) => {
      const report = verifyPublishedDraw(doc);
      expect(report.reproduced).toBe(false);
      expect(report.checks[0]).toMatchObject({ name: 'format', ok: false });
    },
  );
});
