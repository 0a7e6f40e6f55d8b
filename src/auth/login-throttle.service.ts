import { once } from 'node:events';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Redis } from 'ioredis';
import type { AuthConfig } from '../config/index.js';
import { DomainError } from '../common/errors/domain-error.js';

/** Counts an attempt against both limits, or neither when one is reached; answers [1, 0] or [0, seconds left]. */
const RESERVE = `
for i = 1, 2 do
  if tonumber(redis.call('GET', KEYS[i]) or '0') >= tonumber(ARGV[i]) then
    return {0, redis.call('TTL', KEYS[i])}
  end
end
for i = 1, 2 do
  redis.call('INCR', KEYS[i])
  if redis.call('TTL', KEYS[i]) < 0 then redis.call('EXPIRE', KEYS[i], ARGV[3]) end
end
return {1, 0}`;

/** Gives back one attempt on each key given (never below zero, never recreating an expired key). */
const RELEASE = `
for i = 1, #KEYS do
  if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then redis.call('DECR', KEYS[i]) end
end
return 1`;

/** The limiter's own Redis connection (a provider, so a test can point it at a dead port). */
export const THROTTLE_REDIS = Symbol('THROTTLE_REDIS');

/**
 * Fails fast: with Redis down a login must answer 503 at once, not wait in ioredis's offline queue, which is what
 * the shared client (made for queues) does.
 */
export function createThrottleRedis(url: string, prefix: string): Redis {
  return new Redis(url, {
    keyPrefix: `${prefix}:`,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // Bounds a hang, not a speed: a loaded machine may take a second to answer an EVAL.
    commandTimeout: 3000,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 250, 2000),
  });
}

export interface LoginAttempt {
  readonly byEmail: string;
  readonly byAddress: string;
}

/**
 * Login limits per email and per client address, in Redis so they hold across instances. An attempt is reserved
 * atomically before any password is checked, so concurrent requests cannot all pass a check that read the count
 * before any of them failed: at most `max` passwords per email (4× per address) are ever checked in a window.
 * A failed attempt keeps its reservation (it is the failure count); a success or an attempt that checked nothing
 * gives it back.
 */
@Injectable()
export class LoginThrottle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('LoginThrottle');
  private readonly max: number;
  private readonly windowSeconds: number;
  private outage = false;

  constructor(@Inject(THROTTLE_REDIS) private readonly redis: Redis, config: ConfigService) {
    const auth = config.getOrThrow<AuthConfig>('auth');
    this.max = auth.loginMaxAttempts;
    this.windowSeconds = auth.loginWindowSeconds;
    this.redis.on('error', (e: Error) => {
      if (!this.outage) this.logger.warn(`Redis unreachable, logins answer 503 until it is back: ${e.message}`);
      this.outage = true;
    });
    this.redis.on('ready', () => (this.outage = false));
  }

  /** Waits a moment for the connection, so the first logins after boot are not refused; never blocks boot. */
  async onModuleInit(): Promise<void> {
    await this.ready(3000);
  }

  /** Without an offline queue a command sent while (re)connecting fails at once: wait for the connection, briefly. */
  private async ready(ms: number): Promise<void> {
    if (this.redis.status === 'ready') return;
    const ac = new AbortController();
    await Promise.race([once(this.redis, 'ready', { signal: ac.signal }), new Promise((r) => setTimeout(r, ms).unref())]).catch(() => undefined);
    ac.abort();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** Throws 429 when a limit is reached, 503 when the limiter cannot be asked. */
  async reserve(email: string, address: string): Promise<LoginAttempt> {
    const attempt = { byEmail: `login-fail:email:${email}`, byAddress: `login-fail:ip:${address}` };
    let answer: [number, number];
    try {
      await this.ready(2000);
      // The address limit is looser: several volunteers may share one association's connection.
      answer = (await this.redis.eval(RESERVE, 2, attempt.byEmail, attempt.byAddress, this.max, this.max * 4, this.windowSeconds)) as [number, number];
    } catch (e) {
      this.logger.warn(`login limiter unavailable: ${(e as Error).message}`);
      throw new DomainError('UNAVAILABLE', 503, 'Logging in is unavailable for a moment; try again shortly.', { retryAfterSeconds: 5 });
    }
    if (answer[0] !== 1) {
      const seconds = Math.max(answer[1], 1);
      throw new DomainError('TOO_MANY_LOGIN_ATTEMPTS', 429, `Too many failed logins; try again in ${seconds} seconds.`, { retryAfterSeconds: seconds });
    }
    return attempt;
  }

  /** No password was checked (the hasher was busy, the database failed): the attempt must not count. */
  async release(attempt: LoginAttempt): Promise<void> {
    await this.bestEffort(() => this.redis.eval(RELEASE, 2, attempt.byEmail, attempt.byAddress));
  }

  /** The right password: the email starts afresh and the address gets its attempt back. */
  async succeeded(attempt: LoginAttempt): Promise<void> {
    await this.bestEffort(() => this.redis.multi().del(attempt.byEmail).eval(RELEASE, 1, attempt.byAddress).exec());
  }

  // Undoing a reservation is a courtesy to the user; the login itself must not fail because of it.
  private async bestEffort(work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (e) {
      this.logger.warn(`could not settle a login attempt: ${(e as Error).message}`);
    }
  }
}
