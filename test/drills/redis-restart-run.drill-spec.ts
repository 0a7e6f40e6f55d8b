import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { ALLOCATIONS_QUEUE, AllocationRunOptions } from '../../src/allocations/allocation-queue.js';
import { LEDGER_QUEUE } from '../../src/ledger/ledger.processor.js';
import { allocationRules, fund, memberEntries, requestRun, runsUrl, walletBalance } from '../support/allocation-fixtures.js';
import { bearer, createMember, type CreatedMember } from '../support/member-fixtures.js';
import { createTestApp, freshDatabase, type TestApp } from '../support/test-app.js';
import { freePort, kill, startRedis, until, type Proc } from './support/processes.js';

/**
 * Drill: the private redis-server is killed and restarted empty (no persistence) in the middle of an allocation run,
 * twice. The run still completes, every member is credited once, the repeatable schedules come back by themselves,
 * and a run asked for after the restarts is queued and run as usual.
 */
const MEMBERS = 12;
const RESTART_AT_CHUNKS = [3, 8];
const DRILL_MS = 120_000;

describe('drill: Redis restarted empty during an allocation run', () => {
  let port: number;
  let redis: Proc;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let t: TestApp;
  let caisseId: string;
  let token: string;
  let members: CreatedMember[];

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    db = await freshDatabase();
    process.env.DATABASE_URL = db.url;
    t = await createTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${port}`, QUEUE_CHECK_SECONDS: '1', QUEUE_LOCK_SECONDS: '2' } });
    const c = await t.newCaisse();
    caisseId = c.caisseId;
    token = c.tokens.admin;
    await allocationRules(t, caisseId, token, '2026-01-01', { formula: 'flat', amount: '50.00' });
    await fund(t, caisseId, '10000.00');
    members = await Promise.all(Array.from({ length: MEMBERS }, () => createMember(t, caisseId, token, { joinedOn: '2026-01-01' })));
  }, 120_000);
  afterAll(async () => {
    if (!redis?.alive()) redis = await startRedis(port).catch(() => redis);
    await t?.close();
    await kill(redis);
    await db?.drop();
  });

  const schedulesBack = async () => {
    for (const [name, job] of [[ALLOCATIONS_QUEUE, 'tick'], [LEDGER_QUEUE, 'seal-all']] as const) {
      const jobs = await t.app.get<Queue>(getQueueToken(name)).getRepeatableJobs();
      if (!jobs.some((j) => j.name === job)) return false;
    }
    return true;
  };

  it('completes the run exactly once, restores the schedules, and queues the next run', async () => {
    const options = t.app.get(AllocationRunOptions);
    options.chunkSize = 1;
    let restarts = 0;
    options.afterChunk = async (_runId, chunk) => {
      // Chunk numbers start again when the run is resumed by a second job (re-enqueued from PostgreSQL after a restart).
      // The slot is taken before the first await: a resumed job and the original one may both reach a chunk here while
      // Redis is down, and only the planned number of restarts may happen.
      if (!RESTART_AT_CHUNKS.includes(chunk) || restarts >= RESTART_AT_CHUNKS.length) return;
      restarts++;
      await kill(redis, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 500));
      redis = await startRedis(port);
    };
    try {
      const res = await requestRun(t, caisseId, token, { period: '2026-02' });
      expect(res.status).toBe(202);
      const done = await until('run completed', 60_000, async () => {
        const run = (await t.http.get(runsUrl(caisseId, `/${res.body.id}`)).set(bearer(token))).body;
        return run.status === 'completed' ? run : undefined;
      }, 200);
      expect(done).toMatchObject({ totals: { members: MEMBERS, amount: (MEMBERS * 50).toFixed(2) } });
    } finally {
      options.afterChunk = () => undefined;
    }
    expect(restarts).toBe(RESTART_AT_CHUNKS.length);
    await until('schedules back after the restarts', 30_000, schedulesBack, 200);

    const next = await requestRun(t, caisseId, token, { period: '2026-03' });
    expect(next.status).toBe(202);
    await until('next run completed', 60_000, async () => (await t.http.get(runsUrl(caisseId, `/${next.body.id}`)).set(bearer(token))).body.status === 'completed', 200);

    for (const period of ['2026-02', '2026-03']) {
      const entries = await memberEntries(t, caisseId, 'alloc', period);
      expect(entries.map((e) => e.key).sort()).toEqual(members.map((m) => `alloc:${period}:${m.id}`).sort());
      expect(entries.every((e) => e.n === 1)).toBe(true);
    }
    for (const m of members) expect(await walletBalance(t, caisseId, m.walletAccount!)).toBe('100.00');
    expect((await t.http.get(`/api/v1/caisses/${caisseId}/ledger/verify`).set(bearer(token))).body.ok).toBe(true);
    console.log(`redis-restart drill: ${restarts} restarts of an empty redis-server during a run; 2 runs completed exactly once, schedules restored`);
  }, DRILL_MS);
});
