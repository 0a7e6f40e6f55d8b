// npm run bench (startup): time to healthy — from spawning the server to the first 200 of /api/health — as an
// operator starts it: no DATABASE_URL / REDIS_URL, so the embedded PostgreSQL and redis-server start under a temporary
// DATA_DIR (ports of its own), with JWT secret, PIN key and admin password generated there. Each of BENCH_STARTS (3)
// rounds: a first start on a fresh DATA_DIR (initdb, migrations), a restart on the same data (`node dist/src/main.js`),
// and a restart through `npm start` (the incremental build with nothing changed, then the server) — the design's
// target: `npm start` serves /api/health within 5 s when nothing changed. Medians are reported.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { log, median, runMain } from './bench-support.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STARTS = Number(process.env.BENCH_STARTS ?? 3);
const TARGET_S = 5;
const READY_TIMEOUT_MS = 120_000;

/** What a bench or a test may have set; a server started by an operator has none of it. */
const HARNESS_VARS = [
  'DATABASE_URL', 'REDIS_URL', 'JWT_SECRET', 'JWT_EXPIRES_IN', 'ADMIN_EMAIL', 'ADMIN_PASSWORD', 'QUEUE_PREFIX', 'PIN_KEYS',
  'DATABASE_POOL_SIZE', 'NODE_ENV', 'PORT', 'HOST', 'DATA_DIR', 'EMBEDDED_PG_PORT', 'EMBEDDED_REDIS_PORT', 'LOG_FORMAT',
  'APP_WORKERS', 'NODE_OPTIONS',
];

function childEnv(extra) {
  const env = { ...process.env };
  for (const name of HARNESS_VARS) delete env[name];
  // npm passes its own npm_* variables to scripts; a nested `npm start` must not inherit the bench's.
  for (const name of Object.keys(env)) if (name.startsWith('npm_')) delete env[name];
  return { ...env, HOST: '127.0.0.1', ...extra };
}

async function freePorts(n) {
  const servers = await Promise.all(Array.from({ length: n }, () => new Promise((r) => { const s = createServer(); s.listen(0, '127.0.0.1', () => r(s)); })));
  const ports = servers.map((s) => s.address().port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

const isListening = (port) =>
  new Promise((r) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), r(true)));
    socket.once('error', () => r(false));
  });

/** Pids of a process's descendants (from /proc), to find the server under `npm start` → sh → node. */
function descendants(root) {
  const parent = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parent.set(Number(pid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // ended meanwhile
    }
  }
  const out = [];
  const walk = (p) => {
    for (const [c, pp] of parent) {
      if (pp !== p) continue;
      out.push(c);
      walk(c);
    }
  };
  walk(root);
  return out;
}

/** `node dist/src/main.js` itself — not the `sh -c "npm run build && node dist/src/main.js"` between npm and it. */
const isServer = (pid) => {
  const [bin, ...args] = cmdline(pid);
  return /(^|\/)node$/.test(bin ?? '') && args.some((a) => a === 'dist/src/main.js' || a.endsWith('/dist/src/main.js'));
};
const cmdline = (pid) => { try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'); } catch { return []; } };

function launch(command, args, env) {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b) => (out += b));
  child.stderr.on('data', (b) => (out += b));
  const exited = new Promise((r) => child.once('close', (code, signal) => r({ code, signal })));
  return { child, exited, output: () => out, done: () => child.exitCode !== null || child.signalCode !== null };
}

