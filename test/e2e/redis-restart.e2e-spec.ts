import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { Redis } from 'ioredis';
import { ALLOCATIONS_QUEUE } from '../../src/allocations/allocation-queue.js';
import { GOVERNANCE_QUEUE } from '../../src/governance/governance-queue.js';
import { LEDGER_QUEUE } from '../../src/ledger/ledger.processor.js';
import { OUTLETS_QUEUE } from '../../src/outlets/outlets.processor.js';
import { allLines, allocationRules, fund, LYON, memberEntries, requestRun, runsUrl, waitForRun } from '../support/allocation-fixtures.js';
import { openDecision } from '../support/governance-fixtures.js';
import { bearer, createMember } from '../support/member-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Redis restarting empty (no persistence), as an operator's Redis may: the app must put its schedules back by itself
 * (from PostgreSQL where that is the truth), say in /api/health that queues are down meanwhile, refuse to queue with a
 * quick 503 rather than hang, and lose no allocation run. The test runs its own redis-server on a free loopback port,
 * never the shared one.
 */
const REPEATABLE: Record<string, { name: string; cron: string }[]> = {
  [ALLOCATIONS_QUEUE]: [{ name: 'tick', cron: '*/5 * * * *' }],
  [LEDGER_QUEUE]: [{ name: 'seal-all', cron: '0 * * * *' }],
  [OUTLETS_QUEUE]: [{ name: 'daily-review', cron: '15 3 * * *' }],
};
/** Bounds against hangs, not performance assertions. */
const REFUSE_WITHIN_MS = 10_000;
const RECOVER_WITHIN_MS = 30_000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

interface RedisServer {
  child: ChildProcess;
  exited: Promise<void>;
}

