import type { Tally } from './methods/method.types.js';
import { mustSuppress } from './small-counts.js';

const votes = (f: number, a: number, s: number): Tally => ({
  method: 'simple-majority', electorate: 20, participants: f + a + s, quorumMet: true, outcome: 'adopted', detail: { for: f, against: a, abstain: s },
});

describe('small-count protection of secret tallies', () => {
  it.each<[string, Tally, number, boolean]>([
    ['all counts at or above 3 are published', votes(8, 3, 0), 3, false],
    ['a lone vote against is withheld', votes(9, 1, 0), 3, true],
    ['two abstentions are withheld', votes(6, 4, 2), 3, true],
    ['unanimity (zeros) is published', votes(11, 0, 0), 3, false],
    ['fewer participants than the minimum', votes(2, 0, 0), 3, true],
    ['a minimum of 1 publishes everything', votes(9, 1, 1), 1, false],
    [
      'majority judgment: one judgment at a grade is withheld',
      { method: 'majority-judgment', electorate: 9, participants: 7, quorumMet: true, outcome: 'adopted', detail: { profiles: { o: [0, 3, 1, 3] } } },
      3,
      true,
    ],
  ])('%s', (_, t, min, suppressed) => expect(mustSuppress(t, min)).toBe(suppressed));
});
