import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';

export interface EmbeddedRedis {
  url: string;
  stop(): Promise<void>;
}

export const REDIS_HELP =
  'No REDIS_URL is set and no redis-server is on PATH. Install one (Debian/Ubuntu: apt-get install redis-server; ' +
  'macOS: brew install redis), set REDIS_URL=redis://host:6379, or run `docker compose up` for the full stack.';

export class RedisUnavailable extends Error {
  override name = 'RedisUnavailable';
}

/** A private redis-server with its append-only file under `<dataDir>/redis`, so queued jobs survive restarts. */
export async function startEmbeddedRedis(dataDir: string, port: number, log: (m: string) => void): Promise<EmbeddedRedis> {
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  if (which.status !== 0) throw new RedisUnavailable(REDIS_HELP);
  const dir = resolve(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--daemonize', 'no', '--logfile', resolve(dir, 'redis.log')],
    { stdio: 'ignore' },
  );
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = `redis://127.0.0.1:${port}`;
  await waitForPing(url, exited, dir);
  log(`embedded redis-server listening on 127.0.0.1:${port} (data: ${dir})`);
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    },
  };
}

async function waitForPing(url: string, exited: Promise<number | null>, dir: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let gone = false;
  void exited.then(() => (gone = true));
  while (Date.now() < deadline) {
    if (gone) throw new RedisUnavailable(`redis-server exited at start; see ${dir}/redis.log (is the port taken?)`);
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    // Refused connections while the server starts are expected; without a listener ioredis prints "Unhandled error event".
    client.on('error', () => undefined);
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      client.disconnect();
    }
  }
  throw new RedisUnavailable(`redis-server did not answer within 10 s; see ${dir}/redis.log`);
}
