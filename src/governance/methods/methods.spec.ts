import { tallyApproval } from './approval.js';
import { tallyConsent } from './consent.js';
import { compareProfiles, gradeSequence, majorityGrade, meetsThreshold, rankOptions } from './majority-judgment.js';
import type { BallotContent, MethodSpec } from './method.types.js';
import { quorumMet, type QuorumRule } from './quorum.js';
import { tally } from './tally.js';
import { absoluteMajority, qualifiedMajority, simpleMajority, type VoteCounts } from './votes.js';

const v = (f: number, a: number, s = 0): VoteCounts => ({ for: f, against: a, abstain: s });

describe('quorum', () => {
  const half: QuorumRule = { kind: 'half' };
  it.each<[string, QuorumRule, number, number, boolean]>([
    ['half: 5 of 9', half, 5, 9, true],
    ['half: 4 of 9 misses', half, 4, 9, false],
    ['half: exactly half of 10 misses (strictly more)', half, 5, 10, false],
    ['half: 6 of 10', half, 6, 10, true],
    ['no electorate is never a quorum', half, 0, 0, false],
    ['40 %: ceil(0.4·7) = 3 of 7', { kind: 'percent', percent: 40 }, 3, 7, true],
    ['40 %: 2 of 7 misses', { kind: 'percent', percent: 40 }, 2, 7, false],
    ['33 %: ceil(0.33·3) = 1 of 3', { kind: 'percent', percent: 33 }, 1, 3, true],
    ['100 %: everybody', { kind: 'percent', percent: 100 }, 9, 9, true],
    ['100 %: one missing', { kind: 'percent', percent: 100 }, 8, 9, false],
  ])('%s', (_, rule, p, e, met) => expect(quorumMet(rule, p, e)).toBe(met));
});

describe('majorities (integer rules)', () => {
  it.each<[string, VoteCounts, boolean]>([
    ['F > A', v(5, 4, 3), true],
    ['tie keeps the status quo', v(4, 4, 1), false],
    ['abstentions excluded', v(2, 1, 10), true],
    ['nobody voted', v(0, 0, 0), false],
  ])('simple majority: %s', (_, c, pass) => expect(simpleMajority(c)).toBe(pass));

  it.each<[string, VoteCounts, number, boolean]>([
    ['6 of 11', v(6, 0), 11, true],
    ['5 of 10 is only half', v(5, 0, 5), 10, false],
    ['6 of 10', v(6, 4), 10, true],
    ['majority of cast but not of members', v(4, 1), 10, false],
  ])('absolute majority: %s', (_, c, e, pass) => expect(absoluteMajority(c, e)).toBe(pass));

  it.each<[string, VoteCounts, number, number, 'cast' | 'members', number, boolean]>([
    ['2/3 of cast: 10 for 5 against is exactly 2/3', v(10, 5), 2, 3, 'cast', 30, true],
    ['2/3 of cast: 9 for 5 against', v(9, 5), 2, 3, 'cast', 30, false],
    ['2/3 of cast ignores abstentions', v(2, 1, 20), 2, 3, 'cast', 30, true],
    ['2/3 of members: 20 of 30', v(20, 0), 2, 3, 'members', 30, true],
    ['2/3 of members: 19 of 30', v(19, 0), 2, 3, 'members', 30, false],
    ['3/5 of cast: 3 for 2 against', v(3, 2), 3, 5, 'cast', 9, true],
    ['no vote cast never adopts', v(0, 0, 4), 2, 3, 'cast', 9, false],
  ])('qualified: %s', (_, c, a, b, basis, e, pass) => expect(qualifiedMajority(c, { a, b, basis }, e)).toBe(pass));
});

