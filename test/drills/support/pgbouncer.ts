import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { accessSync, chmodSync, constants, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, kill, type Proc, until } from './processes.js';

/** Where Debian's package puts the binary (/usr/sbin is not on every PATH). */
const CANDIDATES = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer', '/usr/local/bin/pgbouncer'];

export interface Pgbouncer {
  /** The given PostgreSQL URL with host and port replaced by the pooler's. */
  url(direct: string): string;
  /** SHOW POOLS / SHOW STATS of the admin console, for the drill to see transactions really went through it. */
  admin(command: string): Promise<Record<string, string>[]>;
  stop(): Promise<void>;
  output(): string;
}

function binary(): string {
  for (const path of CANDIDATES) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // next candidate
    }
  }
  throw new Error('pgbouncer is not installed (apt-get install -y pgbouncer; .ci/run does it): the pgbouncer drill cannot run without it');
}

/**
 * A private pgbouncer on a free loopback port in front of the PostgreSQL of `upstream` (which trusts 127.0.0.1),
 * in transaction pooling with `poolSize` server connections per database, so that consecutive transactions of one
 * client connection land on different server connections. Run as root, pgbouncer refuses to start unless told to
 * drop to another user: `-u postgres` (the system user of Debian's PostgreSQL), with its files world-readable.
 */
export async function startPgbouncer(upstream: string, poolSize: number): Promise<Pgbouncer> {
  const exe = binary();
  const dir = `/tmp/caisse-drill-pgbouncer-${randomUUID().slice(0, 8)}`;
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  const up = new URL(upstream);
  const user = decodeURIComponent(up.username || 'postgres');
  const port = await freePort();
  const ini = [
    '[databases]',
    `* = host=${up.hostname} port=${up.port || '5432'}`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    'unix_socket_dir =',
    'auth_type = trust',
    `auth_file = ${join(dir, 'userlist.txt')}`,
    `admin_users = ${user}`,
    'pool_mode = transaction',
    `default_pool_size = ${poolSize}`,
    'max_client_conn = 200',
    // node-pg sends extra_float_digits; the app's pool sends options (default_transaction_isolation), refused by
    // pgbouncer otherwise. The server's default isolation (read committed) then applies.
    'ignore_startup_parameters = extra_float_digits,options',
    'server_reset_query =',
    'log_connections = 0',
    'log_disconnections = 0',
  ].join('\n');
  writeFileSync(join(dir, 'pgbouncer.ini'), `${ini}\n`, { mode: 0o644 });
  writeFileSync(join(dir, 'userlist.txt'), `"${user}" ""\n`, { mode: 0o644 });
  const asRoot = process.getuid?.() === 0;
  const child = spawn(exe, [...(asRoot ? ['-u', 'postgres'] : []), join(dir, 'pgbouncer.ini')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let done = false;
  child.stdout.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-20_000)));
  child.stderr.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-20_000)));
  const exited = new Promise<void>((r) => child.once('exit', () => ((done = true), r())));
  const proc: Proc = { child, exited, output: () => out, alive: () => !done };

  const url = (direct: string) => {
    const u = new URL(direct);
    u.hostname = '127.0.0.1';
    u.port = String(port);
    return u.toString();
  };
  const admin = async (command: string) => {
    const client = new pg.Client({ connectionString: url(`postgres://${encodeURIComponent(user)}@127.0.0.1/pgbouncer`) });
    await client.connect();
    try {
      // No parameters: node-pg sends it with the simple query protocol, the only one the admin console speaks.
      return (await client.query(command)).rows as Record<string, string>[];
    } finally {
      await client.end();
    }
  };
  await until(`pgbouncer on ${port}`, 15_000, async () => {
    if (!proc.alive()) throw new Error(`pgbouncer exited:\n${out}`);
    const client = new pg.Client({ connectionString: url(upstream), connectionTimeoutMillis: 2000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.query('SELECT 1 AS one')).rows[0].one === 1;
    } finally {
      await client.end().catch(() => undefined);
    }
  }, 100);
  return {
    url,
    admin,
    output: () => out,
    stop: async () => {
      await kill(proc, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
