import { Forbidden } from '../common/errors/domain-error.js';
import type { TerminalPrincipal } from '../common/request-context/principal.js';

/** The outlet a terminal sells for (purchases, refunds, vouchers); a key bound to no outlet cannot sell. */
export function outletOf(terminal: TerminalPrincipal): string {
  if (!terminal.outletId) throw new Forbidden('Only a terminal bound to an outlet can take purchases.');
  return terminal.outletId;
}
