import { randomUUID } from 'node:crypto';
import { Agent, createServer, request, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { bearer } from '../support/member-fixtures.js';
import { balanceOf, buyer, shop, terminalKey, type Shop } from '../support/purchase-fixtures.js';
import { createTestApp, freshDatabase, type TestApp } from '../support/test-app.js';
import { freePort, kill, launchServer, startRedis, waitHealthy, type Proc } from './support/processes.js';

/**
 * Drill: two API processes of the built server (APP_ROLE=api, two ports) and one worker (APP_ROLE=worker) on the same
 * PostgreSQL and Redis, behind a round-robin proxy written here. A double-spend storm on one wallet: many terminals,
 * concurrent purchases with distinct Idempotency-Keys through the proxy, and for each one a twin with the same key sent
 * at once straight to the other process (the retry of a client whose first try went unanswered), then every key
 * sent again through the proxy. Exactly the purchases the wallet affords are accepted, each key is one purchase
 * whatever process answered, nothing is posted twice, and the ledger verifies.
 */
const TERMINALS = 16;
const PURCHASES = 300;
/** The wallet affords this many purchases of 1.00. */
const AFFORDABLE = 37;
const DRILL_MS = 300_000;

interface Answer {
  status: number;
  body: { id?: string; code?: string; balanceAfter?: string };
  upstream?: string;
}

/** A round-robin HTTP proxy over the given ports; tells `onRoute` which upstream each Idempotency-Key went to first. */
function roundRobin(ports: number[], onRoute: (key: string, upstream: number) => void): HttpServer {
  const agents = ports.map(() => new Agent({ keepAlive: true, maxSockets: 32 }));
  let next = 0;
  const server = createServer((req, res) => {
    const i = next++ % ports.length;
    const key = req.headers['idempotency-key'];
    if (typeof key === 'string') onRoute(key, i);
    const up = request({ host: '127.0.0.1', port: ports[i], path: req.url, method: req.method, headers: req.headers, agent: agents[i] }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'x-upstream': String(i) });
      answer.pipe(res);
    });
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  server.on('close', () => agents.forEach((a) => a.destroy()));
  return server;
}

