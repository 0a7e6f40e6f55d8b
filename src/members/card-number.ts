import { randomInt } from 'node:crypto';
import { luhnValid } from '../common/validation/validators.js';

/** The digit that makes `body` + digit pass the Luhn check. */
export function luhnCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(`${body}${d}`)) return String(d);
  throw new RangeError(`not a digit string: ${body}`);
}

/**
 * 15 random digits and a Luhn check digit: a typo on a shop's phone is caught before any lookup, and numbers cannot be
 * guessed from one another (no sequence). Uniqueness per caisse is the database's job (retry on conflict).
 */
export function generateCardNumber(): string {
  const body = Array.from({ length: 15 }, () => randomInt(10)).join('');
  return `${body}${luhnCheckDigit(body)}`;
}
