import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { NotFound } from '../common/errors/domain-error.js';
import type { TerminalPrincipal } from '../common/request-context/principal.js';
import type { ApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto.js';
import { ApiKey } from './entities/api-key.entity.js';

const KEY_FORMAT = /^(ck_[0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function toDto(k: ApiKey): ApiKeyDto {
  return {
    id: k.id,
    label: k.label,
    outletId: k.outletId,
    prefix: k.prefix,
    createdAt: k.createdAt.toISOString(),
    revokedAt: k.revokedAt ? k.revokedAt.toISOString() : null,
  };
}

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly txHost: TransactionHost,
    private readonly audit: AuditService,
  ) {}

  @Transactional()
  async create(caisseId: string, label: string, outletId: string | null): Promise<CreatedApiKeyDto> {
    const prefix = `ck_${randomBytes(6).toString('hex')}`;
    const secret = randomBytes(32).toString('base64url');
    const repo = this.txHost.tx.getRepository(ApiKey);
    const saved = await repo.save(repo.create({ caisseId, label, outletId, prefix, secretHash: sha256(secret) }));
    const key = await repo.findOneByOrFail({ id: saved.id });
    await this.audit.record({ caisseId, action: 'api-key.created', targetType: 'api-key', targetId: key.id, after: { label, outletId, prefix } });
    return { ...toDto(key), key: `${prefix}_${secret}` };
  }

  async list(caisseId: string): Promise<ApiKeyDto[]> {
    const keys = await this.txHost.tx.getRepository(ApiKey).find({ where: { caisseId }, order: { createdAt: 'ASC' } });
    return keys.map(toDto);
  }

  @Transactional()
  async revoke(caisseId: string, keyId: string): Promise<ApiKeyDto> {
    const repo = this.txHost.tx.getRepository(ApiKey);
    const key = await repo.findOne({ where: { id: keyId, caisseId }, lock: { mode: 'pessimistic_write' } });
    if (!key) throw new NotFound('API key', keyId);
    if (!key.revokedAt) {
      await repo.update({ id: keyId, revokedAt: IsNull() }, { revokedAt: new Date() });
      await this.audit.record({ caisseId, action: 'api-key.revoked', targetType: 'api-key', targetId: keyId });
    }
    return toDto(await repo.findOneByOrFail({ id: keyId }));
  }

  /** Returns the terminal behind a presented key, or undefined for anything unknown, malformed or revoked. */
  async authenticate(presented: string): Promise<TerminalPrincipal | undefined> {
    const m = KEY_FORMAT.exec(presented);
    if (!m) return undefined;
    const key = await this.txHost.tx.getRepository(ApiKey).findOneBy({ prefix: m[1] });
    if (!key || key.revokedAt) return undefined;
    const ok = timingSafeEqual(Buffer.from(sha256(m[2]), 'hex'), Buffer.from(key.secretHash, 'hex'));
    return ok ? { kind: 'terminal', keyId: key.id, caisseId: key.caisseId, outletId: key.outletId } : undefined;
  }
}
