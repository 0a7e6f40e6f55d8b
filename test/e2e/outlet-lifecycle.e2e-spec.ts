import { randomUUID } from 'node:crypto';
import { bearer, createOutlet, decision, inDays, shopPlace, transition } from '../support/outlet-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Status = 'candidate' | 'dossier-complete' | 'conventionne' | 'renewal-due' | 'suspended' | 'revoked' | 'withdrawn' | 'expired';
const STATUSES: Status[] = ['candidate', 'dossier-complete', 'conventionne', 'renewal-due', 'suspended', 'revoked', 'withdrawn', 'expired'];

/** The lifecycle of governance.md, written out for this test: [from, to, needs a committee decision]. */
const LEGAL: [Status, Status, boolean][] = [
  ['candidate', 'dossier-complete', false],
  ['candidate', 'withdrawn', false],
  ['dossier-complete', 'candidate', false],
  ['dossier-complete', 'conventionne', true],
  ['dossier-complete', 'withdrawn', false],
  ['conventionne', 'renewal-due', false],
  ['conventionne', 'suspended', true],
  ['conventionne', 'revoked', true],
  ['conventionne', 'withdrawn', false],
  ['conventionne', 'expired', false],
  ['renewal-due', 'conventionne', true],
  ['renewal-due', 'suspended', true],
  ['renewal-due', 'revoked', true],
  ['renewal-due', 'withdrawn', false],
  ['renewal-due', 'expired', false],
  ['suspended', 'conventionne', true],
  ['suspended', 'revoked', true],
  ['suspended', 'withdrawn', false],
  ['suspended', 'expired', false],
  ['revoked', 'candidate', false],
  ['withdrawn', 'candidate', false],
  ['expired', 'candidate', false],
];
const ILLEGAL = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as [Status, Status])).filter(([from, to]) => !LEGAL.some(([f, x]) => f === from && x === to));

/** How to bring a new outlet to each status. */
const PATH: Record<Status, Status[]> = {
  candidate: [],
  'dossier-complete': ['dossier-complete'],
  conventionne: ['dossier-complete', 'conventionne'],
  'renewal-due': ['dossier-complete', 'conventionne', 'renewal-due'],
  suspended: ['dossier-complete', 'conventionne', 'suspended'],
  revoked: ['dossier-complete', 'conventionne', 'revoked'],
  withdrawn: ['withdrawn'],
  expired: ['dossier-complete', 'conventionne', 'expired'],
};

const DECIDED: Status[] = ['conventionne', 'suspended', 'revoked'];
const bodyFor = (to: Status) => ({ to, ...(DECIDED.includes(to) ? decision() : {}), ...(to === 'conventionne' ? { reviewOn: inDays(365) } : {}) });

