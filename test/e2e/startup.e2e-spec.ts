import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import request from 'supertest';
import { createOutlet } from '../support/outlet-fixtures.js';
import { freshDatabase, type TestApp } from '../support/test-app.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, dbUrl, JWT_SECRET, KEY_PREFIX, TEST_REDIS_URL, workerDbName } from '../support/test-env.js';

/**
 * The real built server (`node dist/src/main.js`) as an operator starts it: embedded PostgreSQL + redis-server when no
 * URLs are given, a clean exit on SIGTERM, and a readable one-line reason when it cannot start.
 */
const ROOT = process.cwd();
const ENTRY = resolve(ROOT, 'dist/src/main.js');
/** A bound against hangs, not a performance assertion: a failing start must end, and quickly. */
const FAIL_FAST_MS = 20_000;
const READY_TIMEOUT_MS = 90_000;

/** Variables the harness sets for in-process apps (some per Jest worker); a spawned server starts without them. */
const HARNESS_VARS = [
  'DATABASE_URL', 'REDIS_URL', 'JWT_SECRET', 'JWT_EXPIRES_IN', 'ADMIN_EMAIL', 'ADMIN_PASSWORD', 'QUEUE_PREFIX',
  'DATABASE_POOL_SIZE', 'NODE_ENV', 'PORT', 'HOST', 'DATA_DIR', 'EMBEDDED_PG_PORT', 'EMBEDDED_REDIS_PORT', 'LOG_FORMAT',
  'BODY_LIMIT', 'LOGIN_MAX_ATTEMPTS', 'LOGIN_WINDOW_SECONDS', 'JEST_WORKER_ID', 'CAISSE_TEST_ADMIN_URL', 'NODE_OPTIONS',
];

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of HARNESS_VARS) delete env[name];
  return { ...env, HOST: '127.0.0.1', ...extra };
}

