import { randomUUID } from 'node:crypto';
import { ConfigService } from '@nestjs/config';
import type { RedisConfig } from '../../src/config/index.js';
import { todayInFrance } from '../../src/common/dates.js';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import { bearer } from '../support/outlet-fixtures.js';
import { payCaisse, type PayCaisse, payee, sale } from '../support/settlement-fixtures.js';
import { createTestApp, freshDatabase, type TestApp } from '../support/test-app.js';
import { freePort, kill, launchServer, startRedis, until, waitHealthy, type Proc } from './support/processes.js';

/**
 * Drill: `kill -9` of the API process in the middle of settlement exports. Preparing, approving and exporting a run
 * all happen inside the HTTP request (no queue), so the process doing the work is the API process that received the
 * export: built servers (APP_ROLE=api) are spawned, an export is sent to one, and once its transaction has started
 * writing (its PostgreSQL backend holds a transaction id, seen in pg_stat_activity under the process's application
 * name) it is killed after a random delay. The client retries the same request (same run, same Idempotency-Key) on
 * another live process, as it would behind a load balancer, while a replacement starts. Runs follow one another in
 * several caisses, with new purchases between them, until KILLS kills are made. Afterwards every run is exported once,
 * with one payout entry per line, every purchase lettered once with its line's payout, the outlets' 401 at zero,
 * pain.001 the same bytes on every download, and the ledger verifies.
 */
const CAISSES = 3;
const OUTLETS = 8;
const KILLS = 20;
/** Kills per run; its next attempt then goes through. */
const KILLS_PER_RUN = 2;
/** API processes alive at once (one is killed, another takes the retry). */
const POOL = 3;
/**
 * The drill's bound (≤ 8 min): ~1 min on an idle 2-core machine (23 server starts, mostly in the background). No new
 * run is started after RUNS_UNTIL_MS; past it a missing kill fails the test.
 */
