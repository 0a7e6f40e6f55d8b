import { randomUUID } from 'node:crypto';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { Test } from '@nestjs/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request, { type Response } from 'supertest';
import { AppModule } from '../../src/app.module.js';
import { createThrottleRedis, THROTTLE_REDIS } from '../../src/auth/login-throttle.service.js';
import { PasswordHasher } from '../../src/auth/password-hasher.service.js';
import { createTestApp, startApp, type TestApp } from '../support/test-app.js';
import { JWT_SECRET } from '../support/test-env.js';

const LOGIN = '/api/v1/auth/login';
const ME = '/api/v1/auth/me';
const MAX = 5; // LOGIN_MAX_ATTEMPTS default
const WINDOW = 900; // LOGIN_WINDOW_SECONDS default

function testIp(): string {
  const b = () => Math.floor(Math.random() * 254) + 1;
  return `198.19.${b()}.${b()}`;
}
const uniq = () => randomUUID().slice(0, 8);
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

function expectProblem(res: Response, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
}

function expectRetryAfter(res: Response, max: number): void {
  const header = Number(res.headers['retry-after']);
  expect(Number.isInteger(header)).toBe(true);
  expect(header).toBeGreaterThanOrEqual(1);
  expect(header).toBeLessThanOrEqual(max);
  expect(res.body.retryAfterSeconds).toBe(header);
}

