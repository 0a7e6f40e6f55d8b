import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { QueryFailedError } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../common/errors/domain-error.js';
import { CAISSE_ROLES, type CaisseRole, type Principal } from '../common/request-context/principal.js';
import type { CreateUserDto, UserDto, UserStatusDto } from './dto/user.dto.js';
import { User } from './entities/user.entity.js';
import { UserRole } from './entities/user-role.entity.js';
import { PasswordHasher } from './password-hasher.service.js';

@Injectable()
export class UsersService {
  constructor(
    private readonly txHost: TransactionHost,
    private readonly audit: AuditService,
    private readonly hasher: PasswordHasher,
  ) {}

  /** Creates the account, or adds the role to an existing account of that email (its password is kept). */
  @Transactional()
  async addToCaisse(caisseId: string, dto: CreateUserDto): Promise<UserDto & { created: boolean }> {
    const email = dto.email.trim().toLowerCase();
    const users = this.txHost.tx.getRepository(User);
    let user = await users.findOne({ where: { email }, lock: { mode: 'pessimistic_write' } });
    const created = !user;
    if (!user) {
      const passwordHash = await this.hasher.hash(dto.password);
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

  /**
   * Disables (or re-enables) an account: it can no longer log in, and its tokens are refused on their next request
   * because the guard reads the account on each one. An account shared with other caisses is the platform admin's
   * to disable; a caisse admin removes its roles in their own caisse instead.
   */
  @Transactional()
  async setDisabled(caisseId: string, userId: string, disabled: boolean, actor: Principal): Promise<UserStatusDto> {
    const user = await this.lockMember(caisseId, userId);
    const actorIsPlatform = actor.kind === 'user' && actor.platformAdmin;
    if (actor.kind === 'user' && actor.userId === user.id) throw new Conflict('CANNOT_DISABLE_SELF', 'You cannot disable your own account.');
    if (user.platformAdmin && !actorIsPlatform) throw new Forbidden('Only the platform admin may disable a platform admin.');
    if (!actorIsPlatform) {
      const [{ elsewhere }] = await this.txHost.tx.query(`SELECT count(*)::int AS elsewhere FROM user_roles WHERE user_id = $1 AND caisse_id <> $2`, [user.id, caisseId]);
      if (elsewhere > 0) {
        throw new Conflict('USER_IN_OTHER_CAISSES', 'This account also works for other caisses; remove its roles in this caisse instead, or ask the platform admin.');
      }
    }
    if (Boolean(user.disabledAt) !== disabled) {
      await this.txHost.tx.query(`UPDATE users SET disabled_at = ${disabled ? 'now()' : 'NULL'} WHERE id = $1`, [user.id]);
      await this.audit.record({ caisseId, action: disabled ? 'user.disabled' : 'user.enabled', targetType: 'user', targetId: user.id, after: { email: user.email } });
    }
    const [{ disabled_at }] = await this.txHost.tx.query(`SELECT disabled_at FROM users WHERE id = $1`, [user.id]);
    return { id: user.id, email: user.email, roles: await this.rolesOf(user.id, caisseId), disabledAt: disabled_at ? new Date(disabled_at).toISOString() : null };
  }

  /** Takes one role away in this caisse; the guard reads roles on every request, so it stops working at once. */
  @Transactional()
  async removeRole(caisseId: string, userId: string, role: string, actor: Principal): Promise<UserDto> {
    if (!(CAISSE_ROLES as readonly string[]).includes(role)) throw new ValidationFailed({ role: [`role must be one of ${CAISSE_ROLES.join(', ')}`] });
    const user = await this.lockMember(caisseId, userId);
    // An admin removing their own admin role could leave the caisse with nobody to undo it.
    if (role === 'admin' && actor.kind === 'user' && actor.userId === user.id) throw new Conflict('CANNOT_REMOVE_OWN_ADMIN', 'You cannot remove your own admin role.');
    const [removed] = await this.txHost.tx.query(`DELETE FROM user_roles WHERE user_id = $1 AND caisse_id = $2 AND role = $3 RETURNING role`, [user.id, caisseId, role]);
    if (removed.length === 0) throw new NotFound(`Role ${role} of user`, userId);
    await this.audit.record({ caisseId, action: 'user.role-revoked', targetType: 'user', targetId: user.id, before: { email: user.email, role } });
    return { id: user.id, email: user.email, roles: await this.rolesOf(user.id, caisseId) };
  }

  /** The account, locked, when it holds a role in this caisse; otherwise it is not this caisse's to see (404). */
  private async lockMember(caisseId: string, userId: string): Promise<User> {
    const user = await this.txHost.tx.getRepository(User).findOne({ where: { id: userId }, lock: { mode: 'pessimistic_write' } });
    if (!user || (await this.rolesOf(user.id, caisseId)).length === 0) throw new NotFound('User', userId);
    return user;
  }

  private async rolesOf(userId: string, caisseId: string): Promise<CaisseRole[]> {
    const rows = await this.txHost.tx.getRepository(UserRole).find({ where: { userId, caisseId }, order: { role: 'ASC' } });
    return rows.map((r) => r.role);
  }
}
