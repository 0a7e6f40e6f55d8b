import { Injectable } from '@nestjs/common';
import { type Principal, rolesIn } from '../common/request-context/principal.js';
import { TransactionHost } from '../database/transaction.js';
import { MemberNotFound } from './members.errors.js';
import type { MemberView } from './member-view.js';

/**
 * Who may read which member. Admins and treasurers read every member of their caisse; a member reads only itself,
 * whether logged in with card and PIN or as a user account linked to it. Anyone else is told the member does not
 * exist (404), so member ids cannot be probed.
 */
@Injectable()
export class MemberAccess {
  constructor(private readonly txHost: TransactionHost) {}

  async viewOf(principal: Principal, caisseId: string, memberId: string): Promise<MemberView> {
    const roles = rolesIn(principal, caisseId);
    if (roles.includes('admin') || roles.includes('treasurer')) return 'staff';
    if (await this.isSelf(principal, caisseId, memberId)) return 'self';
    throw new MemberNotFound(memberId);
  }

  /** For actions only the member itself or an admin may take (blocking a lost card, a QR code to pay). */
  async assertSelfOrAdmin(principal: Principal, caisseId: string, memberId: string): Promise<void> {
    if (rolesIn(principal, caisseId).includes('admin')) return;
    if (!(await this.isSelf(principal, caisseId, memberId))) throw new MemberNotFound(memberId);
  }

  /** For what only the member itself may do (a QR code to pay with: nobody pays on someone else's behalf). */
  async assertSelf(principal: Principal, caisseId: string, memberId: string): Promise<void> {
    if (!(await this.isSelf(principal, caisseId, memberId))) throw new MemberNotFound(memberId);
  }

  private async isSelf(principal: Principal, caisseId: string, memberId: string): Promise<boolean> {
    if (principal.kind === 'member') return principal.caisseId === caisseId && principal.memberId === memberId.toLowerCase();
    if (principal.kind !== 'user' || !rolesIn(principal, caisseId).includes('member')) return false;
    const rows: unknown[] = await this.txHost.tx.query(`SELECT 1 FROM members WHERE id = $1 AND caisse_id = $2 AND user_id = $3`, [memberId, caisseId, principal.userId]);
    return rows.length > 0;
  }
}