describe('outlet lifecycle (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let tokens: Awaited<ReturnType<TestApp['newCaisse']>>['tokens'];
  const step = (outletId: string, body: Record<string, unknown>, token = tokens.admin) => transition(t, caisseId, outletId, token, body);

  async function outletIn(status: Status): Promise<string> {
    const o = await createOutlet(t, caisseId, tokens.admin);
    expect((await t.http.post(`/api/v1/caisses/${caisseId}/outlets/${o.id}/places`).set(bearer(tokens.admin)).send(shopPlace())).status).toBe(201);
    for (const to of PATH[status]) expect((await step(o.id, bodyFor(to))).status).toBe(201);
    return o.id;
  }

  beforeAll(async () => {
    t = await createTestApp();
    ({ caisseId, tokens } = await t.newCaisse());
  });
  afterAll(async () => t?.close());

  it('covers all 64 ordered pairs of statuses', () => expect(LEGAL.length + ILLEGAL.length).toBe(64));

  it.each(LEGAL)('%s → %s is recorded (decision needed: %s)', async (from, to, needsDecision) => {
    const id = await outletIn(from);
    if (needsDecision) {
      const bare = await step(id, { to, ...(to === 'conventionne' ? { reviewOn: inDays(365) } : {}) });
      expect(bare.status).toBe(400);
      expect(Object.keys(bare.body.errors)).toEqual(['decisionId']);
    }
    const res = await step(id, bodyFor(to));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ from, to, reason: 'Décision du comité' });
    const outlet = await t.http.get(`/api/v1/caisses/${caisseId}/outlets/${id}`).set(bearer(tokens.committee));
    expect(outlet.body.status).toBe(to);
  });

  describe.each(STATUSES)('from %s', (from) => {
    const refused = ILLEGAL.filter(([f]) => f === from).map(([, to]) => to);
    let id: string;
    beforeAll(async () => {
      id = await outletIn(from);
    });

    it.each(refused)(`refuses ${from} → %s with 409 naming the current status`, async (to) => {
      const res = await step(id, bodyFor(to));
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'ILLEGAL_TRANSITION', currentStatus: from, requested: to });
      expect(res.body.allowed).toEqual(LEGAL.filter(([f]) => f === from).map(([, x]) => x));
      const history = await t.http.get(`/api/v1/caisses/${caisseId}/outlets/${id}/history`).set(bearer(tokens.admin));
      expect(history.body.at(-1).to).toBe(from);
    });
  });

  it('keeps who, when, why and which decision for every step, in order', async () => {
    const id = await outletIn('conventionne');
    const admin = (await t.http.get('/api/v1/auth/me').set(bearer(tokens.admin))).body.userId;
    const treasurer = (await t.http.get('/api/v1/auth/me').set(bearer(tokens.treasurer))).body.userId;
    const suspended = await step(id, { to: 'suspended', reason: 'Prix non affichés', ...decision(7) }, tokens.treasurer);
    expect(suspended.status).toBe(201);
    const history = await t.http.get(`/api/v1/caisses/${caisseId}/outlets/${id}/history`).set(bearer(tokens.committee));
    expect(history.status).toBe(200);
    expect(history.body.map((s: { seq: number; from: string | null; to: string; step: string }) => [s.seq, s.from, s.to, s.step])).toEqual([
      [1, null, 'candidate', 'registered'],
      [2, 'candidate', 'dossier-complete', 'dossier completed'],
      [3, 'dossier-complete', 'conventionne', 'conventionné'],
      [4, 'conventionne', 'suspended', 'suspended'],
    ]);
    expect(history.body[2]).toMatchObject({ actor: { kind: 'user', id: admin }, decisionRef: 'CC-2026-11 point 1', reviewOn: inDays(365) });
    expect(history.body[3]).toMatchObject({
      actor: { kind: 'user', id: treasurer },
      reason: 'Prix non affichés',
      decisionRef: 'CC-2026-11 point 7',
      decisionMinutes: expect.stringMatching(/Consentement/),
      reviewOn: inDays(365),
      effectiveAt: expect.any(String),
      recordedAt: expect.any(String),
    });
    const audit = await t.sql(`SELECT count(*)::int AS n FROM audit_log WHERE target_id = $1 AND action = 'outlet.transition'`, [id]);
    expect(audit).toEqual([{ n: 3 }]);
  });

  it('renews with new terms and reinstates keeping the old ones', async () => {
    const id = await outletIn('renewal-due');
    const renewed = await step(id, { to: 'conventionne', ...decision(2), reviewOn: inDays(700), validUntil: inDays(730) });
    expect(renewed.body).toMatchObject({ step: 'renewed', reviewOn: inDays(700), validUntil: inDays(730) });
    expect((await step(id, { to: 'suspended', ...decision(3) })).body).toMatchObject({ reviewOn: inDays(700), validUntil: inDays(730) });
    expect((await step(id, { to: 'conventionne', ...decision(4) })).body).toMatchObject({ step: 'reinstated', reviewOn: inDays(700), validUntil: inDays(730) });
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['admission without a review date', { to: 'conventionne', ...decision() }, ['reviewOn']],
    ['a review date that is not in the future', { to: 'conventionne', ...decision(), reviewOn: inDays(0) }, ['reviewOn']],
    ['validity ending before the review', { to: 'conventionne', ...decision(), reviewOn: inDays(30), validUntil: inDays(20) }, ['validUntil']],
    ['a decision reference without minutes', { to: 'conventionne', decisionRef: 'CC-1', reviewOn: inDays(30) }, ['decisionMinutes']],
    ['both a decision id and a reference', { to: 'conventionne', ...decision(), decisionId: randomUUID(), reviewOn: inDays(30) }, ['decisionRef']],
    ['an effective time in the past', { to: 'conventionne', ...decision(), reviewOn: inDays(30), effectiveAt: '2020-01-01T00:00:00Z' }, ['effectiveAt']],
    ['an effective time without offset', { to: 'conventionne', ...decision(), reviewOn: inDays(30), effectiveAt: '2030-01-01T00:00:00' }, ['effectiveAt']],
    ['an unknown status', { to: 'renewed', ...decision() }, ['to']],
    ['no reason', { to: 'conventionne', ...decision(), reviewOn: inDays(30), reason: '' }, ['reason']],
  ])('refuses %s with 400 naming the field', async (_name, body, fields) => {
    const id = await outletIn('dossier-complete');
    const res = await step(id, body);
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors).sort()).toEqual(fields);
  });

  it('refuses a decision id the governance module does not know (422), and a terms change on a step that sets none', async () => {
    const id = await outletIn('dossier-complete');
    const res = await step(id, { to: 'conventionne', decisionId: randomUUID(), reviewOn: inDays(30) });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'DECISION_NOT_USABLE', errors: { decisionId: [expect.stringMatching(/no such decision/)] } });
    const conv = await outletIn('conventionne');
    const suspend = await step(conv, { to: 'suspended', ...decision(), reviewOn: inDays(40) });
    expect(suspend.status).toBe(400);
    expect(Object.keys(suspend.body.errors)).toEqual(['reviewOn']);
  });

  it('does not complete a dossier without a place (409 DOSSIER_INCOMPLETE)', async () => {
    const o = await createOutlet(t, caisseId, tokens.admin);
    const res = await step(o.id, { to: 'dossier-complete' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('DOSSIER_INCOMPLETE');
  });

  it('schedules a step for later, shows it as pending, and refuses a step that would take effect before it', async () => {
    const id = await outletIn('conventionne');
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const revoke = await step(id, { to: 'revoked', ...decision(9), effectiveAt: at });
    expect(revoke.status).toBe(201);
    const outlet = await t.http.get(`/api/v1/caisses/${caisseId}/outlets/${id}`).set(bearer(tokens.admin));
    expect(outlet.body).toMatchObject({ status: 'conventionne', accepting: true, pendingTransition: { to: 'revoked', effectiveAt: at } });
    const early = await step(id, { to: 'candidate', effectiveAt: new Date(Date.now() + 60_000).toISOString() });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'TRANSITION_OUT_OF_ORDER', errors: { effectiveAt: [expect.any(String)] } });
  });

  it('lets only admins and treasurers move an outlet', async () => {
    const id = await outletIn('candidate');
    for (const role of ['committee', 'cashier', 'member'] as const) expect((await step(id, { to: 'dossier-complete' }, tokens[role])).status).toBe(403);
  });

  it('keeps the history append-only in the database itself', async () => {
    const id = await outletIn('dossier-complete');
    await expect(t.sql(`UPDATE outlet_transitions SET to_status = 'conventionne' WHERE outlet_id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(t.sql(`DELETE FROM outlet_transitions WHERE outlet_id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(
      t.sql(
        `INSERT INTO outlet_transitions (caisse_id, outlet_id, seq, from_status, to_status, effective_at, actor_kind, reason, review_on)
         VALUES ($1, $2, 3, 'candidate', 'conventionne', now(), 'system', 'forged', current_date + 10)`,
        [caisseId, id],
      ),
    ).rejects.toThrow(/continue from its last transition/);
  });
});
