import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Sealing of secret ballots while a decision is open (AES-256-GCM). The key is derived from BALLOT_SECRET
 * (ballot-secret.ts: its own variable, never generated into DATA_DIR) and the decision id, so it never sits on the
 * database host: someone reading the tables during the vote sees neither the content nor the receipt, and cannot
 * follow a sealed row to the plain ballot rewritten, shuffled, at close.
 */
export function ballotKey(serverSecret: string, decisionId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', serverSecret, 'ssa-governance-ballot-seal', decisionId, 32));
}

/** iv (12 bytes) ‖ tag (16 bytes) ‖ ciphertext; the decision id is bound as additional data. */
export function seal(key: Buffer, decisionId: string, value: unknown): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(decisionId));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** Throws when the seal was made with another key or for another decision, or was altered. */
export function unseal<T>(key: Buffer, decisionId: string, sealed: Buffer): T {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  decipher.setAAD(Buffer.from(decisionId));
  decipher.setAuthTag(sealed.subarray(12, 28));
  return JSON.parse(Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8')) as T;
}
