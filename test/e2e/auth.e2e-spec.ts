import { createHash, randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import type { Response } from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, JWT_SECRET } from '../support/test-env.js';

type Caisse = Awaited<ReturnType<TestApp['newCaisse']>>;

const LOGIN = '/api/v1/auth/login';
const ME = '/api/v1/auth/me';

/** A client address of its own, so failed logins here never count against the address other tests log in from. */
function testIp(): string {
  const b = () => Math.floor(Math.random() * 254) + 1;
  return `198.18.${b()}.${b()}`;
}

function expectProblem(res: Response, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  expect(res.body.instance).toEqual(expect.any(String));
  expect(res.body.correlationId).toBe(res.headers['x-correlation-id']);
}

describe('auth (e2e)', () => {
  let t: TestApp;
  let a: Caisse;
  let b: Caisse;
  const ip = testIp();

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const uniq = () => randomUUID().slice(0, 8);

  /** Creates an account holding `role` in the caisse, as the platform admin. */
  async function addUser(caisseId: string, role = 'member', email = `u-${uniq()}@test.caisse`, password = `pw-${uniq()}-long-enough`) {
    const res = await t.http.post(`/api/v1/caisses/${caisseId}/users`).set(bearer(t.adminToken)).send({ email, password, role });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, email, password };
  }

  beforeAll(async () => {
    t = await createTestApp();
    a = await t.newCaisse();
    b = await t.newCaisse();
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('login', () => {
    it('returns a bearer token that authenticates the user', async () => {
      const res = await t.http.post(LOGIN).send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/), tokenType: 'Bearer', expiresIn: 900 });
      const me = await t.http.get(ME).set(bearer(res.body.accessToken));
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ kind: 'user', email: ADMIN_EMAIL, platformAdmin: true });
    });

    it('treats the email case-insensitively', async () => {
      const u = await addUser(a.caisseId);
      const res = await t.http.post(LOGIN).send({ email: u.email.toUpperCase(), password: u.password });
      expect(res.status).toBe(200);
      const me = await t.http.get(ME).set(bearer(res.body.accessToken));
      expect(me.body).toMatchObject({ kind: 'user', userId: u.id, email: u.email, platformAdmin: false, roles: { [a.caisseId]: ['member'] } });
    });

    it('refuses a wrong password with 401 INVALID_CREDENTIALS', async () => {
      const u = await addUser(a.caisseId);
      const res = await t.http.post(LOGIN).set('X-Forwarded-For', ip).send({ email: u.email, password: `${u.password}x` });
      expectProblem(res, 401, 'INVALID_CREDENTIALS');
      expect(res.body.accessToken).toBeUndefined();
    });

    it('answers an unknown email exactly like a wrong password', async () => {
      const u = await addUser(a.caisseId);
      const wrongPassword = await t.http.post(LOGIN).set('X-Forwarded-For', ip).send({ email: u.email, password: 'not-the-password-1' });
      const unknown = await t.http.post(LOGIN).set('X-Forwarded-For', ip).send({ email: `nobody-${uniq()}@test.caisse`, password: 'not-the-password-1' });
      expectProblem(unknown, 401, 'INVALID_CREDENTIALS');
      const strip = (body: Record<string, unknown>) => ({ ...body, correlationId: undefined });
      expect(strip(unknown.body)).toEqual(strip(wrongPassword.body));
    });

    it('validates the login body', async () => {
      const res = await t.http.post(LOGIN).send({ email: 'not-an-email', password: '' });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(Object.keys(res.body.errors).sort()).toEqual(['email', 'password']);
    });
  });

  describe('tokens', () => {
    let adminId: string;
    // Signed as the app signs: HS256 under the current key id.
    const jwt = new JwtService({ secret: JWT_SECRET, signOptions: { algorithm: 'HS256', keyid: process.env.JWT_KEY_ID } });
    const now = () => Math.floor(Date.now() / 1000);

    beforeAll(async () => {
      adminId = (await t.http.get(ME).set(bearer(t.adminToken))).body.userId;
      expect(adminId).toEqual(expect.any(String));
    });

    it('accepts a token signed with the secret and still valid (control for the cases below)', async () => {
      const token = jwt.sign({ sub: adminId, typ: 'access', exp: now() + 60 });
      const res = await t.http.get(ME).set(bearer(token));
      expect(res.status).toBe(200);
      expect(res.body.userId).toBe(adminId);
    });

    it('refuses an expired token with 401 TOKEN_EXPIRED', async () => {
      const token = jwt.sign({ sub: adminId, typ: 'access', iat: now() - 3600, exp: now() - 60 });
      expectProblem(await t.http.get(ME).set(bearer(token)), 401, 'TOKEN_EXPIRED');
      expectProblem(await t.http.get(`/api/v1/caisses/${a.caisseId}`).set(bearer(token)), 401, 'TOKEN_EXPIRED');
    });

    it.each([
      ['garbage', () => 'this-is-not-a-jwt'],
      ['three garbage segments', () => 'aaa.bbb.ccc'],
      ['another secret', () => new JwtService({ secret: 'another-secret-another-secret-another-secret', signOptions: { keyid: process.env.JWT_KEY_ID } }).sign({ sub: adminId, typ: 'access', exp: now() + 60 })],
      ['an unsigned (alg none) token', () => `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: adminId, typ: 'access', exp: now() + 60 })).toString('base64url')}.`],
      ['another token type', () => jwt.sign({ sub: adminId, typ: 'refresh', exp: now() + 60 })],
      ['a deleted account', () => jwt.sign({ sub: randomUUID(), typ: 'access', exp: now() + 60 })],
    ])('refuses %s with 401 INVALID_TOKEN', async (_name, make) => {
      expectProblem(await t.http.get(ME).set(bearer(make())), 401, 'INVALID_TOKEN');
    });

    it('asks for credentials when there are none (401 UNAUTHENTICATED)', async () => {
      expectProblem(await t.http.get(ME), 401, 'UNAUTHENTICATED');
      expectProblem(await t.http.get('/api/v1/caisses'), 401, 'UNAUTHENTICATED');
      expectProblem(await t.http.get(`/api/v1/caisses/${a.caisseId}`), 401, 'UNAUTHENTICATED');
      expectProblem(await t.http.get(ME).set('Authorization', `Basic ${Buffer.from(`${ADMIN_EMAIL}:${ADMIN_PASSWORD}`).toString('base64')}`), 401, 'UNAUTHENTICATED');
    });
  });

  describe('roles and caisses', () => {
    it('answers 403 FORBIDDEN to a role that may not act, and writes nothing', async () => {
      const email = `forbidden-${uniq()}@test.caisse`;
      const res = await t.http.post(`/api/v1/caisses/${a.caisseId}/users`).set(bearer(a.tokens.member)).send({ email, password: 'long-enough-password', role: 'admin' });
      expectProblem(res, 403, 'FORBIDDEN');
      expect(await t.sql('SELECT 1 FROM users WHERE email = $1', [email])).toHaveLength(0);
      expectProblem(await t.http.get(`/api/v1/caisses/${a.caisseId}/audit`).set(bearer(a.tokens.member)), 403, 'FORBIDDEN');
      expectProblem(await t.http.get(`/api/v1/caisses/${a.caisseId}/users`).set(bearer(a.tokens.treasurer)), 403, 'FORBIDDEN');
      expectProblem(await t.http.post(`/api/v1/caisses/${a.caisseId}/api-keys`).set(bearer(a.tokens.cashier)).send({ label: 'till' }), 403, 'FORBIDDEN');
    });

    it('lets every role of the caisse read the caisse', async () => {
      for (const role of ['admin', 'treasurer', 'committee', 'cashier', 'member'] as const) {
        const res = await t.http.get(`/api/v1/caisses/${a.caisseId}`).set(bearer(a.tokens[role]));
        expect({ role, status: res.status, id: res.body.id }).toEqual({ role, status: 200, id: a.caisseId });
      }
    });

    it('hides another caisse from a user of caisse A (404 NOT_FOUND, like a caisse that does not exist)', async () => {
      const other = await t.http.get(`/api/v1/caisses/${b.caisseId}`).set(bearer(a.tokens.admin));
      expectProblem(other, 404, 'NOT_FOUND');
      const missing = await t.http.get(`/api/v1/caisses/${randomUUID()}`).set(bearer(a.tokens.admin));
      expectProblem(missing, 404, 'NOT_FOUND');
      expectProblem(await t.http.get(`/api/v1/caisses/${b.caisseId}/users`).set(bearer(a.tokens.admin)), 404, 'NOT_FOUND');
      expectProblem(await t.http.get(`/api/v1/caisses/${b.caisseId}/audit`).set(bearer(a.tokens.admin)), 404, 'NOT_FOUND');
      // Even for a role that would be refused in its own caisse: never a 403 that reveals B exists.
      expectProblem(await t.http.get(`/api/v1/caisses/${b.caisseId}/users`).set(bearer(a.tokens.member)), 404, 'NOT_FOUND');
    });

    it('does not let the admin of caisse A grant roles in caisse B', async () => {
      const email = `cross-${uniq()}@test.caisse`;
      const res = await t.http.post(`/api/v1/caisses/${b.caisseId}/users`).set(bearer(a.tokens.admin)).send({ email, password: 'long-enough-password', role: 'admin' });
      expectProblem(res, 404, 'NOT_FOUND');
      expect(await t.sql('SELECT 1 FROM users WHERE email = $1', [email])).toHaveLength(0);
    });

    it('lists only the caisses a user belongs to', async () => {
      const res = await t.http.get('/api/v1/caisses').set(bearer(a.tokens.member));
      expect(res.status).toBe(200);
      expect(res.body.map((c: { id: string }) => c.id)).toEqual([a.caisseId]);
    });

    it('lets the platform admin act on any caisse', async () => {
      const list = await t.http.get('/api/v1/caisses').set(bearer(t.adminToken));
      expect(list.status).toBe(200);
      expect(list.body.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([a.caisseId, b.caisseId]));
      for (const c of [a, b]) {
        expect((await t.http.get(`/api/v1/caisses/${c.caisseId}`).set(bearer(t.adminToken))).status).toBe(200);
        const users = await t.http.get(`/api/v1/caisses/${c.caisseId}/users`).set(bearer(t.adminToken));
        expect(users.status).toBe(200);
        expect(users.body.length).toBeGreaterThanOrEqual(5);
        expect((await t.http.get(`/api/v1/caisses/${c.caisseId}/audit`).set(bearer(t.adminToken))).status).toBe(200);
      }
    });

    it('lets only the platform admin create a caisse (403 for a caisse admin)', async () => {
      const slug = `c-${uniq()}`;
      for (const token of [a.tokens.admin, a.tokens.member]) {
        expectProblem(await t.http.post('/api/v1/caisses').set(bearer(token)).send({ name: `Caisse ${slug}`, slug }), 403, 'FORBIDDEN');
      }
      expect(await t.sql('SELECT 1 FROM caisses WHERE slug = $1', [slug])).toHaveLength(0);
      const ok = await t.http.post('/api/v1/caisses').set(bearer(t.adminToken)).send({ name: `Caisse ${slug}`, slug });
      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({ slug, currency: 'EUR' });
    });
  });

  describe('login rate limit', () => {
    it('blocks an email after 5 failures, even with the right password (429 TOO_MANY_LOGIN_ATTEMPTS)', async () => {
      const u = await addUser(a.caisseId, 'member', `ratelimit-${uniq()}@test.caisse`);
      const myIp = testIp();
      for (let i = 0; i < 5; i++) {
        const res = await t.http.post(LOGIN).set('X-Forwarded-For', myIp).send({ email: u.email, password: `wrong-${i}` });
        expectProblem(res, 401, 'INVALID_CREDENTIALS');
      }
      const blocked = await t.http.post(LOGIN).set('X-Forwarded-For', myIp).send({ email: u.email, password: u.password });
      expectProblem(blocked, 429, 'TOO_MANY_LOGIN_ATTEMPTS');
      expect(blocked.body.accessToken).toBeUndefined();
      expect(blocked.body.retryAfterSeconds).toBeGreaterThan(0);
      expect(blocked.body.retryAfterSeconds).toBeLessThanOrEqual(900);
      // The same email from another address is still blocked: the limit is per email.
      expectProblem(await t.http.post(LOGIN).set('X-Forwarded-For', testIp()).send({ email: u.email.toUpperCase(), password: u.password }), 429, 'TOO_MANY_LOGIN_ATTEMPTS');
      // Another account from the same address is not.
      const other = await addUser(a.caisseId);
      expect((await t.http.post(LOGIN).set('X-Forwarded-For', myIp).send({ email: other.email, password: other.password })).status).toBe(200);
    });

    it('clears the count of an email on a successful login', async () => {
      const u = await addUser(a.caisseId, 'member', `ratelimit-reset-${uniq()}@test.caisse`);
      const myIp = testIp();
      for (let round = 0; round < 2; round++) {
        for (let i = 0; i < 4; i++) {
          expectProblem(await t.http.post(LOGIN).set('X-Forwarded-For', myIp).send({ email: u.email, password: `wrong-${i}` }), 401, 'INVALID_CREDENTIALS');
        }
        expect((await t.http.post(LOGIN).set('X-Forwarded-For', myIp).send({ email: u.email, password: u.password })).status).toBe(200);
      }
    });

    it('blocks an address after 20 failures across emails', async () => {
      const myIp = testIp();
      for (let i = 0; i < 20; i++) {
        const res = await t.http.post(LOGIN).set('X-Forwarded-For', myIp).send({ email: `spray-${i}-${uniq()}@test.caisse`, password: 'guess-guess-guess' });
        expect(res.status).toBe(401);
      }
      const u = await addUser(a.caisseId);
      expectProblem(await t.http.post(LOGIN).set('X-Forwarded-For', myIp).send({ email: u.email, password: u.password }), 429, 'TOO_MANY_LOGIN_ATTEMPTS');
      expect((await t.http.post(LOGIN).set('X-Forwarded-For', testIp()).send({ email: u.email, password: u.password })).status).toBe(200);
    });
  });

  describe('terminal API keys', () => {
    const keysOf = (c: Caisse) => `/api/v1/caisses/${c.caisseId}/api-keys`;

    it('shows the key once, keeps only its hash, and authenticates the terminal in its caisse', async () => {
      const created = await t.http.post(keysOf(a)).set(bearer(a.tokens.admin)).send({ label: 'Tablette du marché' });
      expect(created.status).toBe(201);
      const key: string = created.body.key;
      expect(key).toMatch(/^ck_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
      expect(created.body).toMatchObject({ id: expect.any(String), label: 'Tablette du marché', outletId: null, prefix: key.slice(0, 15), revokedAt: null });
      const secret = key.slice(16);

      const [row] = await t.sql<Record<string, unknown>>('SELECT * FROM api_keys WHERE id = $1', [created.body.id]);
      expect(row.secret_hash).toBe(createHash('sha256').update(secret).digest('hex'));
      const stored = JSON.stringify(await t.sql('SELECT * FROM api_keys'));
      expect(stored).not.toContain(secret);

      const list = await t.http.get(keysOf(a)).set(bearer(a.tokens.admin));
      expect(list.status).toBe(200);
      expect(list.body.map((k: { id: string }) => k.id)).toContain(created.body.id);
      expect(JSON.stringify(list.body)).not.toContain(secret);
      for (const k of list.body) expect(k.key).toBeUndefined();

      const me = await t.http.get(ME).set('X-Api-Key', key);
      expect(me.status).toBe(200);
      expect(me.body).toEqual({ kind: 'terminal', keyId: created.body.id, caisseId: a.caisseId, outletId: null });

      const caisse = await t.http.get(`/api/v1/caisses/${a.caisseId}`).set('X-Api-Key', key);
      expect(caisse.status).toBe(200);
      expect(caisse.body.id).toBe(a.caisseId);
      // A terminal is not an admin of its caisse.
      expectProblem(await t.http.get(`/api/v1/caisses/${a.caisseId}/users`).set('X-Api-Key', key), 403, 'FORBIDDEN');
      expectProblem(await t.http.post(keysOf(a)).set('X-Api-Key', key).send({ label: 'self-made' }), 403, 'FORBIDDEN');
      // …and cannot reach any other caisse.
      expectProblem(await t.http.get(`/api/v1/caisses/${b.caisseId}`).set('X-Api-Key', key), 404, 'NOT_FOUND');
    });

    it('refuses unknown, tampered and malformed keys with 401 INVALID_API_KEY', async () => {
      const created = await t.http.post(keysOf(a)).set(bearer(a.tokens.admin)).send({ label: 'caisse 2' });
      const key: string = created.body.key;
      const flipped = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
      for (const bad of [flipped, `ck_000000000000_${key.slice(16)}`, 'not-a-key', `${key}x`]) {
        expectProblem(await t.http.get(ME).set('X-Api-Key', bad), 401, 'INVALID_API_KEY');
      }
      // A bad key is not rescued by a good bearer token sent alongside.
      expectProblem(await t.http.get(ME).set('X-Api-Key', 'not-a-key').set(bearer(t.adminToken)), 401, 'INVALID_API_KEY');
    });

    it('stops a revoked key at once (401 INVALID_API_KEY)', async () => {
      const created = await t.http.post(keysOf(a)).set(bearer(a.tokens.admin)).send({ label: 'to revoke' });
      const key: string = created.body.key;
      expect((await t.http.get(ME).set('X-Api-Key', key)).status).toBe(200);

      // The admin of another caisse cannot revoke it, even through their own caisse's path.
      expectProblem(await t.http.delete(`${keysOf(b)}/${created.body.id}`).set(bearer(b.tokens.admin)), 404, 'NOT_FOUND');
      expectProblem(await t.http.delete(`${keysOf(a)}/${created.body.id}`).set(bearer(b.tokens.admin)), 404, 'NOT_FOUND');
      expect((await t.http.get(ME).set('X-Api-Key', key)).status).toBe(200);

      const revoked = await t.http.delete(`${keysOf(a)}/${created.body.id}`).set(bearer(a.tokens.admin));
      expect(revoked.status).toBe(200);
      expect(revoked.body).toMatchObject({ id: created.body.id, revokedAt: expect.any(String) });
      expectProblem(await t.http.get(ME).set('X-Api-Key', key), 401, 'INVALID_API_KEY');
      expectProblem(await t.http.get(`/api/v1/caisses/${a.caisseId}`).set('X-Api-Key', key), 401, 'INVALID_API_KEY');
      // Revoking again changes nothing.
      const again = await t.http.delete(`${keysOf(a)}/${created.body.id}`).set(bearer(a.tokens.admin));
      expect(again.status).toBe(200);
      expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
      expectProblem(await t.http.delete(`${keysOf(a)}/${randomUUID()}`).set(bearer(a.tokens.admin)), 404, 'NOT_FOUND');
    });

    it('does not open caisse B to a key of caisse A (404)', async () => {
      const created = await t.http.post(keysOf(a)).set(bearer(t.adminToken)).send({ label: 'A only' });
      expect(created.status).toBe(201);
      expectProblem(await t.http.get(`/api/v1/caisses/${b.caisseId}`).set('X-Api-Key', created.body.key), 404, 'NOT_FOUND');
      expectProblem(await t.http.get(`/api/v1/caisses/${b.caisseId}/users`).set('X-Api-Key', created.body.key), 404, 'NOT_FOUND');
      const list = await t.http.get('/api/v1/caisses').set('X-Api-Key', created.body.key);
      expect(list.status).toBe(200);
      expect(list.body.map((c: { id: string }) => c.id)).toEqual([a.caisseId]);
    });
  });

  describe('adding users', () => {
    it('adds a role to an existing account of another caisse (200) and keeps its password', async () => {
      const u = await addUser(a.caisseId, 'treasurer');
      const res = await t.http
        .post(`/api/v1/caisses/${b.caisseId}/users`)
        .set(bearer(b.tokens.admin))
        .send({ email: u.email.toUpperCase(), password: 'a-different-password', role: 'cashier' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: u.id, email: u.email, roles: ['cashier'] });
      expect(await t.sql('SELECT 1 FROM users WHERE email = $1', [u.email])).toHaveLength(1);

      expectProblem(await t.http.post(LOGIN).set('X-Forwarded-For', ip).send({ email: u.email, password: 'a-different-password' }), 401, 'INVALID_CREDENTIALS');
      const token = await t.login(u.email, u.password);
      const me = await t.http.get(ME).set(bearer(token));
      expect(me.body.roles).toEqual({ [a.caisseId]: ['treasurer'], [b.caisseId]: ['cashier'] });
      expect((await t.http.get(`/api/v1/caisses/${b.caisseId}`).set(bearer(token))).status).toBe(200);
    });

    it('adds a second role in the same caisse (200) but refuses the same role twice (409 ROLE_ALREADY_GRANTED)', async () => {
      const u = await addUser(a.caisseId, 'cashier');
      const second = await t.http.post(`/api/v1/caisses/${a.caisseId}/users`).set(bearer(a.tokens.admin)).send({ email: u.email, password: u.password, role: 'committee' });
      expect(second.status).toBe(200);
      expect(second.body.roles).toEqual(['cashier', 'committee']);

      const auditBefore = await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE target_id = $1', [u.id]);
      const dup = await t.http.post(`/api/v1/caisses/${a.caisseId}/users`).set(bearer(a.tokens.admin)).send({ email: u.email, password: u.password, role: 'cashier' });
      expectProblem(dup, 409, 'ROLE_ALREADY_GRANTED');
      const auditAfter = await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE target_id = $1', [u.id]);
      expect(auditAfter[0].n).toBe(auditBefore[0].n);
      const roles = await t.sql<{ role: string }>('SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role', [u.id]);
      expect(roles.map((r) => r.role)).toEqual(['cashier', 'committee']);
    });

    it('refuses a password under 12 characters (400 with errors.password) and creates nothing', async () => {
      const email = `short-${uniq()}@test.caisse`;
      const res = await t.http.post(`/api/v1/caisses/${a.caisseId}/users`).set(bearer(a.tokens.admin)).send({ email, password: 'elevenchars', role: 'member' });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual({ password: [expect.stringContaining('12')] });
      expect(await t.sql('SELECT 1 FROM users WHERE email = $1', [email])).toHaveLength(0);
      const twelve = await t.http.post(`/api/v1/caisses/${a.caisseId}/users`).set(bearer(a.tokens.admin)).send({ email, password: 'twelve-chars', role: 'member' });
      expect(twelve.status).toBe(201);
    });

    it('refuses an unknown role (400 with errors.role)', async () => {
      const res = await t.http
        .post(`/api/v1/caisses/${a.caisseId}/users`)
        .set(bearer(a.tokens.admin))
        .send({ email: `role-${uniq()}@test.caisse`, password: 'long-enough-password', role: 'superuser' });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(Object.keys(res.body.errors)).toEqual(['role']);
    });

    it('answers 404 when adding a user to a caisse that does not exist, even for the platform admin', async () => {
      const email = `ghost-${uniq()}@test.caisse`;
      const res = await t.http.post(`/api/v1/caisses/${randomUUID()}/users`).set(bearer(t.adminToken)).send({ email, password: 'long-enough-password', role: 'member' });
      expectProblem(res, 404, 'NOT_FOUND');
      expect(await t.sql('SELECT 1 FROM users WHERE email = $1', [email])).toHaveLength(0);
    });
  });
});
