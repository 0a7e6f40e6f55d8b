import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import type { CreateEntryDto } from './dto/entry.dto.js';
import type { JournalCode } from './ledger.types.js';
import { PeriodsService, type ClosingView } from './periods.service.js';
import { type PostResult, PostingService } from './posting.service.js';
import { IntegrityService, type SealView } from './integrity.service.js';

/** What people do to the books by hand (treasurer corrections, reversals, closings), each audited with the change. */
@Injectable()
export class ManualEntriesService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly posting: PostingService,
    private readonly periods: PeriodsService,
    private readonly integrity: IntegrityService,
    private readonly audit: AuditService,
  ) {}

  @Transactional()
  async post(caisseId: string, dto: CreateEntryDto, key: string): Promise<PostResult> {
    const result = await this.posting.post({ caisseId, ...dto, journal: dto.journal as JournalCode, idempotencyKey: `manual:${key}` });
    if (!result.replayed) {
      await this.audit.record({ caisseId, action: 'ledger.entry-posted', targetType: 'journal-entry', targetId: result.entry.id, after: dto });
    }
    return result;
  }

  @Transactional()
  async reverse(caisseId: string, entryId: string, reason: string, date: string | undefined, key: string | undefined): Promise<PostResult> {
    const result = await this.posting.reverse(caisseId, entryId, reason, { date, idempotencyKey: key ? `manual:${key}` : undefined });
    if (!result.replayed) {
      await this.audit.record({ caisseId, action: 'ledger.entry-reversed', targetType: 'journal-entry', targetId: entryId, after: { reversal: result.entry.id, reason } });
    }
    return result;
  }

  @Transactional()
  async close(caisseId: string, period: string): Promise<ClosingView> {
    const closing = await this.periods.close(caisseId, period);
    await this.audit.record({ caisseId, action: 'ledger.period-closed', targetType: 'period', targetId: period, after: closing });
    return closing;
  }

  @Transactional()
  async seal(caisseId: string): Promise<SealView | undefined> {
    const seal = await this.integrity.seal(caisseId);
    if (seal) await this.audit.record({ caisseId, action: 'ledger.sealed', targetType: 'seal', targetId: String(seal.seq), after: seal });
    return seal;
  }
}
