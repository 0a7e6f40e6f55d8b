import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { ADMIN_EMAIL, ADMIN_PASSWORD, JWT_SECRET } from '../../support/test-env.js';

/** Processes the drills start and kill: the built server, a private redis-server. Everything on 127.0.0.1. */

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

export async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined | false | null>, everyMs = 100): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface Proc {
  child: ChildProcess;
  exited: Promise<void>;
  output(): string;
  alive(): boolean;
}

function track(child: ChildProcess): Proc {
  let out = '';
  let done = false;
  child.stdout?.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-20_000)));
  child.stderr?.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-20_000)));
  const exited = new Promise<void>((r) =>
    child.once('exit', () => {
      done = true;
      r();
    }),
  );
  return { child, exited, output: () => out, alive: () => !done };
}

export async function kill(proc: Proc | undefined, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (!proc || !proc.alive()) return;
  proc.child.kill(signal);
  await proc.exited;
}

export async function startRedis(port: number): Promise<Proc> {
  const proc = track(spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: 'ignore' }));
  await until(`redis-server on ${port}`, 10_000, async () => {
    if (!proc.alive()) throw new Error('redis-server exited');
    const client = new Redis(`redis://127.0.0.1:${port}`, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } finally {
      client.disconnect();
    }
  }, 50);
  return proc;
}

/** Variables the harness sets for in-process apps; a spawned server gets only what it is given. */
const HARNESS_VARS = ['JEST_WORKER_ID', 'CAISSE_TEST_ADMIN_URL', 'NODE_OPTIONS', 'DATA_DIR', 'PORT', 'APP_WORKERS', 'APP_ROLE'];

/** The built server (`node dist/src/main.js`) on the given database, Redis and queue prefix. */
export function launchServer(env: Record<string, string>): Proc {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of HARNESS_VARS) delete base[name];
  const full = { ...base, HOST: '127.0.0.1', NODE_ENV: 'test', JWT_SECRET, ADMIN_EMAIL, ADMIN_PASSWORD, ...env };
  return track(spawn(process.execPath, [resolve(process.cwd(), 'dist/src/main.js')], { cwd: process.cwd(), env: full, stdio: ['ignore', 'pipe', 'pipe'] }));
}

export async function waitHealthy(proc: Proc, port: number, ms = 120_000): Promise<void> {
  await until(`server on ${port} healthy`, ms, async () => {
    if (!proc.alive()) throw new Error(`server exited:\n${proc.output()}`);
    const res = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(2000) });
    return res.status === 200;
  }, 50).catch((e: Error) => {
    throw new Error(`${e.message}\n--- server output ---\n${proc.output()}`);
  });
}