describe('consent', () => {
  const ballots = [
    { ref: 'm1', position: 'consent' as const },
    { ref: 'm2', position: 'objection' as const, reason: 'Prix non transparents' },
    { ref: 'm3', position: 'stand-aside' as const },
  ];
  it('a standing objection blocks', () => expect(tallyConsent(ballots, [], true)).toMatchObject({ adopted: false, standing: 1, objection: 1, standAside: 1 }));
  it('an objection ruled non-paramount no longer blocks', () =>
    expect(tallyConsent(ballots, [{ ref: 'm2', reason: 'Hors du mandat du comité' }], true)).toMatchObject({ adopted: true, standing: 0, ruledNonParamount: 1 }));
  it('without quorum nothing is adopted', () => expect(tallyConsent([ballots[0]], [], false).adopted).toBe(false));
  it('stand-asides alone do not block', () => expect(tallyConsent([ballots[2], ballots[0]], [], true).adopted).toBe(true));
});

describe('approval', () => {
  it.each<[string, string[][], number, boolean[]]>([
    ['θ = 50: 2 of 4 passes exactly', [['a'], ['a', 'b'], [], ['b']], 50, [true, true]],
    ['θ = 60: 2 of 4 misses', [['a'], ['a', 'b'], [], ['b']], 60, [false, false]],
    ['θ = 67: 2 of 3 misses (200 < 201)', [['a'], ['a'], ['b']], 67, [false, false]],
    ['θ = 66: 2 of 3 passes', [['a'], ['a'], ['b']], 66, [true, false]],
    ['no participant, no pass', [], 0, [false, false]],
  ])('%s', (_, ballots, theta, passes) => expect(tallyApproval(['a', 'b'], ballots, theta).map((r) => r.passes)).toEqual(passes));
});

describe('majority judgment', () => {
  it.each<[string, number[], number | undefined]>([
    ['odd n: the median', [0, 1, 1, 1, 0], 2],
    ['even n: lower median (k = n/2)', [0, 2, 0, 2], 1],
    ['even n = 2', [1, 0, 0, 1], 0],
    ['n = 1', [0, 0, 1], 2],
    ['no judgment', [0, 0, 0], undefined],
    ['vector A (n = 18)', [4, 5, 2, 1, 3, 1, 2], 1],
    ['vector B (n = 18)', [3, 6, 2, 1, 3, 1, 2], 1],
  ])('majority grade: %s', (_, profile, grade) => expect(majorityGrade(profile)).toBe(grade));

  it('governance.md vector: B ranks above A although both have majority grade g1', () => {
    const A = [4, 5, 2, 1, 3, 1, 2];
    const B = [3, 6, 2, 1, 3, 1, 2];
    expect(compareProfiles(B, A)).toBeGreaterThan(0);
    expect(compareProfiles(A, B)).toBeLessThan(0);
    expect(rankOptions({ A, B }, 'seed').map((r) => r.option)).toEqual(['B', 'A']);
  });

  it('governance.md vector: P2 first, P3 second, P1 third', () => {
    const ranking = rankOptions({ P1: [2, 3, 0, 3], P2: [2, 0, 4, 2], P3: [2, 1, 3, 2] }, 'seed');
    expect(ranking.map((r) => [r.option, r.rank, r.majorityGrade])).toEqual([['P2', 1, 2], ['P3', 2, 2], ['P1', 3, 1]]);
    expect(ranking.every((r) => !r.tieBrokenByDraw)).toBe(true);
  });

  it('the sequence removes one judgment at the current majority grade each time', () => {
    expect(gradeSequence([2, 0, 4, 2])).toEqual([2, 2, 2, 2, 0, 3, 0, 3]);
    expect(gradeSequence([1, 1])).toEqual([0, 1]);
  });

  it('a true tie is broken by the seeded draw, the same for the same seed, and flagged', () => {
    const profiles = { X: [1, 2, 1], Y: [1, 2, 1] };
    const first = rankOptions(profiles, 'public-seed');
    expect(rankOptions(profiles, 'public-seed')).toEqual(first);
    expect(first.every((r) => r.tieBrokenByDraw)).toBe(true);
    const orders = new Set(['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8'].map((s) => rankOptions(profiles, s)[0].option));
    expect(orders).toEqual(new Set(['X', 'Y']));
  });

  it.each<[string, number[], number, boolean]>([
    ['majority grade at the threshold', [0, 1, 0, 2, 0], 3, true],
    ['below the threshold (lower median of 4)', [0, 2, 0, 2, 0], 3, false],
    ['above the threshold', [0, 0, 0, 0, 3], 3, true],
  ])('single-outlet rule: %s', (_, profile, threshold, ok) => expect(meetsThreshold(profile, threshold)).toBe(ok));
});

