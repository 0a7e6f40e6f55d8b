import { LedgerService } from '../../src/ledger/ledger.service.js';
import { bearer } from '../support/member-fixtures.js';
import { decision, transition } from '../support/outlet-fixtures.js';
import { balanceOf, buyer, newKey, type Shop, shop } from '../support/purchase-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('paper vouchers (e2e)', () => {
  let t: TestApp;
  let s: Shop;
  const issue = (body: Record<string, unknown>, key = newKey()) =>
    t.http.post(`/api/v1/caisses/${s.caisseId}/voucher-batches`).set(bearer(s.tokens.treasurer)).set('Idempotency-Key', key).send(body);
  const redeem = (body: Record<string, unknown>, apiKey = s.apiKey) => t.http.post(`/api/v1/caisses/${s.caisseId}/vouchers/redeem`).set('X-Api-Key', apiKey).send(body);

  beforeAll(async () => {
    t = await createTestApp();
    s = await shop(t);
  });
  afterAll(async () => t?.close());

  it("issues numbered vouchers from a member's wallet, replays without codes, and lists them outstanding", async () => {
    const m = await buyer(t, s, '50.00');
    const key = newKey();
    const res = await issue({ count: 2, faceValue: '10.00', memberId: m.id }, key);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ count: 2, faceValue: '10.00', total: '20.00', memberId: m.id });
    expect(res.body.vouchers).toEqual([
      { serial: expect.stringMatching(/^V\d{8}$/), code: expect.stringMatching(/^\d{6}$/), faceValue: '10.00' },
      { serial: expect.stringMatching(/^V\d{8}$/), code: expect.stringMatching(/^\d{6}$/), faceValue: '10.00' },
    ]);
    const pdf = Buffer.from(res.body.sheetPdf, 'base64').toString('latin1');
    expect(pdf.startsWith('%PDF-1.4')).toBe(true);
    expect(pdf).toContain(`(N\xb0 ${res.body.vouchers[1].serial})`);
    expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(await balanceOf(t, s, m)).toBe('30.00');
    const again = await issue({ count: 2, faceValue: '10.00', memberId: m.id }, key);
    expect(again.body.vouchers.map((v: { serial: string }) => v.serial)).toEqual(res.body.vouchers.map((v: { serial: string }) => v.serial));
    expect(await balanceOf(t, s, m)).toBe('30.00');
    const outstanding = await t.http.get(`/api/v1/caisses/${s.caisseId}/vouchers/outstanding`).set(bearer(s.tokens.admin));
    expect(outstanding.body.map((v: { serial: string }) => v.serial)).toEqual(expect.arrayContaining(res.body.vouchers.map((v: { serial: string }) => v.serial)));
    expect((await issue({ count: 10, faceValue: '10.00', memberId: m.id })).body).toMatchObject({ code: 'INSUFFICIENT_BALANCE' });
  });

  it('credits the outlet once, even when the same voucher is presented concurrently', async () => {
    const res = await issue({ count: 3, faceValue: '7.50' });
    const [a, b, c] = res.body.vouchers;
    const racing = await Promise.all(Array.from({ length: 10 }, () => redeem({ serial: a.serial, code: a.code })));
    expect(racing.filter((r) => r.status === 200)).toHaveLength(1);
    expect(racing.filter((r) => r.status === 409).every((r) => r.body.code === 'VOUCHER_ALREADY_REDEEMED')).toBe(true);
    expect(racing.filter((r) => r.status === 409)).toHaveLength(9);
    expect((await redeem({ serial: b.serial, code: b.code === '000000' ? '000001' : '000000' })).status).toBe(404);
    expect((await redeem({ serial: b.serial, code: 'abc' })).body).toMatchObject({ status: 400, errors: { code: [expect.any(String)] } });
    const outstanding = (await t.http.get(`/api/v1/caisses/${s.caisseId}/vouchers/outstanding`).set(bearer(s.tokens.admin))).body.map((v: { serial: string }) => v.serial);
    expect(outstanding).toEqual(expect.arrayContaining([b.serial, c.serial]));
    expect(outstanding).not.toContain(a.serial);
    // Debits minus credits: the outlet is owed the one voucher.
    expect((await t.app.get(LedgerService).account(s.caisseId, s.outlet.accountCode)).balance).toBe('-7.50');
  });

  it('refuses redemption at an outlet that no longer accepts', async () => {
    const other = await shop(t);
    const res = await t.http.post(`/api/v1/caisses/${other.caisseId}/voucher-batches`).set(bearer(other.tokens.admin)).set('Idempotency-Key', newKey()).send({ count: 1, faceValue: '5.00' });
    expect((await transition(t, other.caisseId, other.outlet.id, other.tokens.admin, { to: 'suspended', ...decision() })).status).toBe(201);
    const [v] = res.body.vouchers;
    const refused = await t.http.post(`/api/v1/caisses/${other.caisseId}/vouchers/redeem`).set('X-Api-Key', other.apiKey).send({ serial: v.serial, code: v.code });
    expect(refused.body).toMatchObject({ status: 409, code: 'OUTLET_NOT_ACCEPTING' });
  });
});
