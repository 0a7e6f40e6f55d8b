import { bearer } from '../support/outlet-fixtures.js';
import { payCaisse, type PayCaisse, payee, sale } from '../support/settlement-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { webClient, webLogin, type WebClient } from '../support/web-fixtures.js';
import { todayInFrance } from '../../src/common/dates.js';

describe('Web pages: settlement runs (e2e)', () => {
  let t: TestApp;
  let c: PayCaisse;
  let treasurer: WebClient;
  let second: WebClient;
  const base = () => `/caisses/${c.caisseId}/reglements`;
  beforeAll(async () => {
    t = await createTestApp();
    c = await payCaisse(t);
    treasurer = await webLogin(t, c.caisseId, 'treasurer');
    // A second treasurer, the four-eyes approver.
    const email = `treasurer2-${c.caisseId.slice(0, 8)}@test.caisse`;
    const made = await t.http.post(`/api/v1/caisses/${c.caisseId}/users`).set(bearer(c.tokens.admin)).send({ email, password: 'password-treasurer2-123', role: 'treasurer' });
    if (made.status !== 201) throw new Error(`second treasurer: ${made.status}`);
    second = webClient(t);
    await second.get('/connexion');
    expect((await second.post('/connexion', { email, password: 'password-treasurer2-123' })).status).toBe(303);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('refuses other roles and a form without its CSRF token', async () => {
    const cashier = await webLogin(t, c.caisseId, 'cashier');
    expect((await cashier.get(base())).status).toBe(403);
    const committee = await webLogin(t, c.caisseId, 'committee');
    expect((await committee.get(base())).status).toBe(403);
    await treasurer.get(base());
    const noCsrf = await treasurer.post(base(), { until: todayInFrance() }, { csrf: false });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.text).not.toContain('Règlement n°');
    const anonymous = await t.http.get(base()).set('Accept', 'text/html');
    expect(anonymous.status).toBe(303);
  });

  it('names the wrong fields of the form in French, and says when there is nothing to pay', async () => {
    await treasurer.get(base());
    const bad = await treasurer.post(base(), { until: '2026-02-30', minAmount: '1,234', bankAccount: 'abc' });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/id="f-until-error"/);
    expect(bad.text).toMatch(/id="f-minAmount-error"/);
    expect(bad.text).toMatch(/id="f-bankAccount-error"/);
    const none = await treasurer.post(base(), { until: '2020-01-01' });
    expect(none.status).toBe(409);
    expect(none.text).toContain('Rien à payer');
  });

  it('prepares a run once per form, shows it in French, lets only a second person approve, exports and serves the pain.001', async () => {
    const o = await payee(t, c);
    await sale(t, c, o.accountCode, '1234.50');
    const page = await treasurer.get(base());
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(page.text)![1];
    const form = { until: todayInFrance(), minAmount: '0,01', idempotencyKey: key };
    const made = await treasurer.post(base(), form);
    expect(made.status).toBe(303);
    const runUrl = made.headers.location as string;
    expect((await treasurer.post(base(), form)).headers.location).toBe(runUrl);
    const [{ n }] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM settlement_runs WHERE caisse_id = $1`, [c.caisseId]);
    expect(n).toBe(1);

    const mine = await treasurer.get(runUrl);
    expect(mine.status).toBe(200);
    expect(mine.text).toContain('1\u202f234,50\u00a0€');
    expect(mine.text).toContain('Brouillon');
    expect(mine.text).toContain('une autre personne');
    expect(mine.text).not.toContain('/approuver"');
    const self = await treasurer.post(`${runUrl}/approuver`, {});
    expect(self.status).toBe(403);
    expect(self.text).toContain('une autre personne doit l’approuver');

    const theirs = await second.get(runUrl);
    expect(theirs.text).toContain('/approuver"');
    expect((await second.post(`${runUrl}/approuver`, {}, { csrf: false })).status).toBe(403);
    const approved = await second.post(`${runUrl}/approuver`, {});
    expect(approved.status).toBe(303);
    expect((await second.get(runUrl)).text).toContain('Approuvé');

    await treasurer.get(runUrl);
    expect((await treasurer.post(`${runUrl}/exporter`, { version: '07' })).status).toBe(400);
    const exported = await treasurer.post(`${runUrl}/exporter`, { version: '09' });
    expect(exported.status).toBe(303);
    const after = await treasurer.get(runUrl);
    expect(after.text).toContain('Exporté');
    expect(after.text).toContain('pain001?version=09');
    const xml = await treasurer.get(`${runUrl}/pain001?version=09`);
    expect(xml.status).toBe(200);
    expect(xml.headers['content-type']).toContain('application/xml');
    expect(xml.headers['content-disposition']).toMatch(/attachment; filename=".+pain\.001\.001\.09\.xml"/);
    expect(xml.text).toContain('<InstdAmt Ccy="EUR">1234.50</InstdAmt>');
    expect((await treasurer.get(`${runUrl}/pain001?version=03`)).text).toContain('pain.001.001.03');

    const lineId = /\/lignes\/([0-9a-f-]{36})\/retour/.exec(after.text)![1];
    const csv = await t.http.get(`${runUrl}/releves/${o.id}?format=csv`).set('Cookie', treasurer.cookieHeader());
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const pdf = await t.http.get(`${runUrl}/releves/${o.id}`).set('Cookie', treasurer.cookieHeader());
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((await treasurer.post(`${runUrl}/lignes/${lineId}/retour`, { reason: 'A', returnedOn: todayInFrance() })).status).toBe(400);
    expect((await treasurer.post(`${runUrl}/lignes/${lineId}/retour`, { reason: 'AC04', returnedOn: todayInFrance() }, { csrf: false })).status).toBe(403);
    const returned = await treasurer.post(`${runUrl}/lignes/${lineId}/retour`, { reason: 'AC04', returnedOn: todayInFrance() });
    expect(returned.status).toBe(303);
    expect((await treasurer.get(runUrl)).text).toContain('Retourné');
    expect((await treasurer.post(`${runUrl}/lignes/${lineId}/retour`, { reason: 'AC04', returnedOn: todayInFrance() })).status).toBe(409);
  });
});
