import { randomUUID } from 'node:crypto';
import { OutletsService } from '../../src/outlets/outlets.service.js';
import { rateFor } from '../../src/outlets/outlets.types.js';
import { bearer, conventionnedOutlet, createOutlet, decision, inDays, transition } from '../support/outlet-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('the purchase gate (e2e)', () => {
  let t: TestApp;
  let other: TestApp;
  let caisseId: string;
  let tokens: Awaited<ReturnType<TestApp['newCaisse']>>['tokens'];
  let gate: OutletsService;
  const refusal = (outletId: string, at: Date) => gate.assertCanAccept(caisseId, outletId, at).then(() => undefined, (e: { code: string; status: number; extra: Record<string, unknown> }) => e);

  beforeAll(async () => {
    t = await createTestApp();
    // A second app instance on the same database: no cache may hide a revocation from it.
    other = await createTestApp();
    ({ caisseId, tokens } = await t.newCaisse());
    gate = t.app.get(OutletsService);
  });
  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  it('flips on the exact effective instant of a scheduled revocation', async () => {
    const o = await conventionnedOutlet(t, caisseId, tokens.admin);
    const at = new Date(Math.ceil((Date.now() + 3_600_000) / 1000) * 1000);
    expect((await transition(t, caisseId, o.id, tokens.admin, { to: 'revoked', ...decision(), effectiveAt: at.toISOString() })).status).toBe(201);

    const before = await gate.assertCanAccept(caisseId, o.id, new Date(at.getTime() - 1));
    expect(before).toMatchObject({ outletId: o.id, accepting: true, status: 'conventionne', name: o.name, accountCode: o.accountCode });
    const error = await refusal(o.id, at);
    expect(error).toMatchObject({ code: 'OUTLET_NOT_ACCEPTING', status: 409, extra: { outletId: o.id, outletStatus: 'revoked', since: at.toISOString() } });
    expect(await refusal(o.id, new Date(at.getTime() + 86_400_000))).toMatchObject({ code: 'OUTLET_NOT_ACCEPTING' });

    // The same answers over HTTP, for a till checking ahead.
    const ask = (instant: Date) => t.http.get(`/api/v1/caisses/${caisseId}/outlets/${o.id}/acceptance`).query({ at: instant.toISOString() }).set(bearer(tokens.committee));
    expect((await ask(new Date(at.getTime() - 1))).body).toMatchObject({ accepting: true, status: 'conventionne' });
    expect((await ask(at)).body).toMatchObject({ accepting: false, status: 'revoked', since: at.toISOString() });
  });

  it('reads the instant asked over HTTP with its offset, even unencoded, and refuses an impossible one', async () => {
    const o = await conventionnedOutlet(t, caisseId, tokens.admin);
    const base = `/api/v1/caisses/${caisseId}/outlets/${o.id}/acceptance`;
    const plus = await t.http.get(`${base}?at=2030-06-01T14:00:00+02:00`).set(bearer(tokens.admin));
    expect(plus.body).toMatchObject({ at: '2030-06-01T12:00:00.000Z', accepting: true });
    for (const at of ['2030-02-30T10:00:00Z', '2030-06-01T14:00:00', 'tomorrow']) {
      const res = await t.http.get(base).query({ at }).set(bearer(tokens.admin));
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors)).toEqual(['at']);
    }
  });

  it('writes down an ended validity before the step that follows it', async () => {
    const o = await conventionnedOutlet(t, caisseId, tokens.admin);
    // As if the conventionnement had been valid until yesterday (the API never lets terms end in the past).
    await t.sql(
      `INSERT INTO outlet_transitions (caisse_id, outlet_id, seq, from_status, to_status, effective_at, actor_kind, reason, review_on, valid_until)
       SELECT caisse_id, outlet_id, seq + 1, to_status, 'renewal-due', effective_at, 'system', 'test', current_date - 2, current_date - 1
         FROM outlet_transitions WHERE outlet_id = $1 ORDER BY seq DESC LIMIT 1`,
      [o.id],
    );
    expect(await refusal(o.id, new Date())).toMatchObject({ extra: { outletStatus: 'expired' } });
    const renew = await transition(t, caisseId, o.id, tokens.admin, { to: 'conventionne', ...decision(), reviewOn: inDays(100) });
    expect(renew.body).toMatchObject({ code: 'ILLEGAL_TRANSITION', currentStatus: 'expired' });
    expect((await transition(t, caisseId, o.id, tokens.admin, { to: 'candidate', reason: 'Nouvelle candidature' })).status).toBe(201);
    const history = (await t.http.get(`/api/v1/caisses/${caisseId}/outlets/${o.id}/history`).set(bearer(tokens.admin))).body;
    expect(history.slice(-2).map((s: { to: string; actor: { kind: string } }) => [s.to, s.actor.kind])).toEqual([
      ['expired', 'system'],
      ['candidate', 'user'],
    ]);
  });

  it('refuses on every app instance from the request after a suspension', async () => {
    const o = await conventionnedOutlet(t, caisseId, tokens.admin);
    const elsewhere = other.app.get(OutletsService);
    await expect(elsewhere.assertCanAccept(caisseId, o.id, new Date())).resolves.toMatchObject({ accepting: true });
    expect((await transition(t, caisseId, o.id, tokens.admin, { to: 'suspended', ...decision() })).status).toBe(201);
    await expect(elsewhere.assertCanAccept(caisseId, o.id, new Date())).rejects.toMatchObject({ code: 'OUTLET_NOT_ACCEPTING', extra: { outletStatus: 'suspended' } });
    expect((await transition(t, caisseId, o.id, tokens.admin, { to: 'conventionne', ...decision(2) })).status).toBe(201);
    await expect(elsewhere.assertCanAccept(caisseId, o.id, new Date())).resolves.toMatchObject({ status: 'conventionne' });
  });

  it.each([
    ['candidate', []],
    ['dossier-complete', ['dossier-complete']],
    ['withdrawn', ['withdrawn']],
  ])('refuses a %s outlet', async (status, steps) => {
    const o = await createOutlet(t, caisseId, tokens.admin);
    await t.http.post(`/api/v1/caisses/${caisseId}/outlets/${o.id}/places`).set(bearer(tokens.admin)).send({ kind: 'locker', label: 'Casier', commune: '34142', alwaysOpen: true, hours: [] });
    for (const to of steps) expect((await transition(t, caisseId, o.id, tokens.admin, { to })).status).toBe(201);
    expect(await refusal(o.id, new Date())).toMatchObject({ code: 'OUTLET_NOT_ACCEPTING', extra: { outletStatus: status } });
  });

  it('accepts while renewal is due, and refuses before the outlet existed', async () => {
    const o = await conventionnedOutlet(t, caisseId, tokens.admin);
    expect((await transition(t, caisseId, o.id, tokens.admin, { to: 'renewal-due' })).status).toBe(201);
    await expect(gate.assertCanAccept(caisseId, o.id, new Date())).resolves.toMatchObject({ status: 'renewal-due', accepting: true });
    expect(await refusal(o.id, new Date('2020-01-01T00:00:00Z'))).toMatchObject({ code: 'OUTLET_NOT_ACCEPTING', extra: { outletStatus: null } });
  });

  it('ends a conventionnement at midnight (Paris) after its last valid day, before any job writes it down', async () => {
    const lastDay = inDays(400);
    const o = await createOutlet(t, caisseId, tokens.admin);
    await t.http.post(`/api/v1/caisses/${caisseId}/outlets/${o.id}/places`).set(bearer(tokens.admin)).send({ kind: 'locker', label: 'Casier', commune: '34142', alwaysOpen: true, hours: [] });
    await transition(t, caisseId, o.id, tokens.admin, { to: 'dossier-complete' });
    expect((await transition(t, caisseId, o.id, tokens.admin, { to: 'conventionne', ...decision(), reviewOn: inDays(300), validUntil: lastDay })).status).toBe(201);
    const [{ end }] = await t.sql<{ end: Date }>(`SELECT (($1::date + 1)::timestamp AT TIME ZONE 'Europe/Paris') AS end`, [lastDay]);
    await expect(gate.assertCanAccept(caisseId, o.id, new Date(end.getTime() - 1))).resolves.toMatchObject({ accepting: true, validUntil: lastDay });
    expect(await refusal(o.id, end)).toMatchObject({ code: 'OUTLET_NOT_ACCEPTING', extra: { outletStatus: 'expired', since: end.toISOString() } });
  });

  it('answers NOT_FOUND for an unknown outlet, or one of another caisse', async () => {
    await expect(gate.assertCanAccept(caisseId, randomUUID(), new Date())).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
    const o = await conventionnedOutlet(t, caisseId, tokens.admin);
    const foreign = await t.newCaisse();
    await expect(gate.assertCanAccept(foreign.caisseId, o.id, new Date())).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(gate.assertCanAccept(undefined, o.id, new Date())).resolves.toMatchObject({ caisseId });
  });

  describe('coverage rates', () => {
    const url = (id: string, path = '') => `/api/v1/caisses/${caisseId}/outlets/${id}/coverage${path}`;

    it('are versioned by date and applied per category with a fallback', async () => {
      const o = await conventionnedOutlet(t, caisseId, tokens.admin);
      expect(await gate.coverageAt(caisseId, o.id)).toBeNull();
      const first = await t.http.post(url(o.id)).set(bearer(tokens.treasurer)).send({ effectiveFrom: inDays(0), rates: [{ category: 'fruits-legumes', rate: '1' }, { category: '*', rate: '0.3' }] });
      expect(first.status).toBe(201);
      expect(first.body.rates).toEqual([{ category: '*', rate: '0.30' }, { category: 'fruits-legumes', rate: '1.00' }]);
      const second = await t.http.post(url(o.id)).set(bearer(tokens.admin)).send({ effectiveFrom: inDays(10), rates: [{ category: 'fruits-legumes', rate: '0.7' }, { category: 'epicerie', rate: '0.3333' }] });
      expect(second.status).toBe(201);

      const now = await gate.coverageAt(caisseId, o.id, new Date());
      expect(now).toMatchObject({ effectiveFrom: inDays(0) });
      expect([rateFor(now!, 'fruits-legumes'), rateFor(now!, 'boissons')]).toEqual(['1.00', '0.30']);
      const later = await gate.coverageAt(caisseId, o.id, new Date(Date.now() + 11 * 86_400_000));
      expect([rateFor(later!, 'fruits-legumes'), rateFor(later!, 'epicerie'), rateFor(later!, 'boissons')]).toEqual(['0.70', '0.3333', null]);

      const inForce = await t.http.get(url(o.id, '/in-force')).query({ at: inDays(10) }).set(bearer(tokens.member));
      expect(inForce.body).toMatchObject({ id: second.body.id, effectiveFrom: inDays(10) });
      expect((await t.http.get(url(o.id)).set(bearer(tokens.committee))).body).toHaveLength(2);
    });

    it.each<[string, Record<string, unknown>, string[], number]>([
      ['a rate above 1', { effectiveFrom: inDays(1), rates: [{ category: 'epicerie', rate: '1.5' }] }, ['rates.0.rate'], 400],
      ['a rate as a number', { effectiveFrom: inDays(1), rates: [{ category: 'epicerie', rate: 0.7 }] }, ['rates.0.rate'], 400],
      ['a percentage', { effectiveFrom: inDays(1), rates: [{ category: 'epicerie', rate: '70' }] }, ['rates.0.rate'], 400],
      ['a bad category', { effectiveFrom: inDays(1), rates: [{ category: 'Fruits & légumes', rate: '1' }] }, ['rates.0.category'], 400],
      ['a category twice', { effectiveFrom: inDays(1), rates: [{ category: 'a', rate: '1' }, { category: 'a', rate: '0.3' }] }, ['rates.1.category'], 400],
      ['a date in the past', { effectiveFrom: '2020-01-01', rates: [{ category: '*', rate: '1' }] }, ['effectiveFrom'], 400],
      ['no rates', { effectiveFrom: inDays(1), rates: [] }, ['rates'], 400],
    ])('refuses %s', async (_name, body, fields, status) => {
      const o = await createOutlet(t, caisseId, tokens.admin);
      const res = await t.http.post(url(o.id)).set(bearer(tokens.treasurer)).send(body);
      expect(res.status).toBe(status);
      expect(Object.keys(res.body.errors).sort()).toEqual(fields);
    });

    it('refuses a second version on the same date (409) and rates from the committee (403)', async () => {
      const o = await createOutlet(t, caisseId, tokens.admin);
      const body = { effectiveFrom: inDays(2), rates: [{ category: '*', rate: '1' }] };
      expect((await t.http.post(url(o.id)).set(bearer(tokens.treasurer)).send(body)).status).toBe(201);
      expect((await t.http.post(url(o.id)).set(bearer(tokens.treasurer)).send(body)).body.code).toBe('COVERAGE_VERSION_EXISTS');
      expect((await t.http.post(url(o.id)).set(bearer(tokens.committee)).send(body)).status).toBe(403);
      expect((await t.http.get(url(o.id, '/in-force')).set(bearer(tokens.admin))).body.code).toBe('NO_COVERAGE_IN_FORCE');
    });
  });
});