async function waitHealthy(server, port, t0) {
  while (Date.now() - t0 < READY_TIMEOUT_MS) {
    if (server.done()) throw new Error(`server exited before becoming healthy:\n${server.output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return (Date.now() - t0) / 1000;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`not healthy within ${READY_TIMEOUT_MS} ms:\n${server.output()}`);
}

/** SIGTERM to the node server itself (under npm, the `node …/main.js` descendant), then wait for everything to be gone. */
async function stop(server, dataDir, ports) {
  const node = server.child.spawnfile === process.execPath ? server.child.pid : descendants(server.child.pid).find(isServer);
  if (!node) log(`  no node dist/src/main.js under pid ${server.child.pid}; killing that process`);
  if (node) process.kill(node, 'SIGTERM');
  else server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 30_000);
  await server.exited;
  clearTimeout(timer);
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
    const open = await Promise.all(ports.map(isListening));
    if (!open.some(Boolean) && !existsSync(join(dataDir, 'pg', 'postmaster.pid'))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server's embedded PostgreSQL or redis-server did not stop:\n${server.output()}`);
}

/** Leaves nothing running when a round fails: the embedded PostgreSQL by its pid file, redis-server by SHUTDOWN. */
function reap(dataDir, redisPort) {
  const pidFile = join(dataDir, 'pg', 'postmaster.pid');
  if (existsSync(pidFile)) {
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGINT');
    } catch {
      // already gone
    }
  }
  spawnSync('redis-cli', ['-p', String(redisPort), 'shutdown', 'nosave'], { stdio: 'ignore' });
}

async function round(i) {
  const dataDir = mkdtempSync(join(tmpdir(), 'caisse-bench-start-'));
  // mkdtemp makes it 0700; as root the embedded PostgreSQL runs as the `postgres` system user, which must enter it.
  chmodSync(dataDir, 0o755);
  const [port, pgPort, redisPort] = await freePorts(3);
  const env = childEnv({ DATA_DIR: dataDir, PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), EMBEDDED_REDIS_PORT: String(redisPort) });
  const times = {};
  const servers = [];
  try {
    for (const [name, command, args] of [
      ['first', process.execPath, ['dist/src/main.js']],
      ['restart', process.execPath, ['dist/src/main.js']],
      ['npmStart', 'npm', ['start']],
    ]) {
      const t0 = Date.now();
      const server = launch(command, args, env);
      servers.push(server);
      times[name] = await waitHealthy(server, port, t0);
      log(`  round ${i}: ${name} healthy after ${times[name].toFixed(2)} s`);
      await stop(server, dataDir, [port, pgPort, redisPort]);
    }
    // What npm start spends before the server: the incremental build when nothing changed, timed on its own.
    const t0 = Date.now();
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, env, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
    times.build = (Date.now() - t0) / 1000;
    return times;
  } finally {
    for (const s of servers) if (!s.done()) s.child.kill('SIGKILL');
    reap(dataDir, redisPort);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  // `npm start` is timed when nothing changed: build once first (untimed), as `npm run bench` does.
  log('npm run build (untimed, so that npm start finds nothing to compile)…');
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, env: childEnv({}), encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
  const rounds = [];
  for (let i = 1; i <= STARTS; i++) {
    log(`startup round ${i}/${STARTS}…`);
    rounds.push(await round(i));
  }
  const rows = [
    { name: 'startup-first', key: 'first', label: 'first start, fresh DATA_DIR (initdb, migrations)' },
    { name: 'startup-restart', key: 'restart', label: 'restart on the same data (node dist/src/main.js)' },
    { name: 'startup-npm-start', key: 'npmStart', label: 'restart through npm start (no-op build + start)', target: TARGET_S },
    { name: 'startup-noop-build', key: 'build', label: '  the no-op npm run build alone' },
  ].map((r) => ({ ...r, runs: rounds.map((x) => x[r.key]), seconds: median(rounds.map((x) => x[r.key])) }));
  console.log(`\ntime to healthy (spawn → GET /api/health 200), embedded PostgreSQL + redis-server, median of ${STARTS}\n`);
  for (const r of rows) {
    const verdict = r.target ? `   target ≤ ${r.target} s: ${r.seconds <= r.target ? 'met' : 'NOT met'}` : '';
    console.log(`${r.label.padEnd(52)} ${r.seconds.toFixed(2).padStart(7)} s   (${r.runs.map((x) => x.toFixed(2)).join(' / ')})${verdict}`);
  }
  console.log('');
  for (const r of rows) console.log(JSON.stringify({ name: r.name, metric: 'seconds', value: Number(r.seconds.toFixed(3)), ...(r.target ? { target: r.target } : {}), runs: r.runs.map((x) => Number(x.toFixed(3))) }));
}

runMain(main);
