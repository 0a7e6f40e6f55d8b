import { hexBytes, sha256Hex } from './canonical.js';

const MOD = 1n << 256n;

/** What a party publishes before revealing its value: SHA-256 of the value's UTF-8 bytes. */
export function commitmentOf(value: string): string {
  return sha256Hex(Buffer.from(value, 'utf8'));
}

/**
 * Several parties' values become one 256-bit randomness: the sum modulo 2^256 of SHA-256(value). No party can steer
 * the sum without knowing every other value, and a single value is simply hashed.
 */
export function combineRandomness(values: readonly string[]): string {
  if (values.length === 0) throw new RangeError('at least one randomness value is needed');
  const sum = values.reduce((acc, v) => (acc + BigInt(`0x${commitmentOf(v)}`)) % MOD, 0n);
  return sum.toString(16).padStart(64, '0');
}

/** seed = SHA-256(H_pool ‖ H_quotas ‖ randomness), each as its 32 raw bytes. */
export function deriveSeed(poolHashHex: string, quotasHashHex: string, randomnessHex: string): string {
  return sha256Hex(Buffer.concat([hexBytes(poolHashHex), hexBytes(quotasHashHex), hexBytes(randomnessHex)]));
}
