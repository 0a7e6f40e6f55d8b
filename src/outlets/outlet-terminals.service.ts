import { Inject, Injectable } from '@nestjs/common';
import { AuthService } from '../auth/auth.service.js';
import type { ApiKeyDto } from '../auth/dto/api-key.dto.js';
import { TERMINAL_KEYS, type TerminalKeys } from '../auth/terminal-keys.types.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import type { CreatedTerminalDto, TerminalDto } from './dto/terminal.dto.js';
import { OutletNotFound } from './outlets.errors.js';

function toDto(k: ApiKeyDto): TerminalDto {
  return { id: k.id, label: k.label, prefix: k.prefix, createdAt: k.createdAt, revokedAt: k.revokedAt, lastUsedAt: k.lastUsedAt };
}

/** Till keys of an outlet, issued and revoked through the auth module (which alone stores keys and hashes). */
@Injectable()
export class OutletTerminalsService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly auth: AuthService,
    @Inject(TERMINAL_KEYS) private readonly keys: TerminalKeys,
  ) {}

  @Transactional()
  async create(caisseId: string, outletId: string, label: string): Promise<CreatedTerminalDto> {
    await this.assertOutlet(caisseId, outletId);
    const created = await this.auth.createTerminalKey(caisseId, label.trim(), outletId);
    return { ...toDto(created), apiKey: created.key };
  }

  async list(caisseId: string, outletId: string): Promise<TerminalDto[]> {
    await this.assertOutlet(caisseId, outletId);
    return (await this.keys.listForOutlet(caisseId, outletId)).map(toDto);
  }

  revoke(caisseId: string, outletId: string, terminalId: string): Promise<TerminalDto> {
    return this.keys.revoke(caisseId, terminalId, outletId).then(toDto);
  }

  private async assertOutlet(caisseId: string, outletId: string): Promise<void> {
    const rows: unknown[] = await this.txHost.tx.query(`SELECT 1 FROM outlets WHERE id = $1 AND caisse_id = $2`, [outletId, caisseId]);
    if (rows.length === 0) throw new OutletNotFound(outletId);
  }
}