const DRILL_MS = 480_000;
const RUNS_UNTIL_MS = 330_000;
const trace = (m: string) => process.env.DRILL_TRACE && process.stderr.write(`[settlements-kill ${new Date().toISOString().slice(11, 23)}] ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Books {
  c: PayCaisse;
  outlets: { id: string; code: string; accountCode: string }[];
  runs: { id: string; messageId: string; pain001: string }[];
}
interface Server {
  proc: Proc;
  port: number;
  name: string;
}
interface Answer {
  status: number;
  replayed: boolean;
  body: { status?: string; messageId?: string; lines?: unknown[]; code?: string };
}

describe('drill: kill -9 of the API process during settlement exports (built server, APP_ROLE=api)', () => {
  let redisPort: number;
  let redis: Proc;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let t: TestApp;
  let prefix: string;
  const books: Books[] = [];
  const spawned: Proc[] = [];
  let serverNo = 0;

  const spawnServer = async (): Promise<Server> => {
    const port = await freePort();
    const name = `drill-api-${++serverNo}`;
    // PGAPPNAME names this process's PostgreSQL sessions, so the drill sees when its export transaction is open.
    const proc = launchServer({
      DATABASE_URL: db.url,
      PGAPPNAME: name,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      QUEUE_PREFIX: prefix,
      PORT: String(port),
      APP_ROLE: 'api',
      DATABASE_POOL_SIZE: '4',
    });
    spawned.push(proc);
    await waitHealthy(proc, port);
    return { proc, port, name };
  };

  beforeAll(async () => {
    redisPort = await freePort();
    redis = await startRedis(redisPort);
    db = await freshDatabase();
    process.env.DATABASE_URL = db.url;
    t = await createTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${redisPort}`, APP_ROLE: 'api' } });
    prefix = t.app.get(ConfigService).getOrThrow<RedisConfig>('redis').prefix;
    for (let i = 0; i < CAISSES; i++) {
      const c = await payCaisse(t);
      const outlets = [];
      for (let o = 0; o < OUTLETS; o++) outlets.push(await payee(t, c));
      books.push({ c, outlets, runs: [] });
    }
  }, 180_000);
  afterAll(async () => {
    for (const p of spawned) await kill(p);
    await t?.close();
    await kill(redis);
    await db?.drop();
  });

  const runsUrl = (b: Books, suffix = '') => `/api/v1/caisses/${b.c.caisseId}/settlement-runs${suffix}`;

  /** One export request to a spawned process; a process killed meanwhile makes it reject. */
  const exportOn = async (s: Server, b: Books, runId: string, key: string): Promise<Answer> => {
    const res = await fetch(`http://127.0.0.1:${s.port}${runsUrl(b, `/${runId}/export`)}`, {
      method: 'POST',
      headers: { ...bearer(b.c.tokens.treasurer), 'Content-Type': 'application/json', 'Idempotency-Key': key },
      body: '{}',
      signal: AbortSignal.timeout(60_000),
    });
    return { status: res.status, replayed: res.headers.get('idempotent-replayed') === 'true', body: (await res.json()) as Answer['body'] };
  };
  /** Whether a session of that process holds a transaction id: the export's transaction has written (its key row first). */
  const writing = async (s: Server) =>
    (await t.sql(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND backend_xid IS NOT NULL`, [s.name])).length > 0;
  const pain001 = async (s: Server, b: Books, runId: string) => {
    const res = await fetch(`http://127.0.0.1:${s.port}${runsUrl(b, `/${runId}/pain001`)}`, { headers: bearer(b.c.tokens.treasurer), signal: AbortSignal.timeout(30_000) });
    expect(res.status).toBe(200);
    return res.text();
  };

  it('takes 20 kills mid-export and still exports every run once, one payout per line, purchases lettered once, books verified', async () => {
    const started = Date.now();
    let pool: Server[] = [];
    for (let i = 0; i < POOL; i++) pool.push(await spawnServer());
    trace(`${POOL} API processes up`);
    const replacements: Promise<unknown>[] = [];
    let replacementError: Error | undefined;
    const live = () => pool.filter((s) => s.proc.alive());
    // How long an export transaction lasts once it writes, so that kills land within it: measured on attempts not
    // killed, shortened after a kill that came after the commit, lengthened a little after one that came before.
    let span = 250;
    const landed = { midTransaction: 0, afterCommit: 0 };
    let kills = 0;
    let runs = 0;
    let replays = 0;

    /** One run of a caisse: new purchases (and a refund) per outlet, prepared, approved by a second person, exported under kills. */
    const round = async (b: Books) => {
      const today = todayInFrance();
      for (const [i, o] of b.outlets.entries()) {
        await sale(t, b.c, o.accountCode, (2 + Math.random() * 40).toFixed(2));
        await sale(t, b.c, o.accountCode, (2 + Math.random() * 40).toFixed(2));
        if (i % 3 === 0) await sale(t, b.c, o.accountCode, '-1.10');
      }
      const created = await t.http.post(runsUrl(b)).set(bearer(b.c.tokens.treasurer)).set('Idempotency-Key', `run-${randomUUID()}`).send({ until: today });
      expect(created.status).toBe(202);
      expect(created.body.lineCount).toBe(OUTLETS);
      const runId = created.body.id as string;
      expect((await t.http.post(runsUrl(b, `/${runId}/approve`)).set(bearer(b.c.tokens.admin)).send({})).status).toBe(200);
      const key = `export-${randomUUID()}`;
      let killsHere = 0;
      for (;;) {
        await until('two API processes up', 120_000, async () => live().length >= 2, 20);
        const s = live()[Math.floor(Math.random() * live().length)];
        const killing = killsHere < KILLS_PER_RUN && kills < KILLS;
        const sentAt = Date.now();
        let settled = false;
        const answer = exportOn(s, b, runId, key).finally(() => (settled = true));
        // Swallowed here and awaited below: a killed process's request rejects, which is expected.
        answer.catch(() => undefined);
        const openedAt = await until('the export transaction writing, or the answer', 60_000, async () => (settled ? -1 : (await writing(s)) ? Date.now() : false), 5);
        if (!killing || openedAt < 0) {
          const a = await answer;
          expect(a).toMatchObject({ status: 200, body: { status: 'exported' } });
          if (a.replayed) replays++;
          else if (openedAt > 0) span = Date.now() - openedAt;
          trace(`run ${runId.slice(0, 8)} exported by ${s.name} in ${Date.now() - sentAt} ms${a.replayed ? ' (replay)' : ''}`);
          b.runs.push({ id: runId, messageId: a.body.messageId!, pain001: await pain001(s, b, runId) });
          return;
        }
        // A random point of the transaction, now and then just past its commit (the answer is then lost).
        await sleep(Math.floor(Math.random() * span));
        await kill(s.proc, 'SIGKILL');
        kills++;
        killsHere++;
        await answer.catch(() => undefined);
        const [{ status }] = await t.sql<{ status: string }>(`SELECT status FROM settlement_runs WHERE id = $1`, [runId]);
        if (status === 'exported') {
          landed.afterCommit++;
          span = Math.max(20, Math.round(span * 0.75));
        } else {
          landed.midTransaction++;
          span = Math.round(span * 1.05);
        }
        trace(`kill ${kills}: ${s.name} ${Date.now() - openedAt} ms into the transaction, run ${status}`);
        pool = pool.filter((x) => x !== s);
        // Errors surface at the end (awaited below), never as an unhandled rejection after the test.
        replacements.push(spawnServer().then((x) => pool.push(x), (e: Error) => (replacementError ??= e)));
      }
    };

    while (kills < KILLS && Date.now() - started < RUNS_UNTIL_MS) {
      await round(books[runs % CAISSES]);
      runs++;
    }
    await Promise.all(replacements);
    expect(replacementError).toBeUndefined();
    expect(kills).toBe(KILLS);
    // Most kills interrupt an open export transaction (the rest come just after its commit, the answer lost).
    expect(landed.midTransaction).toBeGreaterThanOrEqual(KILLS / 4);

    const reader = live()[0];
    const ledger = t.app.get(LedgerService);
    for (const b of books) {
      const { caisseId } = b.c;
      // Every run exported, and exported once (its audit record is written in the export's transaction).
      const rows = await t.sql<{ id: string; status: string; message_id: string }>(`SELECT id, status, message_id FROM settlement_runs WHERE caisse_id = $1`, [caisseId]);
      expect(rows.map((r) => r.id).sort()).toEqual(b.runs.map((r) => r.id).sort());
      expect(rows.every((r) => r.status === 'exported')).toBe(true);
      const audits = await t.sql<{ id: string; n: number }>(
        `SELECT target_id AS id, count(*)::int AS n FROM audit_log WHERE caisse_id = $1 AND action = 'settlement.run-exported' GROUP BY target_id`,
        [caisseId],
      );
      expect(audits.map((a) => a.id).sort()).toEqual(b.runs.map((r) => r.id).sort());
      expect(audits.every((a) => a.n === 1)).toBe(true);
      // Exactly one payout entry per run line, the one the line points to, and no other REG entry.
      const lines = await t.sql<{ key: string; payout_entry_id: string }>(
        `SELECT 'payout:' || r.message_id || ':' || l.end_to_end_id AS key, l.payout_entry_id FROM settlement_lines l JOIN settlement_runs r ON r.id = l.run_id WHERE l.caisse_id = $1`,
        [caisseId],
      );
      expect(lines).toHaveLength(b.runs.length * OUTLETS);
      const payouts = await t.sql<{ key: string; id: string }>(`SELECT idempotency_key AS key, id FROM journal_entries WHERE caisse_id = $1 AND journal = 'REG'`, [caisseId]);
      expect(payouts.map((p) => p.key).sort()).toEqual(lines.map((l) => l.key).sort());
      const byKey = new Map(payouts.map((p) => [p.key, p.id]));
      for (const l of lines) expect(l.payout_entry_id).toBe(byKey.get(l.key));
      // Every purchase and refund line on a 401 is held by one line of one run, and lettered with that line's payout.
      const items = await t.sql<{ held_by: number; lettered: string | null; payout_letter: string | null }>(
        `SELECT count(i.line_id)::int AS held_by, min(x.letter) AS lettered, min(sl.payout_letter) AS payout_letter
           FROM journal_entries e
           JOIN journal_lines jl ON jl.entry_id = e.id
           JOIN ledger_accounts a ON a.id = jl.account_id
           LEFT JOIN journal_line_letters x ON x.entry_id = jl.entry_id AND x.line_no = jl.line_no
           LEFT JOIN settlement_items i ON i.entry_id = jl.entry_id AND i.line_no = jl.line_no AND i.held
           LEFT JOIN settlement_lines sl ON sl.id = i.line_id
          WHERE e.caisse_id = $1 AND e.journal = 'ACH' AND a.code LIKE '401%'
          GROUP BY jl.entry_id, jl.line_no`,
        [caisseId],
      );
      const perRound = OUTLETS * 2 + Math.ceil(OUTLETS / 3);
      expect(items).toHaveLength(b.runs.length * perRound);
      for (const i of items) expect(i).toEqual({ held_by: 1, lettered: i.payout_letter, payout_letter: expect.stringMatching(/^[A-Z]+$/) });
      for (const o of b.outlets) expect((await ledger.account(caisseId, o.accountCode)).balance).toBe('0.00');
      // The same pain.001 bytes, downloaded again from another process.
      for (const r of b.runs) expect(await pain001(reader, b, r.id)).toBe(r.pain001);
      const verify = await t.http.get(`/api/v1/caisses/${caisseId}/ledger/verify`).set(bearer(b.c.tokens.admin));
      expect(verify.body.ok).toBe(true);
    }
    console.log(
      `settlements-kill drill: ${kills} kill -9 of the exporting API process (${landed.midTransaction} mid-transaction, ${landed.afterCommit} after the commit), ${runs} runs in ${CAISSES} caisses exported once, ${replays} answers replayed, ${Math.round((Date.now() - started) / 1000)} s`,
    );
  }, DRILL_MS);
});
