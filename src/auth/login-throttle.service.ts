import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Redis } from 'ioredis';
import type { AuthConfig } from '../config/index.js';
import { DomainError } from '../common/errors/domain-error.js';
import { REDIS } from '../database/redis.module.js';

/**
 * Failed logins are counted in Redis per email and per client address, so the limit holds across app
 * instances and restarts of one instance; a success clears the email's counter.
 */
@Injectable()
export class LoginThrottle {
  private readonly max: number;
  private readonly windowSeconds: number;

  constructor(@Inject(REDIS) private readonly redis: Redis, config: ConfigService) {
    const auth = config.getOrThrow<AuthConfig>('auth');
    this.max = auth.loginMaxAttempts;
    this.windowSeconds = auth.loginWindowSeconds;
  }

  private keys(email: string, ip: string): string[] {
    return [`login-fail:email:${email}`, `login-fail:ip:${ip}`];
  }

  async assertAllowed(email: string, ip: string): Promise<void> {
    const [byEmail, byIp] = this.keys(email, ip);
    const [e, i] = await this.redis.mget(byEmail, byIp);
    // The address limit is looser: several volunteers may share one association's connection.
    const blockedKey = Number(e ?? 0) >= this.max ? byEmail : Number(i ?? 0) >= this.max * 4 ? byIp : undefined;
    if (blockedKey) {
      const ttl = Math.max(await this.redis.ttl(blockedKey), 1);
      throw new DomainError('TOO_MANY_LOGIN_ATTEMPTS', 429, `Too many failed logins; try again in ${ttl} seconds.`, { retryAfterSeconds: ttl });
    }
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    const multi = this.redis.multi();
    for (const key of this.keys(email, ip)) multi.incr(key).expire(key, this.windowSeconds, 'NX');
    await multi.exec();
  }

  async recordSuccess(email: string): Promise<void> {
    await this.redis.del(`login-fail:email:${email}`);
  }
}
