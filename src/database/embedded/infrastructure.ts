import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { startEmbeddedRedis } from './embedded-redis.js';

export interface Infrastructure {
  /** Stops what was started here (nothing when both URLs were given). */
  stop(): Promise<void>;
  embedded: string[];
}

const intOr = (value: string | undefined, fallback: number) => (value && /^\d+$/.test(value) ? Number(value) : fallback);

/**
 * Fills in DATABASE_URL, REDIS_URL and JWT_SECRET for a developer's or a small caisse's machine: embedded PostgreSQL,
 * a private redis-server and a generated secret, all kept under DATA_DIR. With the variables set, nothing is started.
 */
export async function ensureInfrastructure(env: NodeJS.ProcessEnv, log: (m: string) => void): Promise<Infrastructure> {
  const dataDir = resolve(env.DATA_DIR || './.data');
  const stops: (() => Promise<void>)[] = [];
  const embedded: string[] = [];
  try {
    if (!env.DATABASE_URL) {
      const pg = await startEmbeddedPostgres(dataDir, intOr(env.EMBEDDED_PG_PORT, 54329), log);
      env.DATABASE_URL = pg.url;
      stops.push(pg.stop);
      embedded.push('postgres');
    }
    if (!env.REDIS_URL) {
      const redis = await startEmbeddedRedis(dataDir, intOr(env.EMBEDDED_REDIS_PORT, 63799), log);
      env.REDIS_URL = redis.url;
      stops.push(redis.stop);
      embedded.push('redis');
    }
  } catch (e) {
    await stopAll(stops);
    throw e;
  }
  if (!env.JWT_SECRET) env.JWT_SECRET = persistedSecret(dataDir, log);
  return { embedded, stop: () => stopAll(stops) };
}

async function stopAll(stops: (() => Promise<void>)[]): Promise<void> {
  for (const stop of [...stops].reverse()) {
    try {
      await stop();
    } catch {
      // keep stopping the others
    }
  }
}

function persistedSecret(dataDir: string, log: (m: string) => void): string {
  const file = resolve(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  chmodSync(file, 0o600);
  log(`generated a JWT signing secret in ${file} (set JWT_SECRET to manage it yourself)`);
  return secret;
}
