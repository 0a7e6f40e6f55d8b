import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction.js';
import { ValidationFailed } from '../common/errors/domain-error.js';
import { CursorQueryDto, decodeCursor, Page, toPage } from '../common/pagination/cursor.js';
import { rolesIn } from '../common/request-context/principal.js';
import { RequestContext } from '../common/request-context/request-context.js';
import type { AuditEntryDto } from './dto/audit-entry.dto.js';
import { AuditEntry } from './entities/audit-entry.entity.js';

export interface AuditRecord {
  caisseId: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
}

const SECRET_FIELDS = /password|secret|pin|hash|token/i;

/** Never let a credential reach the append-only log, where it could not be erased. */
function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_FIELDS.test(k) ? '[redacted]' : redact(v)]),
    );
  }
  return value;
}

/** Facade of the audit module: one append-only row per mutation, written in the mutation's own transaction. */
@Injectable()
export class AuditService {
  constructor(private readonly txHost: TransactionHost) {}

  async record(entry: AuditRecord): Promise<void> {
    const principal = RequestContext.principal();
    const actor =
      principal?.kind === 'user'
        ? { kind: 'user' as const, id: principal.userId }
        : principal?.kind === 'terminal'
          ? { kind: 'terminal' as const, id: principal.keyId }
          : principal?.kind === 'member'
            ? { kind: 'member' as const, id: principal.memberId }
            : { kind: 'system' as const, id: null };
    const role = principal && entry.caisseId ? rolesIn(principal, entry.caisseId).join(',') || null : principal?.kind === 'user' && principal.platformAdmin ? 'platform-admin' : null;
    await this.txHost.tx.query(
      `INSERT INTO audit_log (caisse_id, actor_kind, actor_id, role, action, target_type, target_id, request_id, before, after)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        entry.caisseId,
        actor.kind,
        actor.id,
        role,
        entry.action,
        entry.targetType,
        entry.targetId ?? null,
        RequestContext.requestId() ?? null,
        entry.before === undefined ? null : JSON.stringify(redact(entry.before)),
        entry.after === undefined ? null : JSON.stringify(redact(entry.after)),
      ],
    );
  }

  async list(caisseId: string, query: CursorQueryDto): Promise<Page<AuditEntryDto>> {
    const limit = query.limit ?? 50;
    const after = decodeCursor<{ id: string }>(query.cursor, ['id']);
    // A forged cursor must be a field error, not a bigint cast failing in the database.
    if (after && !/^\d{1,18}$/.test(String(after.id))) throw new ValidationFailed({ cursor: ['cursor must be a value returned as nextCursor'] });
    const qb = this.txHost.tx
      .getRepository(AuditEntry)
      .createQueryBuilder('a')
      .where('a.caisse_id = :caisseId', { caisseId })
      .orderBy('a.id', 'DESC')
      .limit(limit + 1);
    if (after) qb.andWhere('a.id < :id', { id: after.id });
    const rows = await qb.getMany();
    return toPage(rows, limit, (r) => ({ id: r.id }), (r) => ({
      id: r.id,
      at: r.at.toISOString(),
      actorKind: r.actorKind,
      actorId: r.actorId,
      role: r.role,
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId,
      requestId: r.requestId,
      before: r.before,
      after: r.after,
    }));
  }
}
