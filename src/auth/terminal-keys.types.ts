import type { ApiKeyDto } from './dto/api-key.dto.js';

/**
 * What the outlets module may do with the keys of its terminals beyond issuing them (AuthService.createTerminalKey):
 * list them with their last use, and revoke one. Bound in AuthModule to ApiKeysService, which alone stores keys,
 * so callers depend on this public surface rather than on auth's internals.
 */
export const TERMINAL_KEYS = Symbol('TERMINAL_KEYS');

export interface TerminalKeys {
  /** The keys bound to one outlet (never their secrets), oldest first. */
  listForOutlet(caisseId: string, outletId: string): Promise<ApiKeyDto[]>;
  /** Revokes at once; a key of another outlet is NOT_FOUND. */
  revoke(caisseId: string, keyId: string, outletId: string): Promise<ApiKeyDto>;
}
