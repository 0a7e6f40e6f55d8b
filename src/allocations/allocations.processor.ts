import { Logger, OnModuleInit } from '@nestjs/common';
import { InjectQueue, Process, Processor } from '@nestjs/bull';
import type { Job, Queue } from 'bull';
import { CaissesService } from '../caisses/caisses.service.js';
import { todayInFrance } from '../common/dates.js';
import { DomainError } from '../common/errors/domain-error.js';
import { QueueSchedules, type SyncReason } from '../database/schedules.js';
import { TransactionHost } from '../database/transaction.js';
import { ALLOCATIONS_QUEUE, RUN_JOB, type RunJob, TICK_JOB } from './allocation-queue.js';
import { AllocationRunner } from './allocation-runner.service.js';
import { AllocationsService } from './allocations.service.js';

/** A running run that has not committed a chunk for this long lost its worker (crash, Redis flushed): re-enqueue it. */
const STALE_SECONDS = 120;

/**
 * The queue only drives runs whose state lives in Postgres. At start, whenever Redis comes back (or is found to have
 * lost its keys), and every five minutes, runs Postgres says are unfinished are enqueued again (their fixed job id
 * collapses duplicates); the same tick starts the month's run of each caisse whose rule sets autoRunDay, once that
 * day is reached. The tick itself is re-created by QueueSchedules when Redis lost it.
 */
@Processor(ALLOCATIONS_QUEUE)
export class AllocationsProcessor implements OnModuleInit {
  private readonly logger = new Logger('AllocationRuns');

  constructor(
    @InjectQueue(ALLOCATIONS_QUEUE) private readonly queue: Queue,
    private readonly runner: AllocationRunner,
    private readonly runs: AllocationsService,
    private readonly caisses: CaissesService,
    private readonly txHost: TransactionHost,
    private readonly schedules: QueueSchedules,
  ) {}

  onModuleInit(): void {
    this.schedules.register({
      queue: this.queue,
      repeatable: [{ name: TICK_JOB, cron: '*/5 * * * *', keep: 50 }],
      // Redis may have lost every waiting run job: re-enqueue all unfinished runs at once, not after STALE_SECONDS.
      reconcile: (reason: SyncReason) => (reason === 'check' ? Promise.resolve(0) : this.recover(0)),
    });
  }

  @Process({ name: RUN_JOB, concurrency: 1 })
  async run(job: Job<RunJob>): Promise<void> {
    try {
      await this.runner.process(job.data.runId);
    } catch (e) {
      // The run stays running in Postgres: the next tick (or start) resumes it from its last committed chunk.
      this.logger.error(`run ${job.data.runId} interrupted: ${(e as Error).message}`);
      throw e;
    }
  }

  @Process(TICK_JOB)
  async tick(): Promise<{ recovered: number; scheduled: number }> {
    return { recovered: await this.recover(STALE_SECONDS), scheduled: await this.schedule() };
  }

  /** Re-enqueues unfinished runs idle for at least `staleSeconds`. */
  async recover(staleSeconds: number): Promise<number> {
    const ids = await this.runs.unfinished(staleSeconds);
    for (const id of ids) await this.runs.enqueue(id);
    if (ids.length) this.logger.log(`re-enqueued ${ids.length} unfinished allocation run(s)`);
    return ids.length;
  }

  /** Starts the current month's run where the rule in force sets autoRunDay and the day has come; never twice. */
  async schedule(today = todayInFrance()): Promise<number> {
    const period = today.slice(0, 7);
    // Only the caisse ids, read-only: which caisses exist is not money state.
    const caisses: { id: string }[] = await this.txHost.tx.query(
      `SELECT c.id FROM caisses c WHERE NOT EXISTS (SELECT 1 FROM allocation_runs r WHERE r.caisse_id = c.id AND r.period = $1 AND r.kind = 'regular')`,
      [period],
    );
    let started = 0;
    for (const { id } of caisses) {
      try {
        const rules = await this.caisses.rulesInForce(id, `${period}-01`);
        const day = rules.allocation.autoRunDay;
        if (day === undefined || Number(today.slice(8, 10)) < day) continue;
        await this.runs.request(id, { period });
        started++;
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
      }
    }
    return started;
  }
}
