// Part of the `operating` bench: purchases/s with 1, 2 and 3 API processes against the same PostgreSQL, beside pgbench
// tpcb-like of the same run with as many clients as there are terminals. The API processes are separate servers
// (`dist/src/main.js`, APP_ROLE=api) on separate ports, plus one APP_ROLE=worker for the queues, as an operator runs
// them behind a balancer; the load generator (purchase-load.mjs, its own process) sends its requests round-robin over
// the ports, standing for the balancer without adding a proxy hop of its own to the figures. The pool of 32
// PostgreSQL connections is shared out between the API processes (DATABASE_POOL_SIZE = ⌈32 / n⌉ each).
// Knobs: BENCH_API_PROCESSES (1,2,3), BENCH_TERMINALS (64), BENCH_SECONDS, BENCH_PGBENCH_SCALE.
import { fork, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dist, log, pgbench, processTreeCpu, recreate, serverUrl } from './bench-support.mjs';
import { call, freePort, must, setup, TERMINALS } from './purchase-setup.mjs';

const API_PROCESSES = (process.env.BENCH_API_PROCESSES ?? '1,2,3').split(',').map(Number);
const DB = 'caisse_bench_ops_purchases';

/** One built server with the given role; resolves once /api/health answers 200. */
async function startServer(env, role, port, poolSize) {
  const child = spawn(process.execPath, [new URL(dist('main.js')).pathname], {
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', APP_ROLE: role, APP_WORKERS: '1', DATABASE_POOL_SIZE: String(poolSize), NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (b) => (errors = (errors + b).slice(-4000)));
  const exited = new Promise((r) => child.once('exit', r));
  for (const deadline = Date.now() + 120_000; ; ) {
    const status = await call(port, 'GET', '/api/health').then((r) => r.status, () => 0);
    if (status === 200) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${role} server did not start (${child.exitCode}): ${errors}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { pid: child.pid, port, stop: async () => (child.kill('SIGTERM'), exited) };
}

/** The terminals in a child process, round-robin over the ports; purchases/s, latencies, app CPU per purchase. */
async function load(ports, env, seconds, servers) {
  const cpu = () => servers.reduce((s, x) => s + processTreeCpu(x.pid).cpu, 0);
  const before = cpu();
  const child = fork(new URL('./purchase-load.mjs', import.meta.url), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const r = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`load generator exited with ${code}`)));
    child.send({ ports, base: env.base, keys: env.keys, payers: env.distinct.map(({ card }) => ({ card })), seconds });
  });
  for (const s of r.sample) log(`refused: ${s}`);
  return { ok: r.ok, rate: r.ok / r.elapsed, p50: r.p50, p99: r.p99, failed: r.failed, appCpu: (cpu() - before) / Math.max(1, r.ok) };
}

/** Runs the comparison against the PostgreSQL server of `adminUrl` (its `postgres` database); prints the table and JSON lines. */
export async function apiScaling({ adminUrl, redisUrl, jwtSecret, seconds, scale }) {
  const tpcbUrl = serverUrl(adminUrl, 'caisse_bench_ops_tpcb');
  await recreate(adminUrl, 'caisse_bench_ops_tpcb');
  log(`pgbench tpcb-like -c ${TERMINALS} (scale ${scale})…`);
  const reference = pgbench(tpcbUrl, scale, seconds)(TERMINALS);

  await recreate(adminUrl, DB);
  const env = { ...process.env, DATABASE_URL: serverUrl(adminUrl, DB), REDIS_URL: redisUrl, JWT_SECRET: jwtSecret, QUEUE_PREFIX: `caisse_bench_ops_${process.pid}` };
  env.ADMIN_PASSWORD ??= randomUUID();
  const rows = [];
  for (const n of API_PROCESSES) {
    const servers = [];
    try {
      // The first one migrates the database; the others and the worker then start together.
      servers.push(await startServer(env, 'api', await freePort(), Math.ceil(32 / n)));
      const more = [];
      for (let i = 1; i < n; i++) more.push(startServer(env, 'api', await freePort(), Math.ceil(32 / n)));
      more.push(startServer(env, 'worker', await freePort(), 4));
      servers.push(...(await Promise.all(more)));
      const ports = servers.slice(0, n).map((s) => s.port);
      const caisse = await setup(ports[0], env.ADMIN_PASSWORD, `bench-ops-${process.pid}-${n}`);
      log(`${n} API process(es): ${TERMINALS} terminals, distinct wallets, ${seconds} s…`);
      const r = await load(ports, caisse, seconds, servers);
      const report = await must(call(ports[ports.length - 1], 'GET', `${caisse.base}/ledger/verify`, undefined, caisse.auth), 200, 'verify');
      log(`  ${r.rate.toFixed(0)} purchases/s, books ${report.ok ? 'verified' : 'NOT verified'}`);
      rows.push({ n, ...r, verify: report.ok });
    } finally {
      for (const s of servers) await s.stop();
    }
  }

  const round = (x, d = 2) => (x === null || x === undefined || Number.isNaN(x) ? null : Number(x.toFixed(d)));
  console.log(`\noperating: purchases over HTTP with 1, 2 and 3 API processes (APP_ROLE=api, one port each, requests round-robin) + 1 worker,`);
  console.log(`${TERMINALS} terminals on distinct wallets, ${seconds} s each, same PostgreSQL; beside pgbench tpcb-like -c ${TERMINALS} of the same run`);
  console.log('| run                 |   ops/s | p50 ms | p99 ms | × pgbench | app CPU/op | verify | refused |');
  console.log('|---------------------|--------:|-------:|-------:|----------:|-----------:|-------:|--------:|');
  console.log(`| pgbench -c ${String(TERMINALS).padEnd(8)} | ${reference.tps.toFixed(0).padStart(7)} |    avg | ${(reference.latencyMs ?? NaN).toFixed(1).padStart(6)} |           |            |        |         |`);
  for (const r of rows) {
    const label = `${r.n} API process${r.n > 1 ? 'es' : ''}`;
    console.log(
      `| ${label.padEnd(19)} | ${r.rate.toFixed(0).padStart(7)} | ${r.p50.toFixed(1).padStart(6)} | ${r.p99.toFixed(1).padStart(6)} | ${(r.rate / reference.tps).toFixed(2).padStart(9)} | ${`${(r.appCpu / 1000).toFixed(2)} ms`.padStart(10)} | ${(r.verify ? 'ok' : 'NOT OK').padStart(6)} | ${String(r.failed).padStart(7)} |`,
    );
  }
  console.log(JSON.stringify({ name: `operating-pgbench-tpcb-c${TERMINALS}`, metric: 'tps', value: round(reference.tps, 1), latencyAvgMs: reference.latencyMs, clients: TERMINALS, scale }));
  for (const r of rows) {
    console.log(
      JSON.stringify({ name: `operating-purchases-api${r.n}`, metric: 'purchases/s', apiProcesses: r.n, terminals: TERMINALS, value: round(r.rate, 1), p50: round(r.p50), p99: round(r.p99), reference: round(reference.tps, 1), ratio: round(r.rate / reference.tps, 4), appCpuUs: round(r.appCpu, 1), verify: r.verify, failed: r.failed }),
    );
  }
  return rows;
}
