import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction.js';
import { type Principal, rolesIn } from '../common/request-context/principal.js';
import { OutletNotFound } from './outlets.errors.js';
import { acceptingCondition, statusJoin } from './outlet-status.sql.js';

/**
 * Who sees which outlet. The guard has already checked the caller's role in the caisse; this narrows it to
 * outlets: admins, treasurers and the committee see all of them; a cashier sees the outlets it staffs; a member
 * sees the directory of outlets where it may spend; a terminal sees only its own outlet. Anything else is a 404,
 * so outlet ids cannot be probed.
 */
export interface Audience {
  /** admin or treasurer: full IBAN, may manage. */
  manager: boolean;
  /** manager or committee: every outlet of the caisse. */
  seesAll: boolean;
  /** A cashier's user id: the outlets it staffs. */
  staffUserId: string | null;
  /** A member: outlets accepting now, without contact details. */
  directory: boolean;
  /** A terminal's own outlet (null for a terminal key bound to no outlet). */
  terminalOutletId: string | null | undefined;
}

export function audienceOf(principal: Principal, caisseId: string): Audience {
  const roles = rolesIn(principal, caisseId);
  const manager = roles.includes('admin') || roles.includes('treasurer');
  return {
    manager,
    seesAll: manager || roles.includes('committee'),
    staffUserId: principal.kind === 'user' && roles.includes('cashier') ? principal.userId : null,
    directory: roles.includes('member'),
    terminalOutletId: principal.kind === 'terminal' ? principal.outletId : undefined,
  };
}

/**
 * SQL condition restricting outlets (alias o, status lateral alias st computed at now()) to the audience.
 * `param` is the next free positional parameter; the values to bind are returned with it.
 */
export function audienceFilter(audience: Audience, param: number): { sql: string; params: unknown[] } {
  if (audience.seesAll) return { sql: 'true', params: [] };
  if (audience.terminalOutletId !== undefined) return { sql: `o.id = $${param}`, params: [audience.terminalOutletId] };
  const parts: string[] = [];
  const params: unknown[] = [];
  if (audience.staffUserId) {
    params.push(audience.staffUserId);
    parts.push(`EXISTS (SELECT 1 FROM outlet_staff s WHERE s.outlet_id = o.id AND s.user_id = $${param})`);
  }
  if (audience.directory) parts.push(acceptingCondition('now()'));
  return { sql: parts.length ? `(${parts.join(' OR ')})` : 'false', params };
}

@Injectable()
export class OutletAccess {
  constructor(readonly txHost: TransactionHost) {}

  /** Throws 404 unless the principal may see this outlet of this caisse; returns its audience for shaping replies. */
  async assertCanSee(principal: Principal, caisseId: string, outletId: string): Promise<Audience> {
    const audience = audienceOf(principal, caisseId);
    const filter = audienceFilter(audience, 3);
    const rows: unknown[] = await this.txHost.tx.query(
      `SELECT 1 FROM outlets o ${statusJoin('o.id', 'now()')} WHERE o.id = $1 AND o.caisse_id = $2 AND ${filter.sql}`,
      [outletId, caisseId, ...filter.params],
    );
    if (rows.length === 0) throw new OutletNotFound(outletId);
    return audience;
  }
}
