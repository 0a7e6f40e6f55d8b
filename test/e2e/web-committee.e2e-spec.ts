import { closeDecision, openDecision } from '../support/governance-fixtures.js';
import { seatWebCommittee, webMember, type WebSeat } from '../support/committee-web-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { webLogin } from '../support/web-fixtures.js';

const GRADES = ['À rejeter', 'Insuffisant', 'Passable', 'Assez bien', 'Bien', 'Très bien', 'Excellent'];

describe('Web committee: agenda, voting with each method, results, mandates (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let tokens: Awaited<ReturnType<TestApp['newCaisse']>>['tokens'];
  let seats: WebSeat[];
  beforeAll(async () => {
    t = await createTestApp();
    ({ caisseId, tokens } = await t.newCaisse());
    seats = await seatWebCommittee(t, caisseId, tokens.admin, 3);
  });
  afterAll(() => t.close());

  const page = (id: string) => `/caisses/${caisseId}/comite/decisions/${id}`;

  it('votes by simple majority through the form, refuses a post without CSRF, and shows the tally after close', async () => {
    const d = await openDecision(t, caisseId, tokens.committee, { title: 'Motion : horaires du marché', subject: 'motion', method: 'simple-majority' });
    const members = await Promise.all(seats.map((s) => webMember(t, caisseId, s)));
    const before = await members[0].get(page(d.id));
    expect(before.status).toBe(200);
    expect(before.text).toContain('name="choice" value="for"');
    expect(before.text).not.toContain('Résultat</h2>');
    expect((await members[0].post(`${page(d.id)}/vote`, { choice: 'for' }, { csrf: false })).status).toBe(403);
    for (const [i, choice] of ['for', 'for', 'against'].entries()) expect((await members[i].post(`${page(d.id)}/vote`, { choice })).status).toBe(303);
    expect((await members[0].get(`${page(d.id)}?vote=1`)).text).toContain('Vote enregistré');
    const committee = await webLogin(t, caisseId, 'committee');
    const agenda = await committee.get(`/caisses/${caisseId}/comite`);
    expect(agenda.status).toBe(200);
    expect(agenda.text).toContain('Motion : horaires du marché');
    expect((await committee.post(`${page(d.id)}/cloture`, {}, { csrf: false })).status).toBe(403);
    expect((await committee.post(`${page(d.id)}/cloture`, {})).status).toBe(303);
    const after = await members[0].get(page(d.id));
    expect(after.text).toContain('Adoptée');
    expect(after.text).toContain('/register/log/verify');
    expect(after.text).not.toContain('name="choice"');
  });

  it('takes consent (an objection needs its reason), approval and majority-judgment ballots', async () => {
    const member = await webMember(t, caisseId, seats[0]);
    const consent = await openDecision(t, caisseId, tokens.committee, { title: 'Motion : consentement', subject: 'motion', method: 'consent' });
    const bare = await member.post(`${page(consent.id)}/vote`, { position: 'objection' });
    expect(bare.status).toBe(400);
    expect(bare.text).toContain('Vote refusé');
    expect((await member.post(`${page(consent.id)}/vote`, { position: 'objection', reason: 'Le marché du mardi serait privé de producteurs.' })).status).toBe(303);

    const approval = await openDecision(t, caisseId, tokens.committee, { title: 'Motion : lieux', subject: 'motion', method: 'approval', theta: 50, options: ['Halle', 'Place'] });
    const approvalPage = await member.get(page(approval.id));
    expect(approvalPage.text).toContain('type="checkbox"');
    const res = await t.http
      .post(`${page(approval.id)}/vote`)
      .set('Cookie', member.cookieHeader())
      .set('Accept', 'text/html')
      .type('application/x-www-form-urlencoded')
      .send(`_csrf=${encodeURIComponent(member.csrf!)}&approved=Halle&approved=Place`);
    expect(res.status).toBe(303);

    const mj = await openDecision(t, caisseId, tokens.committee, { title: 'Motion : jugement', subject: 'motion', method: 'majority-judgment', options: ['Projet'], grades: GRADES, threshold: 3 });
    expect((await member.get(page(mj.id))).text).toContain('Très bien');
    expect((await member.post(`${page(mj.id)}/vote`, { 'grade.Projet': '5' })).status).toBe(303);
    expect((await member.post(`${page(mj.id)}/vote`, { 'grade.Projet': 'x' })).status).toBe(400);
    expect((await closeDecision(t, caisseId, mj.id, tokens.committee)).status).toBe(200);
    expect((await member.get(page(mj.id))).text).toContain('Décompte');
  });

  it('shows a secret ballot its receipt once, on the answer to the vote', async () => {
    const member = await webMember(t, caisseId, seats[2]);
    const d = await openDecision(t, caisseId, tokens.committee, { title: 'Motion : secrète', subject: 'motion', method: 'simple-majority', secret: true });
    const res = await member.post(`${page(d.id)}/vote`, { choice: 'against' });
    expect(res.status).toBe(201);
    expect(res.text).toMatch(/Votre code de reçu/);
    expect((await member.get(page(d.id))).text).not.toMatch(/Votre code de reçu/);
  });

  it('lists mandates for the committee and refuses members and tills there', async () => {
    const committee = await webLogin(t, caisseId, 'committee');
    const res = await committee.get(`/caisses/${caisseId}/comite/mandats`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('volontaire');
    const member = await webMember(t, caisseId, seats[1]);
    expect((await member.get(`/caisses/${caisseId}/comite/mandats`)).status).toBe(403);
    expect((await member.get(`/caisses/${caisseId}/comite/decisions`)).status).toBe(200);
  });
});
