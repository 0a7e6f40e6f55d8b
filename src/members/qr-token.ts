import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'ssaqr1';

export interface QrClaims {
  /** Caisse id. */
  c: string;
  /** Card id (a random UUID, not the card number, not the member). */
  k: string;
  /** Expiry, seconds since the epoch. */
  e: number;
  /** Random nonce, so that each payload is distinct and a payer can refuse a replayed one. */
  n: string;
}

export type QrCheck = { ok: true; claims: QrClaims } | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

/**
 * A QR payload for paying with a phone: `ssaqr1.<claims>.<HMAC-SHA256>` in base64url. It holds only the caisse, the
 * card's id, an expiry and a nonce — nothing that names the member if the code is photographed.
 */
export class QrToken {
  constructor(private readonly key: Buffer) {}

  /** A key of its own, derived from the JWT secret: a QR code can never be mistaken for a token, or the reverse. */
  static fromSecret(secret: string): QrToken {
    return new QrToken(createHmac('sha256', secret).update('caisse:member-qr:v1').digest());
  }

  sign(caisseId: string, cardId: string, expiresAt: Date): string {
    const claims: QrClaims = { c: caisseId, k: cardId, e: Math.floor(expiresAt.getTime() / 1000), n: randomBytes(9).toString('base64url') };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${PREFIX}.${body}.${this.mac(body)}`;
  }

  check(payload: string, now = new Date()): QrCheck {
    const parts = typeof payload === 'string' ? payload.split('.') : [];
    if (parts.length !== 3 || parts[0] !== PREFIX || !/^[A-Za-z0-9_-]{1,400}$/.test(parts[1]) || !/^[A-Za-z0-9_-]{43}$/.test(parts[2])) {
      return { ok: false, reason: 'malformed' };
    }
    if (!timingSafeEqual(Buffer.from(parts[2]), Buffer.from(this.mac(parts[1])))) return { ok: false, reason: 'signature' };
    let claims: QrClaims;
    try {
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as QrClaims;
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (typeof claims.c !== 'string' || typeof claims.k !== 'string' || !Number.isSafeInteger(claims.e)) return { ok: false, reason: 'malformed' };
    if (claims.e * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
    return { ok: true, claims };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(`${PREFIX}.${body}`).digest('base64url');
  }
}
