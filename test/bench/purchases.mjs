// npm run bench (purchases part): HTTP purchases from simulated terminals against the real server (`dist/src/main.js`,
// with 1 and 2 workers) — distinct wallets, hot wallets, half with PIN — vs pgbench tpcb-like at 8/16/32/64 clients on
// the same PostgreSQL in the same run, with the rows, index tuples and WAL bytes each purchase and each pgbench
// transaction writes, and the books verified after every phase. Same rules
// as run.mjs: DATABASE_URL / REDIS_URL when set, else the embedded PostgreSQL and redis-server; only databases named
// caisse_bench* are created or dropped.
import { fork, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { call, freePort, HOT_WALLETS, must, PIN, setup, TERMINALS } from './purchase-setup.mjs';
import { dbMeter, dist, log, pgbench, postgresCpu, processTreeCpu, recreate, runMain, serverUrl, settle, STATS_WAIT_MS, workJson } from './bench-support.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const SCALE = Number(process.env.BENCH_PGBENCH_SCALE ?? 64);
const PGBENCH_CLIENTS = (process.env.BENCH_PGBENCH_CLIENTS ?? '8,16,32,64').split(',').map(Number);
const WORKERS = (process.env.BENCH_APP_WORKERS ?? '1,2').split(',').map(Number);

// The caisses' default: every card payment asks for the PIN; a QR code shown from the member's phone does not.
const PIN_ALWAYS = { pinPolicy: 'always', pinAbove: '0.00', maxAmount: '500.00', refundWindowDays: 7 };

/**
 * The "half with PIN" payers: the caisse's default policy (PIN on every card payment), even terminals present a card
 * and its PIN (HMAC check plus the lockout counter's own small transaction), odd ones the member's QR code (the member
 * logs in with card + PIN, then asks for a 5-minute QR payload: fetched right before the phase). Distinct wallets.
 */
async function halfWithPin(port, env) {
  await must(call(port, 'PUT', `${env.base}/purchase-settings`, PIN_ALWAYS, env.auth), 200, 'settings');
  if (SECONDS > 240) log(`BENCH_SECONDS=${SECONDS}: QR payloads live 5 minutes, later QR purchases will be refused`);
  const payers = [];
  for (const [i, { card, memberId }] of env.distinct.entries()) {
    if (i % 2 === 0) {
      payers.push({ card, pin: PIN });
      continue;
    }
    const { accessToken } = await must(call(port, 'POST', `${env.base}/members/login`, { cardNumber: card, pin: PIN }), 200, 'member login');
    const { payload } = await must(call(port, 'POST', `${env.base}/members/${memberId}/card/qr`, {}, { Authorization: `Bearer ${accessToken}` }), 201, 'qr');
    payers.push({ qr: payload });
  }
  return payers;
}

/** Runs the terminals in a child process; returns purchases/s, latencies and the app's and PostgreSQL's CPU per purchase. */
async function load(port, env, payers, server) {
  const before = { app: processTreeCpu(server.pid).cpu, db: postgresCpu() };
  const child = fork(new URL('./purchase-load.mjs', import.meta.url), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const result = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`load generator exited with ${code}`)));
    child.send({ port, base: env.base, keys: env.keys, payers, seconds: SECONDS });
  });
  const after = { app: processTreeCpu(server.pid).cpu, db: postgresCpu() };
  for (const s of result.sample) log(`refused: ${s}`);
  const per = (a, b) => (b === null || a === null ? null : (b - a) / Math.max(1, result.ok));
  return { ok: result.ok, rate: result.ok / result.elapsed, p50: result.p50, p99: result.p99, failed: result.failed, appCpu: per(before.app, after.app), dbCpu: per(before.db, after.db) };
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

const cpu = (us) => (us === null || us === undefined ? 'n/a' : `${(us / 1000).toFixed(2)} ms`);
const round = (x, d = 2) => (x === null || x === undefined ? null : Number(x.toFixed(d)));

