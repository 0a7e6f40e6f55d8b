import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { IssuedVoucherDto } from './dto/voucher.dto.js';

/** Wrong codes for one voucher before it locks: 5 guesses in a million, then an admin must look at it. */
export const MAX_CODE_ATTEMPTS = 5;

export const SERIAL = /^V[0-9]{8}$/;

const digest = (caisseId: string, serial: string, code: string) => createHash('sha256').update(`${caisseId}:${serial}:${code}`).digest();

export const hashCode = (caisseId: string, serial: string, code: string) => digest(caisseId, serial, code).toString('hex');

export function codeMatches(caisseId: string, serial: string, code: string, stored: string): boolean {
  const given = Buffer.from(stored, 'hex');
  return given.length === 32 && timingSafeEqual(digest(caisseId, serial, code), given);
}

/**
 * Serials are drawn at random (a hundred million per caisse) rather than counted: a counted serial tells whoever holds
 * one voucher which others exist, leaving only the six-digit code to guess. Unique within the draw; the caller
 * draws again for any that the database already holds.
 */
export function drawVouchers(count: number, faceValue: string, avoid: ReadonlySet<string> = new Set()): IssuedVoucherDto[] {
  const serials = new Set<string>();
  while (serials.size < count) {
    const serial = `V${String(randomInt(100_000_000)).padStart(8, '0')}`;
    if (!avoid.has(serial)) serials.add(serial);
  }
  return [...serials].map((serial) => ({ serial, code: String(randomInt(1_000_000)).padStart(6, '0'), faceValue }));
}