async function startRedis(port: number): Promise<RedisServer> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`redis-server exited at start on port ${port}`);
    const client = new Redis(`redis://127.0.0.1:${port}`, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') return { child, exited };
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      client.disconnect();
    }
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not answer on port ${port}`);
}

async function killRedis(server: RedisServer | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGKILL');
  await server.exited;
}

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Redis restarting empty: schedules restored, health, fail-fast queueing, no run lost (e2e)', () => {
  let port: number;
  let redis: RedisServer | undefined;
  let t: TestApp;
  let caisseId: string;
  let tokens: Record<'admin' | 'treasurer' | 'committee' | 'cashier' | 'member', string>;
  let decisionId: string;
  let lostRunId: string;
  const queue = (name: string) => t.app.get<Queue>(getQueueToken(name));

  const schedulesInPlace = async () => {
    for (const [name, expected] of Object.entries(REPEATABLE)) {
      const jobs = await queue(name).getRepeatableJobs();
      for (const e of expected) if (!jobs.some((j) => j.name === e.name && j.cron === e.cron)) return false;
    }
    return true;
  };

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    t = await createTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${port}`, QUEUE_CHECK_SECONDS: '1' } });
    ({ caisseId, tokens } = await t.newCaisse());
    await allocationRules(t, caisseId, tokens.admin, '2026-01-01', LYON);
    await fund(t, caisseId, '5000.00');
    for (const adults of [1, 2, 3]) await createMember(t, caisseId, tokens.admin, { joinedOn: '2026-01-05', household: { adults, childrenBirthYears: [] } });
  });
  afterAll(async () => {
    // Redis back first, so the app's queues close cleanly.
    if (redis && (redis.child.exitCode !== null || redis.child.signalCode !== null)) redis = await startRedis(port).catch(() => undefined);
    await t?.close();
    await killRedis(redis);
  });

  it('has every repeatable schedule in place once started, and /api/health shows each queue', async () => {
    expect(await schedulesInPlace()).toBe(true);
    const health = await t.http.get('/api/health');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
    const byName = new Map((health.body.queues as { name: string }[]).map((q) => [q.name, q]));
    expect([...byName.keys()].sort()).toEqual([ALLOCATIONS_QUEUE, GOVERNANCE_QUEUE, 'health', LEDGER_QUEUE, OUTLETS_QUEUE].sort());
    expect(byName.get(LEDGER_QUEUE)).toMatchObject({ ready: true, connection: 'ready', schedules: [{ name: 'seal-all', cron: '0 * * * *', tz: null, present: true }] });
    expect(byName.get(OUTLETS_QUEUE)).toMatchObject({ schedules: [{ name: 'daily-review', tz: 'Europe/Paris', present: true }] });
    expect(byName.get(ALLOCATIONS_QUEUE)).toMatchObject({ ready: true, counts: expect.objectContaining({ waiting: expect.any(Number), delayed: expect.any(Number) }) });
  });

  it('puts the schedules back when Redis loses its keys without dropping the connection (FLUSHALL)', async () => {
    const admin = new Redis(`redis://127.0.0.1:${port}`);
    try {
      await admin.flushall();
    } finally {
      admin.disconnect();
    }
    await until('schedules back after FLUSHALL', RECOVER_WITHIN_MS, schedulesInPlace);
  });

  it('while Redis is down: health 503, a run request refused at once with 503 QUEUE_UNAVAILABLE, nothing recorded', async () => {
    const d = await openDecision(t, caisseId, tokens.committee, { subject: 'motion', method: 'simple-majority' });
    decisionId = d.id;
    expect(await until('close job queued', 5000, async () => (await queue(GOVERNANCE_QUEUE).getJob(`close:${decisionId}`)) !== null)).toBe(true);

    await killRedis(redis);
    const down = await until('health 503', RECOVER_WITHIN_MS, async () => {
      const res = await t.http.get('/api/health');
      return res.status === 503 && res;
    });
    expect(down.body).toMatchObject({ status: 'error', database: { status: 'up' }, redis: { status: 'down' } });
    expect((down.body.queues as { ready: boolean }[]).every((q) => !q.ready)).toBe(true);

    const started = Date.now();
    const refused = await t.http.post(runsUrl(caisseId)).set(bearer(tokens.treasurer)).send({ period: '2026-03' }).timeout(REFUSE_WITHIN_MS);
    expect(Date.now() - started).toBeLessThan(REFUSE_WITHIN_MS);
    expect(refused.status).toBe(503);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.headers['retry-after']).toMatch(/^[1-9][0-9]*$/);
    expect(refused.body).toMatchObject({ code: 'QUEUE_UNAVAILABLE', status: 503, retryAfterSeconds: expect.any(Number) });
    expect(await t.sql(`SELECT 1 FROM allocation_runs WHERE caisse_id = $1 AND period = '2026-03'`, [caisseId])).toHaveLength(0);

    // A run Postgres holds as queued whose job never reached Redis (committed just as Redis went away).
    [{ id: lostRunId }] = await t.sql<{ id: string }>(`INSERT INTO allocation_runs (caisse_id, period, kind) VALUES ($1, '2026-04', 'regular') RETURNING id`, [caisseId]);
  });

  it('once Redis is back empty: schedules, the decision close and the lost run are restored from PostgreSQL; each member is credited once', async () => {
    redis = await startRedis(port);
    const healthy = await until('health 200', RECOVER_WITHIN_MS, async () => {
      const res = await t.http.get('/api/health');
      return res.status === 200 && res.body.status === 'ok' && res;
    });
    expect((healthy.body.queues as { ready: boolean; schedules: { present: boolean }[] }[]).every((q) => q.ready && q.schedules.every((s) => s.present))).toBe(true);
    expect(await schedulesInPlace()).toBe(true);
    await until('close job re-created', RECOVER_WITHIN_MS, async () => (await queue(GOVERNANCE_QUEUE).getJob(`close:${decisionId}`)) !== null);

    // Nobody asked again for the lost run: the reconnect put it back in the queue.
    const recovered = await waitForRun(t, caisseId, tokens.treasurer, lostRunId, ['completed', 'failed', 'cancelled'], RECOVER_WITHIN_MS);
    expect(recovered).toMatchObject({ status: 'completed', progress: { done: 3, total: 3 } });

    const asked = await requestRun(t, caisseId, tokens.treasurer, { period: '2026-03' });
    expect(asked.status).toBe(202);
    expect((await waitForRun(t, caisseId, tokens.treasurer, asked.body.id)).status).toBe('completed');

    for (const [period, runId] of [['2026-04', lostRunId], ['2026-03', asked.body.id]] as const) {
      const entries = await memberEntries(t, caisseId, 'alloc', period);
      expect(entries).toHaveLength(3);
      expect(entries.every((e) => e.n === 1)).toBe(true);
      expect((await allLines(t, caisseId, tokens.treasurer, runId)).map((l) => l.status)).toEqual(['credited', 'credited', 'credited']);
    }
  });

  it('starts while Redis is unreachable (health 503), then puts the schedules in place once Redis appears', async () => {
    const later = await freePort();
    const started = Date.now();
    const app = await createTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${later}`, QUEUE_CHECK_SECONDS: '1' }, login: false });
    let server: RedisServer | undefined;
    try {
      expect(Date.now() - started).toBeLessThan(REFUSE_WITHIN_MS);
      const down = await app.http.get('/api/health').timeout(REFUSE_WITHIN_MS);
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ status: 'error', redis: { status: 'down' } });
      server = await startRedis(later);
      await until('health 200 once Redis appears', RECOVER_WITHIN_MS, async () => {
        const res = await app.http.get('/api/health');
        return res.status === 200 && res.body.status === 'ok';
      });
      const jobs = await app.app.get<Queue>(getQueueToken(LEDGER_QUEUE)).getRepeatableJobs();
      expect(jobs).toEqual([expect.objectContaining({ name: 'seal-all', cron: '0 * * * *' })]);
    } finally {
      if (!server) server = await startRedis(later).catch(() => undefined);
      await app.close();
      await killRedis(server);
    }
  });
});
