import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Response } from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Counts = Record<'caisses' | 'users' | 'user_roles' | 'api_keys' | 'caisse_rule_versions' | 'audit_log' | 'idempotency_keys', number>;

/** Sends a Buffer as it is (superagent would JSON-encode it under a JSON content type). */
const raw = ((body: unknown) => body) as unknown as (obj: unknown) => string;

const PROBLEM_FIELDS = ['type', 'title', 'status', 'detail', 'instance', 'code', 'correlationId'];

/** The RFC 9457 shape every refusal has, with the correlation id echoed in the header. */
function expectProblem(res: Response, status: number, code: string, instance?: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  for (const field of PROBLEM_FIELDS) expect(res.body).toHaveProperty(field);
  expect(res.body).toMatchObject({
    type: expect.stringMatching(/^https?:\/\/\S+$/),
    title: expect.any(String),
    status,
    detail: expect.any(String),
    code,
  });
  expect(res.body.title.length).toBeGreaterThan(0);
  expect(res.body.detail.length).toBeGreaterThan(0);
  expect(res.headers['x-correlation-id']).toEqual(expect.any(String));
  expect(res.body.correlationId).toBe(res.headers['x-correlation-id']);
  if (instance !== undefined) expect(res.body.instance).toBe(instance);
}

describe('bad input (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let admin: string;

  const counts = async (): Promise<Counts> => {
    const [row] = await t.sql<Counts>(
      `SELECT (SELECT count(*)::int FROM caisses) AS caisses, (SELECT count(*)::int FROM users) AS users,
              (SELECT count(*)::int FROM user_roles) AS user_roles, (SELECT count(*)::int FROM api_keys) AS api_keys,
              (SELECT count(*)::int FROM caisse_rule_versions) AS caisse_rule_versions,
              (SELECT count(*)::int FROM audit_log) AS audit_log, (SELECT count(*)::int FROM idempotency_keys) AS idempotency_keys`,
    );
    return row;
  };

  /** Runs the request and checks that no table moved. */
  const unchanged = async (send: () => Promise<Response>): Promise<Response> => {
    const before = await counts();
    const res = await send();
    expect(await counts()).toEqual(before);
    return res;
  };

  const validRule = () => ({
    effectiveFrom: '2027-01-01',
    allocation: { formula: 'flat', amount: '100.00' },
    contribution: { rule: 'free', floor: '10.00' },
    rollover: { mode: 'rollover' },
    gate: { requireContribution: false },
  });

  beforeAll(async () => {
    t = await createTestApp();
    const c = await t.newCaisse();
    caisseId = c.caisseId;
    admin = c.tokens.admin;
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('malformed JSON', () => {
    it('is a 400 MALFORMED_JSON problem with a correlation id, and writes nothing', async () => {
      const res = await unchanged(() =>
        t.http.post('/api/v1/caisses').set('Authorization', `Bearer ${t.adminToken}`).set('Content-Type', 'application/json').send('{"name": "Caisse", "slug": '),
      );
      expectProblem(res, 400, 'MALFORMED_JSON', '/api/v1/caisses');
      expect(res.body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.text).not.toMatch(/SyntaxError|at JSON\.parse|node_modules/);
    });

    it('keeps a sane X-Request-Id as the correlation id and replaces an unsafe one', async () => {
      const id = `req-${randomUUID()}`;
      const kept = await t.http.post('/api/v1/auth/login').set('X-Request-Id', id).set('Content-Type', 'application/json').send('{oops');
      expectProblem(kept, 400, 'MALFORMED_JSON', '/api/v1/auth/login');
      expect(kept.body.correlationId).toBe(id);

      const unsafe = await t.http.post('/api/v1/auth/login').set('X-Request-Id', 'bad id <script>').set('Content-Type', 'application/json').send('{oops');
      expectProblem(unsafe, 400, 'MALFORMED_JSON');
      expect(unsafe.body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it.each([
      ['a bare string', '"just a string"'],
      ['a bare number', '42'],
      ['null', 'null'],
      ['trailing garbage', '{"name":"x"} trailing'],
      ['single quotes', "{'name':'x'}"],
    ])('refuses %s as the body (strict JSON)', async (_name, body) => {
      const res = await unchanged(() =>
        t.http.post('/api/v1/caisses').set('Authorization', `Bearer ${t.adminToken}`).set('Content-Type', 'application/json').send(body),
      );
      expectProblem(res, 400, 'MALFORMED_JSON');
    });

    it('is answered before authentication (no body is ever parsed into an action)', async () => {
      const res = await t.http.post(`/api/v1/caisses/${caisseId}/users`).set('Content-Type', 'application/json').send('{');
      expectProblem(res, 400, 'MALFORMED_JSON');
    });
  });

  describe('validation', () => {
    it('refuses unknown fields with 400 VALIDATION_FAILED keyed by the field', async () => {
      const slug = `c-${randomUUID().slice(0, 8)}`;
      const res = await unchanged(() =>
        t.http.post('/api/v1/caisses').set('Authorization', `Bearer ${t.adminToken}`).send({ name: 'Caisse test', slug, isAdmin: true, currency: 'USD' }),
      );
      expectProblem(res, 400, 'VALIDATION_FAILED', '/api/v1/caisses');
      expect(Object.keys(res.body.errors).sort()).toEqual(['currency', 'isAdmin']);
      expect(res.body.errors.isAdmin).toEqual([expect.any(String)]);
      expect(await t.sql('SELECT 1 FROM caisses WHERE slug = $1', [slug])).toHaveLength(0);
    });

    it('refuses wrong types with field errors', async () => {
      const res = await unchanged(() =>
        t.http
          .post('/api/v1/caisses')
          .set('Authorization', `Bearer ${t.adminToken}`)
          .send({ name: 123, slug: ['a'], fiscalYearStartMonth: '3', territory: '34172', siren: 732829320 }),
      );
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(Object.keys(res.body.errors).sort()).toEqual(['fiscalYearStartMonth', 'name', 'siren', 'slug', 'territory']);
      for (const messages of Object.values(res.body.errors)) expect(messages).toEqual(expect.arrayContaining([expect.any(String)]));
    });

    it('refuses missing fields, naming each', async () => {
      const res = await unchanged(() => t.http.post(`/api/v1/caisses/${caisseId}/users`).set('Authorization', `Bearer ${admin}`).send({}));
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(Object.keys(res.body.errors).sort()).toEqual(['email', 'password', 'role']);
    });

    it('uses dotted paths for nested fields', async () => {
      const body = { ...validRule(), allocation: { formula: 'flat', amount: 100 }, rollover: { mode: 'cap' }, gate: { requireContribution: 'yes' } };
      const res = await unchanged(() => t.http.post(`/api/v1/caisses/${caisseId}/rule-versions`).set('Authorization', `Bearer ${admin}`).send(body));
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(Object.keys(res.body.errors).sort()).toEqual(['allocation.amount', 'gate.requireContribution', 'rollover.capMonths']);
    });

    it('refuses unknown nested fields', async () => {
      const body = { ...validRule(), allocation: { formula: 'flat', amount: '100.00', bonus: '5.00' } };
      const res = await unchanged(() => t.http.post(`/api/v1/caisses/${caisseId}/rule-versions`).set('Authorization', `Bearer ${admin}`).send(body));
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(Object.keys(res.body.errors)).toEqual(['allocation.bonus']);
    });

    it('refuses null where the schema has no nullable value, naming the field', async () => {
      const slug = `null-${randomUUID().slice(0, 8)}`;
      const res = await unchanged(() => t.http.post('/api/v1/caisses').set('Authorization', `Bearer ${t.adminToken}`).send({ name: 'Caisse test', slug, fiscalYearStartMonth: null }));
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(Object.keys(res.body.errors)).toEqual(['fiscalYearStartMonth']);
    });

    it.each([
      ['[[]]', [[]]],
      ['[null]', [null]],
      ['[[{…}]]', [[{ upTo: '1000.00', amount: '10.00' }]]],
    ])('refuses %s in a list of nested objects, naming the item', async (_name, bands) => {
      const body = { ...validRule(), contribution: { rule: 'grid', bands } };
      const res = await unchanged(() => t.http.post(`/api/v1/caisses/${caisseId}/rule-versions`).set('Authorization', `Bearer ${admin}`).send(body));
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(Object.keys(res.body.errors)).toContain('contribution.bands.0');
    });

    it('refuses amounts sent as numbers or with too many decimals', async () => {
      for (const amount of [100, '100.001', '1e3', '-5.00', ' 5.00']) {
        const res = await unchanged(() =>
          t.http.post(`/api/v1/caisses/${caisseId}/rule-versions`).set('Authorization', `Bearer ${admin}`).send({ ...validRule(), allocation: { formula: 'flat', amount } }),
        );
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(Object.keys(res.body.errors)).toEqual(['allocation.amount']);
      }
    });

    it.each([
      ['an array', []],
      ['an array of objects', [{ name: 'Caisse test', slug: 'array-body' }]],
    ])('refuses %s as the body with a 400, never a 500', async (_name, body) => {
      const res = await unchanged(() => t.http.post('/api/v1/caisses').set('Authorization', `Bearer ${t.adminToken}`).send(body));
      expectProblem(res, 400, res.body.code);
      expect(['VALIDATION_FAILED', 'MALFORMED_JSON']).toContain(res.body.code);
    });

    it('refuses a body that is not JSON (text/plain) as missing fields', async () => {
      const res = await unchanged(() =>
        t.http.post('/api/v1/caisses').set('Authorization', `Bearer ${t.adminToken}`).set('Content-Type', 'text/plain').send('name=Caisse&slug=x'),
      );
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(Object.keys(res.body.errors).sort()).toEqual(['name', 'slug']);
    });

    it('does not let __proto__ or constructor keys pollute anything', async () => {
      const slug = `proto-${randomUUID().slice(0, 8)}`;
      const res = await t.http
        .post('/api/v1/caisses')
        .set('Authorization', `Bearer ${t.adminToken}`)
        .set('Content-Type', 'application/json')
        .send(`{"name":"Caisse test","slug":"${slug}","__proto__":{"polluted":true,"fiscalYearStartMonth":7},"constructor":{"prototype":{"polluted":true}}}`);
      // class-transformer drops these two keys before validation; either refusing them or ignoring them is safe.
      expect([201, 400]).toContain(res.status);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(res.body.polluted).toBeUndefined();
      const rows = await t.sql<{ fiscal_year_start_month: number }>('SELECT fiscal_year_start_month FROM caisses WHERE slug = $1', [slug]);
      if (res.status === 201) {
        expect(res.body).toMatchObject({ slug, fiscalYearStartMonth: 1 });
        expect(rows).toEqual([{ fiscal_year_start_month: 1 }]);
      } else {
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(rows).toHaveLength(0);
      }
    });

    it('refuses bad query parameters with field errors', async () => {
      const audit = `/api/v1/caisses/${caisseId}/audit`;
      for (const [query, field] of [
        ['limit=abc', 'limit'],
        ['limit=0', 'limit'],
        ['limit=201', 'limit'],
        ['limit=1.5', 'limit'],
        ['cursor=%3Cscript%3E', 'cursor'],
        [`cursor=${Buffer.from('{"nope":1}').toString('base64url')}`, 'cursor'],
        ['cursor=bm90LWpzb24', 'cursor'],
        ['foo=bar', 'foo'],
      ] as const) {
        const res = await t.http.get(`${audit}?${query}`).set('Authorization', `Bearer ${admin}`);
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect({ query, fields: Object.keys(res.body.errors) }).toEqual({ query, fields: [field] });
      }
    });

    it('refuses a forged cursor whose key is not an audit id with errors.cursor, not a database error', async () => {
      for (const id of ['not-a-number', '1 OR 1=1', '99999999999999999999999', -1, 1.5]) {
        const cursor = Buffer.from(JSON.stringify({ id })).toString('base64url');
        const res = await t.http.get(`/api/v1/caisses/${caisseId}/audit?cursor=${cursor}`).set('Authorization', `Bearer ${admin}`);
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect({ id, fields: Object.keys(res.body.errors) }).toEqual({ id, fields: ['cursor'] });
      }
    });

    it('refuses a malformed Idempotency-Key header, naming it', async () => {
      const res = await unchanged(() =>
        t.http.post(`/api/v1/caisses/${caisseId}/rule-versions`).set('Authorization', `Bearer ${admin}`).set('Idempotency-Key', 'short').send(validRule()),
      );
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(Object.keys(res.body.errors)).toEqual(['Idempotency-Key']);
    });
  });

  describe('the edge, before any route', () => {
    it('takes a well-formed gzip body with its Content-Length (the limit counts the inflated size)', async () => {
      const zipped = gzipSync(Buffer.from(JSON.stringify({ name: 'Caisse compressée', slug: `gz-${randomUUID().slice(0, 8)}` })));
      const res = await t.http.post('/api/v1/caisses').set('Authorization', `Bearer ${t.adminToken}`).set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').set('Content-Length', String(zipped.length)).serialize(raw).send(zipped);
      expect(res.status).toBe(201);
      expect(res.body.name).toBe('Caisse compressée');
    });

    it('answers router refusals as problems: a bad percent-encoding (400), an over-long path parameter (414)', async () => {
      expectProblem(await t.http.get('/api/v1/caisses/%E0%A4%A'), 400, 'BAD_REQUEST');
      const long = await t.http.get(`/api/v1/caisses/${'a'.repeat(300)}`).set('Authorization', `Bearer ${t.adminToken}`);
      expect(long.status).toBeGreaterThanOrEqual(400);
      expect(long.status).toBeLessThan(500);
      expectProblem(long, long.status, long.body.code);
    });

    it('refuses a token whose parts are not JSON with 401, not 500', async () => {
      const res = await t.http.get('/api/v1/caisses').set('Authorization', 'Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eA.x');
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('refuses a query of more than 1,000 values with 400 naming the query', async () => {
      const query = Array.from({ length: 1200 }, (_, i) => `k${i}=v`).join('&');
      expectProblem(await t.http.get(`/api/v1/caisses/${caisseId}/audit?${query}`).set('Authorization', `Bearer ${admin}`), 400, 'QUERY_TOO_LARGE');
    });

    it('serves only its own Swagger UI files (an inherited name is a 404, not a 500)', async () => {
      for (const file of ['constructor', '__proto__', 'toString']) expect((await t.http.get(`/api/docs/assets/${file}`)).status).toBe(404);
      expect((await t.http.get('/api/docs/assets/swagger-ui.css')).status).toBe(200);
    });
  });

  describe('body size and encoding', () => {
    it('refuses a body over the limit (100kb) with 413 PAYLOAD_TOO_LARGE', async () => {
      const res = await unchanged(() =>
        t.http.post('/api/v1/caisses').set('Authorization', `Bearer ${t.adminToken}`).send({ name: 'x'.repeat(150 * 1024), slug: 'too-large' }),
      );
      expectProblem(res, 413, 'PAYLOAD_TOO_LARGE', '/api/v1/caisses');
    });

    it('accepts a body just under the limit (and answers with validation, not 413)', async () => {
      const res = await unchanged(() =>
        t.http.post('/api/v1/caisses').set('Authorization', `Bearer ${t.adminToken}`).send({ name: 'x'.repeat(90 * 1024), slug: 'almost-too-large' }),
      );
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(Object.keys(res.body.errors)).toEqual(['name']);
    });

    it('refuses a body over the limit once inflated (gzip)', async () => {
      const zipped = gzipSync(Buffer.from(JSON.stringify({ name: 'x'.repeat(300 * 1024), slug: 'zip-bomb' })));
      expect(zipped.length).toBeLessThan(10 * 1024);
      const res = await unchanged(() =>
        t.http
          .post('/api/v1/caisses')
          .set('Authorization', `Bearer ${t.adminToken}`)
          .set('Content-Type', 'application/json')
          .set('Content-Encoding', 'gzip')
          .serialize(raw)
          .send(zipped),
      );
      expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('refuses a corrupt gzip body with a problem, not an HTML error page', async () => {
      const res = await unchanged(() =>
        t.http
          .post('/api/v1/caisses')
          .set('Authorization', `Bearer ${t.adminToken}`)
          .set('Content-Type', 'application/json')
          .set('Content-Encoding', 'gzip')
          .serialize(raw)
          .send(Buffer.from('definitely not gzip')),
      );
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expectProblem(res, res.status, res.body.code);
    });

    it('refuses an unknown content encoding or charset with 415', async () => {
      const encoding = await unchanged(() =>
        t.http.post('/api/v1/caisses').set('Authorization', `Bearer ${t.adminToken}`).set('Content-Type', 'application/json').set('Content-Encoding', 'x-unknown').send('{}'),
      );
      expectProblem(encoding, 415, 'UNSUPPORTED_MEDIA_TYPE');
      const charset = await unchanged(() =>
        t.http.post('/api/v1/caisses').set('Authorization', `Bearer ${t.adminToken}`).set('Content-Type', 'application/json; charset=x-klingon').send('{}'),
      );
      expectProblem(charset, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });
  });

  describe('paths', () => {
    it('refuses a malformed caisse id with 400 and errors.caisseId', async () => {
      for (const [method, path] of [
        ['get', '/api/v1/caisses/not-a-uuid'],
        ['get', '/api/v1/caisses/12345/users'],
        ['get', '/api/v1/caisses/00000000-0000-0000-0000-00000000000g/audit'],
      ] as const) {
        const res = await t.http[method](path).set('Authorization', `Bearer ${admin}`);
        expectProblem(res, 400, 'VALIDATION_FAILED', path);
        expect(res.body.errors).toEqual({ caisseId: [expect.any(String)] });
      }
    });

    it('writes nothing for a malformed caisse id on a POST', async () => {
      const email = `bad-path-${randomUUID().slice(0, 8)}@test.caisse`;
      const res = await unchanged(() =>
        t.http.post("/api/v1/caisses/1'%20OR%201=1/users").set('Authorization', `Bearer ${t.adminToken}`).send({ email, password: 'long-enough-password', role: 'member' }),
      );
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(Object.keys(res.body.errors)).toEqual(['caisseId']);
    });

    it('refuses a malformed key id with errors.keyId', async () => {
      const res = await unchanged(() => t.http.delete(`/api/v1/caisses/${caisseId}/api-keys/42`).set('Authorization', `Bearer ${admin}`));
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual({ keyId: [expect.any(String)] });
    });

    it('answers an unknown route with a 404 problem', async () => {
      for (const [method, path] of [
        ['get', '/api/v1/nothing-here'],
        ['post', '/api/v1/caisses/x/y/z'],
        // '/' is the web home page now; an unknown API version is still no route.
        ['get', '/api/v2/caisses'],
        ['delete', '/api/v1/caisses'],
      ] as const) {
        const res = await unchanged(() => t.http[method](path).set('Authorization', `Bearer ${admin}`));
        expectProblem(res, 404, 'ROUTE_NOT_FOUND', path);
      }
      // Also without credentials: no route, no need to authenticate.
      expectProblem(await t.http.get('/api/v1/nothing-here'), 404, 'ROUTE_NOT_FOUND');
    });
  });

  describe('problems', () => {
    it('never echoes credentials sent with a refused request', async () => {
      const password = `secret-${randomUUID()}`;
      const res = await t.http.post(`/api/v1/caisses/${caisseId}/users`).set('Authorization', `Bearer ${admin}`).send({ email: 'not-an-email', password, role: 'member' });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.text).not.toContain(password);
    });

    it('gives every problem a distinct correlation id', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 3; i++) {
        const res = await t.http.get('/api/v1/auth/me');
        expectProblem(res, 401, 'UNAUTHENTICATED', '/api/v1/auth/me');
        ids.add(res.body.correlationId);
      }
      expect(ids.size).toBe(3);
    });

    it('sets X-Correlation-Id on successful responses too', async () => {
      const res = await t.http.get(`/api/v1/caisses/${caisseId}`).set('Authorization', `Bearer ${admin}`).set('X-Request-Id', 'ok-request-0001');
      expect(res.status).toBe(200);
      expect(res.headers['x-correlation-id']).toBe('ok-request-0001');
    });
  });
});
