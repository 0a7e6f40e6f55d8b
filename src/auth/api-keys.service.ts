import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { CoalescingReader } from '../database/coalescing-reader.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { NotFound } from '../common/errors/domain-error.js';
import type { TerminalPrincipal } from '../common/request-context/principal.js';
import type { ApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto.js';
import { ApiKey } from './entities/api-key.entity.js';
import { hot } from '../database/prepared.js';

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
    lastUsedAt: k.lastUsedAt ? k.lastUsedAt.toISOString() : null,
  };
}

interface KeyRow {
  id: string;
  caisse_id: string;
  outlet_id: string | null;
  prefix: string;
  secret_hash: string;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

/** How stale last_used_at may get: a till sending a request a second must not cost a write a second. */
const LAST_USE_RESOLUTION_MS = 60_000;

@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger('ApiKeys');
  // Every till request authenticates: concurrent ones share one query (see CoalescingReader); nothing is cached, so
  // a revocation refuses the very next request.
  private readonly byPrefix: CoalescingReader<string, KeyRow | undefined>;

  constructor(
    private readonly txHost: TransactionHost,
    private readonly audit: AuditService,
  ) {
    this.byPrefix = new CoalescingReader(txHost, async (_group, prefixes) => {
      const rows: KeyRow[] = await this.txHost.tx.query(
        hot(`SELECT id, caisse_id, outlet_id, prefix, secret_hash, revoked_at, last_used_at FROM api_keys WHERE prefix = ANY($1::text[])`),
        [[...new Set(prefixes)]],
      );
      const found = new Map(rows.map((r) => [r.prefix, r]));
      return prefixes.map((p) => found.get(p));
    });
  }

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

  /** The terminals of one outlet (never their secrets), oldest first. */
  async listForOutlet(caisseId: string, outletId: string): Promise<ApiKeyDto[]> {
    const keys = await this.txHost.tx.getRepository(ApiKey).find({ where: { caisseId, outletId }, order: { createdAt: 'ASC' } });
    return keys.map(toDto);
  }

  /** Revokes at once; with outletId, a key of another outlet is "not found" rather than revoked. */
  @Transactional()
  async revoke(caisseId: string, keyId: string, outletId?: string): Promise<ApiKeyDto> {
    const repo = this.txHost.tx.getRepository(ApiKey);
    const key = await repo.findOne({ where: { id: keyId, caisseId, ...(outletId ? { outletId } : {}) }, lock: { mode: 'pessimistic_write' } });
    if (!key) throw new NotFound(outletId ? 'Terminal' : 'API key', keyId);
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
    const key = await this.byPrefix.load('', m[1]);
    if (!key || key.revoked_at) return undefined;
    const ok = timingSafeEqual(Buffer.from(sha256(m[2]), 'hex'), Buffer.from(key.secret_hash, 'hex'));
    if (!ok) return undefined;
    await this.touch(key);
    return { kind: 'terminal', keyId: key.id, caisseId: key.caisse_id, outletId: key.outlet_id };
  }

  /** Records the use when the stored one is over a minute old; the WHERE keeps concurrent requests to one write. */
  private async touch(key: KeyRow): Promise<void> {
    if (key.last_used_at && Date.now() - key.last_used_at.getTime() < LAST_USE_RESOLUTION_MS) return;
    try {
      await this.txHost.tx.query(
        `UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
        [key.id],
      );
    } catch (e) {
      // Bookkeeping of use must never lock a till out.
      this.logger.warn(`could not record the use of key ${key.prefix}: ${(e as Error).message}`);
    }
  }
}
