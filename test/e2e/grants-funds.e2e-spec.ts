import { ContributionsService } from '../../src/contributions/contributions.service.js';
import { bearer } from '../support/member-fixtures.js';
import { createContributor, entryLines, idemKey } from '../support/contribution-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('grants and funds (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp();
    const c = await t.newCaisse();
    caisseId = c.caisseId;
    token = c.tokens.treasurer;
    // These grants are dated in 2027, further ahead than the books accept by default (31 days): widen the window.
    const limits = await t.http.patch(`/api/v1/caisses/${caisseId}/ledger/settings`).set(bearer(c.tokens.admin)).send({ maxDaysAhead: 366, booksStart: '2026-01-01' });
    if (limits.status !== 200) throw new Error(`settings failed: ${limits.status} ${JSON.stringify(limits.body)}`);
  });
  afterAll(async () => {
    await t?.close();
  });

  const url = (suffix: string) => `/api/v1/caisses/${caisseId}${suffix}`;
  const fund = async (code: string | null) => (await t.http.get(url('/funds?at=2027-12-31')).set(bearer(token))).body.find((f: { fund: string | null }) => f.fund === code);
  const tranche = (grantId: string, amount: string, key = idemKey()) =>
    t.http.post(url(`/grants/${grantId}/tranches`)).set(bearer(token)).set('Idempotency-Key', key).send({ amount, receivedOn: '2027-03-01' });

  it('runs a public grant from notification through tranches to the fund report', async () => {
    const region = await createContributor(t, caisseId, token, { kind: 'public-funder', funderType: 'region', name: 'Région Occitanie' });
    const created = await t.http
      .post(url('/grants'))
      .set(bearer(token))
      .send({ contributorId: region.id, amount: '50000.00', from: '2027-01-01', to: '2027-12-31', fund: 'allocations', reference: 'OCC-2027-1', notifiedOn: '2027-01-10' });
    expect(created.status).toBe(201);
    expect(await entryLines(t, created.body.entryId)).toEqual([
      { code: `441-${region.number}`, debit: '50000.00', credit: '0.00', fund: 'allocations', grant_ref: 'OCC-2027-1' },
      { code: `741-${region.number}`, debit: '0.00', credit: '50000.00', fund: 'allocations', grant_ref: 'OCC-2027-1' },
    ]);
    expect(await fund('allocations')).toMatchObject({ received: '0.00', receivable: '50000.00', used: '0.00', available: '50000.00' });

    const key = idemKey();
    const first = await tranche(created.body.id, '20000.00', key);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ received: '20000.00', remaining: '30000.00' });
    const replay = await tranche(created.body.id, '20000.00', key);
    expect(replay.body.received).toBe('20000.00');
    expect(await entryLines(t, first.body.tranches[0].entryId)).toEqual([
      { code: '512', debit: '20000.00', credit: '0.00', fund: 'allocations', grant_ref: 'OCC-2027-1' },
      { code: `441-${region.number}`, debit: '0.00', credit: '20000.00', fund: 'allocations', grant_ref: 'OCC-2027-1' },
    ]);
    expect(await fund('allocations')).toMatchObject({ received: '20000.00', receivable: '30000.00', available: '50000.00' });

    const tooMuch = await tranche(created.body.id, '30000.01');
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.errors).toHaveProperty('amount');
    expect((await tranche(created.body.id, '30000.00')).body).toMatchObject({ received: '50000.00', remaining: '0.00' });
  });

  it('books a foundation pledge on 4687/7551 and keeps a coordination earmark out of the allocations money', async () => {
    const foundation = await createContributor(t, caisseId, token, { kind: 'foundation', name: 'Fondation de France' });
    const created = await t.http
      .post(url('/grants'))
      .set(bearer(token))
      .send({ contributorId: foundation.id, amount: '8000.00', from: '2027-01-01', to: '2027-12-31', fund: 'ingenierie', reference: 'FDF-77' });
    expect(created.status).toBe(201);
    expect((await entryLines(t, created.body.entryId)).map((l) => l.code)).toEqual([`4687-${foundation.number}`, '7551']);
    await tranche(created.body.id, '8000.00');
    expect(await fund('ingenierie')).toMatchObject({ received: '8000.00', receivable: '0.00', available: '8000.00' });

    const available = await t.app.get(ContributionsService).availableForAllocations(caisseId, '2027-12-31');
    // Only the allocations grant (50 000 cashed) counts; the 8 000 of coordination money never pays a wallet.
    expect(available).toMatchObject({ cash: '50000.00', receivables: '0.00', commitments: '0.00', available: '50000.00' });
    expect(available.funds).not.toContain('ingenierie');
    expect(await t.app.get(ContributionsService).allocationFunds(caisseId)).toEqual([null, 'allocations']);
  });

  it('refuses an unknown fund, an unknown contributor and a duplicate reference, writing nothing', async () => {
    const region = await createContributor(t, caisseId, token, { kind: 'public-funder', funderType: 'caf', name: 'CAF de l’Hérault' });
    const body = { contributorId: region.id, amount: '100.00', from: '2027-01-01', to: '2027-12-31', fund: 'nope', reference: 'CAF-1' };
    const before = (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM grant_agreements WHERE caisse_id = $1`, [caisseId]))[0].n;
    const badFund = await t.http.post(url('/grants')).set(bearer(token)).send(body);
    expect(badFund.status).toBe(400);
    expect(badFund.body.errors).toHaveProperty('fund');
    const badContributor = await t.http.post(url('/grants')).set(bearer(token)).send({ ...body, fund: null, contributorId: '00000000-0000-4000-8000-000000000000' });
    expect(badContributor.status).toBe(400);
    expect(badContributor.body.errors).toHaveProperty('contributorId');
    const badAmount = await t.http.post(url('/grants')).set(bearer(token)).send({ ...body, fund: null, amount: '0' });
    expect(badAmount.body.errors).toHaveProperty('amount');
    expect((await t.http.post(url('/grants')).set(bearer(token)).send({ ...body, fund: null, reference: 'OCC-2027-1' })).status).toBe(409);
    expect((await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM grant_agreements WHERE caisse_id = $1`, [caisseId]))[0].n).toBe(before);
  });

  it('never lets concurrent tranches exceed the grant', async () => {
    const epci = await createContributor(t, caisseId, token, { kind: 'public-funder', funderType: 'epci', name: 'Communauté de communes' });
    const grant = await t.http
      .post(url('/grants'))
      .set(bearer(token))
      .send({ contributorId: epci.id, amount: '1000.00', from: '2027-01-01', to: '2027-12-31', fund: null, reference: 'CC-2027' });
    const results = await Promise.all(Array.from({ length: 4 }, () => tranche(grant.body.id, '400.00')));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 400, 400]);
    const after = (await t.http.get(url('/grants')).set(bearer(token))).body.find((g: { id: string }) => g.id === grant.body.id);
    expect(after).toMatchObject({ received: '800.00', remaining: '200.00' });
    expect(after.tranches).toHaveLength(2);
  });

  it('adds a fund to the catalogue and lists it with unrestricted money', async () => {
    const res = await t.http.post(url('/funds')).set(bearer(token)).send({ code: 'mobilite', label: 'Mobilité', usableForAllocations: false });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ fund: 'mobilite', received: '0.00', available: '0.00' });
    const list = await t.http.get(url('/funds')).set(bearer(token));
    expect(list.body.map((f: { fund: string | null }) => f.fund)).toEqual([null, 'allocations', 'ingenierie', 'logistique', 'mobilite']);
  });
});
