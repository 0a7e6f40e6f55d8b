import { bearer } from '../support/member-fixtures.js';
import { balanceOf, buyer, shop, type Shop } from '../support/purchase-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { tillClient, tillJson, tillKey } from '../support/till-fixtures.js';
import { webClient } from '../support/web-fixtures.js';

describe('Web till: pairing, purchases, offline batch, refunds, day (e2e)', () => {
  let t: TestApp;
  let s: Shop;
  let till: string;
  beforeAll(async () => {
    t = await createTestApp();
    s = await shop(t);
    till = `/caisses/${s.caisseId}/caisse-enregistreuse`;
  });
  afterAll(() => t.close());

  it('pairs a browser with a terminal key; the session is a till and nothing more', async () => {
    const stranger = webClient(t);
    await stranger.get(`${till}/appairage`);
    expect((await stranger.post(`${till}/appairage`, { key: 'ck_000000000000_' + 'a'.repeat(43) })).status).toBe(401);
    expect((await stranger.post(`${till}/appairage`, { key: '' })).status).toBe(400);
    expect((await stranger.post(`${till}/appairage`, { key: s.apiKey }, { csrf: false })).status).toBe(403);

    const c = await tillClient(t, s);
    const page = await c.get(till);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<link rel="manifest" href="${till}/manifest.webmanifest">`);
    expect(page.text).toContain(s.outlet.name);
    const [{ n }] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM web_sessions WHERE terminal_key_id IS NOT NULL AND caisse_id = $1`, [s.caisseId]);
    expect(n).toBeGreaterThanOrEqual(1);
    // Staff pages refuse it; the API never reads the cookie.
    expect((await c.get(`/caisses/${s.caisseId}/tableau-de-bord`)).status).toBe(403);
    expect((await t.http.get(`/api/v1/caisses/${s.caisseId}/outlets/${s.outlet.id}/purchases`).set('Cookie', c.cookieHeader())).status).toBe(401);
  });

  it('takes a purchase (form and JSON), refuses an insufficient balance with what is left, and refuses a post without CSRF', async () => {
    const m = await buyer(t, s, '40.00');
    const c = await tillClient(t, s);
    const form = await c.post(`${till}/achat`, { idempotencyKey: tillKey(), card: m.cardNumber!, 'cat.fruits-legumes': '10,00', pin: '4821' });
    expect(form.status).toBe(201);
    expect(form.text).toContain('Paiement accepté');
    expect(form.text).toContain('30,00');

    const json = await tillJson(t, c, `${till}/achat`, { idempotencyKey: tillKey(), card: m.cardNumber!, 'cat.fruits-legumes': '100.00', pin: '4821' }, { form: true });
    expect(json.status).toBe(409);
    expect(json.body).toMatchObject({ ok: false, code: 'INSUFFICIENT_BALANCE', title: 'Paiement refusé' });
    expect(json.body.detail).toContain('30,00');

    const bad = await tillJson(t, c, `${till}/achat`, { idempotencyKey: tillKey(), card: m.cardNumber!, pin: '4821' }, { form: true });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.amount).toBeDefined();

    const noCsrf = await c.post(`${till}/achat`, { idempotencyKey: tillKey(), card: m.cardNumber!, amount: '1.00', pin: '4821' }, { csrf: false });
    expect(noCsrf.status).toBe(403);
    const lot = await t.http.post(`${till}/lot`).set('Cookie', c.cookieHeader()).set('Accept', 'application/json').send({ purchases: [] });
    expect(lot.status).toBe(403);
    expect(lot.body.code).toBe('CSRF_REJECTED');
    expect(await balanceOf(t, s, m)).toBe('30.00');
  });

  it('sends an offline queue once: accepted, then duplicates, each purchase in the ledger exactly once', async () => {
    const m = await buyer(t, s, '20.00');
    const c = await tillClient(t, s);
    const at = new Date().toISOString();
    const purchases = [
      { idempotencyKey: tillKey(), capturedAt: at, card: m.cardNumber!, pin: '4821', lines: [{ category: 'fruits-legumes', amount: '5.00' }] },
      { idempotencyKey: tillKey(), capturedAt: at, card: m.cardNumber!, pin: '4821', lines: [{ category: 'fruits-legumes', amount: '6.00' }] },
      { idempotencyKey: tillKey(), capturedAt: at, card: m.cardNumber!, pin: '4821', lines: [{ category: 'fruits-legumes', amount: '50.00' }] },
    ];
    const first = await tillJson(t, c, `${till}/lot`, { purchases });
    expect(first.status).toBe(200);
    expect(first.body.results.map((r: { code?: string }) => r.code ?? 'ok')).toEqual(['ok', 'ok', 'INSUFFICIENT_BALANCE']);
    expect(first.body).toMatchObject({ accepted: 2, duplicates: 0, refused: 1 });
    expect(first.body.results[2]).toMatchObject({ ok: false, code: 'INSUFFICIENT_BALANCE' });
    const again = await tillJson(t, c, `${till}/lot`, { purchases: purchases.slice(0, 2) });
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 2, refused: 0 });
    const rows = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM purchases WHERE idempotency_key = ANY($1)`, [purchases.map((p) => p.idempotencyKey)]);
    expect(rows[0].n).toBe(2);
    expect(await balanceOf(t, s, m)).toBe('9.00');
    const invalid = await tillJson(t, c, `${till}/lot`, { purchases: [{ ...purchases[0], capturedAt: 'hier' }] });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors['purchases.0.capturedAt']).toBeDefined();
  });

  it("lists the day with its Z total and refunds a purchase from it", async () => {
    const m = await buyer(t, s, '15.00');
    const c = await tillClient(t, s);
    const bought = await tillJson(t, c, `${till}/achat`, { idempotencyKey: tillKey(), card: m.cardNumber!, 'cat.fruits-legumes': '8.00', pin: '4821' }, { form: true });
    expect(bought.status).toBe(201);
    const day = await c.get(`${till}/journal`);
    expect(day.status).toBe(200);
    expect(day.text).toContain('Total Z');
    const [p] = await t.sql<{ id: string; receipt_no: number }>(`SELECT id, receipt_no FROM purchases WHERE outlet_id = $1 ORDER BY receipt_no DESC LIMIT 1`, [s.outlet.id]);
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(day.text)![1];
    const refund = await c.post(`${till}/remboursement`, { purchaseId: p.id, idempotencyKey: key, [`amount-${p.receipt_no}`]: '3,00', [`reason-${p.receipt_no}`]: 'Produit abîmé' });
    expect(refund.status).toBe(303);
    expect(await balanceOf(t, s, m)).toBe('10.00');
    const again = await c.post(`${till}/remboursement`, { purchaseId: p.id, idempotencyKey: key, [`amount-${p.receipt_no}`]: '3,00', [`reason-${p.receipt_no}`]: 'Produit abîmé' });
    expect(again.status).toBe(303);
    expect(await balanceOf(t, s, m)).toBe('10.00');
    const tooMuch = await c.post(`${till}/remboursement`, { purchaseId: p.id, idempotencyKey: tillKey(), [`amount-${p.receipt_no}`]: '99', [`reason-${p.receipt_no}`]: 'x' });
    expect(tooMuch.status).toBe(409);
    const empty = await c.post(`${till}/remboursement`, { purchaseId: 'x', idempotencyKey: tillKey() });
    expect(empty.status).toBe(400);
  });

  it('serves the manifest and a service worker scoped to the till; a revoked key ends the till session', async () => {
    const sw = await t.http.get(`${till}/sw.js`);
    expect(sw.status).toBe(200);
    expect(sw.headers['service-worker-allowed']).toBe(till);
    expect(sw.headers['content-type']).toMatch(/javascript/);
    const manifest = await t.http.get(`${till}/manifest.webmanifest`);
    expect(JSON.parse(manifest.text)).toMatchObject({ start_url: till, scope: till, display: 'standalone' });

    const created = await t.http.post(`/api/v1/caisses/${s.caisseId}/outlets/${s.outlet.id}/terminals`).set(bearer(s.tokens.admin)).send({ label: 'Téléphone' });
    const c = await tillClient(t, s, created.body.apiKey);
    expect((await c.get(till)).status).toBe(200);
    await t.http.delete(`/api/v1/caisses/${s.caisseId}/outlets/${s.outlet.id}/terminals/${created.body.id}`).set(bearer(s.tokens.admin)).expect(200);
    const after = await c.get(till);
    expect(after.status).toBe(303);
    expect(after.headers.location).toMatch(/^\/connexion/);
  });
});
