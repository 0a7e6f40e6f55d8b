import { randomUUID } from 'node:crypto';
import { TransactionHost } from '../../src/database/transaction.js';
import { MembersService } from '../../src/members/members.service.js';
import { MAX_PIN_ATTEMPTS } from '../../src/members/members.types.js';
import { bearer, createMember, memberLogin } from '../support/member-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Caisse = Awaited<ReturnType<TestApp['newCaisse']>>;

/** The same 16 digits with the check digit changed: passes the format, fails Luhn. */
function wrongCheckDigit(card: string): string {
  return card.slice(0, 15) + String((Number(card[15]) + 1) % 10);
}

describe('member cards, PINs and sessions (e2e)', () => {
  let t: TestApp;
  let c: Caisse;
  const login = (cardNumber: string, pin: string, caisseId = c.caisseId) => t.http.post(`/api/v1/caisses/${caisseId}/members/login`).send({ cardNumber, pin });
  const url = (memberId: string, path = '') => `/api/v1/caisses/${c.caisseId}/members/${memberId}${path}`;

  beforeAll(async () => {
    t = await createTestApp();
    c = await t.newCaisse();
  });
  afterAll(async () => t?.close());

  it('logs a member in with card and PIN; the token reads that member only', async () => {
    const m = await createMember(t, c.caisseId, c.tokens.admin, { pin: '4821' });
    const other = await createMember(t, c.caisseId, c.tokens.admin);
    const res = await login(m.cardNumber!.replace(/(\d{4})(?=\d)/g, '$1 '), '4821');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', memberId: m.id, expiresIn: 600 });
    const token = res.body.accessToken;
    expect((await t.http.get('/api/v1/auth/me').set(bearer(token))).body).toEqual({ kind: 'member', memberId: m.id, caisseId: c.caisseId });
    const self = await t.http.get(url(m.id)).set(bearer(token));
    expect(self.status).toBe(200);
    expect(self.body).not.toHaveProperty('monthlyIncome');
    expect((await t.http.get(url(m.id, '/wallet')).set(bearer(token))).status).toBe(200);
    expect((await t.http.get(url(other.id)).set(bearer(token))).status).toBe(404);
    expect((await t.http.get(url(other.id, '/wallet')).set(bearer(token))).status).toBe(404);
    expect((await t.http.get(`/api/v1/caisses/${c.caisseId}/members`).set(bearer(token))).status).toBe(403);
    const b = await t.newCaisse();
    expect((await t.http.get(`/api/v1/caisses/${b.caisseId}`).set(bearer(token))).status).toBe(404);
  });

  it('refuses malformed card numbers (Luhn) with 400, and unknown ones like wrong PINs', async () => {
    const m = await createMember(t, c.caisseId, c.tokens.admin, { pin: '4821' });
    for (const cardNumber of [wrongCheckDigit(m.cardNumber!), '123', 'abcdabcdabcdabcd']) {
      const res = await login(cardNumber, '4821');
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors)).toEqual(['cardNumber']);
    }
    const unknown = await login('4539578763621486', '4821');
    expect(unknown.status).toBe(401);
    expect(unknown.body.code).toBe('INVALID_CREDENTIALS');
    const elsewhere = await login(m.cardNumber!, '4821', (await t.newCaisse()).caisseId);
    expect(elsewhere.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('locks the card after MAX_PIN_ATTEMPTS wrong PINs, even when they arrive all at once', async () => {
    const m = await createMember(t, c.caisseId, c.tokens.admin, { pin: '4821' });
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => login(m.cardNumber!, String(5000 + i))));
    const codes = results.map((r) => r.body.code).sort();
    // Exactly MAX_PIN_ATTEMPTS attempts were checked: the others met a locked card.
    expect(codes.filter((x) => x === 'INVALID_PIN')).toHaveLength(MAX_PIN_ATTEMPTS - 1);
    expect(codes.filter((x) => x === 'CARD_LOCKED')).toHaveLength(12 - (MAX_PIN_ATTEMPTS - 1));
    expect(results.filter((r) => r.body.code === 'CARD_LOCKED').every((r) => r.status === 423)).toBe(true);
    const [card] = await t.sql<{ pin_attempts: number; locked_at: Date | null }>(`SELECT pin_attempts, locked_at FROM member_cards WHERE member_id = $1`, [m.id]);
    expect(card.pin_attempts).toBe(MAX_PIN_ATTEMPTS);
    expect(card.locked_at).not.toBeNull();
    // Locked means locked: the right PIN does not open it.
    expect((await login(m.cardNumber!, '4821')).body.code).toBe('CARD_LOCKED');
    const audit = await t.sql(`SELECT actor_kind FROM audit_log WHERE target_id = $1 AND action = 'member-card.locked'`, [m.id]);
    expect(audit).toEqual([{ actor_kind: 'system' }]);

    expect((await t.http.post(url(m.id, '/card/unlock')).set(bearer(c.tokens.treasurer))).status).toBe(403);
    const unlocked = await t.http.post(url(m.id, '/card/unlock')).set(bearer(c.tokens.admin));
    expect(unlocked.status).toBe(200);
    expect(unlocked.body).toMatchObject({ locked: false, failedPinAttempts: 0 });
    expect((await login(m.cardNumber!, '4821')).status).toBe(200);
  });

  it('counts wrong PINs one by one, tells how many are left, and a right PIN resets the count', async () => {
    const m = await createMember(t, c.caisseId, c.tokens.admin, { pin: '4821' });
    const wrong = await login(m.cardNumber!, '0001');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ code: 'INVALID_PIN', attemptsLeft: MAX_PIN_ATTEMPTS - 1 });
    expect((await login(m.cardNumber!, '4821')).status).toBe(200);
    const [card] = await t.sql<{ pin_attempts: number }>(`SELECT pin_attempts FROM member_cards WHERE member_id = $1`, [m.id]);
    expect(card.pin_attempts).toBe(0);
  });

  it('counts a wrong PIN even when the caller rolls back, and refuses to run inside a transaction', async () => {
    const m = await createMember(t, c.caisseId, c.tokens.admin, { pin: '4821' });
    const members = t.app.get(MembersService);
    await expect(members.verifyPin(c.caisseId, m.cardNumber!, '0001')).rejects.toMatchObject({ code: 'INVALID_PIN' });
    await expect(t.app.get(TransactionHost).run(() => members.verifyPin(c.caisseId, m.cardNumber!, '4821'))).rejects.toThrow(/outside a transaction/);
    const [card] = await t.sql<{ pin_attempts: number }>(`SELECT pin_attempts FROM member_cards WHERE member_id = $1`, [m.id]);
    expect(card.pin_attempts).toBe(1);
    await expect(members.verifyPin(c.caisseId, m.cardNumber!, '4821')).resolves.toMatchObject({ memberId: m.id, walletAccount: m.walletAccount, status: 'active', cardState: 'active', pinSet: true });
  });

  it('ends a member session at once when the card is blocked or the member leaves', async () => {
    const a = await createMember(t, c.caisseId, c.tokens.admin, { pin: '4821' });
    const tokenA = await memberLogin(t, c.caisseId, a.cardNumber!, '4821');
    const blocked = await t.http.post(url(a.id, '/card/block')).set(bearer(tokenA)).send({ reason: 'Carte perdue' });
    expect(blocked.status).toBe(200);
    expect(blocked.body).toMatchObject({ state: 'blocked', blockReason: 'Carte perdue' });
    // The member acted under its own name in the audit log.
    expect(await t.sql(`SELECT actor_kind, actor_id, role FROM audit_log WHERE target_id = $1 AND action = 'member-card.blocked'`, [a.id])).toEqual([{ actor_kind: 'member', actor_id: a.id, role: 'member' }]);
    const after = await t.http.get(url(a.id)).set(bearer(tokenA));
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('INVALID_TOKEN');
    expect((await login(a.cardNumber!, '4821')).body.code).toBe('CARD_BLOCKED');

    const b = await createMember(t, c.caisseId, c.tokens.admin, { pin: '4821' });
    const tokenB = await memberLogin(t, c.caisseId, b.cardNumber!, '4821');
    await t.http.patch(url(b.id)).set(bearer(c.tokens.admin)).send({ status: 'suspended' }).expect(200);
    expect((await t.http.get(url(b.id)).set(bearer(tokenB))).status).toBe(401);
    expect((await login(b.cardNumber!, '4821')).body.code).toBe('MEMBER_NOT_ACTIVE');
  });

  it('replaces a card with a new number on the same wallet, keeping the PIN', async () => {
    const m = await createMember(t, c.caisseId, c.tokens.admin, { pin: '4821' });
    const res = await t.http.post(url(m.id, '/card/replacement')).set(bearer(c.tokens.admin)).send({ reason: 'Carte abîmée' });
    expect(res.status).toBe(201);
    expect(res.body.pin).toBeNull();
    expect(res.body.card.cardNumber).not.toBe(m.cardNumber);
    const member = await t.http.get(url(m.id)).set(bearer(c.tokens.admin));
    expect(member.body).toMatchObject({ cardNumber: res.body.card.cardNumber, walletAccount: m.walletAccount });
    const cards = await t.http.get(url(m.id, '/cards')).set(bearer(c.tokens.admin));
    expect(cards.body.map((x: { state: string }) => x.state).sort()).toEqual(['active', 'replaced']);
    expect(cards.body.find((x: { state: string }) => x.state === 'replaced').replacedBy).toBe(res.body.card.id);
    expect((await login(m.cardNumber!, '4821')).body.code).toBe('CARD_BLOCKED');
    expect((await login(res.body.card.cardNumber, '4821')).status).toBe(200);
    const fresh = await t.http.post(url(m.id, '/card/replacement')).set(bearer(c.tokens.admin)).send({ reason: 'PIN oublié', newPin: true });
    expect(fresh.body.pin).toMatch(/^\d{4}$/);
    expect((await login(fresh.body.card.cardNumber, fresh.body.pin)).status).toBe(200);
  });

  it('lets an admin set or reset a PIN (returned once when generated), and refuses it to others', async () => {
    const m = await createMember(t, c.caisseId, c.tokens.admin, { status: 'applicant' });
    await t.http.patch(url(m.id)).set(bearer(c.tokens.admin)).send({ status: 'active' }).expect(200);
    const card = (await t.http.get(url(m.id)).set(bearer(c.tokens.admin))).body.cardNumber;
    expect((await login(card, '4821')).body.code).toBe('PIN_NOT_SET');
    expect((await t.http.post(url(m.id, '/card/pin')).set(bearer(c.tokens.treasurer)).send({})).status).toBe(403);
    const generated = await t.http.post(url(m.id, '/card/pin')).set(bearer(c.tokens.admin)).send({});
    expect(generated.status).toBe(200);
    expect(generated.body).toMatchObject({ pin: expect.stringMatching(/^\d{4}$/), card: { pinSet: true } });
    expect((await login(card, generated.body.pin)).status).toBe(200);
    const chosen = await t.http.post(url(m.id, '/card/pin')).set(bearer(c.tokens.admin)).send({ pin: '7391' });
    expect(chosen.body.pin).toBeNull();
    expect((await login(card, '7391')).status).toBe(200);
    const weak = await t.http.post(url(m.id, '/card/pin')).set(bearer(c.tokens.admin)).send({ pin: '0000' });
    expect(weak.status).toBe(400);
  });

  it('gives the member a signed QR payload with no personal data, which the facade resolves', async () => {
    const m = await createMember(t, c.caisseId, c.tokens.admin, { pin: '4821', firstName: 'Éloïse' });
    const token = await memberLogin(t, c.caisseId, m.cardNumber!, '4821');
    // Only the member itself: nobody pays on someone else's behalf, not even an admin.
    expect((await t.http.post(url(m.id, '/card/qr')).set(bearer(c.tokens.admin))).status).toBe(403);
    const res = await t.http.post(url(m.id, '/card/qr')).set(bearer(token));
    expect(res.status).toBe(201);
    const decoded = Buffer.from(res.body.payload.split('.')[1], 'base64url').toString('utf8');
    expect(decoded).not.toMatch(new RegExp([m.id, m.number, m.cardNumber, 'Éloïse', m.lastName as string].join('|')));
    const members = t.app.get(MembersService);
    await expect(members.resolveQr(c.caisseId, res.body.payload)).resolves.toMatchObject({ memberId: m.id, walletAccount: m.walletAccount, cardState: 'active' });
    await expect(members.resolveQr(randomUUID(), res.body.payload)).rejects.toMatchObject({ code: 'INVALID_QR' });
    await expect(members.resolveQr(c.caisseId, res.body.payload.slice(0, -3) + 'AAA')).rejects.toMatchObject({ code: 'INVALID_QR' });
    await expect(members.resolveCard(c.caisseId, m.cardNumber!)).resolves.toMatchObject({ memberId: m.id, pseudonym: m.number });
  });
});
