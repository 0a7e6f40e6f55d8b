import { allocationRules, fund, LYON } from '../support/allocation-fixtures.js';
import { createMember, type CreatedMember } from '../support/member-fixtures.js';
import { conventionnedOutlet } from '../support/outlet-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { webClient, webLogin, type WebClient } from '../support/web-fixtures.js';

describe('Web pages: allocations, member space, public register and figures (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let tokens: Record<'admin' | 'treasurer' | 'committee' | 'cashier' | 'member', string>;
  let member: CreatedMember;
  let treasurer: WebClient;
  const period = new Date().toISOString().slice(0, 7);
  beforeAll(async () => {
    t = await createTestApp();
    ({ caisseId, tokens } = await t.newCaisse());
    await allocationRules(t, caisseId, tokens.admin, '2026-01-01', LYON);
    await fund(t, caisseId, '5000.00');
    member = await createMember(t, caisseId, tokens.admin, { joinedOn: '2026-01-05', commune: '34172' });
    await conventionnedOutlet(t, caisseId, tokens.admin, { name: 'Épicerie <b>du</b> Faubourg' });
    treasurer = await webLogin(t, caisseId, 'treasurer');
    // Booting the app (and chromium) on a loaded shared CI machine can take well over the default minute.
  }, 180_000);
  afterAll(() => t.close());

  async function memberClient(): Promise<WebClient> {
    const c = webClient(t);
    await c.get(`/caisses/${caisseId}/membre/connexion`);
    const res = await c.post(`/caisses/${caisseId}/membre/connexion`, { cardNumber: member.cardNumber!, pin: member.pin! });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/caisses/${caisseId}/membre`);
    return c;
  }

  it('starts an allocation run from the form once per form, and serves its progress fragment', async () => {
    await treasurer.get(`/caisses/${caisseId}/allocations`);
    const key = /name="idempotencyKey" value="([^"]+)"/.exec((await treasurer.get(`/caisses/${caisseId}/allocations`)).text)![1];
    const first = await treasurer.post(`/caisses/${caisseId}/allocations`, { period, idempotencyKey: key });
    expect(first.status).toBe(303);
    const runUrl = first.headers.location as string;
    expect(runUrl).toMatch(new RegExp(`^/caisses/${caisseId}/allocations/[0-9a-f-]{36}$`));
    const again = await treasurer.post(`/caisses/${caisseId}/allocations`, { period, idempotencyKey: key });
    expect(again.headers.location).toBe(runUrl);
    const page = await treasurer.get(runUrl);
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="run-progress-bar"');
    let fragment = await treasurer.get(`${runUrl}/progression`);
    for (let i = 0; i < 120 && !fragment.text.includes('data-status="completed"'); i++) {
      await new Promise((r) => setTimeout(r, 250));
      fragment = await treasurer.get(`${runUrl}/progression`);
    }
    expect(fragment.text).toContain('value="100"');
    expect(fragment.text).not.toContain('<html');
    expect(fragment.headers['hx-refresh']).toBe('true');
  });

  it('lists the month\'s contributions still to pay, by member number', async () => {
    const res = await treasurer.get(`/caisses/${caisseId}/contributions?mois=${period}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(member.number);
    expect(res.text).toContain('À régler');
    const cashier = await webLogin(t, caisseId, 'cashier');
    expect((await cashier.get(`/caisses/${caisseId}/contributions`)).status).toBe(403);
  });

  it('refuses a malformed month with the field named, and a committee member may look but not start', async () => {
    const bad = await treasurer.post(`/caisses/${caisseId}/allocations`, { period: '2026-13' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Indiquez un mois au format AAAA-MM.');
    expect(bad.text).toContain('aria-invalid="true"');
    const committee = await webLogin(t, caisseId, 'committee');
    expect((await committee.get(`/caisses/${caisseId}/allocations`)).status).toBe(200);
    expect((await committee.post(`/caisses/${caisseId}/allocations`, { period })).status).toBe(403);
  });

  it('logs a member in with card and PIN, counting a wrong PIN, and shows the credited balance', async () => {
    const c = webClient(t);
    await c.get(`/caisses/${caisseId}/membre/connexion`);
    const wrong = await c.post(`/caisses/${caisseId}/membre/connexion`, { cardNumber: member.cardNumber!, pin: member.pin === '0000' ? '1111' : '0000' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('encore 2 essai(s)');
    const m = await memberClient();
    const space = await m.get(`/caisses/${caisseId}/membre`);
    expect(space.status).toBe(200);
    expect(space.text).toContain('315,00\u00a0€');
    expect(space.text).toContain(member.number);
    expect((await m.get(`/caisses/${caisseId}/tableau-de-bord`)).status).toBe(403);
    const shops = await m.get(`/caisses/${caisseId}/membre/ou-faire-mes-courses`);
    expect(shops.text).toContain('Épicerie &lt;b&gt;du&lt;/b&gt; Faubourg');
    const data = await t.http.get(`/caisses/${caisseId}/membre/mes-donnees`).set('Cookie', m.cookieHeader());
    expect(data.headers['content-disposition']).toBe('attachment; filename="mes-donnees.json"');
    expect(JSON.stringify(JSON.parse(data.text))).toContain(member.number);
  });

  it('lets a member block the card, which ends the session', async () => {
    const m = await memberClient();
    await m.get(`/caisses/${caisseId}/membre`);
    const res = await m.post(`/caisses/${caisseId}/membre/carte/blocage`, { reason: 'volée' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/caisses/${caisseId}/membre/connexion?carte=bloquee`);
    const [card] = await t.sql<{ state: string }>(`SELECT state FROM member_cards WHERE member_id = $1 AND card_number = $2`, [member.id, member.cardNumber]);
    expect(card.state).toBe('blocked');
    expect((await m.get(`/caisses/${caisseId}/membre`)).status).toBe(303);
  });

  it('publishes the register and its chain check to anyone, without login', async () => {
    const res = await webClient(t).get(`/caisses/${caisseId}/registre`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Journal intègre');
    expect(res.text).toContain(`/api/v1/caisses/${caisseId}/register/log`);
  });

  it('shows on "how it works" only the figures the admin chose, admin-only and CSRF-checked', async () => {
    const anon = webClient(t);
    expect((await anon.get(`/caisses/${caisseId}/fonctionnement`)).text).toContain('pas encore choisi');
    expect((await treasurer.post(`/caisses/${caisseId}/publication`, { figures: 'members' })).status).toBe(403);
    const admin = await webLogin(t, caisseId, 'admin');
    await admin.get(`/caisses/${caisseId}/publication`);
    expect((await admin.post(`/caisses/${caisseId}/publication`, { figures: 'members' }, { csrf: false })).status).toBe(403);
    expect((await admin.post(`/caisses/${caisseId}/publication`, { figures: 'salaries' })).status).toBe(400);
    const body = new URLSearchParams([['_csrf', admin.csrf!], ['figures', 'members'], ['figures', 'allocations']]).toString();
    const saved = await t.http.post(`/caisses/${caisseId}/publication`).set('Cookie', admin.cookieHeader()).type('form').send(body);
    expect(saved.status).toBe(303);
    const page = (await anon.get(`/caisses/${caisseId}/fonctionnement`)).text;
    expect(page).toContain('Membres actifs ce mois-ci');
    expect(page).toContain('315,00\u00a0€');
    expect(page).not.toContain('Fonds disponibles');
    expect(page).toContain('150,00\u00a0€');
    const audit = await t.sql(`SELECT action FROM audit_log WHERE caisse_id = $1 AND action = 'public-figures.chosen'`, [caisseId]);
    expect(audit).toHaveLength(1);
  });
});
