// Bench part `operating`: the same report read from the streaming replica and from the primary, beside pgbench
// select-only (-S) on each, in one run on one machine. An embedded primary under a temporary DATA_DIR gets a replica
// from `npm run dev:replica` (ops/dev-replica.mjs); with DATABASE_URL and DATABASE_REPLICA_URL both set, those are
// used instead. Only the database caisse_bench_ops is created. The "report" is an aggregate over pgbench's accounts
// (BENCH_PGBENCH_SCALE, default 8) — the shape of a trial balance: a scan, a join and a GROUP BY.
// Then, on the same primary, purchases/s with 1, 2 and 3 API processes beside pgbench tpcb-like (api-scaling.mjs);
// REDIS_URL when set, else a private redis-server under the temporary DATA_DIR.
// Knobs: BENCH_SECONDS (10), BENCH_CLIENTS (8), BENCH_API_PROCESSES (1,2,3), BENCH_TERMINALS (64).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { apiScaling } from './api-scaling.mjs';
import { dist, log, recreate, runMain, serverUrl } from './bench-support.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const SCALE = Number(process.env.BENCH_PGBENCH_SCALE ?? 8);
const DB = 'caisse_bench_ops';
const REPORT = `SELECT a.bid, b.bbalance, count(*) AS accounts, sum(a.abalance) AS balance, avg(a.abalance) AS mean
                 FROM pgbench_accounts a JOIN pgbench_branches b ON b.bid = a.bid GROUP BY a.bid, b.bbalance ORDER BY a.bid`;

function pgbenchSelect(url) {
  const u = new URL(url);
  const env = { ...process.env, PGHOST: u.hostname, PGPORT: u.port || '5432', PGUSER: decodeURIComponent(u.username || 'postgres'), PGPASSWORD: decodeURIComponent(u.password), PGDATABASE: u.pathname.slice(1) };
  const run = spawnSync('pgbench', ['-S', '-M', 'prepared', '-c', String(CLIENTS), '-j', '2', '-T', String(SECONDS), '-n'], { env, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`pgbench -S failed: ${run.stderr}`);
  return Number(/tps = ([\d.]+)/.exec(run.stdout)?.[1] ?? NaN);
}

async function reports(url) {
  const pool = new pg.Pool({ connectionString: url, max: CLIENTS });
  const latencies = [];
  const end = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < end) {
        const t0 = process.hrtime.bigint();
        await pool.query(REPORT);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  await pool.end();
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { rate: latencies.length / SECONDS, p50: at(0.5), p99: at(0.99), n: latencies.length };
}

async function caughtUp(primaryUrl, replicaUrl) {
  const p = new pg.Client({ connectionString: primaryUrl });
  const r = new pg.Client({ connectionString: replicaUrl });
  await p.connect();
  await r.connect();
  try {
    const { rows } = await p.query('SELECT pg_current_wal_lsn()::text AS lsn');
    for (let i = 0; i < 600; i++) {
      const { rows: b } = await r.query('SELECT pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn()) AS behind', [rows[0].lsn]);
      if (Number(b[0].behind) <= 0) return;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error('the replica did not catch up within 60 s');
  } finally {
    await p.end();
    await r.end();
  }
}

async function main() {
  let primary = process.env.DATABASE_URL;
  let replica = process.env.DATABASE_REPLICA_URL;
  const cleanup = [];
  const port = Number(process.env.BENCH_PG_PORT ?? 54419);
  const dataDir = mkdtempSync(join(tmpdir(), 'caisse-bench-ops-'));
  chmodSync(dataDir, 0o755); // the embedded server runs as the postgres user when started by root
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  try {
    if (!primary || !replica) {
      const { startEmbeddedPostgres } = await import(dist('database/embedded/embedded-postgres.js'));
      const server = await startEmbeddedPostgres(dataDir, port, log);
      cleanup.unshift(() => server.stop());
      primary = server.url;
      const env = { ...process.env, DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(port), DATABASE_URL: '', REPLICA_PORT: String(port + 1) };
      const made = spawnSync(process.execPath, ['ops/dev-replica.mjs'], { env, encoding: 'utf8' });
      if (made.status !== 0) throw new Error(`dev:replica failed: ${made.stderr}${made.stdout}`);
      replica = JSON.parse(made.stdout.trim().split('\n').pop()).DATABASE_REPLICA_URL;
      cleanup.unshift(() => spawnSync(process.execPath, ['ops/dev-replica.mjs', '--stop'], { env, stdio: 'ignore' }));
    }
    await recreate(primary, DB);
    const primaryDb = serverUrl(primary, DB);
    const replicaDb = serverUrl(replica, DB);
    log(`pgbench -i -s ${SCALE} on the primary…`);
    const u = new URL(primaryDb);
    const init = spawnSync('pgbench', ['-i', '-s', String(SCALE), '-q'], { env: { ...process.env, PGHOST: u.hostname, PGPORT: u.port, PGUSER: decodeURIComponent(u.username), PGPASSWORD: decodeURIComponent(u.password), PGDATABASE: DB }, encoding: 'utf8' });
    if (init.status !== 0) throw new Error(`pgbench -i failed: ${init.stderr}`);
    await caughtUp(primary, replica);
    const rows = [];
    for (const [name, url] of [['primary', primaryDb], ['replica', replicaDb]]) {
      log(`${name}: pgbench -S, then the report, ${CLIENTS} clients × ${SECONDS} s each…`);
      const tps = pgbenchSelect(url);
      const r = await reports(url);
      rows.push({ name, tps, ...r });
    }
    console.log(`\noperating: reads from the replica vs the primary (${CLIENTS} clients, ${SECONDS} s, scale ${SCALE}, same machine)`);
    console.log('| server  | pgbench -S tps | reports/s | report p50 ms | report p99 ms | reports |');
    console.log('|---------|---------------:|----------:|--------------:|--------------:|--------:|');
    for (const r of rows) console.log(`| ${r.name.padEnd(7)} | ${r.tps.toFixed(0).padStart(14)} | ${r.rate.toFixed(1).padStart(9)} | ${r.p50.toFixed(1).padStart(13)} | ${r.p99.toFixed(1).padStart(13)} | ${String(r.n).padStart(7)} |`);
    for (const r of rows) console.log(JSON.stringify({ name: `operating-${r.name}`, pgbenchSelectTps: r.tps, reportsPerSecond: r.rate, p50: r.p50, p99: r.p99 }));

    // Only a redis-server is started here (DATABASE_URL is given); JWT_SECRET is shared by every API process.
    const { ensureInfrastructure } = await import(dist('database/embedded/infrastructure.js'));
    const infraEnv = { ...process.env, DATABASE_URL: serverUrl(primary, 'postgres'), DATA_DIR: dataDir, EMBEDDED_REDIS_PORT: String(port + 2) };
    const infra = await ensureInfrastructure(infraEnv, log);
    cleanup.unshift(() => infra.stop());
    await apiScaling({ adminUrl: serverUrl(primary, 'postgres'), redisUrl: infraEnv.REDIS_URL, jwtSecret: infraEnv.JWT_SECRET, seconds: SECONDS, scale: SCALE });
  } finally {
    for (const step of cleanup) {
      try {
        await step();
      } catch {
        // keep cleaning
      }
    }
  }
}

runMain(main);
