import { Injectable } from '@nestjs/common';

export const ALLOCATIONS_QUEUE = 'allocations';
export const RUN_JOB = 'run';
export const TICK_JOB = 'tick';

export interface RunJob {
  runId: string;
}

/** One job id per run, so a duplicate enqueue (recovery, a second request) collapses onto the waiting job. */
export const runJobId = (runId: string) => `alloc-run-${runId}`;

/**
 * Knobs of the run loop. `afterChunk` is where tests simulate a worker dying between two committed chunks; the
 * default does nothing. chunkSize: members posted per ledger batch (ALLOCATION_CHUNK_SIZE, default 5000).
 */
@Injectable()
export class AllocationRunOptions {
  chunkSize = Math.max(1, Math.floor(Number(process.env.ALLOCATION_CHUNK_SIZE ?? 5000)) || 5000);
  afterChunk: (runId: string, chunk: number) => void | Promise<void> = () => undefined;
}
