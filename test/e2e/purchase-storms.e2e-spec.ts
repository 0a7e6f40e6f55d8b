import { bearer } from '../support/member-fixtures.js';
import { decision, transition } from '../support/outlet-fixtures.js';
import { balanceOf, buy, buyer, newKey, type Shop, shop } from '../support/purchase-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

// Storms and offline batches, against the batching writer and the one-by-one reference path alike.
describe.each(['on', 'off'])('purchase storms and offline batches with PURCHASES_BATCHING=%s (e2e)', (mode) => {
  let t: TestApp;
  let s: Shop;

  beforeAll(async () => {
    process.env.PURCHASES_BATCHING = mode;
    t = await createTestApp();
    s = await shop(t);
    // Card without PIN, so the storm measures the wallet, not argon2 queueing on one card row.
    const put = await t.http.put(`/api/v1/caisses/${s.caisseId}/purchase-settings`).set(bearer(s.tokens.admin)).send({ pinPolicy: 'never', pinAbove: '0.00', maxAmount: '500.00', refundWindowDays: 7 });
    expect(put.status).toBe(200);
  });
  afterAll(async () => {
    delete process.env.PURCHASES_BATCHING;
    await t?.close();
  });

  it('accepts exactly 37 of 1,000 concurrent purchases on a wallet that covers 37, and leaves 0.00', async () => {
    const m = await buyer(t, s, '37.00');
    const body = { card: m.cardNumber, lines: [{ category: 'fruits-legumes', amount: '1.00' }] };
    const all = await Promise.all(Array.from({ length: 1000 }, () => buy(t, s, body)));
    const statuses = all.map((r) => r.status);
    expect(statuses.filter((x) => x === 201)).toHaveLength(37);
    expect(statuses.filter((x) => x === 409)).toHaveLength(963);
    expect(all.filter((r) => r.status === 409).every((r) => r.body.code === 'INSUFFICIENT_BALANCE')).toBe(true);
    expect(await balanceOf(t, s, m)).toBe('0.00');
    // Every balanceAfter from 36.00 down to 0.00 exactly once, and receipts without a gap.
    const accepted = all.filter((r) => r.status === 201).map((r) => r.body);
    expect(accepted.map((p) => p.balanceAfter).sort((a, b) => Number(b) - Number(a))).toEqual(Array.from({ length: 37 }, (_, i) => (36 - i).toFixed(2)));
    const receipts = accepted.map((p) => p.receiptNo).sort((a, b) => a - b);
    expect(receipts.at(-1) - receipts[0]).toBe(36);
  });

  it('turns a replay storm of mixed keys into one purchase per key', async () => {
    const m = await buyer(t, s, '50.00');
    const keys = Array.from({ length: 10 }, newKey);
    const all = await Promise.all(Array.from({ length: 200 }, (_, i) => buy(t, s, { card: m.cardNumber, amount: '10.00' }, keys[i % 10])));
    expect(all.filter((r) => r.status !== 201).map((r) => r.body)).toEqual([]);
    for (const key of keys) expect(new Set(all.filter((_, i) => keys[i % 10] === key).map((r) => r.body.id)).size).toBe(1);
    expect(await balanceOf(t, s, m)).toBe('20.00');
  });

  it('answers an offline batch item by item, in order, a refusal never blocking the others', async () => {
    const rich = await buyer(t, s, '100.00');
    const poor = await buyer(t, s, '1.00');
    const now = new Date().toISOString();
    const done = newKey();
    expect((await buy(t, s, { card: rich.cardNumber, amount: '10.00' }, done)).status).toBe(201);
    const purchases = [
      { idempotencyKey: newKey(), capturedAt: now, card: rich.cardNumber, amount: '10.00' },
      { idempotencyKey: newKey(), capturedAt: now, card: poor.cardNumber, lines: [{ category: 'fruits-legumes', amount: '5.00' }] },
      { idempotencyKey: done, capturedAt: now, card: rich.cardNumber, amount: '10.00' },
      { idempotencyKey: newKey(), capturedAt: now, card: rich.cardNumber, lines: [{ category: 'fruits-legumes', amount: '2.00' }] },
      { idempotencyKey: newKey(), capturedAt: now, card: poor.cardNumber, lines: [{ category: 'fruits-legumes', amount: '5.00' }], allowPartial: true },
    ];
    const res = await t.http.post(`/api/v1/caisses/${s.caisseId}/purchases/batch`).set('X-Api-Key', s.apiKey).send({ purchases });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { status: string; problem?: { code: string } }) => [r.status, r.problem?.code])).toEqual([
      ['accepted', undefined],
      ['refused', 'INSUFFICIENT_BALANCE'],
      ['duplicate', undefined],
      ['accepted', undefined],
      ['accepted', undefined],
    ]);
    expect(res.body).toMatchObject({ accepted: 3, duplicates: 1, refused: 1 });
    expect(res.body.results[4].purchase).toMatchObject({ covered: '1.00', partial: true });
    // 100 − 3.00 (10.00 at the * rate 0.30, online) − 3.00 − 2.00 (fruits-legumes at 1)
    expect(await balanceOf(t, s, rich)).toBe('92.00');
    expect(await balanceOf(t, s, poor)).toBe('0.00');
    // Sent again, the whole batch replays.
    const again = await t.http.post(`/api/v1/caisses/${s.caisseId}/purchases/batch`).set('X-Api-Key', s.apiKey).send({ purchases });
    expect(again.body.results.map((r: { status: string }) => r.status)).toEqual(['duplicate', 'refused', 'duplicate', 'duplicate', 'duplicate']);
  });

  it('checks an offline purchase at its capture instant and refuses bad batches as a whole', async () => {
    const other = await shop(t);
    const m = await buyer(t, other, '20.00');
    // Captured while the outlet was still conventionné, sent once it is suspended.
    const before = new Date().toISOString();
    expect((await transition(t, other.caisseId, other.outlet.id, other.tokens.admin, { to: 'suspended', ...decision() })).status).toBe(201);
    const item = (capturedAt: string) => ({ idempotencyKey: newKey(), capturedAt, card: m.cardNumber, pin: '4821', amount: '1.00' });
    const send = (purchases: unknown[]) => t.http.post(`/api/v1/caisses/${other.caisseId}/purchases/batch`).set('X-Api-Key', other.apiKey).send({ purchases });
    const res = await send([item(before), item(new Date().toISOString())]);
    expect(res.body.results.map((r: { status: string; problem?: { code: string } }) => r.problem?.code ?? r.status)).toEqual(['accepted', 'OUTLET_NOT_ACCEPTING']);

    const dup = item(before);
    expect(Object.keys((await send([dup, { ...dup }])).body.errors)).toEqual(['purchases.1.idempotencyKey']);
    const tooMany = await send(Array.from({ length: 1001 }, () => item(before)));
    expect([tooMany.status, tooMany.body.code, Object.keys(tooMany.body.errors ?? {})]).toEqual([400, 'VALIDATION_FAILED', ['purchases']]);
    expect(Object.keys((await send([{ ...item(before), amount: '1.001' }])).body.errors)).toEqual(['purchases.0.amount']);
    expect((await send([])).status).toBe(400);
  });
});
