import { createMember } from '../support/member-fixtures.js';
import { closeDecision, decisionBody, openDecision, type Seat, seatCommittee, vote } from '../support/governance-fixtures.js';
import { bearer, conventionnedOutlet, inDays, transition } from '../support/outlet-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('governance committee and electorate (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let tokens: Awaited<ReturnType<TestApp['newCaisse']>>['tokens'];
  let seats: Seat[];
  const create = (body: Record<string, unknown>, token = tokens.committee) => t.http.post(`/api/v1/caisses/${caisseId}/decisions`).set(bearer(token)).send(decisionBody(body));

  beforeAll(async () => {
    t = await createTestApp();
    ({ caisseId, tokens } = await t.newCaisse());
    seats = await seatCommittee(t, caisseId, tokens.admin, 3);
  });
  afterAll(async () => t?.close());

  it('lets a committee user vote as the member its account is linked to', async () => {
    const me = await t.http.get('/api/v1/auth/me').set(bearer(tokens.committee));
    const member = await createMember(t, caisseId, tokens.admin);
    expect((await t.http.patch(`/api/v1/caisses/${caisseId}/members/${member.id}`).set(bearer(tokens.admin)).send({ userId: me.body.userId })).status).toBe(200);
    const mandate = await t.http.post(`/api/v1/caisses/${caisseId}/committee/mandates`).set(bearer(tokens.admin))
      .send({ memberId: member.id, designation: 'elected', position: 'facilitatrice', startsOn: inDays(-1), endsOn: inDays(300) });
    expect(mandate.status).toBe(201);
    const d = await openDecision(t, caisseId, tokens.committee, { subject: 'motion', method: 'simple-majority' });
    const res = await vote(t, caisseId, d.id, tokens.committee, { choice: 'for' });
    expect(res.status).toBe(201);
    const got = await t.http.get(`/api/v1/caisses/${caisseId}/decisions/${d.id}`).set(bearer(tokens.admin));
    expect(got.body.electorate.find((e: { memberId: string }) => e.memberId === member.id)).toMatchObject({ tookPart: true, recusal: null });
  });

  it('shows which seats end when, per cohort (renewal by thirds)', async () => {
    const res = await t.http.get(`/api/v1/caisses/${caisseId}/committee/renewals`).set(bearer(tokens.committee));
    expect(res.status).toBe(200);
    expect(res.body.map((r: { cohort: number }) => r.cohort)).toEqual([1, 2, 3]);
    expect(res.body.every((r: { endsOn: string; mandateIds: string[] }) => r.endsOn === inDays(365) && r.mandateIds.length === 1)).toBe(true);
  });

  it('refuses overlapping mandates, members without a mandate, and a mandate started after the decision opened', async () => {
    const overlap = await t.http.post(`/api/v1/caisses/${caisseId}/committee/mandates`).set(bearer(tokens.admin))
      .send({ memberId: seats[0].memberId, designation: 'volunteer', position: 'membre', startsOn: inDays(10), endsOn: inDays(20) });
    expect(overlap.status).toBe(409);
    expect(overlap.body.code).toBe('MANDATE_OVERLAP');
    const d = await openDecision(t, caisseId, tokens.committee, { subject: 'motion', method: 'simple-majority' });
    const outsider = await createMember(t, caisseId, tokens.admin, { pin: '4821' });
    // Seated after the electorate was frozen: still not a voter on this decision.
    await t.http.post(`/api/v1/caisses/${caisseId}/committee/mandates`).set(bearer(tokens.admin))
      .send({ memberId: outsider.id, designation: 'volunteer', position: 'membre', startsOn: inDays(-5), endsOn: inDays(100) });
    const login = await t.http.post(`/api/v1/caisses/${caisseId}/members/login`).send({ cardNumber: outsider.cardNumber, pin: '4821' });
    const res = await vote(t, caisseId, d.id, login.body.accessToken, { choice: 'for' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('NOT_IN_ELECTORATE');
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['a qualified majority without a/b/basis', { subject: 'motion', method: 'qualified-majority' }, ['a', 'b', 'basis']],
    ['a/b with a ≥ b', { subject: 'motion', method: 'qualified-majority', a: 3, b: 3, basis: 'cast' }, ['a']],
    ['approval without θ and options', { subject: 'motion', method: 'approval' }, ['options', 'theta']],
    ['majority judgment threshold outside the scale', { subject: 'motion', method: 'majority-judgment', grades: ['Non', 'Oui'], threshold: 2 }, ['threshold']],
    ['a secret consent', { subject: 'motion', method: 'consent', secret: true }, ['secret']],
    ['a conventionnement without outlet nor review date', { subject: 'conventionnement', method: 'consent' }, ['outletId', 'reviewOn']],
    ['a window closing before it opens', { subject: 'motion', method: 'consent', closesAt: new Date(Date.now() - 1000).toISOString() }, ['closesAt']],
  ])('refuses %s (400, field errors)', async (_, body, fields) => {
    const res = await create(body);
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors).sort()).toEqual(fields);
  });

  it('refuses a second first ballot from the same member sent concurrently (open ballot replaces, secret refuses)', async () => {
    const d = await openDecision(t, caisseId, tokens.committee, { subject: 'motion', method: 'simple-majority', secret: true });
    const both = await Promise.all([vote(t, caisseId, d.id, seats[1].token, { choice: 'for' }), vote(t, caisseId, d.id, seats[1].token, { choice: 'against' })]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await t.sql(`SELECT 1 FROM decision_participation WHERE decision_id = $1`, [d.id])).toHaveLength(1);
    expect(await t.sql(`SELECT 1 FROM sealed_ballots WHERE decision_id = $1`, [d.id])).toHaveLength(1);
  });

  it('a renewal decision renews the outlet with the next review date', async () => {
    const o = await conventionnedOutlet(t, caisseId, tokens.admin);
    expect((await transition(t, caisseId, o.id, tokens.admin, { to: 'renewal-due' })).status).toBe(201);
    const reviewOn = inDays(700);
    const d = await openDecision(t, caisseId, tokens.committee, { subject: 'renewal', outletId: o.id, method: 'approval', theta: 50, options: ['renouveler'], reviewOn });
    for (const s of seats.slice(0, 2)) expect((await vote(t, caisseId, d.id, s.token, { approved: ['renouveler'] })).status).toBe(201);
    expect((await vote(t, caisseId, d.id, seats[2].token, { approved: ['autre'] })).status).toBe(400);
    expect((await vote(t, caisseId, d.id, seats[2].token, { approved: [] })).status).toBe(201);
    const closed = await closeDecision(t, caisseId, d.id, tokens.committee);
    expect(closed.body.tally).toMatchObject({ outcome: 'adopted', detail: { theta: 50, results: [{ option: 'renouveler', approvals: 2, passes: true }] } });
    const history = await t.http.get(`/api/v1/caisses/${caisseId}/outlets/${o.id}/history`).set(bearer(tokens.admin));
    expect(history.body.at(-1)).toMatchObject({ from: 'renewal-due', to: 'conventionne', step: 'renewed', decisionId: d.id, reviewOn });
  });

  it('refuses using a decision that was not adopted to move an outlet by hand', async () => {
    const o = await conventionnedOutlet(t, caisseId, tokens.admin);
    const d = await openDecision(t, caisseId, tokens.committee, { subject: 'suspension', outletId: o.id, method: 'simple-majority', replyDeadline: new Date(Date.now() - 1000).toISOString() });
    await vote(t, caisseId, d.id, seats[0].token, { choice: 'against' });
    expect((await closeDecision(t, caisseId, d.id, tokens.committee)).body.tally.outcome).not.toBe('adopted');
    const res = await transition(t, caisseId, o.id, tokens.admin, { to: 'suspended', decisionId: d.id });
    expect(res.status).toBe(422);
    expect(res.body.errors.decisionId).toEqual(['this decision was not adopted']);
  });

  it('refuses a decision on an outlet that is not where the subject applies, and closes adopted with the refusal when the outlet moved', async () => {
    const o = await conventionnedOutlet(t, caisseId, tokens.admin);
    const early = await create({ subject: 'reinstatement', outletId: o.id, method: 'simple-majority' });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('OUTLET_NOT_READY');
    const d = await openDecision(t, caisseId, tokens.committee, { subject: 'revocation', outletId: o.id, method: 'simple-majority', replyDeadline: new Date(Date.now() - 1000).toISOString() });
    // E = 5 here (three seats, the facilitator and the late seat): three votes make the quorum.
    for (const s of seats) expect((await vote(t, caisseId, d.id, s.token, { choice: 'for' })).status).toBe(201);
    expect((await transition(t, caisseId, o.id, tokens.admin, { to: 'withdrawn' })).status).toBe(201);
    const closed = await closeDecision(t, caisseId, d.id, tokens.committee);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ state: 'closed', transitionId: null, tally: { outcome: 'adopted' }, consequenceError: expect.stringMatching(/^ILLEGAL_TRANSITION/) });
    const history = await t.http.get(`/api/v1/caisses/${caisseId}/outlets/${o.id}/history`).set(bearer(tokens.admin));
    expect(history.body.at(-1).to).toBe('withdrawn');
  });
});
