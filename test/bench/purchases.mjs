// npm run bench (second part): HTTP purchases from simulated terminals against the real server (`dist/src/main.js`,
// with 1 and 2 workers), vs pgbench tpcb-like at 8/16/32/64 clients on the same PostgreSQL in the same run. Same rules
// as run.mjs: DATABASE_URL / REDIS_URL when set, else the embedded PostgreSQL and redis-server; only databases named
// caisse_bench* are created or dropped.
import http from 'node:http';
import { fork, spawn } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { dist, log, pgbench, postgresCpu, processTreeCpu, recreate, runMain, serverUrl } from './bench-support.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const TERMINALS = Number(process.env.BENCH_TERMINALS ?? 64);
const SCALE = Number(process.env.BENCH_PGBENCH_SCALE ?? 64);
const PGBENCH_CLIENTS = (process.env.BENCH_PGBENCH_CLIENTS ?? '8,16,32,64').split(',').map(Number);
const HOT_WALLETS = 4;
const WORKERS = (process.env.BENCH_APP_WORKERS ?? '1,2').split(',').map(Number);

// Valid SIRET (Luhn) and French IBAN (RIB key + mod 97), as the outlets module checks them.
const digits = (n) => Array.from({ length: n }, () => randomInt(10)).join('');
const luhnDigit = (p) => [...'0123456789'].find((d) => [...(p + d)].reverse().reduce((s, x, i) => s + (i % 2 ? ((2 * x) % 10) + Math.floor((2 * x) / 10) : Number(x)), 0) % 10 === 0);
const siret = () => { const h = `${randomInt(1, 10)}${digits(7)}`; const s = h + luhnDigit(h); const n = digits(4); return s + n + luhnDigit(s + n); };
const mod97 = (s) => [...s].reduce((r, c) => [...(/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)].reduce((q, d) => (q * 10 + Number(d)) % 97, r), 0);
function iban() {
  const [b, g, a] = [digits(5), digits(5), digits(11)];
  const bban = `${b}${g}${a}${String(97 - ((89 * Number(b) + 15 * Number(g) + 3 * Number(a)) % 97)).padStart(2, '0')}`;
  return `FR${String(98 - mod97(`${bban}FR00`)).padStart(2, '0')}${bban}`;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: TERMINALS + 8 });
