import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue, Process, Processor } from '@nestjs/bull';
import type { Queue } from 'bull';
import { OutletReviewService, type SweepResult } from './outlet-review.service.js';

export const OUTLETS_QUEUE = 'outlets';
export const DAILY_REVIEW = 'daily-review';

/** Every night, in France: renewals falling due, validities that ended, documents that lapsed. */
@Processor(OUTLETS_QUEUE)
export class OutletsProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger('OutletsReview');

  constructor(
    @InjectQueue(OUTLETS_QUEUE) private readonly queue: Queue,
    private readonly review: OutletReviewService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // A fixed jobId makes the repeatable job unique however many instances start.
    await this.queue.add(DAILY_REVIEW, {}, { repeat: { cron: '15 3 * * *', tz: 'Europe/Paris' }, jobId: DAILY_REVIEW, removeOnComplete: 30, removeOnFail: 30 });
  }

  @Process(DAILY_REVIEW)
  async dailyReview(): Promise<SweepResult> {
    const result = await this.review.sweep();
    this.logger.log(`daily review: ${result.renewalDue} renewal(s) due, ${result.expired} expired, ${result.evidenceFlagged} document(s) lapsed, ${result.failed} failed`);
    return result;
  }
}
