import { ValidationFailed } from '../common/errors/domain-error.js';
import { type OutletStatus, transitionRule } from './outlet-lifecycle.js';
import { checkTiming, decisionErrors, type LastStep, termsFor } from './transition-checks.js';

const AT = new Date('2026-12-01T13:00:00Z'); // 14:00 in Paris, on 2026-12-01
const last = (to_status: OutletStatus, terms: Partial<LastStep> = {}): LastStep => ({
  to_status,
  effective_at: new Date('2026-11-01T10:00:00Z'),
  review_on: null,
  valid_until: null,
  ...terms,
});
const rule = (from: OutletStatus, to: OutletStatus) => transitionRule(from, to)!;
const fieldsOf = (work: () => unknown): string[] => {
  try {
    work();
  } catch (e) {
    if (e instanceof ValidationFailed) return Object.keys(e.errors).sort();
    throw e;
  }
  return [];
};

describe('termsFor', () => {
  const live = { review_on: '2027-06-01', valid_until: '2027-12-31' };

  it.each<[string, OutletStatus, OutletStatus, Record<string, string>, LastStep, { reviewOn: string | null; validUntil: string | null }]>([
    ['admission sets them', 'dossier-complete', 'conventionne', { reviewOn: '2027-11-30' }, last('dossier-complete'), { reviewOn: '2027-11-30', validUntil: null }],
    ['renewal replaces them', 'renewal-due', 'conventionne', { reviewOn: '2028-06-01', validUntil: '2028-12-31' }, last('renewal-due', live), { reviewOn: '2028-06-01', validUntil: '2028-12-31' }],
    ['reinstatement keeps them', 'suspended', 'conventionne', {}, last('suspended', live), { reviewOn: '2027-06-01', validUntil: '2027-12-31' }],
    ['reinstatement may replace them', 'suspended', 'conventionne', { reviewOn: '2027-03-01' }, last('suspended', live), { reviewOn: '2027-03-01', validUntil: null }],
    ['suspension carries them', 'conventionne', 'suspended', {}, last('conventionne', live), { reviewOn: '2027-06-01', validUntil: '2027-12-31' }],
    ['renewal due carries them', 'conventionne', 'renewal-due', {}, last('conventionne', live), { reviewOn: '2027-06-01', validUntil: '2027-12-31' }],
    ['a new candidacy clears them', 'revoked', 'candidate', {}, last('revoked', live), { reviewOn: null, validUntil: null }],
  ])('%s', (_name, from, to, input, previous, expected) => {
    expect(termsFor({ to, ...input }, rule(from, to), previous, AT)).toEqual(expected);
  });

  it.each<[string, OutletStatus, OutletStatus, Record<string, string>, LastStep, string[]]>([
    ['admission without review date', 'dossier-complete', 'conventionne', {}, last('dossier-complete'), ['reviewOn']],
    ['review date on the effective day (Paris)', 'dossier-complete', 'conventionne', { reviewOn: '2026-12-01' }, last('dossier-complete'), ['reviewOn']],
    ['validity ending before the review', 'dossier-complete', 'conventionne', { reviewOn: '2027-06-01', validUntil: '2027-05-31' }, last('dossier-complete'), ['validUntil']],
    ['terms on a suspension', 'conventionne', 'suspended', { reviewOn: '2027-06-01' }, last('conventionne', live), ['reviewOn']],
    ['validity alone on a reinstatement', 'suspended', 'conventionne', { validUntil: '2027-06-01' }, last('suspended', live), ['reviewOn']],
    ['reinstating after the validity ended', 'suspended', 'conventionne', {}, last('suspended', { review_on: '2026-10-01', valid_until: '2026-11-30' }), ['reviewOn']],
  ])('refuses %s', (_name, from, to, input, previous, fields) => {
    expect(fieldsOf(() => termsFor({ to, ...input }, rule(from, to), previous, AT))).toEqual(fields);
  });
});

describe('decisionErrors', () => {
  const admit = rule('dossier-complete', 'conventionne');
  const complete = rule('candidate', 'dossier-complete');
  it.each<[string, Record<string, string>, typeof admit, string[]]>([
    ['a reference with minutes', { decisionRef: 'CC-1', decisionMinutes: 'Consentement' }, admit, []],
    ['a decision id', { decisionId: 'd' }, admit, []],
    ['nothing where none is needed', {}, complete, []],
    ['nothing where a decision is needed', {}, admit, ['decisionId']],
    ['a reference without minutes', { decisionRef: 'CC-1' }, admit, ['decisionMinutes']],
    ['minutes without a reference', { decisionId: 'd', decisionMinutes: 'x' }, admit, ['decisionMinutes']],
    ['both an id and a reference', { decisionId: 'd', decisionRef: 'CC-1', decisionMinutes: 'x' }, admit, ['decisionRef']],
  ])('%s → %j', (_name, input, r, fields) => {
    expect(Object.keys(decisionErrors({ to: 'conventionne', ...input }, r)).sort()).toEqual(fields);
  });
});

describe('checkTiming', () => {
  const now = new Date('2026-12-01T12:00:00Z');
  const previous = last('conventionne');

  it.each([
    ['now', now, false],
    ['later', new Date('2027-01-01T00:00:00Z'), false],
    ['a minute ago (clock drift)', new Date(now.getTime() - 60_000), false],
    ['yesterday, for the system', new Date('2026-11-30T23:00:00Z'), true],
  ])('accepts %s', (_name, at, system) => expect(() => checkTiming(at as Date, now, previous, system as boolean)).not.toThrow());

  it('refuses the past for people', () => {
    expect(() => checkTiming(new Date(now.getTime() - 3_600_000), now, previous, false)).toThrow(ValidationFailed);
  });

  it('refuses, for everyone, a step before the last one', () => {
    expect(() => checkTiming(new Date('2026-10-01T00:00:00Z'), now, previous, true)).toThrow(expect.objectContaining({ code: 'TRANSITION_OUT_OF_ORDER', status: 409 }));
  });
});
