import { allowedNext, isAccepting, isOutletStatus, OUTLET_STATUSES, type OutletStatus, transitionRule } from './outlet-lifecycle.js';

/** The whole lifecycle written out once more, by hand: [from, to, needs a decision, sets terms]. */
const LEGAL: [OutletStatus, OutletStatus, boolean, 'required' | 'optional' | 'none'][] = [
  ['candidate', 'dossier-complete', false, 'none'],
  ['candidate', 'withdrawn', false, 'none'],
  ['dossier-complete', 'candidate', false, 'none'],
  ['dossier-complete', 'conventionne', true, 'required'],
  ['dossier-complete', 'withdrawn', false, 'none'],
  ['conventionne', 'renewal-due', false, 'none'],
  ['conventionne', 'suspended', true, 'none'],
  ['conventionne', 'revoked', true, 'none'],
  ['conventionne', 'withdrawn', false, 'none'],
  ['conventionne', 'expired', false, 'none'],
  ['renewal-due', 'conventionne', true, 'required'],
  ['renewal-due', 'suspended', true, 'none'],
  ['renewal-due', 'revoked', true, 'none'],
  ['renewal-due', 'withdrawn', false, 'none'],
  ['renewal-due', 'expired', false, 'none'],
  ['suspended', 'conventionne', true, 'optional'],
  ['suspended', 'revoked', true, 'none'],
  ['suspended', 'withdrawn', false, 'none'],
  ['suspended', 'expired', false, 'none'],
  ['revoked', 'candidate', false, 'none'],
  ['withdrawn', 'candidate', false, 'none'],
  ['expired', 'candidate', false, 'none'],
];

const legal = new Set(LEGAL.map(([from, to]) => `${from}>${to}`));
const ILLEGAL = OUTLET_STATUSES.flatMap((from) => OUTLET_STATUSES.map((to) => [from, to] as [OutletStatus, OutletStatus])).filter(
  ([from, to]) => !legal.has(`${from}>${to}`),
);

describe('outlet lifecycle', () => {
  it.each(LEGAL)('allows %s → %s (decision: %s, terms: %s)', (from, to, needsDecision, setsTerms) => {
    expect(transitionRule(from, to)).toMatchObject({ needsDecision, setsTerms, name: expect.any(String) });
  });

  it.each(ILLEGAL)('refuses %s → %s', (from, to) => {
    expect(transitionRule(from, to)).toBeUndefined();
  });

  it('covers every ordered pair of statuses exactly once', () => {
    expect(LEGAL.length + ILLEGAL.length).toBe(OUTLET_STATUSES.length ** 2);
    expect(ILLEGAL.some(([from, to]) => from === to)).toBe(true);
  });

  it('never stays in place: no status follows itself', () => {
    for (const s of OUTLET_STATUSES) expect(transitionRule(s, s)).toBeUndefined();
  });

  it('needs a decision for every step that admits, renews, reinstates, suspends or revokes', () => {
    for (const [from, to] of LEGAL) {
      const decisive = to === 'suspended' || to === 'revoked' || to === 'conventionne';
      expect([from, to, transitionRule(from, to)!.needsDecision]).toEqual([from, to, decisive]);
    }
  });

  it('lists the next statuses in lifecycle order', () => {
    expect(allowedNext('conventionne')).toEqual(['renewal-due', 'suspended', 'revoked', 'withdrawn', 'expired']);
    expect(allowedNext('revoked')).toEqual(['candidate']);
  });

  it.each(OUTLET_STATUSES.map((s) => [s, s === 'conventionne' || s === 'renewal-due'] as const))('accepting(%s) = %s', (status, accepting) => {
    expect(isAccepting(status)).toBe(accepting);
  });

  it.each([
    ['conventionne', true],
    ['renewal-due', true],
    ['conventionné', false],
    ['renewed', false],
    ['', false],
    [undefined, false],
  ])('isOutletStatus(%j) = %s', (value, ok) => expect(isOutletStatus(value)).toBe(ok));
});