function call(port, method, path, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers: { 'content-type': 'application/json', ...(data ? { 'content-length': Buffer.byteLength(data) } : {}), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(data);
  });
}
async function must(p, status, what) {
  const r = await p;
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

async function setup(port, adminPassword, slug) {
  const { accessToken } = await must(call(port, 'POST', '/api/v1/auth/login', { email: 'admin@caisse.local', password: adminPassword }), 200, 'login');
  const auth = { Authorization: `Bearer ${accessToken}` };
  const caisse = await must(call(port, 'POST', '/api/v1/caisses', { name: 'Caisse de banc d’essai', slug }, auth), 201, 'caisse');
  const base = `/api/v1/caisses/${caisse.id}`;
  // A PIN above 50.00 only (as contactless cards): the bench measures the purchase path, not argon2.
  await must(call(port, 'PUT', `${base}/purchase-settings`, { pinPolicy: 'above-amount', pinAbove: '50.00', maxAmount: '500.00', refundWindowDays: 7 }, auth), 200, 'settings');
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
  const reviewOn = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  const keys = [];
  const outlets = Math.max(1, Math.ceil(TERMINALS / 8));
  for (let o = 0; o < outlets; o++) {
    const outlet = await must(call(port, 'POST', `${base}/outlets`, { legalName: `EARL Banc ${o}`, name: `Ferme du banc ${o}`, siret: siret(), kind: 'producer', commune: '34142', communeName: 'Lodève', iban: iban() }, auth), 201, 'outlet');
    const ob = `${base}/outlets/${outlet.id}`;
    await must(call(port, 'POST', `${ob}/places`, { kind: 'shop', label: 'Boutique', commune: '34142', hours: [{ weekday: 2, opens: '09:00', closes: '12:00' }] }, auth), 201, 'place');
    await must(call(port, 'POST', `${ob}/transitions`, { to: 'dossier-complete', reason: 'Dossier' }, auth), 201, 'dossier');
    await must(call(port, 'POST', `${ob}/transitions`, { to: 'conventionne', reason: 'Décision', decisionRef: 'CC-1', decisionMinutes: 'Consentement.', reviewOn }, auth), 201, 'conventionne');
    await must(call(port, 'POST', `${ob}/coverage`, { effectiveFrom: today, rates: [{ category: 'fruits-legumes', rate: '1' }, { category: '*', rate: '0.70' }] }, auth), 201, 'coverage');
    for (let k = 0; k < 8 && keys.length < TERMINALS; k++) keys.push((await must(call(port, 'POST', `${ob}/terminals`, { label: `Caisse ${k}` }, auth), 201, 'terminal')).apiKey);
  }
  const cards = [];
  for (let i = 0; i < TERMINALS + HOT_WALLETS; i++) {
    const m = await must(call(port, 'POST', `${base}/members`, { firstName: 'Banc', lastName: `Essai ${i}`, commune: '34172', status: 'active', joinedOn: '2026-01-05', household: { adults: 1, childrenBirthYears: [] }, pin: '4821' }, auth), 201, 'member');
    const funding = { journal: 'ALL', date: today, label: 'Dotation', pieceRef: 'BENCH', lines: [{ account: '6571', debit: '9999999.00' }, { account: m.walletAccount, credit: '9999999.00' }] };
    await must(call(port, 'POST', `${base}/ledger/entries`, funding, { ...auth, 'Idempotency-Key': randomUUID() }), 201, 'funding');
    cards.push(m.cardNumber);
  }
  return { caisseId: caisse.id, base, auth, keys, distinct: cards.slice(0, TERMINALS), hot: cards.slice(TERMINALS) };
}

/** Runs the terminals in a child process; returns purchases/s, latencies and the app's and PostgreSQL's CPU per purchase. */
async function load(port, env, cards, server) {
  const before = { app: processTreeCpu(server.pid).cpu, db: postgresCpu() };
  const child = fork(new URL('./purchase-load.mjs', import.meta.url), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const result = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`load generator exited with ${code}`)));
    child.send({ port, base: env.base, keys: env.keys, cards, seconds: SECONDS });
  });
  const after = { app: processTreeCpu(server.pid).cpu, db: postgresCpu() };
  for (const s of result.sample) log(`refused: ${s}`);
  const per = (a, b) => (b === null || a === null ? null : (b - a) / Math.max(1, result.ok));
  return { rate: result.ok / result.elapsed, p50: result.p50, p99: result.p99, failed: result.failed, appCpu: per(before.app, after.app), dbCpu: per(before.db, after.db) };
}

async function freePort() {
  const srv = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => srv.once('listening', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

/**
 * The server as an operator starts it, with `workers` processes (APP_WORKERS). BENCH_CPU_PROFILE=<dir> writes each
 * process's CPU profile there (open in Chrome DevTools).
 */
async function startServer(workers, port) {
  const profile = process.env.BENCH_CPU_PROFILE ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    APP_WORKERS: String(workers),
    DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? String(Math.ceil(32 / workers)),
    QUEUE_PREFIX: `caisse_bench_${process.pid}`,
    NODE_ENV: 'production',
  };
  const child = spawn(process.execPath, [...profile, new URL(dist('main.js')).pathname], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (b) => (errors += b));
  const exited = new Promise((r) => child.once('exit', (code) => r(code)));
  for (const deadline = Date.now() + 120_000; ; ) {
    const status = await call(port, 'GET', '/api/health').then((r) => r.status, () => 0);
    if (status === 200) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start (${child.exitCode}): ${errors}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // Every worker must be up before measuring: the primary's children are the workers.
  while (workers > 1 && processTreeCpu(child.pid).children < workers) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 1000));
  return { pid: child.pid, stop: async () => (child.kill('SIGTERM'), exited) };
}

