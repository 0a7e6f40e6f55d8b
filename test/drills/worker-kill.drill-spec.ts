import { ConfigService } from '@nestjs/config';
import type { RedisConfig } from '../../src/config/index.js';
import { allocationRules, fund, memberEntries, requestRun, runsUrl, walletBalance } from '../support/allocation-fixtures.js';
import { bearer, createMember, type CreatedMember } from '../support/member-fixtures.js';
import { createTestApp, freshDatabase, type TestApp } from '../support/test-app.js';
import { todayInFrance } from '../../src/common/dates.js';
import { freePort, kill, launchServer, startRedis, until, waitHealthy, type Proc } from './support/processes.js';

/**
 * Drill: `kill -9` of the queue worker at random points of allocation runs. The API is this process (APP_ROLE=api:
 * it queues, consumes nothing); the worker is the built server (APP_ROLE=worker), spawned and killed again and again
 * against the same private redis-server and a database of its own. A run counts its attempts and stops after 5, so
 * each run takes KILLS_PER_RUN kills, then the workers left finish it. Afterwards every member is credited exactly
 * once per period, wallets hold what the rollover rule says, and the ledger verifies.
 */
const MEMBERS = 40;
const KILLS = 20;
/**
 * New runs (one month after another from FIRST_PERIOD) are started until KILLS kills have been made: a run may end
 * before its share of kills (a fast machine finishes 40 one-member chunks between two kills), so a fixed list of
 * months can run out. A run may be asked for next month at the latest: past it, the drill opens the books of a new
 * caisse (its own members and rules) and goes on from FIRST_PERIOD there. The drill's time bound, not a count of
 * months, stops a drill that cannot get its kills.
 */
