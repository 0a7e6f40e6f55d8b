import { isIP } from 'node:net';
import { ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';

/**
 * Which peers may set X-Forwarded-For: `false` (nobody: the socket address is the client), a hop count, or addresses,
 * CIDR ranges and the names proxy-addr knows. Shaped so both Express (`trust proxy`) and Fastify (`trustProxy`) take it.
 */
export type TrustProxy = false | number | string[];

const NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isCidrOrAddress(entry: string): boolean {
  const [address, bits, extra] = entry.split('/');
  if (extra !== undefined || !isIP(address)) return false;
  if (bits === undefined) return true;
  const max = isIP(address) === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
}

/** Undefined for a value that must be refused. `true`/`all` is refused: any client could then choose its address. */
export function parseTrustProxy(raw: string | undefined): TrustProxy | undefined {
  const value = (raw ?? '').trim().toLowerCase();
  if (value === '' || value === 'off' || value === 'false' || value === '0') return false;
  if (/^\d+$/.test(value)) return Number(value) <= 10 ? Number(value) : undefined;
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0 || !entries.every((e) => NAMES.has(e) || isCidrOrAddress(e))) return undefined;
  return entries;
}

@ValidatorConstraint({ name: 'trustProxy' })
export class TrustProxyConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return parseTrustProxy(String(value)) !== undefined;
  }
  defaultMessage(): string {
    return 'TRUST_PROXY must be off, a hop count (1-10), or a comma-separated list of proxy addresses/CIDRs or loopback, linklocal, uniquelocal';
  }
}
