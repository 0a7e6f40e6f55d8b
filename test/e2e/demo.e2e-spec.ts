import type { AddressInfo } from 'node:net';
import { seedDemo, todayInParis } from '../../src/demo/demo-seed.js';
import { CAISSE_SLUG, OUTLETS } from '../../src/demo/demo-territory.js';
import type { DemoOutcome, DemoPasswords } from '../../src/demo/demo.types.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-env.js';

/**
 * `npm run demo`'s seed (src/demo/) at DEMO_SCALE 0.05 against the real app over HTTP: what it creates, that every
 * printed login works, that the books verify, and that a second seed writes nothing.
 */
describe('demo caisse seed', () => {
  let t: TestApp;
  let first: DemoOutcome;
  const passwords: DemoPasswords = { admin: 'demo-admin-pass-1', treasurer: 'demo-treasurer-pass-1', committee: 'demo-committee-pass-1', cashier: 'demo-cashier-pass-1', member: 'demo-member-pass-1' };
  let baseUrl: string;
  const count = async (sql: string, caisseId: string) => Number((await t.sql<{ n: string }>(sql, [caisseId]))[0].n);

  beforeAll(async () => {
    t = await createTestApp();
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    first = await seedDemo({ baseUrl, platformAdmin: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }, passwords, scale: 0.05 });
  }, 300_000);
  afterAll(() => t.close());

  it('creates the caisse with members, outlets, decisions, money and a year of allocation runs', async () => {
    expect(first.seeded).toBe(true);
    const { caisseId, summary } = first;
    expect(summary).toMatchObject({ members: 20, outlets: 8, conventionnes: 6, decisions: 3, grants: 5, allocationRuns: 12 });
    expect(await count('SELECT count(*) AS n FROM members WHERE caisse_id = $1', caisseId)).toBe(20);
    expect(await count('SELECT count(*) AS n FROM outlets WHERE caisse_id = $1', caisseId)).toBe(8);
    expect(await count('SELECT count(*) AS n FROM purchases WHERE caisse_id = $1', caisseId)).toBe(summary!.purchases);
    expect(summary!.purchases).toBeGreaterThan(5);
    expect(await count("SELECT count(*) AS n FROM contributions WHERE caisse_id = $1 AND member_id IS NOT NULL", caisseId)).toBe(summary!.contributions);

    const token = await t.login(first.logins!.users.find((u) => u.role === 'treasurer')!.email, passwords.treasurer);
    const runs = await t.http.get(`/api/v1/caisses/${caisseId}/allocation-runs`).set('Authorization', `Bearer ${token}`);
    expect(runs.status).toBe(200);
    const periods = (runs.body as { period: string; status: string }[]).map((r) => `${r.period}:${r.status}`).sort();
    expect(periods).toHaveLength(12);
    expect(periods.every((p) => p.endsWith(':completed'))).toBe(true);
    expect(periods.at(-1)).toBe(`${todayInParis().slice(0, 7)}:completed`);

    const conventionnes = await t.http.get(`/api/v1/caisses/${caisseId}/outlets?status=conventionne`).set('Authorization', `Bearer ${token}`);
    expect(conventionnes.body.items).toHaveLength(6);
    const register = await t.http.get(`/api/v1/caisses/${caisseId}/register`);
    expect(register.body.outlets.map((o: { decisions: { outcome: string }[] }) => o.decisions[0].outcome)).toEqual(['adopted']);
    const verify = await t.http.get(`/api/v1/caisses/${caisseId}/ledger/verify`).set('Authorization', `Bearer ${token}`);
    expect(verify.status).toBe(200);
    expect(verify.body.ok).toBe(true);
  });

  it('fills the voted dossiers, funds the year with grants, pays the outlets, reconciles the bank, sends a direct-debit batch and closes last month', async () => {
    const { caisseId, summary } = first;
    const token = await t.login(first.logins!.users.find((u) => u.role === 'treasurer')!.email, passwords.treasurer);
    const get = async (path: string) => {
      const res = await t.http.get(`/api/v1/caisses/${caisseId}${path}`).set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(200);
      return res.body;
    };
    type Grant = { reference: string; fund: string | null; received: string; tranches: unknown[] };
    const grants: Grant[] = await get('/grants');
    expect(grants.map((g) => g.reference).sort()).toEqual(['AUTUN-DEMO', 'CAF71-DEMO', 'DEP71-SSA-DEMO', 'FAD-DEMO', 'FSEPLUS-DEMO']);
    expect(grants.find((g) => g.reference === 'FSEPLUS-DEMO')!.fund).toBe('ingenierie');
    // The commune's single tranche comes in the first month of the year, so at least that grant always has one.
    expect(grants.find((g) => g.reference === 'AUTUN-DEMO')!.tranches.length).toBeGreaterThan(0);
    expect(grants.filter((g) => g.tranches.length > 0).length).toBeGreaterThanOrEqual(2);

    const runs: { id: string }[] = await get('/settlement-runs');
    expect(runs).toHaveLength(1);
    const run = await get(`/settlement-runs/${runs[0].id}`);
    expect(run.status).toBe('paid');
    expect(run.lines.length).toBe(summary!.payouts);
    expect(run.lines.every((l: { status: string }) => l.status === 'paid')).toBe(true);
    expect(run.approvedBy).not.toBe(run.createdBy);

    const matched: { rule: string }[] = await get('/bank-statement-lines?status=matched');
    const open: { amount: string; suggestion: string | null }[] = await get('/bank-statement-lines?status=unmatched');
    expect(matched.length).toBe(summary!.matchedLines);
    expect(matched.filter((l) => l.rule === 'end-to-end')).toHaveLength(summary!.payouts);
    expect(matched.length + open.length).toBe(summary!.statementLines);
    expect(open.map((l) => [l.amount, l.suggestion]).sort()).toEqual([['-7.90', 'fee'], ['63.17', 'suspense']]);
    // A year of statements, one a month: every book line of the bank account is matched, only the two above remain.
    const today = todayInParis();
    expect(await get(`/reconciliation?bankAccount=512&asOf=${today}`)).toMatchObject({ difference: '55.27', unexplained: '0.00', unmatchedBook: [] });

    const batches: { status: string; transactions: number }[] = await get('/direct-debit-batches');
    expect(batches.map((b) => [b.status, b.transactions])).toEqual([['sent', summary!.directDebits]]);
    expect(summary!.directDebits).toBeGreaterThan(0);

    const [voted] = await t.sql<{ id: string }>('SELECT id FROM outlets WHERE caisse_id = $1 AND name = $2', [caisseId, OUTLETS[0].name]);
    const grid: { items: { code: string; answer: unknown; evidence: unknown[] }[] } = await get(`/outlets/${voted.id}/criteria`);
    expect(grid.items.length).toBeGreaterThan(0);
    expect(grid.items.every((i) => i.answer !== null)).toBe(true);
    expect(grid.items.find((i) => i.code === 'organic-practice')!.evidence).toHaveLength(1);

    const closings: { period: string }[] = await get('/closings');
    expect(closings.at(-1)!.period).toBe(summary!.closedThrough);
    expect(summary!.closedThrough < todayInParis().slice(0, 7)).toBe(true);
    expect(await get('/ledger/verify')).toMatchObject({ ok: true, problems: [] });
  });

  it('every printed login works', async () => {
    const logins = first.logins!;
    const caisse = `/api/v1/caisses/${logins.caisseId}`;
    expect((await t.http.post('/api/v1/auth/login').send(logins.platformAdmin)).status).toBe(200);
    for (const u of logins.users) {
      const res = await t.http.post('/api/v1/auth/login').send({ email: u.email, password: u.password });
      expect({ role: u.role, status: res.status }).toEqual({ role: u.role, status: 200 });
      const me = await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${res.body.accessToken}`);
      expect(JSON.stringify(me.body)).toContain(u.role);
    }
    const member = await t.http.post(`${caisse}/members/login`).send({ cardNumber: logins.member.cardNumber, pin: logins.member.pin });
    expect(member.status).toBe(200);
    const wallet = await t.http.get(`${caisse}/members/${logins.member.memberId}/wallet`).set('Authorization', `Bearer ${member.body.accessToken}`);
    expect(wallet.status).toBe(200);
    const outlets = await t.sql<{ id: string }>('SELECT id FROM outlets WHERE caisse_id = $1 AND name = $2', [logins.caisseId, logins.terminal.outlet]);
    const till = await t.http.get(`${caisse}/outlets/${outlets[0].id}/purchases`).set('X-Api-Key', logins.terminal.apiKey);
    expect(till.status).toBe(200);
  });

  it('a second seed on the same data writes nothing', async () => {
    const caisseId = first.caisseId;
    const before = await t.sql('SELECT (SELECT count(*) FROM journal_entries WHERE caisse_id = $1) AS entries, (SELECT count(*) FROM members WHERE caisse_id = $1) AS members, (SELECT count(*) FROM caisses) AS caisses', [caisseId]);
    const again = await seedDemo({ baseUrl, platformAdmin: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }, passwords, scale: 0.05 });
    expect(again).toEqual({ seeded: false, caisseId });
    const after = await t.sql('SELECT (SELECT count(*) FROM journal_entries WHERE caisse_id = $1) AS entries, (SELECT count(*) FROM members WHERE caisse_id = $1) AS members, (SELECT count(*) FROM caisses) AS caisses', [caisseId]);
    expect(after).toEqual(before);
    expect((await t.sql<{ slug: string }>('SELECT slug FROM caisses WHERE id = $1', [caisseId]))[0].slug).toBe(CAISSE_SLUG);
  });
});
