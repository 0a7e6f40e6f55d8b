import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DomainError } from '../common/errors/domain-error.js';
import type { AuthConfig } from '../config/index.js';
import { hashPassword, verifyPassword } from './password.js';

export class HasherBusy extends DomainError {
  constructor(retryAfterSeconds: number) {
    super('BUSY', 503, `Too many logins at once; try again in ${retryAfterSeconds} seconds.`, { retryAfterSeconds });
  }
}

/**
 * Every argon2 computation of the app goes through here. Each one holds a libuv worker thread (there are 4, shared
 * with file, DNS and other crypto work) for tens of milliseconds, so a login flood must queue here, a few at a time,
 * instead of starving the till; past the queue bound a caller is told to come back rather than wait without limit.
 */
@Injectable()
export class PasswordHasher {
  private readonly concurrency: number;
  private readonly queueMax: number;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** Moving average of one computation, to tell a refused caller how long the queue takes to drain. */
  private averageMs = 100;
  private dummy: Promise<string> | undefined;
  /** Passwords actually checked since start: what the login limits bound (read by tests and metrics). */
  verifications = 0;

  constructor(config: ConfigService) {
    const auth = config.getOrThrow<AuthConfig>('auth');
    this.concurrency = auth.argon2Concurrency;
    this.queueMax = auth.argon2Queue;
  }

  /** What is computing and waiting right now (read by tests and metrics). */
  stats(): { running: number; waiting: number; verifications: number } {
    return { running: this.running, waiting: this.waiting.length, verifications: this.verifications };
  }

  hash(password: string): Promise<string> {
    return this.run(() => hashPassword(password));
  }

  verify(hash: string, password: string): Promise<boolean> {
    return this.run(() => {
      this.verifications++;
      return verifyPassword(hash, password);
    });
  }

  /** For an unknown email: costs what a wrong password costs, so the answer's timing does not tell which it was. */
  async verifyAgainstNothing(password: string): Promise<boolean> {
    this.dummy ??= this.hash(randomBytes(16).toString('hex')).catch((e: unknown) => {
      this.dummy = undefined;
      throw e;
    });
    await this.verify(await this.dummy, password);
    return false;
  }

  private async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < this.concurrency) this.running++;
    else if (this.waiting.length >= this.queueMax) throw new HasherBusy(this.drainSeconds());
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.averageMs = 0.8 * this.averageMs + 0.2 * (performance.now() - started);
      // The slot passes straight to the next waiter, so a newcomer cannot overtake the queue.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  private drainSeconds(): number {
    return Math.max(1, Math.ceil(((this.waiting.length + this.running) * this.averageMs) / this.concurrency / 1000));
  }
}