/** A server on the test PostgreSQL database and Redis: nothing embedded starts. */
function externalEnv(url: string, port: number, extra: Record<string, string>): NodeJS.ProcessEnv {
  return childEnv({ DATABASE_URL: url, REDIS_URL: TEST_REDIS_URL, JWT_SECRET, ADMIN_EMAIL, ADMIN_PASSWORD, PORT: String(port), DATA_DIR: join(tmpdir(), 'caisse-startup-unused'), ...extra });
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Server {
  child: ChildProcess;
  output(): string;
  exited: Promise<Exit>;
  done(): boolean;
}

const running = new Set<Server>();

function launch(env: NodeJS.ProcessEnv): Server {
  const child = spawn(process.execPath, [ENTRY], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let finished = false;
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<Exit>((r) =>
    child.once('close', (code, signal) => {
      finished = true;
      running.delete(server);
      r({ code, signal });
    }),
  );
  const server: Server = { child, output: () => out, exited, done: () => finished };
  running.add(server);
  return server;
}

async function within<T>(ms: number, what: string, work: Promise<T>, server?: Server): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms\n--- server output ---\n${server?.output() ?? ''}`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls /api/health until 200; returns the milliseconds from spawn to healthy. */
async function waitHealthy(server: Server, port: number, startedAt: number): Promise<number> {
  const deadline = startedAt + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.done()) throw new Error(`server exited before becoming healthy:\n${server.output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return Date.now() - startedAt;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`not healthy within ${READY_TIMEOUT_MS} ms:\n${server.output()}`);
}

async function stop(server: Server, signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> {
  server.child.kill(signal);
  return within(30_000, `exit after ${signal}`, server.exited, server);
}

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<ReturnType<typeof createServer>>((r) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => r(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

function isListening(port: number): Promise<boolean> {
  return new Promise((r) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      r(true);
    });
    socket.once('error', () => r(false));
  });
}

/** After a failed test, nothing this file started may outlive it: the app, then its embedded servers by pid/port. */
async function reap(dataDir: string | undefined, redisPort: number | undefined): Promise<void> {
  for (const server of [...running]) {
    server.child.kill('SIGKILL');
    await server.exited;
  }
  const pidFile = dataDir && join(dataDir, 'pg', 'postmaster.pid');
  if (pidFile && existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    try {
      if (pid > 0) process.kill(pid, 'SIGINT');
    } catch {
      // already gone
    }
  }
  if (redisPort && (await isListening(redisPort))) {
    const redis = new Redis(redisPort, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => undefined);
    await redis.connect().then(() => redis.call('SHUTDOWN', 'NOSAVE')).catch(() => undefined);
    redis.disconnect();
  }
}

const timings: Record<string, number> = {};

beforeAll(async () => {
  // Always rebuild: the test is about the code in src, not a stale dist.
  await promisify(execFile)('npm', ['run', 'build'], { cwd: ROOT, timeout: 180_000 }).catch((e: { stdout?: string; stderr?: string }) => {
    throw new Error(`npm run build failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  });
  expect(existsSync(ENTRY)).toBe(true);
}, 200_000);

afterAll(() => {
  console.log(`startup timings (spawn → /api/health 200, ms): ${JSON.stringify(timings)}`);
});

describe('embedded mode (no DATABASE_URL, REDIS_URL, JWT_SECRET, ADMIN_PASSWORD)', () => {
  let dataDir: string | undefined;
  let redisPort: number | undefined;

  afterEach(async () => {
    await reap(dataDir, redisPort);
    // The PostgreSQL files belong to the `postgres` system user; force is enough as root.
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });

  it('boots on a fresh DATA_DIR, stops cleanly on SIGTERM, and reuses its data on the next start', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'caisse-startup-'));
    // mkdtemp makes the directory 0700; the embedded server runs as the `postgres` system user, which must enter it.
    chmodSync(dataDir, 0o755);
    const [port, pgPort, embeddedRedisPort] = await freePorts(3);
    redisPort = embeddedRedisPort;
    const env = childEnv({ DATA_DIR: dataDir, PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), EMBEDDED_REDIS_PORT: String(redisPort) });

    const first = launch(env);
    timings.embeddedFirstStart = await waitHealthy(first, port, Date.now());
    const health = await (await fetch(`http://127.0.0.1:${port}/api/health`)).json();
    expect(health).toMatchObject({ status: 'ok', database: { status: 'up' }, redis: { status: 'up' }, queue: { status: 'up' } });
    const log = first.output();
    expect(log).toContain(`embedded PostgreSQL listening on 127.0.0.1:${pgPort}`);
    expect(log).toContain(`embedded redis-server listening on 127.0.0.1:${redisPort}`);
    expect(log).not.toContain('Unhandled error event');
    const generated = /Created the platform admin (\S+) with the generated password: (\S+)/.exec(log);
    expect(generated).not.toBeNull();
    const [, email, password] = generated!;
    expect(await isListening(pgPort)).toBe(true);
    expect(await isListening(redisPort)).toBe(true);

    expect(await stop(first, 'SIGTERM')).toEqual({ code: 0, signal: null });
    // The app closed its pool before PostgreSQL went down, and both servers are gone.
    expect(first.output()).not.toContain('terminating connection due to administrator command');
    expect(await isListening(pgPort)).toBe(false);
    expect(await isListening(redisPort)).toBe(false);

    const second = launch(env);
    timings.embeddedRestart = await waitHealthy(second, port, Date.now());
    const again = second.output();
    expect(again).not.toContain('generated password');
    expect(again).not.toContain('initialising an embedded PostgreSQL');
    expect(again).not.toContain('generated a JWT signing secret');
    const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(login.status).toBe(200);
    expect((await login.json()) as { accessToken?: string }).toMatchObject({ accessToken: expect.any(String), tokenType: 'Bearer' });

    expect(await stop(second, 'SIGTERM')).toEqual({ code: 0, signal: null });
    expect(await isListening(pgPort)).toBe(false);
    expect(await isListening(redisPort)).toBe(false);
  }, 240_000);
});

describe('external PostgreSQL and Redis', () => {
  it('exits 0 on SIGTERM after closing the app (no embedded server involved)', async () => {
    const db = await freshDatabase();
    try {
      const [port] = await freePorts(1);
      const server = launch(externalEnv(db.url, port, { QUEUE_PREFIX: `${KEY_PREFIX}_startup` }));
      try {
        timings.externalStart = await waitHealthy(server, port, Date.now());
        expect(server.output()).not.toContain('embedded');
        expect(await stop(server, 'SIGTERM')).toEqual({ code: 0, signal: null });
        expect(server.output()).toContain('SIGTERM received, stopping');
      } finally {
        await reap(undefined, undefined);
      }
    } finally {
      await db.drop();
    }
  }, 120_000);
});

describe('the built server serves what the in-process tests exercise', () => {
  // tsc emits ES2022 class fields where the tests' SWC transform does not: a DTO field without a validator becomes a
  // real property, which the whitelist then refuses. The evidence upload (multipart, a documented-only `file` field)
  // is the route that broke that way, so it is exercised here on dist/.
  it('takes an evidence upload through multipart', async () => {
    const db = await freshDatabase();
    try {
      const [port] = await freePorts(1);
      const server = launch(externalEnv(db.url, port, { QUEUE_PREFIX: `${KEY_PREFIX}_startup_dist` }));
      try {
        await waitHealthy(server, port, Date.now());
        const http = request(`http://127.0.0.1:${port}`);
        const login = await http.post('/api/v1/auth/login').send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
        const admin = { Authorization: `Bearer ${login.body.accessToken}` };
        const caisse = await http.post('/api/v1/caisses').set(admin).send({ name: 'Caisse dist', slug: 'caisse-dist' });
        expect(caisse.status).toBe(201);
        const base = `/api/v1/caisses/${caisse.body.id}`;
        const user = await http.post(`${base}/users`).set(admin).send({ email: 'treso@dist.test', password: 'password-treso-123', role: 'treasurer' });
        expect(user.status).toBe(201);
        const treso = { Authorization: `Bearer ${(await http.post('/api/v1/auth/login').send({ email: 'treso@dist.test', password: 'password-treso-123' })).body.accessToken}` };
        expect((await http.post(`${base}/outlet-criteria`).set(treso).send({ effectiveFrom: '2026-01-01', criteria: [{ code: 'organic-practice', label: 'Bio', evidenceRequired: true }] })).status).toBe(201);
        const outlet = await createOutlet({ http } as unknown as TestApp, caisse.body.id, treso.Authorization.slice(7));
        const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(500, 0x20), Buffer.from('\n%%EOF\n')]);
        const res = await http
          .post(`${base}/outlets/${outlet.id}/evidence`)
          .set(treso)
          .field('criterion', 'organic-practice')
          .field('issuer', 'Ecocert')
          .attach('file', pdf, { filename: 'certificat.pdf', contentType: 'application/pdf' });
        expect(res.body).toMatchObject({ criterion: 'organic-practice', mediaType: 'application/pdf', sizeBytes: pdf.length });
        expect(res.status).toBe(201);
      } finally {
        await stop(server, 'SIGTERM');
        await reap(undefined, undefined);
      }
    } finally {
      await db.drop();
    }
  }, 120_000);
});