function tally(responses: Response[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const r of responses) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

describe('auth hardening (e2e)', () => {
  let t: TestApp;
  let caisse: Awaited<ReturnType<TestApp['newCaisse']>>;
  let hasher: PasswordHasher;

  async function addUser(caisseId: string, role = 'member', token = t.adminToken) {
    const email = `h-${uniq()}@test.caisse`;
    const password = `pw-${uniq()}-long-enough`;
    const res = await t.http.post(`/api/v1/caisses/${caisseId}/users`).set(bearer(token)).send({ email, password, role });
    expect([200, 201]).toContain(res.status);
    return { id: res.body.id as string, email, password };
  }

  beforeAll(async () => {
    t = await createTestApp();
    caisse = await t.newCaisse();
    hasher = t.app.get(PasswordHasher);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('concurrent login limits', () => {
    it('issues no token when 40 logins arrive at once and the right password is the 30th', async () => {
      const u = await addUser(caisse.caisseId);
      const ip = testIp();
      const before = hasher.stats().verifications;
      const responses = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          t.http.post(LOGIN).set('X-Forwarded-For', ip).send({ email: u.email, password: i === 29 ? u.password : `wrong-${i}-password` }),
        ),
      );
      const counts = tally(responses);
      expect(counts[200]).toBeUndefined();
      expect(responses.every((r) => r.body.accessToken === undefined)).toBe(true);
      expect(counts[401]).toBe(MAX);
      expect(counts[429]).toBe(40 - MAX);
      expect(hasher.stats().verifications - before).toBe(MAX);
      for (const r of responses.filter((x) => x.status === 429)) {
        expectProblem(r, 429, 'TOO_MANY_LOGIN_ATTEMPTS');
        expectRetryAfter(r, WINDOW);
      }
    });

    it('checks at most 4 × the limit passwords when 60 wrong logins from one address arrive at once', async () => {
      const ip = testIp();
      const before = hasher.stats().verifications;
      const responses = await Promise.all(
        Array.from({ length: 60 }, (_, i) => t.http.post(LOGIN).set('X-Forwarded-For', ip).send({ email: `spray-${i}-${uniq()}@test.caisse`, password: 'guess-guess-guess' })),
      );
      const counts = tally(responses);
      expect(Object.keys(counts).sort()).toEqual(['401', '429']);
      expect(counts[401]).toBe(4 * MAX);
      expect(hasher.stats().verifications - before).toBe(4 * MAX);
      // The address stays blocked for the right password too, while another address is not.
      const u = await addUser(caisse.caisseId);
      const blocked = await t.http.post(LOGIN).set('X-Forwarded-For', ip).send({ email: u.email, password: u.password });
      expectProblem(blocked, 429, 'TOO_MANY_LOGIN_ATTEMPTS');
      expectRetryAfter(blocked, WINDOW);
      expect((await t.http.post(LOGIN).set('X-Forwarded-For', testIp()).send({ email: u.email, password: u.password })).status).toBe(200);
    });

    it('gives a successful login its attempt back, so logging in often never blocks an address', async () => {
      const u = await addUser(caisse.caisseId);
      const ip = testIp();
      for (let i = 0; i < 4 * MAX + 2; i++) {
        expect((await t.http.post(LOGIN).set('X-Forwarded-For', ip).send({ email: u.email, password: u.password })).status).toBe(200);
      }
    });
  });

  describe('password hash queue', () => {
    const hasherWith = (argon2Concurrency: number, argon2Queue: number) =>
      new PasswordHasher({ getOrThrow: () => ({ argon2Concurrency, argon2Queue }) } as unknown as ConfigService);

    it('runs at most its concurrency at once and refuses past its queue with 503 BUSY', async () => {
      const h = hasherWith(1, 2);
      const hash = await h.hash('some-password-123');
      const queued = [h.verify(hash, 'x'), h.verify(hash, 'some-password-123'), h.verify(hash, 'y')];
      expect(h.stats()).toMatchObject({ running: 1, waiting: 2 });
      await expect(h.verify(hash, 'z')).rejects.toMatchObject({ code: 'BUSY', status: 503, extra: { retryAfterSeconds: expect.any(Number) } });
      expect(await Promise.all(queued)).toEqual([false, true, false]);
      expect(h.stats()).toEqual({ running: 0, waiting: 0, verifications: 3 });
    });
  });

  describe('tokens', () => {
    let adminId: string;
    const now = () => Math.floor(Date.now() / 1000);
    const current = { secret: JWT_SECRET, kid: process.env.JWT_KEY_ID! };
    const [previousKid, previousSecret] = [process.env.JWT_PREVIOUS_SECRETS!.split(':')[0], process.env.JWT_PREVIOUS_SECRETS!.split(':').slice(1).join(':')];
    const sign = (payload: object, secret: string, header: { alg?: string; kid?: string }, noTimestamp = false) => {
      const { alg = 'HS256', kid } = header;
      return new JwtService().sign(payload, { secret, algorithm: alg as 'HS256', noTimestamp, header: { alg, ...(kid ? { kid } : {}) } });
    };
    const access = (extra: object = {}) => ({ sub: adminId, typ: 'access', iat: now(), exp: now() + 60, ...extra });

    beforeAll(async () => {
      adminId = (await t.http.get(ME).set(bearer(t.adminToken))).body.userId;
    });

    it('signs HS256 with the current key id', async () => {
      const header = JSON.parse(Buffer.from(t.adminToken.split('.')[0], 'base64url').toString());
      expect(header).toEqual({ alg: 'HS256', typ: 'JWT', kid: current.kid });
    });

    it('accepts a token of the current key and one of a retired key still listed (controls)', async () => {
      expect((await t.http.get(ME).set(bearer(sign(access(), current.secret, { kid: current.kid })))).status).toBe(200);
      expect((await t.http.get(ME).set(bearer(sign(access(), previousSecret, { kid: previousKid })))).status).toBe(200);
    });

    it.each([
      ['HS512 with the right secret', () => sign(access(), JWT_SECRET, { alg: 'HS512', kid: current.kid })],
      ['no exp', () => sign({ sub: adminId, typ: 'access', iat: now() }, JWT_SECRET, { kid: current.kid })],
      ['no iat', () => sign({ sub: adminId, typ: 'access', exp: now() + 60 }, JWT_SECRET, { kid: current.kid }, true)],
      ['an iat in the future', () => sign(access({ iat: now() + 3600, exp: now() + 3660 }), JWT_SECRET, { kid: current.kid })],
      ['an nbf in the future', () => sign(access({ nbf: now() + 600 }), JWT_SECRET, { kid: current.kid })],
      ['a lifetime beyond JWT_EXPIRES_IN', () => sign(access({ exp: now() + 86400 }), JWT_SECRET, { kid: current.kid })],
      ['an unknown kid', () => sign(access(), JWT_SECRET, { kid: 'nobody-knows' })],
      ['no kid', () => sign(access(), JWT_SECRET, {})],
      ['the retired kid with the current secret', () => sign(access(), JWT_SECRET, { kid: previousKid })],
    ])('refuses %s with 401 INVALID_TOKEN', async (_name, make) => {
      expectProblem(await t.http.get(ME).set(bearer(make())), 401, 'INVALID_TOKEN');
    });
  });

  describe('disabling users and removing roles', () => {
    const users = (caisseId: string) => `/api/v1/caisses/${caisseId}/users`;

    it('refuses a disabled account at login and its existing token at once; re-enabling lets it back', async () => {
      const u = await addUser(caisse.caisseId, 'treasurer');
      const token = await t.login(u.email, u.password);
      expect((await t.http.get(`/api/v1/caisses/${caisse.caisseId}`).set(bearer(token))).status).toBe(200);

      const disabled = await t.http.post(`${users(caisse.caisseId)}/${u.id}/disable`).set(bearer(caisse.tokens.admin));
      expect(disabled.status).toBe(200);
      expect(disabled.body).toEqual({ id: u.id, email: u.email, roles: ['treasurer'], disabledAt: expect.any(String) });
      expectProblem(await t.http.get(ME).set(bearer(token)), 401, 'INVALID_TOKEN');
      expectProblem(await t.http.post(LOGIN).set('X-Forwarded-For', testIp()).send({ email: u.email, password: u.password }), 401, 'INVALID_CREDENTIALS');
      const audit = await t.sql<{ action: string }>(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id`, [u.id]);
      expect(audit.map((a) => a.action)).toContain('user.disabled');

      const enabled = await t.http.post(`${users(caisse.caisseId)}/${u.id}/enable`).set(bearer(caisse.tokens.admin));
      expect(enabled.body.disabledAt).toBeNull();
      expect((await t.http.get(ME).set(bearer(await t.login(u.email, u.password)))).status).toBe(200);
    });

    it('lets only the platform admin disable an account shared with another caisse', async () => {
      const other = await t.newCaisse();
      const u = await addUser(caisse.caisseId, 'cashier');
      const again = await t.http.post(users(other.caisseId)).set(bearer(t.adminToken)).send({ email: u.email, password: u.password, role: 'cashier' });
      expect(again.status).toBe(200);
      expectProblem(await t.http.post(`${users(caisse.caisseId)}/${u.id}/disable`).set(bearer(caisse.tokens.admin)), 409, 'USER_IN_OTHER_CAISSES');
      expect((await t.http.post(`${users(caisse.caisseId)}/${u.id}/disable`).set(bearer(t.adminToken))).status).toBe(200);
    });

    it('answers 404 for a user of another caisse, 403 to a non-admin, 409 to disabling oneself', async () => {
      const other = await t.newCaisse();
      const stranger = await addUser(other.caisseId);
      expectProblem(await t.http.post(`${users(caisse.caisseId)}/${stranger.id}/disable`).set(bearer(caisse.tokens.admin)), 404, 'NOT_FOUND');
      const u = await addUser(caisse.caisseId);
      expectProblem(await t.http.post(`${users(caisse.caisseId)}/${u.id}/disable`).set(bearer(caisse.tokens.treasurer)), 403, 'FORBIDDEN');
      const self = (await t.http.get(ME).set(bearer(caisse.tokens.admin))).body.userId;
      expectProblem(await t.http.post(`${users(caisse.caisseId)}/${self}/disable`).set(bearer(caisse.tokens.admin)), 409, 'CANNOT_DISABLE_SELF');
      expect((await t.http.get(ME).set(bearer(caisse.tokens.admin))).status).toBe(200);
    });

    it('removes a role so that it stops working at once, audited', async () => {
      const u = await addUser(caisse.caisseId, 'admin');
      const token = await t.login(u.email, u.password);
      expect((await t.http.get(users(caisse.caisseId)).set(bearer(token))).status).toBe(200);
      const removed = await t.http.delete(`${users(caisse.caisseId)}/${u.id}/roles/admin`).set(bearer(caisse.tokens.admin));
      expect(removed.status).toBe(200);
      expect(removed.body).toEqual({ id: u.id, email: u.email, roles: [] });
      // No role left in the caisse: it is hidden from them like any other caisse.
      expectProblem(await t.http.get(users(caisse.caisseId)).set(bearer(token)), 404, 'NOT_FOUND');
      const audit = await t.sql<{ action: string }>(`SELECT action FROM audit_log WHERE target_id = $1`, [u.id]);
      expect(audit.map((a) => a.action)).toContain('user.role-revoked');
      expectProblem(await t.http.delete(`${users(caisse.caisseId)}/${u.id}/roles/admin`).set(bearer(caisse.tokens.admin)), 404, 'NOT_FOUND');
      expectProblem(await t.http.delete(`${users(caisse.caisseId)}/${u.id}/roles/superuser`).set(bearer(caisse.tokens.admin)), 400, 'VALIDATION_FAILED');
    });

    it('answers 404 to the platform admin on a caisse that does not exist', async () => {
      const ghost = randomUUID();
      for (const path of [`/api/v1/caisses/${ghost}`, `/api/v1/caisses/${ghost}/users`, `/api/v1/caisses/${ghost}/audit`]) {
        expectProblem(await t.http.get(path).set(bearer(t.adminToken)), 404, 'NOT_FOUND');
      }
      expect((await t.http.get(`/api/v1/caisses/${caisse.caisseId}/users`).set(bearer(t.adminToken))).status).toBe(200);
    });
  });

  describe('with Redis unreachable', () => {
    let down: NestFastifyApplication | undefined;

    beforeAll(async () => {
      // The rest of the app cannot even boot without Redis (bull schedules its jobs at start), so only the login
      // limiter's connection is pointed at loopback port 1, where nothing listens: Redis "gone" after boot.
      const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
        .overrideProvider(THROTTLE_REDIS)
        .useFactory({ factory: () => createThrottleRedis('redis://127.0.0.1:1', `redis-down-${uniq()}`) })
        .compile();
      down = await startApp(moduleRef, false);
    });
    afterAll(async () => {
      await down?.close();
    });

    it('answers a login with 503 UNAVAILABLE and Retry-After, not 500 or a hang', async () => {
      const res = await request(down!.getHttpServer()).post(LOGIN).send({ email: 'someone@test.caisse', password: 'whatever-password' });
      expectProblem(res, 503, 'UNAVAILABLE');
      expectRetryAfter(res, 60);
    });
  });
});
