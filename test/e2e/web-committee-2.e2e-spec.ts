import { createHash } from 'node:crypto';
import type { Response } from 'supertest';
import { drawnCommitteeDraw, outletWithDossier } from '../support/dossier-fixtures.js';
import { closeDecision, openDecision, type Seat, seatCommittee, vote } from '../support/governance-fixtures.js';
import { bearer, conventionnedOutlet, createOutlet, inDays } from '../support/outlet-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { webLogin, type WebClient } from '../support/web-fixtures.js';

const GRADES = ['À rejeter', 'Insuffisant', 'Passable', 'Assez bien', 'Bien', 'Très bien', 'Excellent'];
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(1500, 0x20), Buffer.from('\n%%EOF\n')]);
const GRID = [
  { code: 'organic-practice', label: 'Pratiques biologiques ou durables', evidenceRequired: true },
  { code: 'locality', label: 'Production locale' },
];

/** The page's content as a reader sees it: <main>, without the chart data blocks (JSON for the script, not shown). */
const visible = (res: Response) => (/<main[\s\S]*<\/main>/.exec(res.text)?.[0] ?? '').replace(/<script type="application\/json"[^>]*>[\s\S]*?<\/script>/g, '');
/** A JSON dump shows as `{"…` (or escaped `{&quot;…`) or a <pre> block: none may reach a page. */
const expectNoJson = (res: Response) => {
  expect(visible(res)).not.toMatch(/\{"|\{&quot;|\[&quot;|<pre>/);
};
const binary = (res: Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('Web committee: dossiers, results of each method, sortition pages (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let tokens: Awaited<ReturnType<TestApp['newCaisse']>>['tokens'];
  let seats: Seat[];
  let committee: WebClient;
  const api = () => `/api/v1/caisses/${caisseId}`;
  const page = (id: string) => `/caisses/${caisseId}/comite/decisions/${id}`;

  /** Opens a decision, casts one ballot per seat (in order), closes it through the API and returns its page. */
  async function decided(body: Record<string, unknown>, ballots: Record<string, unknown>[]): Promise<Response> {
    const d = await openDecision(t, caisseId, tokens.committee, body);
    for (const [i, ballot] of ballots.entries()) expect((await vote(t, caisseId, d.id, seats[i].token, ballot)).status).toBe(201);
    expect((await closeDecision(t, caisseId, d.id, tokens.committee)).status).toBe(200);
    const res = await committee.get(page(d.id));
    expect(res.status).toBe(200);
    expectNoJson(res);
    return res;
  }

  beforeAll(async () => {
    t = await createTestApp();
    ({ caisseId, tokens } = await t.newCaisse());
    seats = await seatCommittee(t, caisseId, tokens.admin, 3);
    committee = await webLogin(t, caisseId, 'committee');
  }, 120_000);
  afterAll(() => t?.close());

  it('renders a simple majority as for / against / abstain with its rule, quorum and the log event hash', async () => {
    const res = await decided({ title: 'Motion : horaires', subject: 'motion', method: 'simple-majority' }, [{ choice: 'for' }, { choice: 'for' }, { choice: 'against' }]);
    const html = visible(res);
    expect(html).toContain('Adoptée');
    expect(html).toMatch(/<caption>Votes<\/caption>[\s\S]*<td class="num">2<\/td><td class="num">1<\/td><td class="num">0<\/td><td class="num">3<\/td>/);
    expect(html).toContain('plus de voix pour que contre : 2 pour, 1 contre');
    expect(html).toContain('3 sur 3 (100 %)');
    expect(html).toMatch(/Quorum \(plus de la moitié des membres appelés à voter\)<\/th><td>atteint/);
    const [event] = await t.sql<{ seq: number; hash: string }>(`SELECT seq, hash FROM governance_log WHERE caisse_id = $1 AND kind = 'decision.closed' ORDER BY seq DESC LIMIT 1`, [caisseId]);
    expect(html).toContain(`événement n° ${event.seq}`);
    expect(html).toContain(event.hash);
    expect(html).toContain(`/register/log?after=${event.seq - 1}&amp;limit=1`);
    expect(html).toContain('/register/log/verify');
  });

  it('renders a qualified majority with its fraction and the number it needed', async () => {
    const res = await decided({ title: 'Motion : budget', subject: 'motion', method: 'qualified-majority', a: 2, b: 3, basis: 'cast' }, [{ choice: 'for' }, { choice: 'against' }, { choice: 'abstain' }]);
    const html = visible(res);
    expect(html).toContain('Rejetée');
    expect(html).toContain('2/3 des votes exprimés : 1 pour sur 2');
    expect(html).toMatch(/<td class="num">1<\/td><td class="num">1<\/td><td class="num">1<\/td><td class="num">2<\/td>/);
  });

  it('renders consent with the counts of each position and the reasons of the objections', async () => {
    const reason = 'Le marché du mardi serait privé de producteurs.';
    const res = await decided({ title: 'Motion : consentement', subject: 'motion', method: 'consent' }, [{ position: 'consent' }, { position: 'objection', reason }, { position: 'stand-aside' }]);
    const html = visible(res);
    expect(html).toContain('Rejetée');
    expect(html).toMatch(/<caption>Positions<\/caption>[\s\S]*<td class="num">1<\/td><td class="num">1<\/td><td class="num">1<\/td><td class="num">0<\/td><td class="num">1<\/td>/);
    expect(html).toContain('Motifs des objections');
    expect(html).toContain(`« ${reason} »`);
    expect(html).toContain('1 bloque');
  });

  it('renders approval with the approvals of each option against the threshold', async () => {
    const res = await decided({ title: 'Motion : lieux', subject: 'motion', method: 'approval', theta: 50, options: ['Halle', 'Place'] }, [
      { approved: ['Halle', 'Place'] },
      { approved: ['Halle'] },
      { approved: [] },
    ]);
    const html = visible(res);
    expect(html).toContain('seuil : 50 % des 3 participants');
    expect(html).toMatch(/<th scope="row">Halle<\/th><td class="num">2<\/td><td class="num">67 %<\/td><td>oui<\/td>/);
    expect(html).toMatch(/<th scope="row">Place<\/th><td class="num">1<\/td><td class="num">33 %<\/td><td>non<\/td>/);
  });

  it('renders majority judgment as a grade table and a chart, with the majority grade, the winner and the tie-break nonce', async () => {
    const res = await decided({ title: 'Motion : jugement', subject: 'motion', method: 'majority-judgment', options: ['Projet A', 'Projet B'], grades: GRADES, threshold: 3 }, [
      { grades: { 'Projet A': 5, 'Projet B': 2 } },
      { grades: { 'Projet A': 4, 'Projet B': 3 } },
      { grades: { 'Projet A': 1, 'Projet B': 6 } },
    ]);
    const html = visible(res);
    expect(html).toContain('Adoptée');
    expect(html).toContain('En tête : <strong>« Projet A »</strong>, mention majoritaire <strong>Bien</strong>');
    expect(html).toContain('le seuil d’admission est « Assez bien » : atteint');
    // Projet A: one Insuffisant, one Bien, one Très bien; rank 1.
    expect(html).toMatch(/<td class="num">1<\/td><th scope="row">Projet A<\/th><td class="num">0<\/td><td class="num">1<\/td><td class="num">0<\/td><td class="num">0<\/td><td class="num">1<\/td><td class="num">1<\/td><td class="num">0<\/td><td>Bien<\/td>/);
    expect(html).toMatch(/<td class="num">2<\/td><th scope="row">Projet B<\/th>[\s\S]*?<td>Assez bien<\/td>/);
    expect(res.text).toContain('id="mj-grades"');
    expect(res.text).toMatch(/<script type="application\/json" id="mj-grades-data">\{"type":"bar","labels":\["À rejeter"[^<]*"integer":true\}/);
    expect(res.text).toMatch(/\/assets\/[^/"]+\/charts\.js/);
    expect(html).toMatch(/Aléa de départage[\s\S]*engagement <code>[0-9a-f]{64}<\/code>, valeur <code>[0-9a-f]{64}<\/code>/);
  });

  it('withholds the counts of a secret ballot with too few voters and says so', async () => {
    const res = await decided({ title: 'Motion : secrète', subject: 'motion', method: 'simple-majority', secret: true, minPublishedCount: 5 }, [{ choice: 'for' }, { choice: 'for' }]);
    expect(visible(res)).toContain('seul le résultat est publié');
    expect(visible(res)).not.toContain('<caption>Votes</caption>');
    expect(visible(res)).toContain(`/register/decisions/`);
  });

  describe('outlet dossier', () => {
    let outletId: string;
    let evidenceId: string;
    beforeAll(async () => {
      expect((await t.http.post(`${api()}/outlet-criteria`).set(bearer(tokens.admin)).send({ effectiveFrom: '2026-01-01', criteria: GRID })).status).toBe(201);
      outletId = (await conventionnedOutlet(t, caisseId, tokens.admin, { name: 'Ferme des Garrigues' })).id;
      expect((await t.http.put(`${api()}/outlets/${outletId}/criteria/locality`).set(bearer(tokens.admin)).send({ answer: 'yes', comment: 'Moins de 30 km' })).status).toBe(200);
      const up = await t.http
        .post(`${api()}/outlets/${outletId}/evidence`)
        .set(bearer(tokens.treasurer))
        .field('criterion', 'organic-practice')
        .field('issuer', 'Ecocert FR-BIO-01')
        .field('reference', 'CERT-2026-0042')
        .field('validUntil', inDays(200))
        .attach('file', PDF, { filename: 'certificat bio.pdf', contentType: 'application/pdf' });
      expect(up.status).toBe(201);
      evidenceId = up.body.id;
      await decided({ title: 'Suspension de la Ferme des Garrigues', subject: 'suspension', outletId, method: 'simple-majority', replyDeadline: new Date().toISOString() }, [
        { choice: 'against' },
        { choice: 'against' },
      ]);
    });

    it('shows criteria with answers, documents with their checksum, decisions about it and the history', async () => {
      const res = await committee.get(`/caisses/${caisseId}/comite/points-de-vente/${outletId}`);
      expect(res.status).toBe(200);
      expectNoJson(res);
      const html = res.text;
      expect(html).toContain('<h1>Dossier : Ferme des Garrigues</h1>');
      expect(html).toContain('Pratiques biologiques ou durables');
      expect(html).toMatch(/Réponse : <strong>Oui<\/strong>[\s\S]*Moins de 30 km/);
      expect(html).toContain(`/comite/points-de-vente/${outletId}/pieces/${evidenceId}`);
      expect(html).toContain('Ecocert FR-BIO-01, réf. CERT-2026-0042');
      expect(html).toContain(createHash('sha256').update(PDF).digest('hex'));
      expect(html).toMatch(/Suspension de la Ferme des Garrigues<\/a><\/td><td>Suspension<\/td>[\s\S]*?<td>Rejetée<\/td>/);
      expect(html).toMatch(/Dossier complet → Conventionné/);
      const agenda = await committee.get(`/caisses/${caisseId}/comite`);
      expect(agenda.status).toBe(200);
      expectNoJson(agenda);
    });

    it('downloads a document as it was uploaded, to the roles that may see the outlet only', async () => {
      const url = `/caisses/${caisseId}/comite/points-de-vente/${outletId}/pieces/${evidenceId}`;
      const res = await t.http.get(url).set('Cookie', committee.cookieHeader()).buffer(true).parse(binary);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="certificat bio.pdf"; filename*=UTF-8''certificat%20bio.pdf`);
      expect(Buffer.compare(res.body as Buffer, PDF)).toBe(0);
      const member = await webLogin(t, caisseId, 'member');
      expect((await member.get(url)).status).toBe(403);
      expect((await member.get(`/caisses/${caisseId}/comite/points-de-vente/${outletId}`)).status).toBe(403);
      const cashier = await webLogin(t, caisseId, 'cashier');
      expect((await cashier.get(`/caisses/${caisseId}/comite/points-de-vente/${outletId}`)).status).toBe(403);
      const treasurer = await webLogin(t, caisseId, 'treasurer');
      expect((await treasurer.get(`/caisses/${caisseId}/comite/points-de-vente/${outletId}`)).status).toBe(200);
      const anonymous = await t.http.get(`/caisses/${caisseId}/comite/points-de-vente/${outletId}`).set('Accept', 'text/html');
      expect(anonymous.status).toBe(303);
      expect(anonymous.headers.location).toMatch(/^\/connexion\?retour=/);
    });

    it('answers 404 for a document or an outlet of another caisse, and 400 for a malformed id', async () => {
      const other = await t.newCaisse();
      const foreign = await createOutlet(t, other.caisseId, other.tokens.admin);
      expect((await committee.get(`/caisses/${caisseId}/comite/points-de-vente/${foreign.id}`)).status).toBe(404);
      expect((await committee.get(`/caisses/${caisseId}/comite/points-de-vente/${outletId}/pieces/${foreign.id}`)).status).toBe(404);
      const bad = await committee.get(`/caisses/${caisseId}/comite/points-de-vente/not-a-uuid`);
      expect(bad.status).toBe(400);
      const problem = await t.http.get(`/caisses/${caisseId}/comite/points-de-vente/not-a-uuid`).set('Cookie', committee.cookieHeader()).set('Accept', 'application/json');
      expect(problem.status).toBe(400);
      expect(problem.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(Object.keys(problem.body.errors)).toEqual(['outletId']);
    });
  });

  describe('putting a decision about an outlet to the vote', () => {
    it('offers the subjects its status allows, refuses bad input by field, and opens the decision', async () => {
      const outlet = await outletWithDossier(t, caisseId, tokens, 'Épicerie du Lac');
      const url = `/caisses/${caisseId}/comite/points-de-vente/${outlet.id}/mettre-au-vote`;
      const dossier = await committee.get(`/caisses/${caisseId}/comite/points-de-vente/${outlet.id}`);
      expect(dossier.text).toContain(`href="${url}"`);
      const form = await committee.get(url);
      expect(form.status).toBe(200);
      expect(form.text).toContain('<option value="conventionnement" selected>Conventionnement</option>');
      expect(form.text).not.toContain('value="suspension"');
      const member = await webLogin(t, caisseId, 'member');
      expect((await member.get(url)).status).toBe(403);
      const treasurer = await webLogin(t, caisseId, 'treasurer');
      expect((await treasurer.get(url)).status).toBe(403);

      const fields = { title: 'Conventionnement de l’Épicerie du Lac', subject: 'conventionnement', method: 'majority-judgment', closesAt: '', reviewOn: inDays(365) };
      expect((await committee.post(url, { ...fields, closesAt: '2030-01-10T18:00' }, { csrf: false })).status).toBe(403);
      const missing = await committee.post(url, { ...fields, reviewOn: '', closesAt: 'demain' });
      expect(missing.status).toBe(400);
      expect(missing.text).toMatch(/id="f-closesAt-error">choose a date and a time</);
      const noReview = await committee.post(url, { ...fields, reviewOn: '', closesAt: '2030-01-10T18:00' });
      expect(noReview.status).toBe(400);
      expect(noReview.text).toMatch(/id="f-reviewOn-error">[^<]*reviewOn/);
      expect(noReview.text).toContain('value="Conventionnement de l’Épicerie du Lac"');

      const created = await committee.post(url, { ...fields, closesAt: '2030-01-10T18:00' });
      expect(created.status).toBe(303);
      const decisionId = /\/comite\/decisions\/([0-9a-f-]{36})$/.exec(created.headers.location)?.[1];
      const d = (await t.http.get(`${api()}/decisions/${decisionId}`).set(bearer(tokens.committee))).body;
      expect(d).toMatchObject({ subject: 'conventionnement', outletId: outlet.id, closesAt: '2030-01-10T17:00:00.000Z', reviewOn: inDays(365), secret: false });
      expect(d.method).toMatchObject({ kind: 'majority-judgment', options: ['Épicerie du Lac'], threshold: 3 });
      const page = await committee.get(created.headers.location);
      expect(page.text).toContain('Jugement majoritaire : admis à partir de la mention « Assez bien »');
      expect(page.text).toContain(`href="/caisses/${caisseId}/comite/points-de-vente/${outlet.id}">dossier du point de vente</a>`);
    });

    it('asks for the right of reply before a suspension, and says when no decision is possible', async () => {
      const outlet = await conventionnedOutlet(t, caisseId, tokens.admin);
      const url = `/caisses/${caisseId}/comite/points-de-vente/${outlet.id}/mettre-au-vote`;
      const fields = { title: 'Suspension', subject: 'suspension', method: 'consent', closesAt: '2030-01-10T18:00' };
      const refused = await committee.post(url, fields);
      expect(refused.status).toBe(400);
      expect(refused.text).toMatch(/id="f-replyDeadline-error">[^<]*right of reply/);
      const created = await committee.post(url, { ...fields, replyDeadline: '2026-01-05T12:00' });
      expect(created.status).toBe(303);
      const other = await createOutlet(t, caisseId, tokens.admin);
      const none = await committee.get(`/caisses/${caisseId}/comite/points-de-vente/${other.id}/mettre-au-vote`);
      expect(none.status).toBe(200);
      expect(none.text).toContain('Aucune décision ne peut être mise au vote');
      expect(none.text).not.toContain('<form method="post" action="/caisses');
    });
  });

  describe('sortition', () => {
    let drawId: string;
    beforeAll(async () => {
      drawId = await drawnCommitteeDraw(t, caisseId, tokens.admin);
    });

    it('shows the public inputs, the seed, the result and the exact command to re-run it', async () => {
      const res = await committee.get(`/caisses/${caisseId}/comite/tirages/${drawId}`);
      expect(res.status).toBe(200);
      expectNoJson(res);
      const draw = (await t.http.get(`${api()}/committee/draws/${drawId}`).set(bearer(tokens.committee))).body;
      expect(res.text).toContain(draw.seed);
      expect(res.text).toContain('<code>meeting:4x99</code>');
      expect(res.text).toContain('<code>17 23 42 08</code>');
      for (const p of draw.selected) expect(res.text).toContain(`<li><code>${p}</code></li>`);
      const file = `tirage-${drawId.slice(0, 8)}.json`;
      expect(res.text).toContain(`<code>npm run verify-draw -- ${file}</code>`);
      const doc = await t.http.get(`/caisses/${caisseId}/comite/tirages/${drawId}/tirage.json`).set('Cookie', committee.cookieHeader());
      expect(doc.status).toBe(200);
      expect(doc.headers['content-disposition']).toBe(`attachment; filename="${file}"`);
      expect(JSON.parse(doc.text)).toMatchObject({ format: 'ssa-sortition-draw', drawId, seed: draw.seed });
      const member = await webLogin(t, caisseId, 'member');
      expect((await member.get(`/caisses/${caisseId}/comite/tirages/${drawId}/tirage.json`)).status).toBe(403);
    });

    it('re-runs the draw on the server only with the CSRF token', async () => {
      const url = `/caisses/${caisseId}/comite/tirages/${drawId}/verification`;
      expect((await committee.post(url, {}, { csrf: false })).status).toBe(403);
      const res = await committee.post(url, {});
      expect(res.status).toBe(200);
      expect(res.text).toContain('Tirage reproduit à l’identique.');
      expectNoJson(res);
    });
  });
});
