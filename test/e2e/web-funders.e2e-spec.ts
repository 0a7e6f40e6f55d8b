import { todayInFrance } from '../../src/common/dates.js';
import { nextBusinessDay } from '../../src/contributions/target2.js';
import { contributionRules } from '../support/contribution-fixtures.js';
import { bearer, createMember, type CreatedMember } from '../support/member-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { webClient, webLogin, type WebClient } from '../support/web-fixtures.js';

const NNBSP = '\u202f';
const NBSP = '\u00a0';

describe('Web pages: contributors, grants and tranches, direct debits, member pre-notifications (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let tokens: Record<'admin' | 'treasurer' | 'committee' | 'cashier' | 'member', string>;
  let member: CreatedMember;
  let treasurer: WebClient;
  const root = () => `/caisses/${caisseId}`;
  const mandateRef = () => `RUM-${caisseId.slice(0, 8)}-1`;
  beforeAll(async () => {
    t = await createTestApp();
    ({ caisseId, tokens } = await t.newCaisse());
    // 2.5 % of 1 200 € a month: 30,00 € due each month.
    await contributionRules(t, caisseId, tokens.admin, { rule: 'percent-of-income', rate: '0.025', floor: '10.00' });
    member = await createMember(t, caisseId, tokens.admin, { monthlyIncome: '1200.00', joinedOn: '2026-01-05' });
    const api = (path: string) => `/api/v1/caisses/${caisseId}${path}`;
    const settings = await t.http
      .put(api('/direct-debit-settings'))
      .set(bearer(tokens.treasurer))
      .send({ creditorId: 'FR72ZZZ123456', creditorName: 'Caisse commune', creditorIban: 'FR7630004000031234567890143', creditorBic: 'BNPAFRPP' });
    expect(settings.status).toBe(200);
    const mandate = await t.http
      .post(api('/mandates'))
      .set(bearer(tokens.treasurer))
      .send({ memberId: member.id, reference: mandateRef(), signedOn: '2026-01-10', debtorName: 'Nadia Benali', iban: 'FR7630006000011234567890189' });
    expect(mandate.status).toBe(201);
    treasurer = await webLogin(t, caisseId, 'treasurer');
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  const PAGES = ['/contributeurs', '/contributeurs/nouveau', '/subventions', '/subventions/nouvelle', '/prelevements'];

  it('serves each page to the treasurer, refuses the committee and the cashier, sends the anonymous to the login', async () => {
    const committee = await webLogin(t, caisseId, 'committee');
    const cashier = await webLogin(t, caisseId, 'cashier');
    for (const path of PAGES) {
      expect([path, (await treasurer.get(`${root()}${path}`)).status]).toEqual([path, 200]);
      expect([path, (await committee.get(`${root()}${path}`)).status]).toEqual([path, 403]);
      expect([path, (await cashier.get(`${root()}${path}`)).status]).toEqual([path, 403]);
      const anonymous = await t.http.get(`${root()}${path}`).set('Accept', 'text/html');
      expect([path, anonymous.status]).toEqual([path, 303]);
    }
    const nav = (await treasurer.get(`${root()}/contributeurs`)).text;
    for (const href of ['/contributeurs', '/subventions', '/prelevements']) expect(nav).toContain(`href="${root()}${href}"`);
    expect((await committee.get(`${root()}/allocations`)).text).not.toContain(`href="${root()}/subventions"`);
  });

  it('refuses every form posted without its CSRF token', async () => {
    await treasurer.get(`${root()}/contributeurs`);
    const forms: [string, Record<string, string>][] = [
      ['/contributeurs', { kind: 'foundation', name: 'Fondation sans jeton' }],
      ['/subventions', { reference: 'NO-CSRF', amount: '10' }],
      ['/prelevements', { period: todayInFrance().slice(0, 7), collectionDate: nextBusinessDay(todayInFrance()) }],
    ];
    for (const [path, form] of forms) expect([path, (await treasurer.post(`${root()}${path}`, form, { csrf: false })).status]).toEqual([path, 403]);
    const [{ n }] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM contributors WHERE caisse_id = $1`, [caisseId]);
    expect(n).toBe(0);
  });

  let funderId: string;
  it('adds a contributor: bad input names the field in French, a good one is listed, then corrected', async () => {
    await treasurer.get(`${root()}/contributeurs/nouveau`);
    const bad = await treasurer.post(`${root()}/contributeurs`, { kind: 'employer', name: 'SCOP Les Jardins', siret: '12345678901234' });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/id="f-siret-error">SIRET invalide/);
    expect(bad.text).toContain('value="SCOP Les Jardins"');
    const noType = await treasurer.post(`${root()}/contributeurs`, { kind: 'public-funder', name: 'Région' });
    expect(noType.status).toBe(400);
    expect(noType.text).toMatch(/id="f-funderType-error">Choisissez le type de financeur public/);

    const made = await treasurer.post(`${root()}/contributeurs`, { kind: 'public-funder', funderType: 'region', name: 'Région Occitanie', address: '201 av. de la Pompignane, 34000 Montpellier' });
    expect(made.status).toBe(303);
    const page = made.headers.location as string;
    funderId = /\/contributeurs\/([0-9a-f-]{36})\?ok=cree$/.exec(page)![1];
    const shown = await treasurer.get(page);
    expect(shown.text).toContain('Contributeur ajouté.');
    expect(shown.text).toContain('Financeur public — Région');
    const list = await treasurer.get(`${root()}/contributeurs`);
    expect(list.text).toContain('Région Occitanie');
    expect(list.text).toContain('F000001');

    await treasurer.get(`${root()}/contributeurs/${funderId}/modifier`);
    const badEdit = await treasurer.post(`${root()}/contributeurs/${funderId}`, { name: '', iban: 'FR7630006000011234567890188' });
    expect(badEdit.status).toBe(400);
    expect(badEdit.text).toMatch(/id="f-name-error">Indiquez le nom/);
    expect(badEdit.text).toMatch(/id="f-iban-error">IBAN invalide/);
    const edited = await treasurer.post(`${root()}/contributeurs/${funderId}`, { name: 'Région Occitanie / Pyrénées-Méditerranée', iban: 'FR76 3000 6000 0112 3456 7890 189' });
    expect(edited.status).toBe(303);
    const after = await treasurer.get(`${root()}/contributeurs/${funderId}`);
    expect(after.text).toContain('Région Occitanie / Pyrénées-Méditerranée');
    expect(after.text).toContain('FR7630006000011234567890189');
    const [audit] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE caisse_id = $1 AND action = 'contributions.contributor-updated'`, [caisseId]);
    expect(audit.n).toBe(1);
  });

  it('records a grant (French field errors first), then its tranches up to the amount, once per form', async () => {
    const form = await treasurer.get(`${root()}/subventions/nouvelle?contributeur=${funderId}`);
    expect(form.text).toMatch(new RegExp(`<option value="${funderId}" selected>`));
    const bad = await treasurer.post(`${root()}/subventions`, { contributorId: funderId, reference: 'CONV 2026', amount: 'beaucoup', from: '2026-01-01', to: '2025-12-31' });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/id="f-amount-error">Montant invalide/);
    expect(bad.text).toMatch(/id="f-reference-error">Référence invalide/);
    const reversed = await treasurer.post(`${root()}/subventions`, { contributorId: funderId, reference: 'CONV-2026-01', amount: '50 000,00', from: '2026-12-31', to: '2026-01-01' });
    expect(reversed.status).toBe(400);
    expect(reversed.text).toMatch(/id="f-to-error">Date de fin invalide/);

    const page = await treasurer.get(`${root()}/subventions/nouvelle`);
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(page.text)![1];
    const body = { contributorId: funderId, reference: 'CONV-2026-01', amount: '50 000,00', from: '2026-01-01', to: '2026-12-31', fund: 'allocations', idempotencyKey: key };
    const made = await treasurer.post(`${root()}/subventions`, body);
    expect(made.status).toBe(303);
    expect((await treasurer.post(`${root()}/subventions`, body)).headers.location).toBe(made.headers.location);
    const grantUrl = (made.headers.location as string).replace(/\?.*$/, '');
    const list = await treasurer.get(`${root()}/subventions`);
    expect(list.text).toContain('CONV-2026-01');
    expect(list.text).toContain(`50${NNBSP}000,00${NBSP}€`);
    expect(list.text).toContain('Allocations alimentaires');

    const grant = await treasurer.get(grantUrl);
    const trancheKey = /name="idempotencyKey" value="([^"]+)"/.exec(grant.text)![1];
    const tooMuch = await treasurer.post(`${grantUrl}/tranches`, { amount: '50 000,01', receivedOn: todayInFrance(), idempotencyKey: trancheKey });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.text).toMatch(/id="f-amount-error">Montant invalide, ou supérieur à ce qui reste/);
    const page2 = await treasurer.get(grantUrl);
    const key2 = /name="idempotencyKey" value="([^"]+)"/.exec(page2.text)![1];
    const tranche = { amount: '12 500,00', receivedOn: todayInFrance(), idempotencyKey: key2 };
    expect((await treasurer.post(`${grantUrl}/tranches`, tranche)).status).toBe(303);
    expect((await treasurer.post(`${grantUrl}/tranches`, tranche)).status).toBe(303);
    const after = await treasurer.get(grantUrl);
    expect(after.text).toMatch(new RegExp(`id="grant-received">12${NNBSP}500,00${NBSP}€`));
    expect(after.text).toMatch(new RegExp(`id="grant-remaining">37${NNBSP}500,00${NBSP}€`));
    expect(after.text).toContain('value="25"');
    const [{ n }] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM grant_tranches tr JOIN grant_agreements g ON g.id = tr.grant_id WHERE g.caisse_id = $1`, [caisseId]);
    expect(n).toBe(1);
    expect((await treasurer.get(`${root()}/contributeurs/${funderId}`)).text).toContain('CONV-2026-01');
  });

  async function memberClient(): Promise<WebClient> {
    const c = webClient(t);
    await c.get(`${root()}/membre/connexion`);
    expect((await c.post(`${root()}/membre/connexion`, { cardNumber: member.cardNumber!, pin: member.pin! })).status).toBe(303);
    return c;
  }

  it('builds a direct-debit batch from the form, serves its pain.008, records a return; the member sees the debit coming', async () => {
    const today = todayInFrance();
    const m = await memberClient();
    const before = (await m.get(`${root()}/membre`)).text;
    expect(before).toContain('Mes prochains prélèvements');
    expect(before).toContain(mandateRef());
    expect(before).toContain(`30,00${NBSP}€`);
    expect(before).toContain('Prévision');

    const list = await treasurer.get(`${root()}/prelevements`);
    expect(list.text).toContain(mandateRef());
    const saturday = (() => {
      let d = nextBusinessDay(today);
      while (new Date(`${d}T00:00:00Z`).getUTCDay() !== 6) d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      return d;
    })();
    const bad = await treasurer.post(`${root()}/prelevements`, { period: today.slice(0, 7), collectionDate: saturday });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/id="f-collectionDate-error">Date d’échéance invalide/);
    const badPeriod = await treasurer.post(`${root()}/prelevements`, { period: '2026-13', collectionDate: nextBusinessDay(today) });
    expect(badPeriod.status).toBe(400);
    expect(badPeriod.text).toMatch(/id="f-period-error">Mois invalide/);

    const key = /name="idempotencyKey" value="([^"]+)"/.exec((await treasurer.get(`${root()}/prelevements`)).text)![1];
    const made = await treasurer.post(`${root()}/prelevements`, { period: today.slice(0, 7), collectionDate: nextBusinessDay(today), idempotencyKey: key });
    expect(made.status).toBe(303);
    const batchUrl = (made.headers.location as string).replace(/\?.*$/, '');
    const batch = await treasurer.get(batchUrl);
    expect(batch.text).toContain('Préparé (à envoyer à la banque)');
    expect(batch.text).toContain(`30,00${NBSP}€`);
    expect(batch.text).toContain(member.number);
    const listed = await treasurer.get(`${root()}/prelevements`);
    expect(listed.text).toMatch(new RegExp(`DD-${today.slice(0, 7)}-0001`));
    const nothing = await treasurer.post(`${root()}/prelevements`, { period: today.slice(0, 7), collectionDate: nextBusinessDay(today) });
    expect(nothing.status).toBe(409);
    expect(nothing.text).toContain('Rien à prélever');

    const confirmed = (await m.get(`${root()}/membre`)).text;
    expect(confirmed).toContain('Confirmé');
    expect(confirmed).toContain('Réglée');

    const file = await t.http.get(`${batchUrl}/pain008`).set('Cookie', treasurer.cookieHeader());
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toContain('application/xml');
    expect(file.headers['content-disposition']).toMatch(/attachment; filename="DD-\d{4}-\d{2}-0001\.xml"/);
    expect(file.text).toContain('<InstdAmt Ccy="EUR">30.00</InstdAmt>');
    expect(file.text).toContain(`<MndtId>${mandateRef()}</MndtId>`);

    const page = await treasurer.get(batchUrl);
    const e2e = /<option value="(DD-[^"]+)"/.exec(page.text)![1];
    expect((await treasurer.post(`${batchUrl}/retours`, { endToEndId: e2e, reasonCode: 'AM04', returnedOn: today }, { csrf: false })).status).toBe(403);
    const badReturn = await treasurer.post(`${batchUrl}/retours`, { endToEndId: e2e, reasonCode: 'XX99', returnedOn: today, fee: '-1' });
    expect(badReturn.status).toBe(400);
    expect(badReturn.text).toMatch(/id="f-reasonCode-error">Choisissez un motif/);
    expect(badReturn.text).toMatch(/id="f-fee-error">Frais invalides/);
    const returned = await treasurer.post(`${batchUrl}/retours`, { endToEndId: e2e, reasonCode: 'AM04', returnedOn: today, fee: '0,50' });
    expect(returned.status).toBe(303);
    const after = await treasurer.get(batchUrl);
    expect(after.text).toContain('Retourné le');
    expect(after.text).toContain(`frais 0,50${NBSP}€`);
    expect((await treasurer.post(`${batchUrl}/envoi`, {})).status).toBe(303);
    expect((await treasurer.get(batchUrl)).text).toContain('Envoyé à la banque');
    expect((await treasurer.post(`${batchUrl}/envoi`, {})).status).toBe(409);
    // The returned month is due again: the member sees it as a debit to come (estimated).
    expect((await m.get(`${root()}/membre`)).text).toContain('Prévision');
  });
  it('offers the same reads and correction on the API: batch list, one contributor, a correction refused field by field', async () => {
    const api = (path: string) => `/api/v1/caisses/${caisseId}${path}`;
    const batches = await t.http.get(api('/direct-debit-batches')).set(bearer(tokens.treasurer));
    expect(batches.status).toBe(200);
    expect(batches.body).toEqual([expect.objectContaining({ messageId: expect.stringMatching(/^DD-\d{4}-\d{2}-0001$/), status: 'sent', transactions: 1, controlSum: '30.00' })]);
    expect((await t.http.get(api('/direct-debit-batches')).set(bearer(tokens.committee))).status).toBe(403);
    const one = await t.http.get(api(`/contributors/${funderId}`)).set(bearer(tokens.committee));
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: funderId, kind: 'public-funder', funderType: 'region' });
    const bad = await t.http.put(api(`/contributors/${funderId}`)).set(bearer(tokens.treasurer)).send({ name: '', siret: '123' });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Object.keys(bad.body.errors).sort()).toEqual(['name', 'siret']);
    const ok = await t.http.put(api(`/contributors/${funderId}`)).set(bearer(tokens.treasurer)).send({ name: 'Région Occitanie' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ name: 'Région Occitanie', iban: null, number: 'F000001', kind: 'public-funder' });
    expect((await t.http.put(api(`/contributors/${member.id}`)).set(bearer(tokens.treasurer)).send({ name: 'X' })).status).toBe(404);
  });
});