describe('tally (quorum + method)', () => {
  const half: QuorumRule = { kind: 'half' };
  const votes = (...choices: ('for' | 'against' | 'abstain')[]) => choices.map((choice, i) => ({ ref: `m${i}`, content: { choice } as BallotContent }));
  const run = (method: MethodSpec, electorate: number, ballots: { ref: string; content: BallotContent }[], extra = {}) =>
    tally({ method, quorum: half, electorate, ballots, seed: 's', ...extra });

  it.each<[string, MethodSpec, number, ReturnType<typeof votes>, string]>([
    ['simple: adopted', { kind: 'simple-majority' }, 5, votes('for', 'for', 'against'), 'adopted'],
    ['simple: tie rejected', { kind: 'simple-majority' }, 5, votes('for', 'against', 'abstain'), 'rejected'],
    ['simple: quorum missed', { kind: 'simple-majority' }, 7, votes('for', 'for', 'for'), 'no-decision'],
    ['absolute: 3 of 5', { kind: 'absolute-majority' }, 5, votes('for', 'for', 'for'), 'adopted'],
    ['absolute: 2 of 4 rejected', { kind: 'absolute-majority' }, 4, votes('for', 'for', 'abstain'), 'rejected'],
    ['a recusal shrinks E: 3 of 6 would miss quorum, 3 of 5 makes it', { kind: 'simple-majority' }, 5, votes('for', 'for', 'against'), 'adopted'],
    ['2/3 cast: 2 for 1 against', { kind: 'qualified-majority', a: 2, b: 3, basis: 'cast' }, 4, votes('for', 'for', 'against'), 'adopted'],
    ['2/3 members: 2 of 4', { kind: 'qualified-majority', a: 2, b: 3, basis: 'members' }, 4, votes('for', 'for', 'against'), 'rejected'],
  ])('%s', (_, method, e, ballots, out) => expect(run(method, e, ballots).outcome).toBe(out));

  it('consensus: reached with quorum, not reached, and too few present', () => {
    expect(run({ kind: 'consensus' }, 9, [], { consensus: { present: 6, reached: true } })).toMatchObject({ outcome: 'adopted', participants: 6 });
    expect(run({ kind: 'consensus' }, 9, [], { consensus: { present: 6, reached: false } }).outcome).toBe('rejected');
    expect(run({ kind: 'consensus' }, 9, [], { consensus: { present: 4, reached: true } }).outcome).toBe('no-decision');
  });

  it('majority judgment: the single-outlet threshold decides, with the profile published', () => {
    const method: MethodSpec = { kind: 'majority-judgment', grades: ['R', 'I', 'P', 'AB', 'B', 'TB', 'E'], threshold: 3, options: ['o'] };
    const ballot = (g: number) => ({ ref: `r${g}`, content: { grades: { o: g } } });
    const t = run(method, 5, [ballot(2), ballot(3), ballot(5), ballot(6)]);
    expect(t.outcome).toBe('adopted');
    expect(t.detail.profiles).toEqual({ o: [0, 0, 1, 1, 0, 1, 1] });
    expect(run(method, 5, [ballot(2), ballot(2), ballot(5), ballot(6)]).outcome).toBe('rejected');
  });
});
