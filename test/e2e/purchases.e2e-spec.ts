import { LedgerService } from '../../src/ledger/ledger.service.js';
import { luhnCheckDigit } from '../../src/members/card-number.js';
import { bearer } from '../support/member-fixtures.js';
import { conventionnedOutlet, decision, transition } from '../support/outlet-fixtures.js';
import { balanceOf, buy, buyer, newKey, type Shop, shop, terminalKey } from '../support/purchase-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

// The same behaviour is asked of the batching writer and of the one-by-one reference path.
describe.each(['on', 'off'])('purchases at the till with PURCHASES_BATCHING=%s (e2e)', (mode) => {
  let t: TestApp;
  let s: Shop;

  beforeAll(async () => {
    process.env.PURCHASES_BATCHING = mode;
    t = await createTestApp();
    s = await shop(t);
  });
  afterAll(async () => {
    delete process.env.PURCHASES_BATCHING;
    await t?.close();
  });

  it('covers each line at its rate (half-up per line), posts D 4671 / C 401 in ACH and numbers receipts', async () => {
    const m = await buyer(t, s, '100.00');
    const lines = [
      { category: 'fruits-legumes', amount: '10.00' },
      { category: 'epicerie', amount: '3.35' },
      { category: 'boulangerie', amount: '0.05' },
    ];
    const res = await buy(t, s, { card: m.cardNumber, pin: '4821', lines });
    expect(res.status).toBe(201);
    // 10.00 + round(2.345) 2.35 + round(0.015) 0.02 = 12.37
    expect(res.body).toMatchObject({ amount: '13.40', covered: '12.37', memberPays: '1.03', balanceAfter: '87.63', partial: false, receiptNo: expect.any(Number) });
    const entry = await t.app.get(LedgerService).entry(s.caisseId, res.body.entryId);
    expect(entry.journal).toBe('ACH');
    expect(entry.lines.map((l) => [l.account, l.debit, l.credit])).toEqual([
      [m.walletAccount, '12.37', '0.00'],
      [s.outlet.accountCode, '0.00', '12.37'],
    ]);
    const second = await buy(t, s, { card: m.cardNumber, pin: '4821', amount: '10.00' });
    expect(second.body).toMatchObject({ covered: '3.00', balanceAfter: '84.63', receiptNo: res.body.receiptNo + 1 });
    expect(await balanceOf(t, s, m)).toBe('84.63');
  });

  it('refuses a short wallet with the available amount, or covers what it holds with allowPartial', async () => {
    const m = await buyer(t, s, '5.00');
    const refused = await buy(t, s, { card: m.cardNumber, pin: '4821', lines: [{ category: 'fruits-legumes', amount: '8.00' }] });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'INSUFFICIENT_BALANCE', available: '5.00', requested: '8.00' });
    const partial = await buy(t, s, { card: m.cardNumber, pin: '4821', lines: [{ category: 'fruits-legumes', amount: '8.00' }], allowPartial: true });
    expect(partial.status).toBe(201);
    expect(partial.body).toMatchObject({ amount: '8.00', covered: '5.00', memberPays: '3.00', partial: true, balanceAfter: '0.00' });
    const empty = await buy(t, s, { card: m.cardNumber, pin: '4821', amount: '1.00', allowPartial: true });
    expect(empty.body).toMatchObject({ code: 'INSUFFICIENT_BALANCE', available: '0.00' });
  });

  it('gives each card problem its own code and posts nothing', async () => {
    const m = await buyer(t, s, '50.00');
    const body15 = '497000000000001';
    const unknown = await buy(t, s, { card: `${body15}${luhnCheckDigit(body15)}`, pin: '1234', amount: '5.00' });
    expect(unknown.body).toMatchObject({ status: 404, code: 'UNKNOWN_CARD' });
    expect((await buy(t, s, { card: m.cardNumber, amount: '5.00' })).body).toMatchObject({ status: 401, code: 'PIN_REQUIRED' });
    expect((await buy(t, s, { card: m.cardNumber, pin: '0000', amount: '5.00' })).body).toMatchObject({ code: 'INVALID_PIN', attemptsLeft: 2 });
    expect((await buy(t, s, { card: m.cardNumber, pin: '0000', amount: '5.00' })).body).toMatchObject({ code: 'INVALID_PIN', attemptsLeft: 1 });
    expect((await buy(t, s, { card: m.cardNumber, pin: '0000', amount: '5.00' })).body).toMatchObject({ code: 'CARD_LOCKED' });
    expect((await buy(t, s, { card: m.cardNumber, pin: '4821', amount: '5.00' })).body).toMatchObject({ code: 'CARD_LOCKED' });
    expect((await buy(t, s, { qr: 'x'.repeat(40), amount: '5.00' })).body).toMatchObject({ code: 'INVALID_QR' });
    expect(await balanceOf(t, s, m)).toBe('50.00');
  });

  it('refuses at the next request once the outlet is revoked', async () => {
    const other = await shop(t);
    const m = await buyer(t, other, '20.00');
    expect((await buy(t, other, { card: m.cardNumber, pin: '4821', amount: '2.00' })).status).toBe(201);
    expect((await transition(t, other.caisseId, other.outlet.id, other.tokens.admin, { to: 'revoked', ...decision() })).status).toBe(201);
    const res = await buy(t, other, { card: m.cardNumber, pin: '4821', amount: '2.00' });
    expect(res.body).toMatchObject({ status: 409, code: 'OUTLET_NOT_ACCEPTING' });
    expect(await balanceOf(t, other, m)).toBe('19.40');
  });

  it('answers a replay with the same body, refuses the key for another body, and resolves concurrent duplicates to one purchase', async () => {
    const m = await buyer(t, s, '30.00');
    const key = newKey();
    const first = await buy(t, s, { card: m.cardNumber, pin: '4821', amount: '10.00' }, key);
    const again = await buy(t, s, { card: m.cardNumber, pin: '4821', amount: '10.00' }, key);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await buy(t, s, { card: m.cardNumber, pin: '4821', amount: '11.00' }, key)).body).toMatchObject({ status: 409, code: 'IDEMPOTENCY_CONFLICT' });

    const storm = newKey();
    const all = await Promise.all(Array.from({ length: 25 }, () => buy(t, s, { card: m.cardNumber, pin: '4821', amount: '10.00' }, storm)));
    expect(all.map((r) => r.status)).toEqual(Array(25).fill(201));
    expect(new Set(all.map((r) => r.body.id)).size).toBe(1);
    expect(await balanceOf(t, s, m)).toBe('24.00');
  });

  it('answers bad input with a 4xx naming the field, never a 500', async () => {
    const m = await buyer(t, s, '10.00');
    const card = m.cardNumber;
    const cases: [Record<string, unknown>, string][] = [
      [{ card, pin: '4821', amount: '0.00' }, 'amount'],
      [{ card, pin: '4821', amount: '1.234' }, 'amount'],
      [{ card, pin: '4821', amount: '-1.00' }, 'amount'],
      [{ card, pin: '4821', amount: 12 }, 'amount'],
      [{ card, pin: '4821', amount: '500.01' }, 'amount'],
      [{ card, pin: '4821', lines: [{ category: 'Fruits!', amount: '1.00' }] }, 'lines.0.category'],
      [{ card, pin: '4821', lines: [{ category: 'epicerie', amount: '1.00' }, { category: 'x', amount: '0' }] }, 'lines.1.amount'],
      [{ card: '1234', pin: '4821', amount: '1.00' }, 'card'],
      [{ pin: '4821', amount: '1.00' }, 'card'],
      [{ card, pin: '4821' }, 'amount'],
    ];
    for (const [body, field] of cases) {
      const res = await buy(t, s, body);
      expect([400, 422]).toContain(res.status);
      expect(Object.keys(res.body.errors ?? {})).toEqual([field]);
    }
    const missing = await buy(t, s, { card, pin: '4821', amount: '1.00' }, null);
    expect(Object.keys(missing.body.errors)).toEqual(['Idempotency-Key']);
    const tooBig = await buy(t, s, { card, pin: '4821', amount: '600.00' });
    expect(tooBig.body).toMatchObject({ status: 422, code: 'PURCHASE_TOO_LARGE' });
    expect(await balanceOf(t, s, m)).toBe('10.00');
  });

  it('refuses a category the outlet does not cover when it has no * rate', async () => {
    const strict = await shop(t, [{ category: 'fruits-legumes', rate: '1' }]);
    const m = await buyer(t, strict, '10.00');
    const res = await buy(t, strict, { card: m.cardNumber, pin: '4821', lines: [{ category: 'alcool', amount: '5.00' }] });
    expect(res.body).toMatchObject({ status: 400, code: 'UNKNOWN_CATEGORY', errors: { 'lines.0.category': [expect.any(String)] } });
  });

  it('follows the caisse PIN policy', async () => {
    const other = await shop(t);
    const m = await buyer(t, other, '100.00');
    const put = await t.http.put(`/api/v1/caisses/${other.caisseId}/purchase-settings`).set(bearer(other.tokens.admin)).send({ pinPolicy: 'above-amount', pinAbove: '20.00', maxAmount: '50.00', refundWindowDays: 3 });
    expect(put.body).toEqual({ pinPolicy: 'above-amount', pinAbove: '20.00', maxAmount: '50.00', refundWindowDays: 3 });
    expect((await buy(t, other, { card: m.cardNumber, amount: '20.00' })).status).toBe(201);
    expect((await buy(t, other, { card: m.cardNumber, amount: '20.01' })).body).toMatchObject({ code: 'PIN_REQUIRED' });
    expect((await buy(t, other, { card: m.cardNumber, pin: '4821', amount: '50.01' })).body).toMatchObject({ code: 'PURCHASE_TOO_LARGE' });
    expect((await t.http.put(`/api/v1/caisses/${other.caisseId}/purchase-settings`).set(bearer(other.tokens.treasurer)).send(put.body)).status).toBe(403);
  });

  it('lets a terminal see its outlet purchases of the day with a Z-report, not another outlet', async () => {
    const other = await shop(t);
    const m = await buyer(t, other, '100.00');
    const a = await buy(t, other, { card: m.cardNumber, pin: '4821', amount: '10.00' });
    const b = await buy(t, other, { card: m.cardNumber, pin: '4821', lines: [{ category: 'fruits-legumes', amount: '4.00' }] });
    const res = await t.http.get(`/api/v1/caisses/${other.caisseId}/outlets/${other.outlet.id}/purchases`).set('X-Api-Key', other.apiKey);
    expect(res.status).toBe(200);
    expect(res.body.purchases.map((p: { id: string }) => p.id)).toEqual([a.body.id, b.body.id]);
    expect(res.body.summary).toMatchObject({ count: 2, total: '14.00', covered: '7.00', memberPays: '7.00', firstReceiptNo: 1, lastReceiptNo: 2 });
    expect(res.body.summary.text).toContain('RAPPORT Z');
    const elsewhere = await t.http.get(`/api/v1/caisses/${other.caisseId}/outlets/${s.outlet.id}/purchases`).set('X-Api-Key', other.apiKey);
    expect(elsewhere.status).toBe(404);
  });

  it('lets the selling outlet refund up to the covered amount, once per key', async () => {
    const m = await buyer(t, s, '40.00');
    const p = await buy(t, s, { card: m.cardNumber, pin: '4821', lines: [{ category: 'fruits-legumes', amount: '20.00' }] });
    const refund = (body: Record<string, unknown>, key = newKey(), apiKey = s.apiKey) =>
      t.http.post(`/api/v1/caisses/${s.caisseId}/purchases/${p.body.id}/refunds`).set('X-Api-Key', apiKey).set('Idempotency-Key', key).send(body);
    const key = newKey();
    const first = await refund({ amount: '15.00', reason: 'Cagette abîmée' }, key);
    expect(first.status).toBe(201);
    expect((await refund({ amount: '15.00', reason: 'Cagette abîmée' }, key)).body).toEqual(first.body);
    expect((await refund({ amount: '5.01', reason: 'Trop' })).body).toMatchObject({ code: 'REFUND_EXCEEDS_COVERED', refundable: '5.00' });
    const neighbour = await conventionnedOutlet(t, s.caisseId, s.tokens.admin);
    const foreign = await terminalKey(t, s.caisseId, neighbour.id, s.tokens.admin);
    expect((await refund({ amount: '1.00', reason: 'x' }, newKey(), foreign)).body).toMatchObject({ status: 403, code: 'REFUND_WRONG_OUTLET' });
    const racing = await Promise.all(Array.from({ length: 8 }, () => refund({ amount: '1.00', reason: 'Rendu' })));
    expect(racing.filter((r) => r.status === 201)).toHaveLength(5);
    expect(await balanceOf(t, s, m)).toBe('40.00');
    const entry = await t.app.get(LedgerService).entry(s.caisseId, first.body.entryId);
    expect(entry.lines.map((l) => [l.account, l.debit, l.credit])).toEqual([
      [s.outlet.accountCode, '15.00', '0.00'],
      [m.walletAccount, '0.00', '15.00'],
    ]);
  });

  it('refuses a refund once the caisse window is over', async () => {
    const other = await shop(t);
    const put = await t.http.put(`/api/v1/caisses/${other.caisseId}/purchase-settings`).set(bearer(other.tokens.admin)).send({ pinPolicy: 'always', pinAbove: '0.00', maxAmount: '500.00', refundWindowDays: 0 });
    expect(put.status).toBe(200);
    const m = await buyer(t, other, '10.00');
    const p = await buy(t, other, { card: m.cardNumber, pin: '4821', amount: '10.00' });
    const res = await t.http.post(`/api/v1/caisses/${other.caisseId}/purchases/${p.body.id}/refunds`).set('X-Api-Key', other.apiKey).set('Idempotency-Key', newKey()).send({ amount: '1.00', reason: 'Trop tard' });
    expect(res.body).toMatchObject({ status: 409, code: 'REFUND_WINDOW_CLOSED', refundWindowDays: 0 });
    expect(await balanceOf(t, other, m)).toBe('7.00');
  });

  it('keeps the books verified', async () => {
    const res = await t.http.get(`/api/v1/caisses/${s.caisseId}/ledger/verify`).set(bearer(s.tokens.admin));
    expect(res.body).toMatchObject({ ok: true });
  });
});
