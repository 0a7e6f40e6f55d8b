import { createHash } from 'node:crypto';

/**
 * Byte-exact building blocks of the published draw protocol. Anyone re-implementing the verifier in another language
 * needs exactly these rules, so they are kept small: UTF-8 byte order for every sort, JSON without whitespace with
 * object keys in that order, SHA-256 in lowercase hex.
 */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value as Record<string, unknown>)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort(compareUtf8);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError('only safe integers are allowed in a published draw');
  return JSON.stringify(value);
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export const HEX256 = /^[0-9a-f]{64}$/;

export function hexBytes(hex: string): Buffer {
  if (!HEX256.test(hex)) throw new RangeError(`not a 256-bit lowercase hex value: ${hex}`);
  return Buffer.from(hex, 'hex');
}
