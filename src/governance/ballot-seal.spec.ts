import { ballotKey, seal, unseal } from './ballot-seal.js';

describe('sealed secret ballots', () => {
  const key = ballotKey('a-server-secret-of-at-least-32-characters', 'decision-1');
  const ballot = { receipt: 'ABCDEFGH2345', content: { choice: 'against' } };

  it('opens with the same key and decision, and hides receipt and content', () => {
    const sealed = seal(key, 'decision-1', ballot);
    expect(unseal(key, 'decision-1', sealed)).toEqual(ballot);
    expect(sealed.toString('latin1')).not.toMatch(/ABCDEFGH2345|against/);
  });
  it('two seals of the same ballot differ (random iv): equal ballots cannot be matched', () => {
    expect(seal(key, 'decision-1', ballot).equals(seal(key, 'decision-1', ballot))).toBe(false);
  });
  it.each<[string, () => unknown]>([
    ['another decision', () => unseal(key, 'decision-2', seal(key, 'decision-1', ballot))],
    ['another server secret', () => unseal(ballotKey('another-server-secret-of-32-characters!!', 'decision-1'), 'decision-1', seal(key, 'decision-1', ballot))],
    ['an altered seal', () => {
      const s = seal(key, 'decision-1', ballot);
      s[s.length - 1] ^= 1;
      return unseal(key, 'decision-1', s);
    }],
  ])('refuses %s', (_, open) => expect(open).toThrow());
});
