import { Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Conflict, DomainError, NotFound } from '../common/errors/domain-error.js';
import { RequestContext } from '../common/request-context/request-context.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import type { StaffDto } from './dto/staff.dto.js';
import { OutletNotFound } from './outlets.errors.js';

/** Which cashiers work at which outlet: a cashier sees and serves only the outlets it is attached to. */
@Injectable()
export class OutletStaffService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly audit: AuditService,
  ) {}

  async list(caisseId: string, outletId: string): Promise<StaffDto[]> {
    await this.assertOutlet(caisseId, outletId);
    const rows: { user_id: string; email: string; added_at: Date }[] = await this.txHost.tx.query(
      `SELECT s.user_id, u.email, s.added_at FROM outlet_staff s JOIN users u ON u.id = s.user_id
        WHERE s.outlet_id = $1 AND s.caisse_id = $2 ORDER BY u.email`,
      [outletId, caisseId],
    );
    return rows.map((r) => ({ userId: r.user_id, email: r.email, addedAt: r.added_at.toISOString() }));
  }

  @Transactional()
  async add(caisseId: string, outletId: string, userId: string): Promise<StaffDto> {
    await this.assertOutlet(caisseId, outletId);
    const principal = RequestContext.principal();
    let inserted: unknown[];
    try {
      inserted = await this.txHost.tx.query(
        `INSERT INTO outlet_staff (outlet_id, caisse_id, user_id, added_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING user_id`,
        [outletId, caisseId, userId, principal?.kind === 'user' ? principal.userId : null],
      );
    } catch (e) {
      // The foreign key to user_roles is the check: only a cashier of this very caisse can be attached.
      if (e instanceof QueryFailedError && (e.driverError as { constraint?: string }).constraint === 'fk_outlet_staff_cashier') {
        throw new DomainError('NOT_A_CASHIER', 422, 'Only a user with the cashier role in this caisse can be attached to an outlet.', {
          errors: { userId: ['userId must be a cashier of this caisse (grant the role first)'] },
        });
      }
      throw e;
    }
    if (inserted.length === 0) throw new Conflict('ALREADY_STAFF', 'This cashier is already attached to the outlet.');
    await this.audit.record({ caisseId, action: 'outlet.staff-added', targetType: 'outlet', targetId: outletId, after: { userId } });
    return (await this.list(caisseId, outletId)).find((s) => s.userId === userId)!;
  }

  @Transactional()
  async remove(caisseId: string, outletId: string, userId: string): Promise<StaffDto> {
    const staff = (await this.list(caisseId, outletId)).find((s) => s.userId === userId);
    if (!staff) throw new NotFound('Staff member', userId);
    await this.txHost.tx.query(`DELETE FROM outlet_staff WHERE outlet_id = $1 AND user_id = $2`, [outletId, userId]);
    await this.audit.record({ caisseId, action: 'outlet.staff-removed', targetType: 'outlet', targetId: outletId, before: { userId } });
    return staff;
  }

  private async assertOutlet(caisseId: string, outletId: string): Promise<void> {
    const rows: unknown[] = await this.txHost.tx.query(`SELECT 1 FROM outlets WHERE id = $1 AND caisse_id = $2`, [outletId, caisseId]);
    if (rows.length === 0) throw new OutletNotFound(outletId);
  }
}