describe('drill: double-spend storm across two API processes behind a round-robin proxy (built server)', () => {
  let redis: Proc;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let t: TestApp;
  let s: Shop;
  const procs: Proc[] = [];
  const apiPorts: number[] = [];
  let proxy: HttpServer;
  let proxyPort: number;
  const client = new Agent({ keepAlive: true, maxSockets: 64 });
  const routes = new Map<string, number>();
  const waiting = new Map<string, (upstream: number) => void>();

  beforeAll(async () => {
    const redisPort = await freePort();
    redis = await startRedis(redisPort);
    db = await freshDatabase();
    process.env.DATABASE_URL = db.url;
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    t = await createTestApp({ env: { REDIS_URL: redisUrl, APP_ROLE: 'api' } });
    const started: Promise<void>[] = [];
    for (const role of ['api', 'api', 'worker']) {
      const port = await freePort();
      const proc = launchServer({ DATABASE_URL: db.url, REDIS_URL: redisUrl, QUEUE_PREFIX: `drill_storm_${randomUUID().slice(0, 8)}`, PORT: String(port), APP_ROLE: role, DATABASE_POOL_SIZE: '8' });
      procs.push(proc);
      if (role === 'api') apiPorts.push(port);
      started.push(waitHealthy(proc, port));
    }
    await Promise.all(started);
    proxyPort = await freePort();
    proxy = roundRobin(apiPorts, (key, upstream) => {
      if (routes.has(key)) return;
      routes.set(key, upstream);
      waiting.get(key)?.(upstream);
    });
    await new Promise<void>((r) => proxy.listen(proxyPort, '127.0.0.1', r));
    s = await shop(t);
    // No PIN: the storm measures the wallet across processes, not PIN checks.
    const put = await t.http.put(`/api/v1/caisses/${s.caisseId}/purchase-settings`).set(bearer(s.tokens.admin)).send({ pinPolicy: 'never', pinAbove: '0.00', maxAmount: '500.00', refundWindowDays: 7 });
    expect(put.status).toBe(200);
  }, 180_000);
  afterAll(async () => {
    client.destroy();
    await new Promise((r) => (proxy ? proxy.close(r) : r(undefined)));
    for (const p of procs) await kill(p);
    await t?.close();
    await kill(redis);
    await db?.drop();
  });

  /** A purchase of 1.00 on the card, sent to a port (the proxy or one API process) with a terminal's key. */
  const buyOn = (port: number, apiKey: string, key: string, card: string): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({ card, lines: [{ category: 'fruits-legumes', amount: '1.00' }] });
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: `/api/v1/caisses/${s.caisseId}/purchases`,
          agent: client,
          timeout: 120_000,
          headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'X-Api-Key': apiKey, 'Idempotency-Key': key },
        },
        (res: IncomingMessage) => {
          let text = '';
          res.on('data', (b: Buffer) => (text += b.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {}, upstream: res.headers['x-upstream'] as string | undefined }));
        },
      );
      req.on('timeout', () => req.destroy(new Error('no answer within 120 s')));
      req.on('error', reject);
      req.end(body);
    });

  it('accepts exactly what the wallet affords, one purchase per key whichever process answers, books verified', async () => {
    const tills = [s.apiKey, ...(await Promise.all(Array.from({ length: TERMINALS - 1 }, () => terminalKey(t, s.caisseId, s.outlet.id, s.tokens.admin))))];
    const m = await buyer(t, s, `${AFFORDABLE}.00`);
    const keys = Array.from({ length: PURCHASES }, () => `storm-${randomUUID()}`);
    const till = (i: number) => tills[i % TERMINALS];

    // Each purchase through the proxy and, as soon as the proxy has routed it, its twin straight to the other process.
    const first = keys.map((key, i) => buyOn(proxyPort, till(i), key, m.cardNumber!));
    const twins = keys.map(
      (key, i) =>
        new Promise<number>((r) => (routes.has(key) ? r(routes.get(key)!) : waiting.set(key, r))).then((upstream) => buyOn(apiPorts[1 - upstream], till(i), key, m.cardNumber!)),
    );
    const [a, b] = await Promise.all([Promise.all(first), Promise.all(twins)]);
    // Then every key once more through the proxy, answered by either process.
    const again = await Promise.all(keys.map((key, i) => buyOn(proxyPort, till(i), key, m.cardNumber!)));

    const answers = [...a, ...b, ...again];
    expect(answers.filter((x) => x.status !== 201 && x.status !== 409).map((x) => [x.status, x.body])).toEqual([]);
    expect(answers.filter((x) => x.status === 409).every((x) => x.body.code === 'INSUFFICIENT_BALANCE')).toBe(true);
    // One purchase per key: every 201 of a key carries the same id, whichever process answered.
    const accepted = new Map<string, string>();
    keys.forEach((key, i) => {
      const ids = new Set([a[i], b[i], again[i]].filter((x) => x.status === 201).map((x) => x.body.id!));
      expect(ids.size).toBeLessThanOrEqual(1);
      if (ids.size === 1) accepted.set(key, [...ids][0]);
    });
    expect(accepted.size).toBe(AFFORDABLE);
    expect(new Set(accepted.values()).size).toBe(AFFORDABLE);
    // Every try of a key gets the same answer: a twin that waited behind the purchase of its own key is its replay,
    // never a refusal for the money that purchase spent.
    const mixed = keys.filter((_, i) => new Set([a[i].status, b[i].status, again[i].status]).size > 1);
    expect(mixed).toEqual([]);
    // Both API processes took part, in the storm and in the replays.
    expect(new Set(a.map((x) => x.upstream))).toEqual(new Set(['0', '1']));
    expect(new Set(again.map((x) => x.upstream))).toEqual(new Set(['0', '1']));

    const entries = await t.sql<{ key: string; n: number }>(
      `SELECT idempotency_key AS key, count(*)::int AS n FROM journal_entries WHERE caisse_id = $1 AND idempotency_key LIKE 'purchase:storm-%' GROUP BY idempotency_key`,
      [s.caisseId],
    );
    expect(entries.map((e) => e.key).sort()).toEqual([...accepted.keys()].map((k) => `purchase:${k}`).sort());
    expect(entries.every((e) => e.n === 1)).toBe(true);
    expect(await balanceOf(t, s, m)).toBe('0.00');
    const verify = await t.http.get(`/api/v1/caisses/${s.caisseId}/ledger/verify`).set(bearer(s.tokens.admin));
    expect(verify.body.ok).toBe(true);
    const refused = answers.filter((x) => x.status === 409).length;
    const replayed = [...a, ...b].filter((x) => x.status === 201).length - AFFORDABLE;
    console.log(
      `two-api-storm drill: ${answers.length} purchase requests (${PURCHASES} keys, ${TERMINALS} terminals) over 2 API processes: ${AFFORDABLE} purchases, ${replayed} concurrent twins answered as replays, ${refused} refusals, no key posted twice`,
    );
  }, DRILL_MS);
});
