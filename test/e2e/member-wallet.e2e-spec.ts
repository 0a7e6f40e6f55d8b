import { randomUUID } from 'node:crypto';
import { MembersService } from '../../src/members/members.service.js';
import { bearer, createMember, memberLogin, outletAccount, post } from '../support/member-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Caisse = Awaited<ReturnType<TestApp['newCaisse']>>;

describe('member wallet and GDPR (e2e)', () => {
  let t: TestApp;
  let c: Caisse;
  const url = (memberId: string, path = '') => `/api/v1/caisses/${c.caisseId}/members/${memberId}${path}`;

  beforeAll(async () => {
    t = await createTestApp();
    c = await t.newCaisse();
  });
  afterAll(async () => t?.close());

  /** 150 allocated, 42.30 spent at the grocery, 2.30 refunded, 10.00 expired: 100.00 left. */
  async function memberWithHistory() {
    const m = await createMember(t, c.caisseId, c.tokens.admin, { pin: '4821' });
    const shop = await outletAccount(t, c.caisseId, 'Épicerie solidaire du Faubourg');
    const w = m.walletAccount!;
    await post(t, c.caisseId, 'ALL', 'Allocation 2026-11', [{ account: '6571', debit: '150.00' }, { account: w, credit: '150.00' }]);
    await post(t, c.caisseId, 'ACH', 'Achat', [{ account: w, debit: '42.30' }, { account: shop, credit: '42.30' }]);
    await post(t, c.caisseId, 'ACH', 'Remboursement', [{ account: shop, debit: '2.30' }, { account: w, credit: '2.30' }]);
    await post(t, c.caisseId, 'OD', 'Expiration', [{ account: w, debit: '10.00' }, { account: '6571', credit: '10.00' }]);
    return { m, shop };
  }

  it('shows the balance and the classified movements, with the shop names', async () => {
    const { m, shop } = await memberWithHistory();
    const res = await t.http.get(url(m.id, '/wallet')).set(bearer(c.tokens.treasurer));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ memberId: m.id, account: m.walletAccount, balance: '100.00', nextCursor: null });
    expect(res.body.allocations).toEqual([expect.objectContaining({ journal: 'ALL', amount: '150.00', direction: 'in', outlet: null })]);
    expect(res.body.purchases).toEqual([expect.objectContaining({ amount: '42.30', direction: 'out', outlet: { account: shop, name: 'Épicerie solidaire du Faubourg' } })]);
    expect(res.body.refunds).toEqual([expect.objectContaining({ amount: '2.30', direction: 'in', outlet: { account: shop, name: 'Épicerie solidaire du Faubourg' } })]);
    expect(res.body.expiries).toEqual([expect.objectContaining({ amount: '10.00', direction: 'out' })]);
    expect(res.body.corrections).toEqual([]);
    expect(await t.app.get(MembersService).walletBalance(c.caisseId, m.id)).toBe('100.00');
    // The member sees the same statement with its own card session.
    const own = await t.http.get(url(m.id, '/wallet')).set(bearer(await memberLogin(t, c.caisseId, m.cardNumber!, '4821')));
    expect(own.body).toEqual(res.body);
  });

  it('pages through a long history', async () => {
    const m = await createMember(t, c.caisseId, c.tokens.admin);
    for (let i = 0; i < 3; i++) await post(t, c.caisseId, 'ALL', `Allocation ${i}`, [{ account: '6571', debit: '1.00' }, { account: m.walletAccount!, credit: '1.00' }]);
    const first = await t.http.get(url(m.id, '/wallet?limit=2')).set(bearer(c.tokens.admin));
    expect(first.body.allocations).toHaveLength(2);
    expect(first.body.balance).toBe('3.00');
    const next = await t.http.get(url(m.id, `/wallet?limit=2&cursor=${first.body.nextCursor}`)).set(bearer(c.tokens.admin));
    expect(next.body.allocations).toHaveLength(1);
    expect(next.body.nextCursor).toBeNull();
  });

  it('is zero and empty for a member never active', async () => {
    const m = await createMember(t, c.caisseId, c.tokens.admin, { status: 'applicant' });
    const res = await t.http.get(url(m.id, '/wallet')).set(bearer(c.tokens.admin));
    expect(res.body).toMatchObject({ account: null, balance: '0.00', allocations: [], purchases: [] });
  });

  it("never shows another member's wallet to a member", async () => {
    const a = await createMember(t, c.caisseId, c.tokens.admin, { pin: '4821' });
    const b = await createMember(t, c.caisseId, c.tokens.admin, { pin: '4821' });
    const tokenA = await memberLogin(t, c.caisseId, a.cardNumber!, '4821');
    const res = await t.http.get(url(b.id, '/wallet')).set(bearer(tokenA));
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain(b.walletAccount!);
    for (const role of ['member', 'cashier', 'committee'] as const) expect([403, 404]).toContain((await t.http.get(url(b.id, '/wallet')).set(bearer(c.tokens[role]))).status);
    // The member user account reads only the member it is linked to.
    const [user] = await t.sql<{ id: string }>(`SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.caisse_id = $1 AND r.role = 'member'`, [c.caisseId]);
    await t.http.patch(url(a.id)).set(bearer(c.tokens.admin)).send({ userId: user.id }).expect(200);
    expect((await t.http.get(url(a.id, '/wallet')).set(bearer(c.tokens.member))).status).toBe(200);
    expect((await t.http.get(url(b.id, '/wallet')).set(bearer(c.tokens.member))).status).toBe(404);
  });

  it('exports every personal data of a member as JSON (admins only)', async () => {
    const { m } = await memberWithHistory();
    await t.http.patch(url(m.id)).set(bearer(c.tokens.admin)).send({ monthlyIncome: '980.00', contact: { phone: '+33 6 12 34 56 78' } }).expect(200);
    expect((await t.http.get(url(m.id, '/export')).set(bearer(c.tokens.treasurer))).status).toBe(403);
    const res = await t.http.get(url(m.id, '/export')).set(bearer(c.tokens.admin));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.member).toMatchObject({ id: m.id, firstName: 'Nadia', monthlyIncome: '980.00', contact: { phone: '+33 6 12 34 56 78' } });
    expect(res.body.cards).toEqual([expect.objectContaining({ cardNumber: m.cardNumber })]);
    expect(res.body.cards[0]).not.toHaveProperty('pinHash');
    expect(res.body.wallet).toMatchObject({ account: m.walletAccount, balance: '100.00' });
    expect(res.body.wallet.movements).toHaveLength(4);
    expect(JSON.stringify(res.body)).not.toMatch(/argon2/);
  });

  it('refuses erasure while the wallet holds money, then erases keeping the books verifiable', async () => {
    const key = `member-${randomUUID()}`;
    const created = await t.http.post(`/api/v1/caisses/${c.caisseId}/members`).set(bearer(c.tokens.admin)).set('Idempotency-Key', key)
      .send({ firstName: 'Zoé', lastName: 'Effacée', commune: '34172', status: 'active', joinedOn: '2026-01-05', birthYear: 1980, monthlyIncome: '700.00', household: { adults: 1, childrenBirthYears: [2018] }, contact: { email: 'zoe.effacee@example.org' } });
    const m = created.body;
    await post(t, c.caisseId, 'ALL', 'Allocation', [{ account: '6571', debit: '60.00' }, { account: m.walletAccount, credit: '60.00' }]);
    const refused = await t.http.post(url(m.id, '/erase')).set(bearer(c.tokens.admin));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'WALLET_NOT_EMPTY', balance: '60.00', account: m.walletAccount });
    expect((await t.http.get(url(m.id)).set(bearer(c.tokens.admin))).body.lastName).toBe('Effacée');

    await post(t, c.caisseId, 'OD', 'Expiration', [{ account: m.walletAccount, debit: '60.00' }, { account: '6571', credit: '60.00' }]);
    expect((await t.http.post(url(m.id, '/erase')).set(bearer(c.tokens.treasurer))).status).toBe(403);
    const erased = await t.http.post(url(m.id, '/erase')).set(bearer(c.tokens.admin));
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({
      firstName: 'Adhérent',
      lastName: m.number,
      birthYear: null,
      contact: { email: null, phone: null, address: null },
      household: { adults: 1, childrenBirthYears: [] },
      monthlyIncome: null,
      status: 'left',
      cardNumber: null,
      walletAccount: m.walletAccount,
      erasedAt: expect.any(String),
    });
    // Nothing personal is left anywhere the app wrote: member row, audit log, idempotency replay.
    const dump = await t.sql<{ text: string }>(
      `SELECT row_to_json(x)::text AS text FROM (
         SELECT * FROM members WHERE id = $1) x
       UNION ALL SELECT after::text FROM audit_log WHERE target_id = $1::text
       UNION ALL SELECT response_body::text FROM idempotency_keys WHERE key = $2`,
      [m.id, key],
    );
    expect(dump.length).toBeGreaterThan(2);
    for (const row of dump) expect(row.text).not.toMatch(/Zoé|Effacée|zoe\.effacee|700\.00|1980|2018/);
    const [card] = await t.sql<{ pin_hash: string | null; state: string }>(`SELECT pin_hash, state FROM member_cards WHERE member_id = $1`, [m.id]);
    expect(card).toEqual({ pin_hash: null, state: 'blocked' });
    // The books are untouched and still verify.
    const verify = await t.http.get(`/api/v1/caisses/${c.caisseId}/ledger/verify`).set(bearer(c.tokens.treasurer));
    expect(verify.body).toMatchObject({ ok: true, problems: [] });
    const lines = await t.http.get(`/api/v1/caisses/${c.caisseId}/ledger/accounts/${m.walletAccount}/lines`).set(bearer(c.tokens.treasurer));
    expect(lines.body.items).toHaveLength(2);
    // Erased is final.
    expect((await t.http.post(url(m.id, '/erase')).set(bearer(c.tokens.admin))).body.code).toBe('MEMBER_ERASED');
    expect((await t.http.patch(url(m.id)).set(bearer(c.tokens.admin)).send({ firstName: 'Zoé' })).body.code).toBe('MEMBER_ERASED');
  });
});
