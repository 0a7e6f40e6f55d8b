import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface AuditRow {
  id: string;
  caisse_id: string | null;
  actor_kind: string;
  actor_id: string | null;
  role: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  request_id: string | null;
  before: unknown;
  after: unknown;
}

interface AuditItem {
  id: string;
  at: string;
  actorKind: string;
  actorId: string | null;
  role: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  requestId: string | null;
}

describe('audit log (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let tokens: Awaited<ReturnType<TestApp['newCaisse']>>['tokens'];
  const ids: Record<string, string> = {};
  const secrets: string[] = [];
  const requestIds: Record<string, string> = {};
  let caisseCreation: { id: string; requestId: string; adminId: string };

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const userIdOf = async (token: string) => (await t.http.get('/api/v1/auth/me').set(bearer(token))).body.userId as string;
  const rowsOf = (caisse: string) => t.sql<AuditRow>('SELECT * FROM audit_log WHERE caisse_id = $1 ORDER BY id DESC', [caisse]);

  beforeAll(async () => {
    t = await createTestApp();
    // A caisse created here, so its creation's request id is known.
    const slug = `audit-${randomUUID().slice(0, 8)}`;
    const requestId = `req-caisse-${randomUUID()}`;
    const created = await t.http.post('/api/v1/caisses').set(bearer(t.adminToken)).set('X-Request-Id', requestId).send({ name: `Caisse ${slug}`, slug });
    expect(created.status).toBe(201);
    caisseCreation = { id: created.body.id, requestId, adminId: await userIdOf(t.adminToken) };

    const c = await t.newCaisse();
    caisseId = c.caisseId;
    tokens = c.tokens;
    ids.admin = await userIdOf(tokens.admin);
    ids.treasurer = await userIdOf(tokens.treasurer);

    const password = `pw-${randomUUID()}`;
    secrets.push(password);
    requestIds.user = `req-user-${randomUUID()}`;
    const user = await t.http
      .post(`/api/v1/caisses/${caisseId}/users`)
      .set(bearer(tokens.admin))
      .set('X-Request-Id', requestIds.user)
      .send({ email: `audited-${randomUUID().slice(0, 8)}@test.caisse`, password, role: 'committee' });
    expect(user.status).toBe(201);
    ids.user = user.body.id;

    requestIds.key = `req-key-${randomUUID()}`;
    const key = await t.http.post(`/api/v1/caisses/${caisseId}/api-keys`).set(bearer(tokens.admin)).set('X-Request-Id', requestIds.key).send({ label: 'Till 1' });
    expect(key.status).toBe(201);
    ids.key = key.body.id;
    secrets.push(key.body.key, key.body.key.slice(16));

    requestIds.rule = `req-rule-${randomUUID()}`;
    const rule = await t.http
      .post(`/api/v1/caisses/${caisseId}/rule-versions`)
      .set(bearer(tokens.treasurer))
      .set('X-Request-Id', requestIds.rule)
      .send({
        effectiveFrom: '2027-01-01',
        allocation: { formula: 'flat', amount: '100.00' },
        contribution: { rule: 'free', floor: '10.00' },
        rollover: { mode: 'rollover' },
        gate: { requireContribution: false },
      });
    expect(rule.status).toBe(201);
    ids.rule = rule.body.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('records the creation of a caisse with its actor, role, target and request id', async () => {
    const rows = await rowsOf(caisseCreation.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      caisse_id: caisseCreation.id,
      actor_kind: 'user',
      actor_id: caisseCreation.adminId,
      role: 'admin',
      action: 'caisse.created',
      target_type: 'caisse',
      target_id: caisseCreation.id,
      request_id: caisseCreation.requestId,
    });
    expect(rows[0].after).toMatchObject({ id: caisseCreation.id, slug: expect.stringMatching(/^audit-/) });
  });

  it('records a user, an api key and a rule version, each with actor, role, target and request id', async () => {
    const rows = await rowsOf(caisseId);
    const find = (action: string, targetId: string) => rows.filter((r) => r.action === action && r.target_id === targetId);

    expect(find('user.created', ids.user)).toEqual([
      expect.objectContaining({ actor_kind: 'user', actor_id: ids.admin, role: 'admin', target_type: 'user', request_id: requestIds.user }),
    ]);
    expect(find('user.created', ids.user)[0].after).toMatchObject({ role: 'committee', email: expect.stringMatching(/^audited-/) });

    expect(find('api-key.created', ids.key)).toEqual([
      expect.objectContaining({ actor_kind: 'user', actor_id: ids.admin, role: 'admin', target_type: 'api-key', request_id: requestIds.key }),
    ]);

    expect(find('rule-version.created', ids.rule)).toEqual([
      expect.objectContaining({ actor_kind: 'user', actor_id: ids.treasurer, role: 'treasurer', target_type: 'rule-version', request_id: requestIds.rule }),
    ]);

    // newCaisse(): the caisse and one account per role, all by the platform admin.
    expect(rows.filter((r) => r.action === 'caisse.created')).toHaveLength(1);
    expect(rows.filter((r) => r.action === 'user.created')).toHaveLength(6);
    for (const row of rows) {
      expect({ action: row.action, actor: row.actor_id, role: row.role, target: row.target_id, req: row.request_id }).toEqual({
        action: row.action,
        actor: expect.any(String),
        role: expect.any(String),
        target: expect.any(String),
        req: expect.any(String),
      });
    }
  });

  it('uses the response correlation id as the request id when the caller sends none', async () => {
    const res = await t.http.post(`/api/v1/caisses/${caisseId}/api-keys`).set(bearer(tokens.admin)).send({ label: 'Till 2' });
    expect(res.status).toBe(201);
    secrets.push(res.body.key, res.body.key.slice(16));
    const [row] = await t.sql<AuditRow>(`SELECT * FROM audit_log WHERE action = 'api-key.created' AND target_id = $1`, [res.body.id]);
    expect(row.request_id).toBe(res.headers['x-correlation-id']);
  });

  it('records revocation, and records nothing for refused requests', async () => {
    const count = async () => (await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE caisse_id = $1', [caisseId]))[0].n;
    const before = await count();
    // Refused: wrong role, duplicate role, invalid body, duplicate rule version.
    expect((await t.http.post(`/api/v1/caisses/${caisseId}/api-keys`).set(bearer(tokens.member)).send({ label: 'nope' })).status).toBe(403);
    const me = (await t.http.get('/api/v1/auth/me').set(bearer(tokens.member))).body.email;
    expect((await t.http.post(`/api/v1/caisses/${caisseId}/users`).set(bearer(tokens.admin)).send({ email: me, password: 'long-enough-password', role: 'member' })).status).toBe(409);
    expect((await t.http.post(`/api/v1/caisses/${caisseId}/users`).set(bearer(tokens.admin)).send({ email: 'x', password: 'short', role: 'member' })).status).toBe(400);
    const dupRule = await t.http.post(`/api/v1/caisses/${caisseId}/rule-versions`).set(bearer(tokens.admin)).send({
      effectiveFrom: '2027-01-01',
      allocation: { formula: 'flat', amount: '50.00' },
      contribution: { rule: 'free', floor: '10.00' },
      rollover: { mode: 'rollover' },
      gate: { requireContribution: false },
    });
    expect(dupRule.status).toBe(409);
    expect(await count()).toBe(before);

    const revoke = await t.http.delete(`/api/v1/caisses/${caisseId}/api-keys/${ids.key}`).set(bearer(tokens.admin));
    expect(revoke.status).toBe(200);
    expect(await count()).toBe(before + 1);
    const [row] = await rowsOf(caisseId);
    expect(row).toMatchObject({ action: 'api-key.revoked', target_id: ids.key, actor_id: ids.admin, role: 'admin', request_id: revoke.headers['x-correlation-id'] });
  });

  it('lists the log newest first with cursor pagination (admin)', async () => {
    const expected = (await rowsOf(caisseId)).map((r) => r.id);
    expect(expected.length).toBeGreaterThan(5);

    const seen: AuditItem[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: Response = await t.http
        .get(`/api/v1/caisses/${caisseId}/audit`)
        .query(cursor ? { limit: 2, cursor } : { limit: 2 })
        .set(bearer(tokens.admin));
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      expect(res.body.items.length).toBeGreaterThan(0);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
      pages++;
      expect(pages).toBeLessThanOrEqual(expected.length);
    } while (cursor);

    expect(seen.map((i) => i.id)).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 2));
    const times = seen.map((i) => Date.parse(i.at));
    expect(times).toEqual([...times].sort((x, y) => y - x));
    // Newest first: the last thing done in this caisse opens the first page.
    expect(seen[0].action).toBe('api-key.revoked');
    expect(seen[seen.length - 1].action).toBe('caisse.created');
    expect(seen.find((i) => i.action === 'rule-version.created')).toMatchObject({
      actorKind: 'user',
      actorId: ids.treasurer,
      role: 'treasurer',
      targetType: 'rule-version',
      targetId: ids.rule,
      requestId: requestIds.rule,
    });

    const all = await t.http.get(`/api/v1/caisses/${caisseId}/audit`).set(bearer(tokens.admin));
    expect(all.status).toBe(200);
    expect(all.body.nextCursor).toBeNull();
    expect(all.body.items.map((i: AuditItem) => i.id)).toEqual(expected);
  });

  it('shows only the caisse’s own entries', async () => {
    const res = await t.http.get(`/api/v1/caisses/${caisseCreation.id}/audit`).set(bearer(t.adminToken));
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: AuditItem) => i.action)).toEqual(['caisse.created']);
  });

  it('is refused to a treasurer (403) and hidden from another caisse (404)', async () => {
    for (const role of ['treasurer', 'committee', 'cashier', 'member'] as const) {
      const res = await t.http.get(`/api/v1/caisses/${caisseId}/audit`).set(bearer(tokens[role]));
      expect({ role, status: res.status, code: res.body.code }).toEqual({ role, status: 403, code: 'FORBIDDEN' });
      expect(res.body.items).toBeUndefined();
    }
    const other = await t.newCaisse();
    const res = await t.http.get(`/api/v1/caisses/${caisseId}/audit`).set(bearer(other.tokens.admin));
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
  });

  it('never holds passwords, keys or their hashes', async () => {
    const hashes = await t.sql<{ h: string }>(
      `SELECT password_hash AS h FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.caisse_id = $1
       UNION SELECT secret_hash FROM api_keys WHERE caisse_id = $1`,
      [caisseId],
    );
    expect(hashes.length).toBeGreaterThan(6);
    const dump = (await t.sql<{ row: string }>('SELECT a::text AS row FROM audit_log a')).map((r) => r.row).join('\n');
    for (const value of [...secrets, ...hashes.map((h) => h.h.trim()), 'password-admin-123', 'password-member-123']) {
      expect(dump).not.toContain(value);
    }
    // A credential-looking field may exist only with its value redacted.
    expect(dump).not.toMatch(/"(password|secret|secretHash|passwordHash|key)"\s*:\s*(?!"\[redacted\]")/i);
  });

  it('is append-only: the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    const [row] = await rowsOf(caisseId);
    await expect(t.sql(`UPDATE audit_log SET action = 'tampered' WHERE id = $1`, [row.id])).rejects.toThrow(/append-only/);
    await expect(t.sql(`UPDATE audit_log SET actor_id = NULL`)).rejects.toThrow(/append-only/);
    await expect(t.sql(`DELETE FROM audit_log WHERE id = $1`, [row.id])).rejects.toThrow(/append-only/);
    await expect(t.sql(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    await expect(t.sql(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    const [after] = await t.sql<AuditRow>('SELECT * FROM audit_log WHERE id = $1', [row.id]);
    expect(after).toEqual(row);
  });
});
