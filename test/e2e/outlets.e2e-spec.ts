import { randomUUID } from 'node:crypto';
import { bearer, conventionnedOutlet, createOutlet, iban, outletBody, siret } from '../support/outlet-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('outlets registry (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let tokens: Awaited<ReturnType<TestApp['newCaisse']>>['tokens'];
  const url = (path = '') => `/api/v1/caisses/${caisseId}/outlets${path}`;
  const count = async () => (await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM outlets WHERE caisse_id = $1', [caisseId]))[0].n;
  const userIdOf = async (token: string) => (await t.http.get('/api/v1/auth/me').set(bearer(token))).body.userId as string;

  beforeAll(async () => {
    t = await createTestApp();
    ({ caisseId, tokens } = await t.newCaisse());
  });
  afterAll(async () => t?.close());

  it('registers a candidate with a pseudonymous code, a derived SIREN and its payable account named after the trade name', async () => {
    const body = outletBody({ siret: '73282932000074', iban: 'fr76 3000 6000 0112 3456 7890 189', bic: 'agrifrpp882', labels: ['ab', 'hve'], contact: { name: 'Camille', phone: '+33 4 67 00 00 00' } });
    const res = await t.http.post(url()).set(bearer(tokens.admin)).send(body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      code: expect.stringMatching(/^O\d{8}$/),
      siret: '73282932000074',
      siren: '732829320',
      iban: 'FR7630006000011234567890189',
      bic: 'AGRIFRPP882',
      labels: ['ab', 'hve'],
      status: 'candidate',
      accepting: false,
      places: [],
      contact: { name: 'Camille', phone: '+33 4 67 00 00 00' },
    });
    expect(res.body.accountCode).toBe(`401-${res.body.code}`);
    const accounts = await t.http.get(`/api/v1/caisses/${caisseId}/ledger/accounts`).set(bearer(tokens.treasurer));
    expect(accounts.body.find((a: { code: string }) => a.code === res.body.accountCode)).toMatchObject({ label: body.name, kind: 'payable', balance: '0.00' });
    const audit = await t.sql('SELECT action, actor_id FROM audit_log WHERE target_id = $1', [res.body.id]);
    expect(audit).toEqual([{ action: 'outlet.created', actor_id: await userIdOf(tokens.admin) }]);
  });

  it('numbers outlets in sequence within the caisse', async () => {
    const a = await createOutlet(t, caisseId, tokens.treasurer);
    const b = await createOutlet(t, caisseId, tokens.treasurer);
    expect(Number(b.code.slice(1))).toBe(Number(a.code.slice(1)) + 1);
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['a SIRET with a wrong check digit', { siret: '73282932000075' }, 'siret', /Luhn/],
    ['a SIRET of 13 digits', { siret: '7328293200007' }, 'siret', /14 digits/],
    ['an IBAN with wrong check digits', { iban: 'FR7630006000011234567890188' }, 'iban', /check digits/],
    ['an IBAN of the wrong length', { iban: 'FR763000600001123456789018' }, 'iban', /27 characters/],
    ['a non-SEPA IBAN', { iban: 'BR1800360305000010009795493C1' }, 'iban', /SEPA/],
    ['a postcode instead of an INSEE code', { commune: '3470' }, 'commune', /INSEE/],
    ['letters as INSEE code', { commune: 'ABCDE' }, 'commune', /INSEE/],
    ['an unknown kind', { kind: 'supermarket' }, 'kind', /kind must be one of/],
    ['an unknown label', { labels: ['bio'] }, 'labels', /labels must be among/],
    ['a repeated label', { labels: ['ab', 'ab'] }, 'labels', /repeat/],
    ['a malformed BIC', { bic: 'AGRI' }, 'bic', /8 or 11/],
    ['a bad contact email', { contact: { email: 'nope' } }, 'contact.email', /email/],
    ['a one-letter name', { name: 'X' }, 'name', /name/],
  ])('refuses %s with 400 naming the field, writing nothing', async (_name, override, field, message) => {
    const before = await count();
    const res = await t.http.post(url()).set(bearer(tokens.admin)).send(outletBody(override));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(res.body.errors)).toEqual([field]);
    expect(res.body.errors[field].join(' ')).toMatch(message);
    expect(await count()).toBe(before);
  });

  it('refuses a missing field and an unknown one', async () => {
    const { iban: _dropped, ...body } = outletBody();
    const res = await t.http.post(url()).set(bearer(tokens.admin)).send({ ...body, discount: 5 });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors).sort()).toEqual(['discount', 'iban']);
  });

  it('refuses a second outlet with the same SIRET in the caisse (409 naming siret), but not in another caisse', async () => {
    const s = siret();
    await createOutlet(t, caisseId, tokens.admin, { siret: s });
    const again = await t.http.post(url()).set(bearer(tokens.admin)).send(outletBody({ siret: s }));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'SIRET_TAKEN', errors: { siret: [expect.any(String)] } });
    const other = await t.newCaisse();
    expect((await t.http.post(`/api/v1/caisses/${other.caisseId}/outlets`).set(bearer(other.tokens.admin)).send(outletBody({ siret: s }))).status).toBe(201);
  });

  it.each(['committee', 'cashier', 'member'] as const)('refuses registration by the %s role (403)', async (role) => {
    const res = await t.http.post(url()).set(bearer(tokens[role])).send(outletBody());
    expect(res.status).toBe(403);
  });

  it('answers 404 for an unknown outlet and for an outlet of another caisse', async () => {
    expect((await t.http.get(url(`/${randomUUID()}`)).set(bearer(tokens.admin))).status).toBe(404);
    const other = await t.newCaisse();
    const foreign = await createOutlet(t, other.caisseId, other.tokens.admin);
    expect((await t.http.get(url(`/${foreign.id}`)).set(bearer(tokens.admin))).status).toBe(404);
    expect((await t.http.patch(url(`/${foreign.id}`)).set(bearer(tokens.admin)).send({ name: 'Hijack' })).status).toBe(404);
    expect((await t.http.get(url('/not-a-uuid')).set(bearer(tokens.admin))).body.errors).toEqual({ outletId: ['outletId must be a UUID'] });
  });

  describe('changes', () => {
    it('changes registry fields, audits them, and refuses null for a required field', async () => {
      const o = await createOutlet(t, caisseId, tokens.admin);
      const res = await t.http.patch(url(`/${o.id}`)).set(bearer(tokens.admin)).send({ name: 'Les Jardins du Lodévois', address: '2 rue Basse', labels: ['demeter'] });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ name: 'Les Jardins du Lodévois', address: '2 rue Basse', labels: ['demeter'], code: o.code });
      const [row] = await t.sql<{ before: Record<string, unknown>; after: Record<string, unknown> }>(
        `SELECT before, after FROM audit_log WHERE target_id = $1 AND action = 'outlet.updated'`,
        [o.id],
      );
      expect(row.before).toMatchObject({ name: o.name, address: null, labels: [] });
      expect(row.after).toMatchObject({ name: 'Les Jardins du Lodévois', address: '2 rue Basse', labels: ['demeter'] });
      // Members read the payable account's label on their wallet statements: it follows the new trade name.
      const [account] = await t.sql<{ label: string }>(`SELECT label FROM ledger_accounts WHERE caisse_id = $1 AND code = $2`, [caisseId, res.body.accountCode ?? `401-${o.code}`]);
      expect(account.label).toBe('Les Jardins du Lodévois');
      const cleared = await t.http.patch(url(`/${o.id}`)).set(bearer(tokens.admin)).send({ address: null });
      expect(cleared.body.address).toBeNull();
      const bad = await t.http.patch(url(`/${o.id}`)).set(bearer(tokens.admin)).send({ name: null, siret: '123' });
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.body.errors).sort()).toEqual(['name', 'siret']);
    });

    it('lets only a treasurer change the IBAN, and audits the change with the old and new details', async () => {
      const o = await createOutlet(t, caisseId, tokens.admin);
      const before = (await t.http.get(url(`/${o.id}`)).set(bearer(tokens.treasurer))).body.iban;
      const next = iban();
      const byAdmin = await t.http.patch(url(`/${o.id}`)).set(bearer(tokens.admin)).send({ iban: next });
      expect(byAdmin.status).toBe(403);
      expect(byAdmin.body.detail).toMatch(/treasurer/);
      expect((await t.http.get(url(`/${o.id}`)).set(bearer(tokens.treasurer))).body.iban).toBe(before);
      const invalid = await t.http.patch(url(`/${o.id}`)).set(bearer(tokens.treasurer)).send({ iban: 'FR7630006000011234567890188' });
      expect(invalid.status).toBe(400);
      expect(Object.keys(invalid.body.errors)).toEqual(['iban']);

      const res = await t.http.patch(url(`/${o.id}`)).set(bearer(tokens.treasurer)).send({ iban: next, bic: 'PSSTFRPPMON' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ iban: next, bic: 'PSSTFRPPMON' });
      const audit = await t.sql<{ actor_id: string; role: string; before: unknown; after: unknown }>(
        `SELECT actor_id, role, before, after FROM audit_log WHERE target_id = $1 AND action = 'outlet.iban-changed'`,
        [o.id],
      );
      expect(audit).toEqual([{ actor_id: await userIdOf(tokens.treasurer), role: 'treasurer', before: { iban: before, bic: null }, after: { iban: next, bic: 'PSSTFRPPMON' } }]);
      // Sending the same IBAN again changes nothing and needs no treasurer.
      expect((await t.http.patch(url(`/${o.id}`)).set(bearer(tokens.admin)).send({ iban: next })).status).toBe(200);
    });
  });

  describe('who sees what', () => {
    let listed: { candidate: { id: string }; open: { id: string }; staffed: { id: string } };

    beforeAll(async () => {
      listed = {
        candidate: await createOutlet(t, caisseId, tokens.admin),
        open: await conventionnedOutlet(t, caisseId, tokens.admin),
        staffed: await createOutlet(t, caisseId, tokens.admin),
      };
      const add = await t.http.post(url(`/${listed.staffed.id}/staff`)).set(bearer(tokens.admin)).send({ userId: await userIdOf(tokens.cashier) });
      expect(add.status).toBe(201);
    });

    const ids = async (token: string, query = '') => {
      const res = await t.http.get(url(query)).query({ limit: 200 }).set(bearer(token));
      expect(res.status).toBe(200);
      return res.body.items.map((o: { id: string }) => o.id) as string[];
    };

    it('shows the committee every outlet, with the IBAN masked', async () => {
      const seen = await ids(tokens.committee);
      expect(seen).toEqual(expect.arrayContaining(Object.values(listed).map((o) => o.id)));
      const one = await t.http.get(url(`/${listed.open.id}`)).set(bearer(tokens.committee));
      expect(one.body.iban).toMatch(/^FR\d{2}\*+\d{4}$/);
    });

    it('shows a member only where it may spend, without contact details', async () => {
      const seen = await ids(tokens.member);
      expect(seen).toContain(listed.open.id);
      expect(seen).not.toContain(listed.candidate.id);
      const one = await t.http.get(url(`/${listed.open.id}`)).set(bearer(tokens.member));
      expect(one.body).toMatchObject({ status: 'conventionne', accepting: true, contact: null });
      expect((await t.http.get(url(`/${listed.candidate.id}`)).set(bearer(tokens.member))).status).toBe(404);
    });

    it('shows a cashier only the outlets it staffs', async () => {
      expect(await ids(tokens.cashier)).toEqual([listed.staffed.id]);
      expect((await t.http.get(url(`/${listed.staffed.id}`)).set(bearer(tokens.cashier))).status).toBe(200);
      expect((await t.http.get(url(`/${listed.open.id}`)).set(bearer(tokens.cashier))).status).toBe(404);
      expect((await t.http.get(url(`/${listed.open.id}/history`)).set(bearer(tokens.cashier))).status).toBe(404);
    });

    it('attaches only cashiers of the caisse, once', async () => {
      const again = await t.http.post(url(`/${listed.staffed.id}/staff`)).set(bearer(tokens.admin)).send({ userId: await userIdOf(tokens.cashier) });
      expect(again.status).toBe(409);
      const notCashier = await t.http.post(url(`/${listed.staffed.id}/staff`)).set(bearer(tokens.admin)).send({ userId: await userIdOf(tokens.member) });
      expect(notCashier.status).toBe(422);
      expect(notCashier.body).toMatchObject({ code: 'NOT_A_CASHIER', errors: { userId: [expect.any(String)] } });
      const staff = await t.http.get(url(`/${listed.staffed.id}/staff`)).set(bearer(tokens.treasurer));
      expect(staff.body).toEqual([{ userId: await userIdOf(tokens.cashier), email: expect.stringMatching(/^cashier-/), addedAt: expect.any(String) }]);
    });

    it('filters by status and kind, and pages by code', async () => {
      expect(await ids(tokens.admin, '?status=conventionne')).toContain(listed.open.id);
      expect(await ids(tokens.admin, '?status=conventionne')).not.toContain(listed.candidate.id);
      const page = await t.http.get(url()).query({ limit: 2 }).set(bearer(tokens.admin));
      expect(page.body.items).toHaveLength(2);
      const next = await t.http.get(url()).query({ limit: 2, cursor: page.body.nextCursor }).set(bearer(tokens.admin));
      expect(next.body.items[0].code > page.body.items[1].code).toBe(true);
      const bad = await t.http.get(url()).query({ status: 'open', kind: 'mall', commune: '1', openOn: '2026-02-30' }).set(bearer(tokens.admin));
      expect(Object.keys(bad.body.errors).sort()).toEqual(['commune', 'kind', 'openOn', 'status']);
    });
  });
});
