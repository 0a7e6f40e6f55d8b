import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '../database/redis.module.js';
import { TooManyVoucherAttempts } from './purchases.errors.js';

/** Wrong voucher codes one terminal may type in a window before it must wait: a till scanning real vouchers rarely errs. */
export const TERMINAL_MAX_WRONG_CODES = 20;
export const TERMINAL_WINDOW_SECONDS = 900;
// A slot given back after its window expired must not leave a key at -1 with no expiry.
const GIVE_BACK = `if redis.call('exists', KEYS[1]) == 1 then return redis.call('decr', KEYS[1]) end return 0`;

/**
 * Counts wrong voucher codes per terminal in Redis (shared by every app instance), so one terminal cannot spread
 * guesses over many vouchers, each below its own lock. Every attempt first takes a slot and gives it back unless its
 * code proved wrong: concurrent guesses cannot slip past the limit between a check and a count. The window starts at
 * the first attempt and is not extended by later ones.
 */
@Injectable()
export class VoucherThrottle {
  private readonly logger = new Logger('VoucherThrottle');

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  private key(terminalKeyId: string): string {
    return `voucher-fail:terminal:${terminalKeyId}`;
  }

  async reserve(terminalKeyId: string): Promise<void> {
    const key = this.key(terminalKeyId);
    const replies = await this.redis.multi().incr(key).expire(key, TERMINAL_WINDOW_SECONDS, 'NX').ttl(key).exec();
    const [count, ttl] = [Number(replies?.[0]?.[1]), Number(replies?.[2]?.[1])];
    if (count <= TERMINAL_MAX_WRONG_CODES) return;
    await this.giveBack(key);
    throw new TooManyVoucherAttempts(Math.max(ttl, 1));
  }

  /**
   * The attempt was not a wrong code (redeemed, or refused for another reason): it does not count. Never throws: the
   * redemption has committed by then, and a Redis hiccup must not tell the till it failed (the voucher is spent).
   */
  async release(terminalKeyId: string): Promise<void> {
    await this.giveBack(this.key(terminalKeyId)).catch((e: Error) => this.logger.warn(`could not give back a voucher attempt: ${e.message}`));
  }

  private async giveBack(key: string): Promise<void> {
    await this.redis.eval(GIVE_BACK, 1, key);
  }
}
