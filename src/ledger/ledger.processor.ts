import { Logger, OnModuleInit } from '@nestjs/common';
import { InjectQueue, Process, Processor } from '@nestjs/bull';
import type { Queue } from 'bull';
import { QueueSchedules } from '../database/schedules.js';
import { TransactionHost } from '../database/transaction.js';
import { IntegrityService } from './integrity.service.js';

export const LEDGER_QUEUE = 'ledger';
const SEAL_ALL = 'seal-all';

/** Hourly seals of every caisse's new entries (and on demand through the API). */
@Processor(LEDGER_QUEUE)
export class LedgerProcessor implements OnModuleInit {
  private readonly logger = new Logger('LedgerSeals');

  constructor(
    @InjectQueue(LEDGER_QUEUE) private readonly queue: Queue,
    private readonly integrity: IntegrityService,
    private readonly txHost: TransactionHost,
    private readonly schedules: QueueSchedules,
  ) {}

  onModuleInit(): void {
    // Put in place at start and again whenever Redis comes back empty; the fixed jobId keeps it unique across instances.
    this.schedules.register({ queue: this.queue, repeatable: [{ name: SEAL_ALL, cron: '0 * * * *', keep: 50 }] });
  }

  @Process(SEAL_ALL)
  async sealAll(): Promise<{ sealed: number }> {
    const books: { caisse_id: string }[] = await this.txHost.tx.query(`SELECT caisse_id FROM ledger_books ORDER BY caisse_id`);
    let sealed = 0;
    for (const { caisse_id } of books) {
      const seal = await this.integrity.seal(caisse_id);
      if (seal) {
        sealed++;
        this.logger.log(`caisse ${caisse_id}: seal ${seal.seq} over entries ${seal.fromEntryNo}–${seal.toEntryNo}`);
      }
    }
    return { sealed };
  }
}
