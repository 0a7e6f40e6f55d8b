import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { QueryFailedError } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Conflict, NotFound } from '../common/errors/domain-error.js';
import type { CaisseRole } from '../common/request-context/principal.js';
import type { CreateUserDto, UserDto } from './dto/user.dto.js';
import { User } from './entities/user.entity.js';
import { UserRole } from './entities/user-role.entity.js';
import { hashPassword } from './password.js';

@Injectable()
export class UsersService {
  constructor(
    private readonly txHost: TransactionHost,
    private readonly audit: AuditService,
  ) {}

  /** Creates the account, or adds the role to an existing account of that email (its password is kept). */
  @Transactional()
  async addToCaisse(caisseId: string, dto: CreateUserDto): Promise<UserDto & { created: boolean }> {
    const email = dto.email.trim().toLowerCase();
    const users = this.txHost.tx.getRepository(User);
    let user = await users.findOne({ where: { email }, lock: { mode: 'pessimistic_write' } });
    const created = !user;
    if (!user) {
      const passwordHash = await hashPassword(dto.password);
      await users.createQueryBuilder().insert().values({ email, passwordHash }).orIgnore().execute();
      user = await users.findOneOrFail({ where: { email } });
    }
    try {
      const inserted = await this.txHost.tx.query(
        `INSERT INTO user_roles (user_id, caisse_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING role`,
        [user.id, caisseId, dto.role],
      );
      if (inserted.length === 0) throw new Conflict('ROLE_ALREADY_GRANTED', `${email} already has the role ${dto.role} in this caisse.`);
    } catch (e) {
      if (e instanceof QueryFailedError && (e.driverError as { code?: string }).code === '23503') throw new NotFound('Caisse', caisseId);
      throw e;
    }
    const roles = await this.rolesOf(user.id, caisseId);
    await this.audit.record({
      caisseId,
      action: created ? 'user.created' : 'user.role-granted',
      targetType: 'user',
      targetId: user.id,
      after: { email, role: dto.role },
    });
    return { id: user.id, email, roles, created };
  }

  async listForCaisse(caisseId: string): Promise<UserDto[]> {
    const rows: { id: string; email: string; roles: CaisseRole[] }[] = await this.txHost.tx.query(
      `SELECT u.id, u.email, array_agg(r.role ORDER BY r.role) AS roles
         FROM user_roles r JOIN users u ON u.id = r.user_id
        WHERE r.caisse_id = $1 GROUP BY u.id, u.email ORDER BY u.email`,
      [caisseId],
    );
    return rows;
  }

  private async rolesOf(userId: string, caisseId: string): Promise<CaisseRole[]> {
    const rows = await this.txHost.tx.getRepository(UserRole).find({ where: { userId, caisseId }, order: { role: 'ASC' } });
    return rows.map((r) => r.role);
  }
}