/** One line of the table: a pgbench run or a purchase phase, with the database work per operation beside it. */
function row(label, r, best) {
  const lat = r.p50 === undefined ? `avg ${r.latencyMs?.toFixed(1) ?? '?'}`.padStart(15) : `${r.p50.toFixed(1).padStart(6)} ${r.p99.toFixed(1).padStart(8)}`;
  const ratio = r.kind === 'purchases' ? (r.rate / best).toFixed(2) : '';
  const w = r.work;
  const f = (x, d = 1) => (w ? x.toFixed(d) : 'n/a');
  return [
    label.padEnd(30),
    r.rate.toFixed(0).padStart(7),
    lat.padStart(15),
    ratio.padStart(6),
    cpu(r.appCpu).padStart(9),
    cpu(r.dbCpu).padStart(9),
    f(w?.rows).padStart(6),
    f(w?.hotUpdates).padStart(5),
    f(w?.indexTuples).padStart(6),
    (w ? (w.walBytes / 1024).toFixed(2) : 'n/a').padStart(7),
    (r.verify === undefined ? '' : r.verify ? 'ok' : 'NOT OK').padStart(7),
    r.failed ? `  ${r.failed} failed/refused` : '',
  ].join(' ');
}

async function main() {
  const { ensureInfrastructure } = await import(dist('database/embedded/infrastructure.js'));
  const infra = await ensureInfrastructure(process.env, log);
  const adminUrl = serverUrl(process.env.DATABASE_URL, 'postgres');
  try {
    await recreate(adminUrl, 'caisse_bench_purchases');
    await recreate(adminUrl, 'caisse_bench_pgbench');
    const pgbenchUrl = serverUrl(process.env.DATABASE_URL, 'caisse_bench_pgbench');
    const pgbenchRun = pgbench(pgbenchUrl, SCALE, SECONDS);
    const pgMeter = await dbMeter(pgbenchUrl);
    const pgbenchRuns = [];
    for (const c of PGBENCH_CLIENTS) {
      log(`pgbench -c ${c}…`);
      // pgbench's connections close at its end and flush their counters: no idle wait needed.
      const before = await pgMeter.start(0);
      const cpu0 = postgresCpu();
      const r = pgbenchRun(c);
      const cpu1 = postgresCpu();
      const tx = r.transactions ?? Math.round(r.tps * SECONDS);
      const work = await pgMeter.finish(before, tx, 0);
      pgbenchRuns.push({ kind: 'pgbench', clients: c, rate: r.tps, latencyMs: r.latencyMs, failed: r.failed, transactions: tx, dbCpu: cpu0 === null ? null : (cpu1 - cpu0) / Math.max(1, tx), appCpu: null, work });
    }
    await pgMeter.close();
    await settle(pgbenchUrl);

    const purchasesUrl = serverUrl(process.env.DATABASE_URL, 'caisse_bench_purchases');
    process.env.DATABASE_URL = purchasesUrl;
    process.env.ADMIN_PASSWORD ??= randomUUID();
    const meter = await dbMeter(purchasesUrl);
    const runs = [];
    for (const workers of WORKERS) {
      const port = await freePort();
      log(`server with ${workers} worker(s)…`);
      const server = await startServer(workers, port);
      try {
        const env = await setup(port, process.env.ADMIN_PASSWORD, `bench-${process.pid}-${workers}`);
        const phases = [];
        // Each phase: counters settled from what came before, the load, then rows/index tuples/WAL per purchase and
        // the books verified (GET …/ledger/verify, read-only) before the next phase.
        const phase = async (name, payers, settleFirst) => {
          log(`${workers} worker(s): ${TERMINALS} terminals, ${name}…`);
          if (settleFirst) await settle(purchasesUrl);
          const before = await meter.start(settleFirst ? STATS_WAIT_MS : 0);
          const r = await load(port, env, payers, server);
          log(`  ${r.rate.toFixed(0)} purchases/s; waiting for PostgreSQL's counters…`);
          r.work = await meter.finish(before, r.ok, STATS_WAIT_MS);
          const report = await must(call(port, 'GET', `${env.base}/ledger/verify`, undefined, env.auth), 200, 'verify');
          r.verify = report.ok;
          r.entries = report.checkedEntries;
          if (!report.ok) log(`  ledger verify after ${name}: NOT ok ${JSON.stringify(report.problems.slice(0, 3))}`);
          log(`  top tables per purchase: ${r.work.tables.slice(0, 8).map((t) => `${t.name} ${t.rows.toFixed(2)}`).join(', ')}`);
          phases.push({ name, kind: 'purchases', ...r });
        };
        await phase('distinct wallets', env.distinct.map(({ card }) => ({ card })), true);
        await phase(`${HOT_WALLETS} hot wallets`, env.keys.map((_, i) => ({ card: env.hot[i % HOT_WALLETS].card })), false);
        await phase('half with PIN', await halfWithPin(port, env), true);
        runs.push({ workers, phases });
      } finally {
        await server.stop();
      }
    }
    await meter.close();

    const best = Math.max(...pgbenchRuns.map((r) => r.rate));
    console.log(`\npurchases over HTTP, ${TERMINALS} terminals, ${SECONDS}s each (PURCHASES_BATCHING=${process.env.PURCHASES_BATCHING ?? 'on'}), vs pgbench tpcb-like -s ${SCALE} -M prepared, same server, same run`);
    console.log('per operation = per purchase (201 answers) or per pgbench transaction; CPU from /proc; rows = n_tup_ins+upd+del,');
    console.log('HOT = HOT updates among them, idx = index tuples written (estimate: non-HOT writes × indexes of the table), WAL from LSN deltas\n');
    console.log(`${'phase'.padEnd(30)} ${'ops/s'.padStart(7)} ${'p50 ms   p99 ms'.padStart(15)} ${'×best'.padStart(6)} ${'app CPU'.padStart(9)} ${'PG CPU'.padStart(9)} ${'rows'.padStart(6)} ${'HOT'.padStart(5)} ${'idx'.padStart(6)} ${'WAL kB'.padStart(7)} ${'verify'.padStart(7)}`);
    for (const r of pgbenchRuns) console.log(row(`pgbench -c ${r.clients}`, r, best));
    for (const { workers, phases } of runs) for (const r of phases) console.log(row(`w${workers} ${r.name}`, r, best));
    console.log(`\ntarget: purchases ≥ 2.0 × best pgbench (${best.toFixed(0)} tps) with p99 ≤ 50 ms; ledger verify ok after every phase\n`);
    for (const r of pgbenchRuns) {
      console.log(JSON.stringify({ name: `pgbench-tpcb-like-c${r.clients}`, metric: 'tps', value: round(r.rate, 1), latencyAvgMs: r.latencyMs, transactions: r.transactions, dbCpuUs: round(r.dbCpu, 1), ...workJson(r.work) }));
    }
    for (const { workers, phases } of runs) {
      for (const r of phases) {
        const key = { 'distinct wallets': 'distinct', 'half with PIN': 'half-pin' }[r.name] ?? 'hot';
        console.log(JSON.stringify({ name: `purchases-http-${key}-w${workers}`, metric: 'purchases/s', value: round(r.rate, 1), p50: round(r.p50), p99: round(r.p99), reference: round(best, 1), ratio: round(r.rate / best, 4), appCpuUs: round(r.appCpu, 1), dbCpuUs: round(r.dbCpu, 1), ...workJson(r.work), verify: r.verify, failed: r.failed }));
        if (!r.verify || r.failed) process.exitCode = 1;
      }
    }
  } finally {
    await infra.stop();
  }
}

runMain(main);
