import { createHash } from 'node:crypto';
import { ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { ConfigError } from './validate-env.js';

export interface JwtKey {
  kid: string;
  secret: string;
}

const KID = /^[A-Za-z0-9_-]{1,32}$/;
const MIN_SECRET = 32;

/**
 * A key id derived from the secret, so an operator who only swaps JWT_SECRET still gets a new kid (tokens of the
 * old key are then refused by id, not by a failed signature). It reveals nothing a signed token does not already.
 */
export function derivedKid(secret: string): string {
  return createHash('sha256').update(`caisse-jwt-kid:${secret}`).digest('base64url').slice(0, 12);
}

/** `JWT_PREVIOUS_SECRETS`: comma-separated `kid:secret` (or a bare secret, whose kid is derived). */
export function parsePreviousSecrets(raw: string | undefined): { keys: JwtKey[]; problems: string[] } {
  const keys: JwtKey[] = [];
  const problems: string[] = [];
  for (const [i, entry] of (raw ?? '').split(',').map((e) => e.trim()).entries()) {
    if (!entry) continue;
    const colon = entry.indexOf(':');
    const kid = colon > 0 && KID.test(entry.slice(0, colon)) ? entry.slice(0, colon) : undefined;
    const secret = kid ? entry.slice(colon + 1) : entry;
    // Never echo the entry: it is a secret.
    if (secret.length < MIN_SECRET) problems.push(`entry ${i + 1} must hold a secret of at least ${MIN_SECRET} characters`);
    else keys.push({ kid: kid ?? derivedKid(secret), secret });
  }
  return { keys, problems };
}

@ValidatorConstraint({ name: 'jwtPreviousSecrets' })
export class PreviousSecretsConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && parsePreviousSecrets(value).problems.length === 0;
  }
  defaultMessage(args?: { value: unknown }): string {
    const problems = typeof args?.value === 'string' ? parsePreviousSecrets(args.value).problems : ['must be a string'];
    return `JWT_PREVIOUS_SECRETS must be comma-separated kid:secret entries (${problems.join('; ')})`;
  }
}

/** The signing key and the keys still accepted for verification, current first; duplicate kids are refused. */
export function jwtKeyring(current: JwtKey, previousRaw: string | undefined): JwtKey[] {
  const ring = [current, ...parsePreviousSecrets(previousRaw).keys];
  const kids = new Set(ring.map((k) => k.kid));
  if (kids.size !== ring.length) throw new ConfigError('Invalid configuration: JWT key ids must differ (JWT_KEY_ID and those in JWT_PREVIOUS_SECRETS)');
  return ring;
}
