import { Logger, OnModuleInit } from '@nestjs/common';
import { InjectQueue, Process, Processor } from '@nestjs/bull';
import type { Job, Queue } from 'bull';
import { QueueSchedules } from '../database/schedules.js';
import { TransactionHost } from '../database/transaction.js';
import { DecisionCloseService } from './decision-close.service.js';
import { DecisionsService } from './decisions.service.js';
import { CLOSE_JOB, type DecisionJob, GOVERNANCE_QUEUE, OPEN_JOB } from './governance-queue.js';

/**
 * Delayed jobs enqueued once a decision is committed. Both are idempotent (freezing happens once, closing twice
 * returns the first result), so a retried or duplicated job is harmless; the HTTP routes do the same lazily.
 * Postgres is the source of truth: at start and whenever Redis comes back (or lost its keys), every decision not yet
 * closed gets its close job again (and its open job while its electorate is not frozen); fixed job ids make that a
 * no-op for the jobs Redis still holds.
 */
@Processor(GOVERNANCE_QUEUE)
export class GovernanceProcessor implements OnModuleInit {
  private readonly logger = new Logger('Governance');

  constructor(
    @InjectQueue(GOVERNANCE_QUEUE) private readonly queue: Queue,
    private readonly decisions: DecisionsService,
    private readonly closer: DecisionCloseService,
    private readonly schedules: QueueSchedules,
    private readonly txHost: TransactionHost,
  ) {}

  onModuleInit(): void {
    this.schedules.register({ queue: this.queue, reconcile: (reason) => (reason === 'check' ? Promise.resolve(0) : this.reschedule()) });
  }

  /** Re-creates the open/close jobs of every decision Postgres says is not closed; returns how many decisions. */
  async reschedule(): Promise<number> {
    // Only ids and times, read-only, across caisses: which decisions await their close is not a caisse's secret.
    const rows: { id: string; caisse_id: string; opens_at: Date; closes_at: Date; frozen_at: Date | null }[] = await this.txHost.tx.query(
      `SELECT id, caisse_id, opens_at, closes_at, frozen_at FROM decisions WHERE closed_at IS NULL ORDER BY closes_at`,
    );
    for (const d of rows) await this.decisions.schedule(d.caisse_id, d.id, d.frozen_at ? null : d.opens_at, d.closes_at);
    if (rows.length) this.logger.log(`re-scheduled the jobs of ${rows.length} open decision(s)`);
    return rows.length;
  }

  @Process(OPEN_JOB)
  async open(job: Job<DecisionJob>): Promise<void> {
    await this.decisions.get(job.data.caisseId, job.data.decisionId);
  }

  @Process(CLOSE_JOB)
  async close(job: Job<DecisionJob>): Promise<string | null> {
    const d = await this.closer.close(job.data.caisseId, job.data.decisionId);
    this.logger.log(`decision ${d.id} closed at its closing time: ${d.tally?.outcome}`);
    return d.tally?.outcome ?? null;
  }
}
