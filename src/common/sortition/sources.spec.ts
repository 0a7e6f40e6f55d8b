import { randomnessProblems } from './draw.js';
import { commitmentOf } from './randomness.js';
import { commitmentProblems, parseSource } from './sources.js';

const NOW = new Date('2027-01-12T17:00:00Z');
const LATER = '2027-01-12T18:00:00Z';
/** The quicknet round emitted at `iso`. */
const quicknetRound = (iso: string) => Math.floor((Date.parse(iso) / 1000 - 1692803367) / 3) + 1;

describe('named randomness sources', () => {
  it('gives a drand round its emission time from the chain genesis and period', () => {
    expect(parseSource('drand:quicknet:1')).toMatchObject({ kind: 'drand', at: new Date(1692803367_000) });
    expect(parseSource('drand:default:3')).toMatchObject({ kind: 'drand', at: new Date((1595431050 + 60) * 1000) });
  });

  it('knows only its own chains (not names an object inherits, which would pass as a beacon with no date)', () => {
    for (const chain of ['constructor', 'tostring', 'valueof', 'proto']) expect(parseSource(`drand:${chain}:1`)).toBeNull();
    expect(commitmentProblems({ description: 'x', parties: 1, commitments: ['drand:constructor:1'], availableAfter: new Date(Date.now() + 60_000).toISOString() }, new Date())).toHaveProperty(['randomness.commitments.0']);
  });

  it.each<[string, string, boolean]>([
    ['drand:quicknet:99', 'ab'.repeat(32), true],
    ['drand:quicknet:99', 'AB'.repeat(32), false],
    ['drand:quicknet:99', 'the value I like', false],
    ['meeting:4x99', '17 23 42 08', true],
    ['meeting:4x99', '17 23 42', false],
    ['meeting:4x99', '17 23 42 100', false],
    ['meeting:4x99', '17  23 42 8', false],
    [commitmentOf('alice: 7f1e'), 'alice: 7f1e', true],
    [commitmentOf('alice: 7f1e'), 'alice: 7f1f', false],
  ])('checks a value against %s: %j → %s', (ref, value, ok) => {
    const problems = randomnessProblems({ description: '', parties: 1, commitments: [ref], availableAfter: LATER }, [value]);
    expect(Object.keys(problems).length === 0).toBe(ok);
  });

  const spec = (commitments: string[], availableAfter: string | null = LATER) => ({ description: 'x', parties: commitments.length, commitments, availableAfter });
  it.each<[string, ReturnType<typeof spec>, string[]]>([
    ['a future drand round', spec([`drand:quicknet:${quicknetRound(LATER)}`]), []],
    ['a public meeting with a committed party', spec(['meeting:3x6', commitmentOf('bob')]), []],
    ['no availableAfter', spec(['meeting:3x6'], null), ['randomness.availableAfter']],
    ['availableAfter already passed', spec(['meeting:3x6'], '2027-01-12T16:00:00Z'), ['randomness.availableAfter']],
    ['a round already emitted', spec([`drand:quicknet:${quicknetRound('2027-01-12T16:00:00Z')}`]), ['randomness.commitments.0']],
    ['availableAfter before the round', spec([`drand:quicknet:${quicknetRound('2027-01-12T19:00:00Z')}`]), ['randomness.availableAfter']],
    ['only parties’ own values', spec([commitmentOf('alice')]), ['randomness.commitments']],
    ['a free-text source', spec(['loto du samedi']), ['randomness.commitments.0', 'randomness.commitments']],
    ['an unknown drand chain', spec(['drand:evmnet:5']), ['randomness.commitments.0', 'randomness.commitments']],
  ])('%s', (_, r, fields) => {
    expect(Object.keys(commitmentProblems(r, NOW)).sort()).toEqual([...fields].sort());
  });

  it('refuses a party count that does not match the sources', () => {
    expect(Object.keys(commitmentProblems({ ...spec(['meeting:3x6']), parties: 2 }, NOW))).toEqual(['randomness.commitments']);
  });
});
