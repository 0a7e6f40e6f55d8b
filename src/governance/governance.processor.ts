import { Logger } from '@nestjs/common';
import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { DecisionCloseService } from './decision-close.service.js';
import { DecisionsService } from './decisions.service.js';
import { CLOSE_JOB, type DecisionJob, GOVERNANCE_QUEUE, OPEN_JOB } from './governance-queue.js';

/**
 * Delayed jobs enqueued once a decision is committed. Both are idempotent (freezing happens once, closing twice
 * returns the first result), so a retried or duplicated job is harmless; the HTTP routes do the same lazily.
 */
@Processor(GOVERNANCE_QUEUE)
export class GovernanceProcessor {
  private readonly logger = new Logger('Governance');

  constructor(
    private readonly decisions: DecisionsService,
    private readonly closer: DecisionCloseService,
  ) {}

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
