import { Logger, OnModuleInit } from '@nestjs/common';
import { InjectQueue, Process, Processor } from '@nestjs/bull';
import type { Queue } from 'bull';
import { QueueSchedules } from '../database/schedules.js';
import { OutletReviewService, type SweepResult } from './outlet-review.service.js';

export const OUTLETS_QUEUE = 'outlets';
export const DAILY_REVIEW = 'daily-review';

/** Every night, in France: renewals falling due, validities that ended, documents that lapsed. */
@Processor(OUTLETS_QUEUE)
export class OutletsProcessor implements OnModuleInit {
  private readonly logger = new Logger('OutletsReview');

  constructor(
    @InjectQueue(OUTLETS_QUEUE) private readonly queue: Queue,
    private readonly review: OutletReviewService,
    private readonly schedules: QueueSchedules,
  ) {}

  onModuleInit(): void {
    // Put in place at start and again whenever Redis comes back empty; the fixed jobId keeps it unique across instances.
    this.schedules.register({ queue: this.queue, repeatable: [{ name: DAILY_REVIEW, cron: '15 3 * * *', tz: 'Europe/Paris', keep: 30 }] });
  }

  @Process(DAILY_REVIEW)
  async dailyReview(): Promise<SweepResult> {
    const result = await this.review.sweep();
    this.logger.log(`daily review: ${result.renewalDue} renewal(s) due, ${result.expired} expired, ${result.evidenceFlagged} document(s) lapsed, ${result.failed} failed`);
    return result;
  }
}
