import { todayInFrance } from '../../src/common/dates.js';
import { allocationRules, fund, requestRun, waitForRun } from '../support/allocation-fixtures.js';
import { closeDecision, openDecision, seatCommittee, vote } from '../support/governance-fixtures.js';
import { bearer, createMember } from '../support/member-fixtures.js';
import { balanceOf, buy, buyer, shop, type Shop } from '../support/purchase-fixtures.js';
import { payCaisse, payee, sale } from '../support/settlement-fixtures.js';
import { createTestApp, freshDatabase, type TestApp } from '../support/test-app.js';
import { kill, freePort, startRedis, type Proc } from './support/processes.js';
import { startPgbouncer, type Pgbouncer } from './support/pgbouncer.js';

/**
 * Drill: the app (in this process) reaches PostgreSQL only through a private pgbouncer in transaction pooling with
 * three server connections, so consecutive transactions of one pooled client connection run on different server
 * sessions and anything that leans on session state (session advisory locks, SET, named prepared statements) breaks.
 * Driven: a double-spend storm on one wallet, an allocation run on the bull worker, concurrent secret ballots then
 * close and tally, a settlement run exported; then the governance log and the ledger verify.
 */
const POOL_SIZE = 3;
const STORM = 30;
const AFFORDABLE = 12;
const MEMBERS = 8;
const SEATS = 7;
const DRILL_MS = 600_000;

describe('drill: the app through pgbouncer (transaction pooling)', () => {
  let redis: Proc;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let bouncer: Pgbouncer;
  let t: TestApp;
  let s: Shop;

  beforeAll(async () => {
    const redisPort = await freePort();
    redis = await startRedis(redisPort);
    db = await freshDatabase();
    bouncer = await startPgbouncer(db.url, POOL_SIZE);
    // t.sql (the test's own checks) reads PostgreSQL directly; the app sees only pgbouncer.
    process.env.DATABASE_URL = db.url;
    t = await createTestApp({
      env: {
        DATABASE_URL: bouncer.url(db.url),
        // pgbouncer 1.18 keeps no protocol-level prepared statement across transactions.
        DATABASE_PREPARED_STATEMENTS: 'off',
        // The clone of the template is migrated: migrations go to the primary directly, never through the pooler.
        CAISSE_SCHEMA_MIGRATED: '1',
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      },
    });
    s = await shop(t);
  }, 240_000);
  afterAll(async () => {
    await t?.close();
    await bouncer?.stop();
    await kill(redis);
    await db?.drop();
  });

  it('keeps every guarantee: one spend per cent, runs, secret ballots, settlements, verify', async () => {
    // Double spend: a wallet that covers AFFORDABLE purchases, STORM at once.
    const m = await buyer(t, s, `${AFFORDABLE}.00`);
    const body = { card: m.cardNumber, pin: '4821', lines: [{ category: 'fruits-legumes', amount: '1.00' }] };
    const storm = await Promise.all(Array.from({ length: STORM }, () => buy(t, s, body)));
    expect(storm.filter((r) => r.status === 201)).toHaveLength(AFFORDABLE);
    expect(storm.filter((r) => r.status !== 201).map((r) => r.body.code)).toEqual(Array(STORM - AFFORDABLE).fill('INSUFFICIENT_BALANCE'));
    expect(await balanceOf(t, s, m)).toBe('0.00');

    // An allocation run on the bull worker, chunk after chunk, each chunk its own transaction.
    const a = await t.newCaisse();
    await allocationRules(t, a.caisseId, a.tokens.admin, '2026-01-01', { formula: 'flat', amount: '50.00' });
    await fund(t, a.caisseId, '10000.00');
    for (let i = 0; i < MEMBERS; i++) await createMember(t, a.caisseId, a.tokens.admin, { joinedOn: '2026-01-01' });
    const run = await requestRun(t, a.caisseId, a.tokens.admin, { period: '2026-02' });
    expect(run.status).toBe(202);
    const done = await waitForRun(t, a.caisseId, a.tokens.admin, run.body.id, ['completed', 'failed', 'cancelled'], 180_000);
    expect(done).toMatchObject({ status: 'completed', totals: { members: MEMBERS, amount: (MEMBERS * 50).toFixed(2) } });

    // Secret ballots cast all at once: the box lock must hold across the vote's three transactions.
    const seats = await seatCommittee(t, s.caisseId, s.tokens.admin, SEATS);
    const d = await openDecision(t, s.caisseId, s.tokens.committee, { subject: 'motion', method: 'simple-majority', secret: true });
    const votes = await Promise.all(seats.map((seat, i) => vote(t, s.caisseId, d.id, seat.token, { choice: i < 4 ? 'for' : 'against' })));
    expect(votes.map((v) => v.status)).toEqual(Array(SEATS).fill(201));
    const receipts = votes.map((v) => v.body.receipt as string);
    expect(new Set(receipts).size).toBe(SEATS);
    const [{ n: boxed }] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM sealed_ballots WHERE decision_id = $1`, [d.id]);
    expect(boxed).toBe(SEATS);
    const closed = await closeDecision(t, s.caisseId, d.id, s.tokens.committee);
    expect(closed.status).toBe(200);
    expect(closed.body.tally).toMatchObject({ outcome: 'adopted', participants: SEATS });
    const published = await t.http.get(`/api/v1/caisses/${s.caisseId}/register/decisions/${d.id}/ballots`);
    expect(published.body.map((b: { receipt: string }) => b.receipt).sort()).toEqual([...receipts].sort());
    const chain = await t.http.get(`/api/v1/caisses/${s.caisseId}/register/log/verify`);
    expect(chain.body).toMatchObject({ ok: true, brokenAt: null });

    // A settlement run prepared, approved by a second person, exported (pain.001, REG entry, purchases lettered).
    const c = await payCaisse(t);
    const o = await payee(t, c);
    await sale(t, c, o.accountCode, '42.10');
    await sale(t, c, o.accountCode, '7.90');
    const runs = `/api/v1/caisses/${c.caisseId}/settlement-runs`;
    const prepared = await t.http.post(runs).set(bearer(c.tokens.treasurer)).send({ until: todayInFrance(), outlets: [o.id] });
    expect(prepared.status).toBe(202);
    expect(prepared.body).toMatchObject({ total: '50.00', lineCount: 1 });
    expect((await t.http.post(`${runs}/${prepared.body.id}/approve`).set(bearer(c.tokens.admin)).send({})).status).toBe(200);
    const exported = await t.http.post(`${runs}/${prepared.body.id}/export`).set(bearer(c.tokens.treasurer)).send({});
    expect(exported.status).toBe(200);
    expect(exported.body).toMatchObject({ status: 'exported', total: '50.00' });

    for (const [caisseId, token] of [[s.caisseId, s.tokens.admin], [a.caisseId, a.tokens.admin], [c.caisseId, c.tokens.admin]]) {
      const verify = await t.http.get(`/api/v1/caisses/${caisseId}/ledger/verify`).set(bearer(token));
      expect(verify.status).toBe(200);
      expect(verify.body.ok).toBe(true);
    }

    // It all went through the pooler, on no more server connections than its pool.
    const name = new URL(db.url).pathname.slice(1);
    const stats = (await bouncer.admin('SHOW STATS')).find((r) => r.database === name);
    expect(Number(stats?.total_xact_count ?? 0)).toBeGreaterThan(100);
    const servers = (await bouncer.admin('SHOW SERVERS')).filter((r) => r.database === name);
    expect(servers.length).toBeGreaterThan(0);
    expect(servers.length).toBeLessThanOrEqual(POOL_SIZE);
  }, DRILL_MS);
});
