import { createHash, randomUUID } from 'node:crypto';
import { bearer, conventionnedOutlet, createOutlet } from '../support/outlet-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('outlet terminals (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let tokens: Awaited<ReturnType<TestApp['newCaisse']>>['tokens'];
  let a: { id: string };
  let b: { id: string };
  let keyA: { id: string; apiKey: string };
  const url = (outletId: string, path = '') => `/api/v1/caisses/${caisseId}/outlets/${outletId}${path}`;
  const till = (key: string) => ({ 'X-Api-Key': key });

  beforeAll(async () => {
    t = await createTestApp();
    ({ caisseId, tokens } = await t.newCaisse());
    a = await conventionnedOutlet(t, caisseId, tokens.admin);
    b = await conventionnedOutlet(t, caisseId, tokens.admin);
    const res = await t.http.post(url(a.id, '/terminals')).set(bearer(tokens.treasurer)).send({ label: 'Tablette du stand' });
    expect(res.status).toBe(201);
    keyA = res.body;
  });
  afterAll(async () => t?.close());

  it('issues a key shown once and keeps only its hash', async () => {
    expect(keyA).toMatchObject({ id: expect.any(String), label: 'Tablette du stand', apiKey: expect.stringMatching(/^ck_[0-9a-f]{12}_/), revokedAt: null, lastUsedAt: null });
    const list = await t.http.get(url(a.id, '/terminals')).set(bearer(tokens.admin));
    expect(list.body).toEqual([expect.objectContaining({ id: keyA.id, label: 'Tablette du stand' })]);
    expect(JSON.stringify(list.body)).not.toContain(keyA.apiKey.slice(16));
    const [row] = await t.sql<{ secret_hash: string; outlet_id: string }>('SELECT secret_hash, outlet_id FROM api_keys WHERE id = $1', [keyA.id]);
    expect(row.outlet_id).toBe(a.id);
    expect(row.secret_hash).toBe(createHash('sha256').update(keyA.apiKey.slice(16)).digest('hex'));
    expect(JSON.stringify(await t.sql('SELECT * FROM audit_log WHERE target_id = $1', [keyA.id]))).not.toContain(keyA.apiKey.slice(16));
  });

  it('acts for its own outlet', async () => {
    expect((await t.http.get(url(a.id)).set(till(keyA.apiKey))).body).toMatchObject({ id: a.id, status: 'conventionne' });
    expect((await t.http.get(url(a.id, '/acceptance')).set(till(keyA.apiKey))).body).toMatchObject({ outletId: a.id, accepting: true });
    expect((await t.http.get(url(a.id, '/places')).set(till(keyA.apiKey))).status).toBe(200);
  });

  it.each(['', '/acceptance', '/places', '/coverage/in-force'])('cannot act for another outlet of its caisse: GET …%s is 404', async (path) => {
    const res = await t.http.get(url(b.id, path)).set(till(keyA.apiKey));
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });

  it('cannot act for an outlet of another caisse', async () => {
    const other = await t.newCaisse();
    const foreign = await conventionnedOutlet(t, other.caisseId, other.tokens.admin);
    for (const path of ['', '/acceptance', '/places']) {
      const res = await t.http.get(`/api/v1/caisses/${other.caisseId}/outlets/${foreign.id}${path}`).set(till(keyA.apiKey));
      expect(res.status).toBe(404);
    }
    // Nor through its own caisse's path with the foreign outlet id.
    expect((await t.http.get(url(foreign.id)).set(till(keyA.apiKey))).status).toBe(404);
  });

  it('cannot manage anything (403) nor list the directory', async () => {
    expect((await t.http.post(url(a.id, '/transitions')).set(till(keyA.apiKey)).send({ to: 'withdrawn', reason: 'nope' })).status).toBe(403);
    expect((await t.http.patch(url(a.id)).set(till(keyA.apiKey)).send({ name: 'Renamed' })).status).toBe(403);
    expect((await t.http.post(url(a.id, '/terminals')).set(till(keyA.apiKey)).send({ label: 'another' })).status).toBe(403);
    expect((await t.http.get(`/api/v1/caisses/${caisseId}/outlets`).set(till(keyA.apiKey))).status).toBe(403);
  });

  it('records its last use at most once a minute', async () => {
    const res = await t.http.post(url(a.id, '/terminals')).set(bearer(tokens.admin)).send({ label: 'Caisse 2' });
    await t.http.get(url(a.id)).set(till(res.body.apiKey));
    const [first] = await t.sql<{ last_used_at: Date }>('SELECT last_used_at FROM api_keys WHERE id = $1', [res.body.id]);
    expect(first.last_used_at).toBeInstanceOf(Date);
    await t.http.get(url(a.id)).set(till(res.body.apiKey));
    const [second] = await t.sql<{ last_used_at: Date }>('SELECT last_used_at FROM api_keys WHERE id = $1', [res.body.id]);
    expect(second.last_used_at.getTime()).toBe(first.last_used_at.getTime());
    // An hour-old use is refreshed by the next request.
    await t.sql(`UPDATE api_keys SET last_used_at = now() - interval '1 hour' WHERE id = $1`, [res.body.id]);
    await t.http.get(url(a.id)).set(till(res.body.apiKey));
    const list = await t.http.get(url(a.id, '/terminals')).set(bearer(tokens.admin));
    const seen = list.body.find((k: { id: string }) => k.id === res.body.id);
    expect(Date.now() - Date.parse(seen.lastUsedAt)).toBeLessThan(60_000);
  });

  it('is revoked at once, only through its own outlet', async () => {
    const res = await t.http.post(url(a.id, '/terminals')).set(bearer(tokens.admin)).send({ label: 'Éphémère' });
    expect((await t.http.delete(url(b.id, `/terminals/${res.body.id}`)).set(bearer(tokens.admin))).status).toBe(404);
    expect((await t.http.get(url(a.id)).set(till(res.body.apiKey))).status).toBe(200);
    const revoked = await t.http.delete(url(a.id, `/terminals/${res.body.id}`)).set(bearer(tokens.treasurer));
    expect(revoked.body).toMatchObject({ id: res.body.id, revokedAt: expect.any(String) });
    const refused = await t.http.get(url(a.id)).set(till(res.body.apiKey));
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('INVALID_API_KEY');
    expect((await t.http.delete(url(a.id, `/terminals/${randomUUID()}`)).set(bearer(tokens.admin))).status).toBe(404);
  });

  it('lets a cashier list the terminals of the outlet it staffs only', async () => {
    const cashier = (await t.http.get('/api/v1/auth/me').set(bearer(tokens.cashier))).body.userId;
    const staffed = await createOutlet(t, caisseId, tokens.admin);
    await t.http.post(url(staffed.id, '/staff')).set(bearer(tokens.admin)).send({ userId: cashier });
    expect((await t.http.get(url(staffed.id, '/terminals')).set(bearer(tokens.cashier))).status).toBe(200);
    expect((await t.http.get(url(a.id, '/terminals')).set(bearer(tokens.cashier))).status).toBe(404);
    expect((await t.http.post(url(staffed.id, '/terminals')).set(bearer(tokens.cashier)).send({ label: 'x' })).status).toBe(403);
  });

  it('refuses terminals for an unknown outlet', async () => {
    expect((await t.http.post(url(randomUUID(), '/terminals')).set(bearer(tokens.admin)).send({ label: 'x' })).status).toBe(404);
  });
});
