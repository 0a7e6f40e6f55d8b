import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import argon2 from 'argon2';
import type { PinKey } from '../config/index.js';
import { isWeakPin } from './member-validators.js';

/** The answer to a PIN check, and the stored value to write instead when the stored one is not under the current key. */
export interface PinCheck {
  matches: boolean;
  rehashed: string | null;
}

const NO_MATCH: PinCheck = { matches: false, rehashed: null };
// Keeps these digests apart from anything else the same key might ever be used for.
const DOMAIN = 'caisse-pin-v1';

/**
 * PINs as payment networks check them: HMAC-SHA-256 under a key that is not in the database, stored as
 * `hmac$<key id>$<base64>`. A PIN has at most a million values, so no hash cost could protect it once the table is
 * read; the key kept elsewhere does, and the lockout does online. A slow hash would only make every till payment
 * wait tens of ms of CPU. The member id is part of the input, so equal PINs give different digests; the member (not
 * the card) because a replacement card keeps the PIN. argon2id values from before are still accepted, once each:
 * a right PIN rewrites them, as it does digests under a retired key.
 */
export class PinDigests {
  private readonly byId: Map<string, Buffer>;
  private readonly current: PinKey;

  constructor(keys: readonly PinKey[]) {
    if (keys.length === 0) throw new Error('at least one PIN key is needed');
    this.current = keys[0];
    this.byId = new Map(keys.map((k) => [k.id, k.secret]));
  }

  digest(memberId: string, pin: string): string {
    return `hmac$${this.current.id}$${mac(this.current.secret, memberId, pin).toString('base64')}`;
  }

  async check(stored: string, memberId: string, pin: string): Promise<PinCheck> {
    if (stored.startsWith('hmac$')) return this.checkHmac(stored, memberId, pin);
    if (!stored.startsWith('$argon2')) return NO_MATCH;
    const matches = await argon2.verify(stored, pin).catch(() => false);
    return matches ? { matches, rehashed: this.digest(memberId, pin) } : NO_MATCH;
  }

  /** For an unknown card: the same work as a wrong PIN, so the answer's timing does not tell cards apart. */
  dummyCheck(pin: string): boolean {
    return timingSafeEqual(mac(this.current.secret, '', pin), randomBytes(32));
  }

  private checkHmac(stored: string, memberId: string, pin: string): PinCheck {
    const [, kid, b64, extra] = stored.split('$');
    const secret = this.byId.get(kid);
    const given = Buffer.from(b64 ?? '', 'base64');
    // A key taken out of PIN_KEYS cannot check its digests any more: such a PIN must be set again.
    if (!secret || extra !== undefined || given.length !== 32) return NO_MATCH;
    if (!timingSafeEqual(mac(secret, memberId, pin), given)) return NO_MATCH;
    return { matches: true, rehashed: kid === this.current.id ? null : this.digest(memberId, pin) };
  }
}

function mac(secret: Buffer, memberId: string, pin: string): Buffer {
  return createHmac('sha256', secret).update(`${DOMAIN}\0${memberId}\0${pin}`).digest();
}

/** Four digits like a bank card's, never an obvious one. */
export function generatePin(): string {
  for (;;) {
    const pin = String(randomInt(10_000)).padStart(4, '0');
    if (!isWeakPin(pin)) return pin;
  }
}
