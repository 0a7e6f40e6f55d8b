import { LedgerService } from '../../src/ledger/ledger.service.js';
import { bearer } from '../support/member-fixtures.js';
import { decision, transition } from '../support/outlet-fixtures.js';
import { balanceOf, buyer, newKey, type Shop, shop, terminalKey } from '../support/purchase-fixtures.js';
import { MAX_CODE_ATTEMPTS } from '../../src/purchases/voucher-codes.js';
import { TERMINAL_MAX_WRONG_CODES } from '../../src/purchases/voucher-throttle.service.js';
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

  describe('guessing codes', () => {
    type Issued = { serial: string; code: string };
    const otherCode = (v: Issued, n = 1) => String((Number(v.code) + n) % 1_000_000).padStart(6, '0');
    const newTerminal = () => terminalKey(t, s.caisseId, s.outlet.id, s.tokens.admin);
    const unlock = (serial: string, token = s.tokens.admin) => t.http.post(`/api/v1/caisses/${s.caisseId}/vouchers/${serial}/unlock`).set(bearer(token));

    it('draws serials at random, not in sequence', async () => {
      const res = await issue({ count: 20, faceValue: '1.00' });
      const numbers = res.body.vouchers.map((v: Issued) => Number(v.serial.slice(1))).sort((a: number, b: number) => a - b);
      expect(new Set(numbers).size).toBe(20);
      // Twenty draws out of a hundred million: a run of neighbours would mean a counter.
      expect(numbers.at(-1) - numbers[0]).toBeGreaterThan(1000);
      const [row] = await t.sql<{ failed_attempts: number; locked_at: Date | null }>(`SELECT failed_attempts, locked_at FROM vouchers WHERE caisse_id = $1 AND serial = $2`, [s.caisseId, res.body.vouchers[0].serial]);
      expect(row).toEqual({ failed_attempts: 0, locked_at: null });
    });

    it(`locks a voucher after ${MAX_CODE_ATTEMPTS} wrong codes, even sent at once; an admin unlocks it`, async () => {
      const apiKey = await newTerminal();
      const [v]: Issued[] = (await issue({ count: 1, faceValue: '4.00' })).body.vouchers;
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => redeem({ serial: v.serial, code: otherCode(v, i + 1) }, apiKey)));
      expect(results.filter((r) => r.status === 404)).toHaveLength(MAX_CODE_ATTEMPTS - 1);
      expect(results.filter((r) => r.status === 423).map((r) => r.body.code)).toEqual(Array(10 - (MAX_CODE_ATTEMPTS - 1)).fill('VOUCHER_LOCKED'));
      expect(results.find((r) => r.status === 423)!.headers['content-type']).toMatch(/^application\/problem\+json/);
      const [row] = await t.sql<{ failed_attempts: number; locked_at: Date | null }>(`SELECT failed_attempts, locked_at FROM vouchers WHERE caisse_id = $1 AND serial = $2`, [s.caisseId, v.serial]);
      expect(row.failed_attempts).toBe(MAX_CODE_ATTEMPTS);
      expect(row.locked_at).not.toBeNull();
      // Locked means locked: the right code does not open it.
      expect((await redeem({ serial: v.serial, code: v.code }, apiKey)).body.code).toBe('VOUCHER_LOCKED');
      expect(await t.sql(`SELECT actor_kind FROM audit_log WHERE caisse_id = $1 AND action = 'voucher.locked'`, [s.caisseId])).toEqual([{ actor_kind: 'terminal' }]);

      expect((await unlock(v.serial, s.tokens.treasurer)).status).toBe(403);
      expect((await unlock('V1')).body).toMatchObject({ status: 400, errors: { serial: [expect.any(String)] } });
      expect((await unlock('V99999999')).status).toBe(404);
      const unlocked = await unlock(v.serial);
      expect(unlocked.status).toBe(200);
      expect(unlocked.body).toMatchObject({ serial: v.serial, faceValue: '4.00', redeemedAt: null });
      expect((await redeem({ serial: v.serial, code: v.code }, apiKey)).status).toBe(200);
    });

    it(`answers 429 with Retry-After once a terminal typed ${TERMINAL_MAX_WRONG_CODES} wrong codes, counting only wrong ones`, async () => {
      const apiKey = await newTerminal();
      const [good, spare]: Issued[] = (await issue({ count: 2, faceValue: '3.00' })).body.vouchers;
      // A redemption and a second presentation of the same voucher are not guesses.
      expect((await redeem({ serial: good.serial, code: good.code }, apiKey)).status).toBe(200);
      expect((await redeem({ serial: good.serial, code: good.code }, apiKey)).status).toBe(409);
      const unknown = (i: number) => ({ serial: `V${String(90_000_000 + i).padStart(8, '0')}`, code: '123456' });
      const racing = await Promise.all(Array.from({ length: TERMINAL_MAX_WRONG_CODES + 5 }, (_, i) => redeem(unknown(i), apiKey)));
      expect(racing.filter((r) => r.status === 404)).toHaveLength(TERMINAL_MAX_WRONG_CODES);
      const throttled = racing.filter((r) => r.status === 429);
      expect(throttled).toHaveLength(5);
      const [first] = throttled;
      expect(first.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(first.body).toMatchObject({ code: 'TOO_MANY_VOUCHER_ATTEMPTS', status: 429, retryAfterSeconds: expect.any(Number) });
      expect(Number(first.headers['retry-after'])).toBe(first.body.retryAfterSeconds);
      expect(first.body.retryAfterSeconds).toBeGreaterThan(0);
      expect(first.body.retryAfterSeconds).toBeLessThanOrEqual(900);
      // Even a genuine voucher waits at this terminal; another terminal of the shop is not held back.
      expect((await redeem({ serial: spare.serial, code: spare.code }, apiKey)).status).toBe(429);
      expect((await redeem({ serial: spare.serial, code: spare.code }, await newTerminal())).status).toBe(200);
    });
  });
});
