import { randomInt } from 'node:crypto';
import argon2 from 'argon2';
import { isWeakPin } from './member-validators.js';

/**
 * argon2id at OWASP's minimum cost (19 MiB, 2 passes): a PIN has at most a million values, so the hash alone cannot
 * protect it against someone holding the database; the lockout after MAX_PIN_ATTEMPTS does the real work online,
 * and the hash keeps PINs out of sight of anyone reading the table. A lower cost keeps a payment at the shop fast.
 */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPin(pin: string): Promise<string> {
  return argon2.hash(pin, OPTIONS);
}

export async function pinMatches(hash: string, pin: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, pin);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/** Verified against for an unknown card, so that it costs as long as a wrong PIN. */
export function dummyPinHash(): Promise<string> {
  dummy ??= hashPin(String(randomInt(1_000_000)).padStart(6, '0'));
  return dummy;
}

/** Four digits like a bank card's, never an obvious one. */
export function generatePin(): string {
  for (;;) {
    const pin = String(randomInt(10_000)).padStart(4, '0');
    if (!isWeakPin(pin)) return pin;
  }
}
