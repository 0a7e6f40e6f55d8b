import { OutletsService } from '../../src/outlets/outlets.service.js';
import { closeDecision, openDecision, type Seat, seatCommittee, vote } from '../support/governance-fixtures.js';
import { bearer, conventionnedOutlet, createOutlet, inDays, shopPlace, transition } from '../support/outlet-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const GRADES = ['À rejeter', 'Insuffisant', 'Passable', 'Assez bien', 'Bien', 'Très bien', 'Excellent'];

describe('governance decisions (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let tokens: Awaited<ReturnType<TestApp['newCaisse']>>['tokens'];
  let seats: Seat[];

  beforeAll(async () => {
    t = await createTestApp();
    ({ caisseId, tokens } = await t.newCaisse());
    seats = await seatCommittee(t, caisseId, tokens.admin, 5);
  });
  afterAll(async () => t?.close());

  async function dossierComplete(): Promise<string> {
    const o = await createOutlet(t, caisseId, tokens.admin);
    expect((await t.http.post(`/api/v1/caisses/${caisseId}/outlets/${o.id}/places`).set(bearer(tokens.admin)).send(shopPlace())).status).toBe(201);
    expect((await transition(t, caisseId, o.id, tokens.admin, { to: 'dossier-complete' })).status).toBe(201);
    return o.id;
  }

  it('runs a conventionnement by majority judgment: recusal shown, outlet conventionné by the decision, register and log', async () => {
    const outletId = await dossierComplete();
    const conflict = await t.http.post(`/api/v1/caisses/${caisseId}/committee/conflicts`).set(bearer(tokens.committee)).send({ memberId: seats[4].memberId, outletId, nature: 'related' });
    expect(conflict.status).toBe(201);
    const d = await openDecision(t, caisseId, tokens.committee, {
      title: 'Conventionnement Ferme des Garrigues', subject: 'conventionnement', outletId, method: 'majority-judgment', grades: GRADES, threshold: 3, reviewOn: inDays(365),
    });
    expect(d.state).toBe('open');
    expect(d.electorate).toHaveLength(5);
    expect((d.electorate as { memberId: string; recusal: string | null }[]).find((e) => e.memberId === seats[4].memberId)?.recusal).toMatch(/conflict of interest/);

    const recused = await vote(t, caisseId, d.id, seats[4].token, { grades: { outlet: 6 } });
    expect(recused.status).toBe(403);
    expect(recused.body.code).toBe('NOT_IN_ELECTORATE');
    for (const [i, g] of [3, 4, 2, 5].entries()) expect((await vote(t, caisseId, d.id, seats[i].token, { grades: { outlet: g } })).status).toBe(201);
    const hidden = await t.http.get(`/api/v1/caisses/${caisseId}/decisions/${d.id}`).set(bearer(tokens.committee));
    expect(hidden.body.tally).toBeNull();

    const closed = await closeDecision(t, caisseId, d.id, tokens.committee);
    expect(closed.status).toBe(200);
    // E = 4 after the recusal; lower median of [2,3,4,5] is 3 = "Assez bien", the threshold.
    expect(closed.body.tally).toMatchObject({ electorate: 4, participants: 4, quorumMet: true, outcome: 'adopted' });
    expect(closed.body.tally.detail.profiles).toEqual({ outlet: [0, 0, 1, 1, 1, 1, 0] });
    const history = await t.http.get(`/api/v1/caisses/${caisseId}/outlets/${outletId}/history`).set(bearer(tokens.admin));
    expect(history.body.at(-1)).toMatchObject({ to: 'conventionne', decisionId: d.id, id: closed.body.transitionId });

    const register = await t.http.get(`/api/v1/caisses/${caisseId}/register`);
    expect(register.status).toBe(200);
    const listed = register.body.outlets.find((o: { outletId: string }) => o.outletId === outletId);
    expect(listed).toMatchObject({ status: 'conventionne', decisions: [{ decisionId: d.id, outcome: 'adopted', method: 'majority-judgment' }] });
    const log = await t.http.get(`/api/v1/caisses/${caisseId}/register/log`);
    expect(log.body.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['committee.mandate', 'decision.created', 'decision.opened', 'decision.closed']));
    expect((await t.http.get(`/api/v1/caisses/${caisseId}/register/log/verify`)).body).toMatchObject({ ok: true, brokenAt: null });
  });

  it('an adopted revocation makes the terminal refused by assertCanAccept from its effective time, not before', async () => {
    const o = await conventionnedOutlet(t, caisseId, tokens.admin);
    const closesAt = new Date(Date.now() + 3_600_000);
    const effectiveAt = new Date(Math.ceil((Date.now() + 7_200_000) / 1000) * 1000);
    const d = await openDecision(t, caisseId, tokens.committee, {
      subject: 'revocation', outletId: o.id, method: 'simple-majority', replyDeadline: new Date(Date.now() - 60_000).toISOString(),
      closesAt: closesAt.toISOString(), effectiveAt: effectiveAt.toISOString(),
    });
    for (const s of seats.slice(0, 3)) expect((await vote(t, caisseId, d.id, s.token, { choice: 'for' })).status).toBe(201);
    const closed = await closeDecision(t, caisseId, d.id, tokens.admin);
    expect(closed.body.tally).toMatchObject({ outcome: 'adopted', detail: { for: 3, against: 0 } });
    const gate = t.app.get(OutletsService);
    await expect(gate.assertCanAccept(caisseId, o.id, new Date(effectiveAt.getTime() - 1000))).resolves.toMatchObject({ accepting: true });
    await expect(gate.assertCanAccept(caisseId, o.id, effectiveAt)).rejects.toMatchObject({ code: 'OUTLET_NOT_ACCEPTING' });
  });

  it('refuses a suspension without a right of reply, and records a reply before the decision opens', async () => {
    const o = await conventionnedOutlet(t, caisseId, tokens.admin);
    const bare = await t.http.post(`/api/v1/caisses/${caisseId}/decisions`).set(bearer(tokens.admin)).send({
      title: 'Suspension', subject: 'suspension', outletId: o.id, method: 'consent', secret: false, opensAt: new Date().toISOString(), closesAt: inDays(2) + 'T12:00:00Z',
    });
    expect(bare.status).toBe(400);
    expect(Object.keys(bare.body.errors)).toContain('replyDeadline');
    const opensAt = new Date(Date.now() + 3_600_000).toISOString();
    const later = await openDecision(t, caisseId, tokens.admin, { subject: 'suspension', outletId: o.id, method: 'consent', opensAt, replyDeadline: opensAt });
    expect(later.state).toBe('scheduled');
    const reply = await t.http.post(`/api/v1/caisses/${caisseId}/decisions/${later.id}/reply`).set(bearer(tokens.admin)).send({ reply: 'Nous contestons : les prix sont affichés depuis octobre.' });
    expect(reply.status).toBe(200);
    expect(reply.body.reply).toMatch(/contestons/);
    expect((await vote(t, caisseId, later.id, seats[0].token, { position: 'consent' })).body.code).toBe('DECISION_NOT_OPEN');
  });

  it('consent: a standing objection blocks, one ruled non-paramount does not', async () => {
    const run = async (rule: boolean) => {
      const d = await openDecision(t, caisseId, tokens.committee, { subject: 'motion', method: 'consent' });
      expect((await vote(t, caisseId, d.id, seats[0].token, { position: 'objection' })).status).toBe(400);
      expect((await vote(t, caisseId, d.id, seats[0].token, { position: 'objection', reason: 'Hors budget' })).status).toBe(201);
      expect((await vote(t, caisseId, d.id, seats[1].token, { position: 'consent' })).status).toBe(201);
      expect((await vote(t, caisseId, d.id, seats[2].token, { position: 'stand-aside' })).status).toBe(201);
      if (rule) {
        const ruling = await t.http.post(`/api/v1/caisses/${caisseId}/decisions/${d.id}/rulings`).set(bearer(tokens.committee)).send({ memberId: seats[0].memberId, reason: 'Le budget est voté ailleurs' });
        expect(ruling.status).toBe(200);
      }
      return (await closeDecision(t, caisseId, d.id, tokens.committee)).body.tally;
    };
    expect(await run(false)).toMatchObject({ outcome: 'rejected', detail: { standing: 1 } });
    expect(await run(true)).toMatchObject({ outcome: 'adopted', detail: { standing: 0, ruledNonParamount: 1, rulings: [{ reason: 'Le budget est voté ailleurs' }] } });
  });

  it('a quorum miss is "no decision" and opens the next step of the fallback chain; an open ballot may be replaced', async () => {
    const d = await openDecision(t, caisseId, tokens.committee, { subject: 'motion', method: 'simple-majority', fallback: ['qualified-majority'] });
    expect((await vote(t, caisseId, d.id, seats[0].token, { choice: 'against' })).body.replaced).toBe(false);
    expect((await vote(t, caisseId, d.id, seats[0].token, { choice: 'for' })).body.replaced).toBe(true);
    const closed = await closeDecision(t, caisseId, d.id, tokens.committee);
    expect(closed.body.tally).toMatchObject({ outcome: 'no-decision', quorumMet: false, participants: 1, detail: { for: 1, against: 0 } });
    expect(closed.body.nextId).toEqual(expect.any(String));
    const next = await t.http.get(`/api/v1/caisses/${caisseId}/decisions/${closed.body.nextId}`).set(bearer(tokens.committee));
    expect(next.body).toMatchObject({ parentId: d.id, state: 'open', method: { kind: 'qualified-majority', a: 2, b: 3, basis: 'cast' }, fallback: [] });
  });

  it('consensus records the meeting: present members and outcome, no ballots', async () => {
    const d = await openDecision(t, caisseId, tokens.committee, { subject: 'motion', method: 'consensus' });
    expect((await vote(t, caisseId, d.id, seats[0].token, { choice: 'for' })).status).toBe(400);
    const closed = await closeDecision(t, caisseId, d.id, tokens.committee, { presentMemberIds: seats.slice(0, 4).map((s) => s.memberId), reached: true, outcomeText: 'Accord de tous les présents' });
    expect(closed.body.tally).toMatchObject({ outcome: 'adopted', participants: 4, detail: { outcomeText: 'Accord de tous les présents' } });
  });

  it('shows a decision on the agenda, then closes it by itself at closesAt (delayed job)', async () => {
    const d = await openDecision(t, caisseId, tokens.committee, { subject: 'motion', method: 'simple-majority', closesAt: new Date(Date.now() + 4_000).toISOString() });
    for (const s of seats.slice(0, 3)) expect((await vote(t, caisseId, d.id, s.token, { choice: 'for' })).status).toBe(201);
    const agenda = await t.http.get(`/api/v1/caisses/${caisseId}/governance/agenda`).set(bearer(tokens.committee));
    expect(agenda.status).toBe(200);
    expect(agenda.body.decisions).toContainEqual(expect.objectContaining({ decisionId: d.id, state: 'open', electorate: 5, participants: 3 }));
    expect(Array.isArray(agenda.body.outletsDueForReview)).toBe(true);
    let state = 'open';
    for (let i = 0; i < 40 && state !== 'closed'; i++) {
      await new Promise((r) => setTimeout(r, 250));
      state = (await t.http.get(`/api/v1/caisses/${caisseId}/decisions/${d.id}`).set(bearer(tokens.committee))).body.state;
    }
    expect(state).toBe('closed');
    const done = await t.http.get(`/api/v1/caisses/${caisseId}/decisions/${d.id}`).set(bearer(tokens.committee));
    expect(done.body.tally).toMatchObject({ outcome: 'adopted', detail: { for: 3 } });
  }, 20_000);

  it('the governance log refuses to be rewritten in the database', async () => {
    await expect(t.sql(`UPDATE governance_log SET payload = '{}' WHERE caisse_id = $1`, [caisseId])).rejects.toThrow(/append-only/);
    await expect(t.sql(`DELETE FROM governance_log WHERE caisse_id = $1`, [caisseId])).rejects.toThrow(/append-only/);
  });

  it('verify finds an event rewritten behind the triggers\' back (as a superuser could)', async () => {
    const other = await t.newCaisse();
    await seatCommittee(t, other.caisseId, other.tokens.admin, 1);
    await openDecision(t, other.caisseId, other.tokens.admin, { subject: 'motion', method: 'consent' });
    const verify = () => t.http.get(`/api/v1/caisses/${other.caisseId}/register/log/verify`);
    expect((await verify()).body).toMatchObject({ ok: true, events: 3 });
    // One simple-protocol query, so the trigger bypass and the edit share a session and a transaction.
    await t.sql(
      `BEGIN; SET LOCAL session_replication_role = replica;
       UPDATE governance_log SET payload = jsonb_set(payload, '{title}', '"Autre chose"') WHERE caisse_id = '${other.caisseId}' AND seq = 2; COMMIT;`,
    );
    expect((await verify()).body).toMatchObject({ ok: false, brokenAt: 2, problem: 'content does not match its hash' });
  });
});