const cpu = (us) => (us === null ? 'n/a' : `${(us / 1000).toFixed(2)} ms`);

async function main() {
  const { ensureInfrastructure } = await import(dist('database/embedded/infrastructure.js'));
  const infra = await ensureInfrastructure(process.env, log);
  const adminUrl = serverUrl(process.env.DATABASE_URL, 'postgres');
  try {
    await recreate(adminUrl, 'caisse_bench_purchases');
    await recreate(adminUrl, 'caisse_bench_pgbench');
    const pgbenchRun = pgbench(serverUrl(process.env.DATABASE_URL, 'caisse_bench_pgbench'), SCALE, SECONDS);
    const tps = Object.fromEntries(PGBENCH_CLIENTS.map((c) => (log(`pgbench -c ${c}…`), [c, pgbenchRun(c)])));

    process.env.DATABASE_URL = serverUrl(process.env.DATABASE_URL, 'caisse_bench_purchases');
    process.env.ADMIN_PASSWORD ??= randomUUID();
    const runs = [];
    for (const workers of WORKERS) {
      const port = await freePort();
      log(`server with ${workers} worker(s)…`);
      const server = await startServer(workers, port);
      try {
        const env = await setup(port, process.env.ADMIN_PASSWORD, `bench-${process.pid}-${workers}`);
        log(`${TERMINALS} terminals, distinct wallets…`);
        const distinct = await load(port, env, env.distinct, server);
        log(`${TERMINALS} terminals, ${HOT_WALLETS} hot wallets…`);
        const hot = await load(port, env, env.keys.map((_, i) => env.hot[i % HOT_WALLETS]), server);
        const report = await must(call(port, 'GET', `${env.base}/ledger/verify`, undefined, env.auth), 200, 'verify');
        runs.push({ workers, distinct, hot, report });
      } finally {
        await server.stop();
      }
    }

    const best = Math.max(...Object.values(tps));
    console.log(`\npurchases over HTTP, ${TERMINALS} terminals, ${SECONDS}s each (PURCHASES_BATCHING=${process.env.PURCHASES_BATCHING ?? 'on'})\n`);
    for (const [c, v] of Object.entries(tps)) console.log(`pgbench tpcb-like -s ${SCALE} -M prepared -c ${String(c).padEnd(3)} ${v.toFixed(0).padStart(8)} tps`);
    for (const { workers, distinct, hot, report } of runs) {
      console.log(`server with ${workers} worker(s); ledger verify: ok=${report.ok}, ${report.checkedEntries} entries`);
      for (const [name, r] of [['distinct wallets', distinct], [`${HOT_WALLETS} hot wallets`, hot]]) {
        console.log(`  purchases, ${name.padEnd(17)} ${r.rate.toFixed(0).padStart(8)} /s   p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  ratio ${(r.rate / best).toFixed(2)} × best pgbench (target ≥ 2.0, p99 ≤ 50 ms)  refused ${r.failed}`);
        console.log(`    CPU per purchase: app ${cpu(r.appCpu)}, PostgreSQL ${cpu(r.dbCpu)}`);
      }
      for (const [name, r] of [['distinct', distinct], ['hot', hot]]) {
        console.log(JSON.stringify({ name: `purchases-http-${name}-w${workers}`, metric: 'purchases/s', value: Number(r.rate.toFixed(1)), p50: Number(r.p50.toFixed(2)), p99: Number(r.p99.toFixed(2)), reference: best, ratio: Number((r.rate / best).toFixed(4)), appCpuUs: r.appCpu, dbCpuUs: r.dbCpu }));
      }
      if (!report.ok || distinct.failed || hot.failed) process.exitCode = 1;
    }
  } finally {
    await infra.stop();
  }
}

runMain(main);
