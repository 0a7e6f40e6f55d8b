import { Injectable } from '@nestjs/common';
import type { Job, JobStatus as BullStatus, Queue } from 'bull';
import { Conflict, NotFound } from '../common/errors/domain-error.js';
import { QueueSchedules, type QueueState } from '../database/schedules.js';
import type { CleanQueueDto, JobDto, JobListDto, JobsQueryDto } from './dto/queue-dashboard.dto.js';

const STACK_LINES = 8;

/**
 * What the platform admin sees of bull's queues and may do with them. Jobs only drive state kept in PostgreSQL (an
 * allocation run, a decision's close), so retrying or cleaning a job never moves money by itself: a retried run
 * resumes where PostgreSQL says it stopped.
 */
@Injectable()
export class QueueDashboardService {
  constructor(private readonly schedules: QueueSchedules) {}

  overview(): Promise<QueueState[]> {
    return this.schedules.state();
  }

  async jobs(name: string, query: JobsQueryDto): Promise<JobListDto> {
    const queue = this.queue(name);
    const status = query.status ?? 'failed';
    const limit = query.limit ?? 50;
    const jobs = await queue.getJobs([status as BullStatus], 0, limit - 1, status !== 'completed' && status !== 'failed');
    return { queue: name, status, items: jobs.filter(Boolean).map(toJobDto) };
  }

  async retry(name: string, jobId: string): Promise<JobDto> {
    const job = await this.queue(name).getJob(jobId);
    if (!job) throw new NotFound('Job', jobId);
    if (!(await job.isFailed())) throw new Conflict('JOB_NOT_FAILED', `Job ${jobId} has not failed; only failed jobs are retried.`);
    await job.retry().catch((e: Error) => {
      // A worker still holds it (its lock has not expired yet): nothing to retry now.
      if (/locked|not failed/i.test(e.message)) throw new Conflict('JOB_NOT_FAILED', `Job ${jobId} cannot be retried now (${e.message}).`);
      throw e;
    });
    return toJobDto((await this.queue(name).getJob(jobId)) ?? job);
  }

  async clean(name: string, dto: CleanQueueDto): Promise<{ removed: number }> {
    const removed = await this.queue(name).clean((dto.graceSeconds ?? 3600) * 1000, dto.status);
    return { removed: removed.length };
  }

  private queue(name: string): Queue {
    const queue = this.schedules.queue(name);
    if (!queue) throw new NotFound('Queue', name);
    return queue;
  }
}

function toJobDto(job: Job): JobDto {
  const iso = (ms: number | undefined | null) => (ms ? new Date(ms).toISOString() : null);
  return {
    id: String(job.id),
    name: job.name,
    data: job.data,
    attemptsMade: job.attemptsMade,
    failedReason: job.failedReason ?? null,
    stacktrace: (job.stacktrace ?? []).slice(-1).flatMap((s) => String(s).split('\n').slice(0, STACK_LINES)),
    createdAt: iso(job.timestamp),
    processedAt: iso(job.processedOn),
    finishedAt: iso(job.finishedOn),
  };
}
