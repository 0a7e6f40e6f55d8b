import { createHash } from 'node:crypto';
import { hexBytes } from './canonical.js';

const RANGE = 2 ** 48;

/**
 * The draw's only source of chance: block k is SHA-256(seed ‖ k as 8 bytes big-endian), k = 0, 1, 2, …; each integer
 * takes the next block's first 6 bytes (big-endian) and rejects values at or above the largest multiple of n, so every
 * result below n is exactly equally likely.
 */
export class DrawRng {
  private counter = 0n;
  private readonly seed: Buffer;

  constructor(seedHex: string) {
    this.seed = hexBytes(seedHex);
  }

  /** Blocks consumed so far (published by nobody, handy in tests). */
  get blocksUsed(): number {
    return Number(this.counter);
  }

  below(n: number): number {
    if (!Number.isSafeInteger(n) || n < 1 || n > RANGE) throw new RangeError(`cannot draw below ${n}`);
    const limit = Math.floor(RANGE / n) * n;
    for (;;) {
      const value = this.nextBlock().readUIntBE(0, 6);
      if (value < limit) return value % n;
    }
  }

  private nextBlock(): Buffer {
    const counter = Buffer.alloc(8);
    counter.writeBigUInt64BE(this.counter++);
    return createHash('sha256').update(this.seed).update(counter).digest();
  }
}

/** Fisher–Yates (Durstenfeld): for i from n-1 down to 1, swap item i with item below(i+1). Returns a new array. */
export function shuffle<T>(items: readonly T[], rng: DrawRng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