describe('Redis unreachable at start', () => {
  it('serves anyway, /api/health answers 503 with Redis down, and exits 0 on SIGTERM', async () => {
    const db = await freshDatabase();
    try {
      const [port, deadRedis] = await freePorts(2);
      const server = launch(externalEnv(db.url, port, { QUEUE_PREFIX: `${KEY_PREFIX}_noredis`, REDIS_URL: `redis://127.0.0.1:${deadRedis}` }));
      try {
        // Scheduling the queues' jobs waits for Redis in the background: the app must listen regardless.
        const health = await within(FAIL_FAST_MS + READY_TIMEOUT_MS, 'health answering', (async () => {
          for (;;) {
            if (server.done()) throw new Error(`server exited:\n${server.output()}`);
            const res = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
            if (res) return res;
            await new Promise((r) => setTimeout(r, 100));
          }
        })(), server);
        expect(health.status).toBe(503);
        expect(await health.json()).toMatchObject({ status: 'error', database: { status: 'up' }, redis: { status: 'down' } });
        expect(await stop(server, 'SIGTERM')).toEqual({ code: 0, signal: null });
      } finally {
        await reap(undefined, undefined);
      }
    } finally {
      await db.drop();
    }
  }, 180_000);
});

describe('several workers (APP_WORKERS)', () => {
  it('migrates once, serves from every worker, replaces a worker that dies, and exits 0 on SIGTERM', async () => {
    const db = await freshDatabase();
    try {
      const [port] = await freePorts(1);
      const server = launch(externalEnv(db.url, port, { QUEUE_PREFIX: `${KEY_PREFIX}_cluster`, APP_WORKERS: '2' }));
      try {
        await waitHealthy(server, port, Date.now());
        const ready = () => [...server.output().matchAll(/\[Nest\] (\d+) .*\[Caisse#\d+\] caisse service ready/g)].map((m) => Number(m[1]));
        await within(60_000, 'both workers ready', (async () => { while (ready().length < 2) await new Promise((r) => setTimeout(r, 50)); })(), server);
        const [first, second] = ready();
        expect(first).not.toBe(second);
        process.kill(first, 'SIGKILL');
        await within(60_000, 'a replacement worker', (async () => { while (ready().length < 3) await new Promise((r) => setTimeout(r, 50)); })(), server);
        expect(server.output()).toMatch(/worker \d+ stopped \(SIGKILL\); starting another/);
        expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);
        expect(await stop(server, 'SIGTERM')).toEqual({ code: 0, signal: null });
        for (const pid of ready()) expect(() => process.kill(pid, 0)).toThrow();
      } finally {
        await reap(undefined, undefined);
      }
    } finally {
      await db.drop();
    }
  }, 180_000);
});

describe('refusing to start', () => {
  /** URLs are given so nothing embedded starts; nothing connects either, validation comes first. */
  const external = () => ({ DATABASE_URL: dbUrl(workerDbName()), REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: `${KEY_PREFIX}_startup` });

  async function failure(env: NodeJS.ProcessEnv): Promise<{ exit: Exit; output: string; ms: number }> {
    const started = Date.now();
    const server = launch(env);
    try {
      const exit = await within(FAIL_FAST_MS, 'a server that cannot start should exit', server.exited, server);
      return { exit, output: server.output(), ms: Date.now() - started };
    } finally {
      await reap(undefined, undefined);
    }
  }

  it('names PORT when it is not a number', async () => {
    const { exit, output, ms } = await failure(childEnv({ ...external(), JWT_SECRET, PORT: 'abc' }));
    timings.badPortExit = ms;
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    expect(output).toContain('Invalid configuration');
    expect(output).toContain('PORT="abc"');
    expect(output).toContain('PORT must be a whole number');
    // The reason alone, not a stack trace.
    expect(output).not.toMatch(/^\s+at /m);
    expect(output).not.toContain('listening');
  });

  it('names JWT_SECRET when it is too short, without printing it', async () => {
    const secret = 'short-secret-123';
    const { exit, output } = await failure(childEnv({ ...external(), JWT_SECRET: secret, PORT: '0' }));
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    expect(output).toContain('JWT_SECRET=***');
    expect(output).toContain('JWT_SECRET must be at least 32 characters');
    expect(output).not.toContain(secret);
  });

  it('explains in one line how to get Redis when REDIS_URL is unset and no redis-server is on PATH', async () => {
    // A PATH with a shell and node but no redis-server (the directory of node may hold one, e.g. /usr/bin).
    const scratch = mkdtempSync(join(tmpdir(), 'caisse-noredis-'));
    try {
      const bin = join(scratch, 'bin');
      mkdirSync(bin);
      symlinkSync(process.execPath, join(bin, 'node'));
      symlinkSync('/bin/sh', join(bin, 'sh'));
      const { exit, output, ms } = await failure(
        childEnv({ DATABASE_URL: dbUrl(workerDbName()), JWT_SECRET, PATH: bin, DATA_DIR: join(scratch, 'data'), PORT: '0' }),
      );
      timings.noRedisExit = ms;
      expect(exit.code).not.toBe(0);
      expect(exit.code).not.toBeNull();
      const line = output.split('\n').find((l) => l.includes('REDIS_URL'));
      expect(line).toBeDefined();
      expect(line).toMatch(/redis-server/);
      expect(line).toMatch(/apt(-get)? install/);
      expect(line).toMatch(/brew install/);
      expect(line).toMatch(/docker compose/);
      expect(output).not.toMatch(/^\s+at /m);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
