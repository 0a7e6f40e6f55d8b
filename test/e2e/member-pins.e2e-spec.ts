import argon2 from 'argon2';
import { parsePinKeys } from '../../src/config/index.js';
import { MAX_PIN_ATTEMPTS } from '../../src/members/members.types.js';
import { PinDigests } from '../../src/members/pin.js';
import { createMember } from '../support/member-fixtures.js';
import { buy, buyer, type Shop, shop } from '../support/purchase-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

// setup-env.ts configures PIN_KEYS with test2 (current) then test1 (retired, still accepted).
const keys = parsePinKeys(process.env.PIN_KEYS!)!;
const underOldKey = new PinDigests(keys.slice(1));
const HMAC_CURRENT = /^hmac\$test2\$[A-Za-z0-9+/]{43}=$/;

describe('PIN storage: HMAC under a key outside the database (e2e)', () => {
  let t: TestApp;
  let s: Shop;
  const login = (cardNumber: string, pin: string) => t.http.post(`/api/v1/caisses/${s.caisseId}/members/login`).send({ cardNumber, pin });
  const stored = async (memberId: string) =>
    (await t.sql<{ pin_hash: string; pin_attempts: number }>(`SELECT pin_hash, pin_attempts FROM member_cards WHERE member_id = $1 AND state = 'active'`, [memberId]))[0];
  const store = (memberId: string, value: string) => t.sql(`UPDATE member_cards SET pin_hash = $2 WHERE member_id = $1 AND state = 'active'`, [memberId, value]);

  beforeAll(async () => {
    t = await createTestApp();
    s = await shop(t);
  });
  afterAll(async () => t?.close());

  it('stores new PINs as hmac$<current key id>$…, different for two members with the same PIN', async () => {
    const a = await createMember(t, s.caisseId, s.tokens.admin, { pin: '4821' });
    const b = await createMember(t, s.caisseId, s.tokens.admin, { pin: '4821' });
    const [da, db] = [(await stored(a.id)).pin_hash, (await stored(b.id)).pin_hash];
    expect(da).toMatch(HMAC_CURRENT);
    expect(db).toMatch(HMAC_CURRENT);
    expect(da).not.toBe(db);
    expect((await login(a.cardNumber!, '4821')).status).toBe(200);
  });

  it('accepts a PIN stored as argon2id from before, then keeps it as an HMAC digest', async () => {
    const m = await buyer(t, s, '20.00');
    await store(m.id, await argon2.hash('4821', { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 }));
    // A wrong PIN against the old hash still counts towards the lockout and rewrites nothing.
    expect((await login(m.cardNumber!, '0001')).body).toMatchObject({ code: 'INVALID_PIN', attemptsLeft: MAX_PIN_ATTEMPTS - 1 });
    expect((await stored(m.id)).pin_hash).toMatch(/^\$argon2id\$/);
    expect((await buy(t, s, { card: m.cardNumber, pin: '4821', amount: '5.00' })).status).toBe(201);
    const after = await stored(m.id);
    expect(after).toEqual({ pin_hash: expect.stringMatching(HMAC_CURRENT), pin_attempts: 0 });
    expect((await login(m.cardNumber!, '4821')).status).toBe(200);
    expect((await stored(m.id)).pin_hash).toBe(after.pin_hash);
    expect((await login(m.cardNumber!, '4822')).body.code).toBe('INVALID_PIN');
  });

  it('re-keys a digest under a retired key id on the next right PIN', async () => {
    const m = await createMember(t, s.caisseId, s.tokens.admin, { pin: '4821' });
    const current = (await stored(m.id)).pin_hash;
    await store(m.id, underOldKey.digest(m.id, '4821'));
    expect((await stored(m.id)).pin_hash).toMatch(/^hmac\$test1\$/);
    expect((await login(m.cardNumber!, '4821')).status).toBe(200);
    expect((await stored(m.id)).pin_hash).toBe(current);
  });

  it('refuses a digest under a key id no longer configured, as a wrong PIN', async () => {
    const m = await createMember(t, s.caisseId, s.tokens.admin, { pin: '4821' });
    await store(m.id, (await stored(m.id)).pin_hash.replace('$test2$', '$gone$'));
    expect((await login(m.cardNumber!, '4821')).body).toMatchObject({ code: 'INVALID_PIN', attemptsLeft: MAX_PIN_ATTEMPTS - 1 });
  });

  it('still locks the card after MAX_PIN_ATTEMPTS wrong PINs, whatever the stored format', async () => {
    for (const legacy of [false, true]) {
      const m = await createMember(t, s.caisseId, s.tokens.admin, { pin: '4821' });
      if (legacy) await store(m.id, await argon2.hash('4821', { type: argon2.argon2id }));
      const before = (await stored(m.id)).pin_hash;
      for (let i = 1; i < MAX_PIN_ATTEMPTS; i++) expect((await login(m.cardNumber!, `500${i}`)).body).toMatchObject({ code: 'INVALID_PIN', attemptsLeft: MAX_PIN_ATTEMPTS - i });
      const last = await login(m.cardNumber!, '5009');
      expect(last.status).toBe(423);
      expect(last.body.code).toBe('CARD_LOCKED');
      expect((await login(m.cardNumber!, '4821')).body.code).toBe('CARD_LOCKED');
      // Locked before the right PIN could rewrite it.
      expect((await stored(m.id)).pin_hash).toBe(before);
    }
  });
});