const FIRST_PERIOD = '2026-01';
const periodAfter = (n: number, from = FIRST_PERIOD) => {
  const d = new Date(`${from}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 7);
};
const LAST_PERIOD = periodAfter(1, todayInFrance().slice(0, 7));
/** A run stops after 5 interrupted attempts; 3 kills leave room for a lock lost to a starved event loop. */
const KILLS_PER_RUN = 3;
/** Upper bound of the random delay between the worker claiming a run and its kill (a run of 24 one-member chunks lasts longer). */
const MAX_KILL_DELAY_MS = 400;
/** Workers alive at once. */
const POOL = 3;
/**
 * The drill's bound: ~2 min on an idle 2-core machine (23 worker starts of a few seconds each, mostly in the
 * background); a load of ~10 makes each start and each run several times slower. No new run is started after
 * RUNS_UNTIL_MS (so the last one has time to finish and the checks to run); past it, a missing kill fails the test.
 */
const DRILL_MS = 600_000;
const RUNS_UNTIL_MS = 480_000;
/** DRILL_TRACE=1 prints each step with its time (to see where a slow machine spends it). */
const trace = (m: string) => process.env.DRILL_TRACE && process.stderr.write(`[worker-kill ${new Date().toISOString().slice(11, 23)}] ${m}\n`);

describe('drill: kill -9 of the allocation worker (built server, APP_ROLE=worker)', () => {
  let redisPort: number;
  let redis: Proc;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let t: TestApp;
  let prefix: string;
  /** A caisse whose months the drill runs in turn. */
  interface Books {
    caisseId: string;
    token: string;
    members: CreatedMember[];
    runs: number;
  }
  const books: Books[] = [];
  const openBooks = async (): Promise<Books> => {
    const c = await t.newCaisse();
    const b: Books = { caisseId: c.caisseId, token: c.tokens.admin, members: [], runs: 0 };
    await allocationRules(t, b.caisseId, b.token, `${FIRST_PERIOD}-01`, { formula: 'flat', amount: '100.00' }, { rollover: { mode: 'cap', capMonths: 1 } });
    await fund(t, b.caisseId, '50000.00');
    for (let i = 0; i < MEMBERS; i += 6) {
      b.members.push(...(await Promise.all(Array.from({ length: Math.min(6, MEMBERS - i) }, () => createMember(t, b.caisseId, b.token, { joinedOn: `${FIRST_PERIOD}-01` })))));
    }
    books.push(b);
    return b;
  };
  const workerEnv = (port: number) => ({
    DATABASE_URL: db.url,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    QUEUE_PREFIX: prefix,
    PORT: String(port),
    APP_ROLE: 'worker',
    QUEUE_LOCK_SECONDS: '2',
    QUEUE_CHECK_SECONDS: '1',
    ALLOCATION_CHUNK_SIZE: '1',
    DATABASE_POOL_SIZE: '4',
  });

  beforeAll(async () => {
    redisPort = await freePort();
    redis = await startRedis(redisPort);
    db = await freshDatabase();
    process.env.DATABASE_URL = db.url;
    t = await createTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${redisPort}`, APP_ROLE: 'api', QUEUE_LOCK_SECONDS: '2' } });
    prefix = t.app.get(ConfigService).getOrThrow<RedisConfig>('redis').prefix;
    await openBooks();
  }, 120_000);
  afterAll(async () => {
    for (const w of spawned) await kill(w);
    await t?.close();
    await kill(redis);
    await db?.drop();
  });

  const runRow = async (id: string) => (await t.sql<{ status: string; attempts: number }>(`SELECT status, attempts FROM allocation_runs WHERE id = $1`, [id]))[0];

  interface Worker {
    proc: Proc;
    port: number;
  }
  const spawned: Proc[] = [];
  const spawnWorker = async (): Promise<Worker> => {
    const port = await freePort();
    const proc = launchServer(workerEnv(port));
    spawned.push(proc);
    await waitHealthy(proc, port);
    return { proc, port };
  };
  /** The live worker running the run's job now (its /api/health lists the jobs the process is running). */
  const holder = async (pool: Worker[], runId: string): Promise<Worker | undefined> => {
    for (const w of pool) {
      if (!w.proc.alive()) continue;
      const health = (await (await fetch(`http://127.0.0.1:${w.port}/api/health`, { signal: AbortSignal.timeout(2000) })).json()) as { queues: { name: string; processing: string[] }[] };
      if (health.queues.some((q) => q.name === 'allocations' && q.processing.includes(`alloc-run-${runId}`))) return w;
    }
    return undefined;
  };

  it('takes 20 kills at random points and still credits everyone exactly once, books verified', async () => {
    let kills = 0;
    let midRun = 0;
    // Several workers at once, as in production: when the one running the run dies, another takes the job over once
    // its lock expires (QUEUE_LOCK_SECONDS), while a replacement starts in the background.
    let pool: Worker[] = [];
    for (let i = 0; i < POOL; i++) pool.push(await spawnWorker());
    trace(`${POOL} workers up`);
    const replacements: Promise<unknown>[] = [];
    let replacementError: Error | undefined;
    let runs = 0;
    const started = Date.now();
    while (kills < KILLS && Date.now() - started < RUNS_UNTIL_MS) {
      let b = books[books.length - 1];
      if (periodAfter(b.runs) > LAST_PERIOD) b = await openBooks();
      const { caisseId, token, members } = b;
      const period = periodAfter(b.runs);
      b.runs++;
      runs++;
      const res = await requestRun(t, caisseId, token, { period });
      expect(res.status).toBe(202);
      const runId = res.body.id as string;
      for (let k = 0; k < KILLS_PER_RUN && kills < KILLS; k++) {
        // Never kill the last live worker: another must be up to take the job over (as in production with replicas).
        await until('a spare worker up', 120_000, async () => pool.filter((w) => w.proc.alive()).length >= 2, 20);
        const victim = await until('a worker running the run', 90_000, async () => {
          const row = await runRow(runId);
          if (row.status === 'failed') throw new Error(`run ${period} failed after ${row.attempts} attempts`);
          return row.status === 'completed' ? 'done' : holder(pool, runId);
        }, 10);
        if (victim === 'done') break;
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * MAX_KILL_DELAY_MS)));
        await kill(victim.proc, 'SIGKILL');
        kills++;
        trace(`kill ${kills} (run ${period}, attempt ${(await runRow(runId)).attempts}, ${pool.length - 1} workers left)`);
        if ((await runRow(runId)).status !== 'completed') midRun++;
        pool = pool.filter((w) => w !== victim);
        // Errors surface at the end (awaited below), never as an unhandled rejection after the test.
        replacements.push(spawnWorker().then((w) => pool.push(w), (e: Error) => (replacementError ??= e)));
      }
      const done = await until('run completed after the kills', 180_000, async () => {
        const run = (await t.http.get(runsUrl(caisseId, `/${runId}`)).set(bearer(token))).body;
        if (run.status === 'failed') throw new Error(`run failed: ${JSON.stringify(run.errors)}`);
        return run.status === 'completed' ? run : undefined;
      });
      expect(done).toMatchObject({ progress: { done: MEMBERS, total: MEMBERS }, totals: { members: MEMBERS, amount: (MEMBERS * 100).toFixed(2) } });
      const entries = await memberEntries(t, caisseId, 'alloc', period);
      expect(entries.map((e) => e.key).sort()).toEqual(members.map((m) => `alloc:${period}:${m.id}`).sort());
      expect(entries.every((e) => e.n === 1)).toBe(true);
      expect((await memberEntries(t, caisseId, 'expire', period)).every((e) => e.n === 1)).toBe(true);
    }
    await Promise.all(replacements);
    expect(replacementError).toBeUndefined();
    expect(kills).toBe(KILLS);
    for (const w of spawned) await kill(w, 'SIGTERM');
    for (const { caisseId, token, members, runs: months } of books) {
      // cap 1: a wallet holds at most last month's 100 plus this month's.
      for (const m of members) expect(await walletBalance(t, caisseId, m.walletAccount!)).toBe(months >= 2 ? '200.00' : '100.00');
      const verify = await t.http.get(`/api/v1/caisses/${caisseId}/ledger/verify`).set(bearer(token));
      expect(verify.body.ok).toBe(true);
    }
    console.log(`worker-kill drill: ${kills} kill -9, ${midRun} landed while a run was unfinished, ${runs} runs in ${books.length} caisse(s) completed exactly once, ${Math.round((Date.now() - started) / 1000)} s`);
  }, DRILL_MS);
});
