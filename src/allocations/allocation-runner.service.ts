import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction.js';
import { AllocationPlanner } from './allocation-planner.service.js';
import { AllocationPoster } from './allocation-poster.service.js';
import { AllocationRunOptions } from './allocation-queue.js';
import type { RunRow } from './allocation-run-row.js';

/**
 * A run that keeps crashing (not a refusal: a bug, a lost database) stops being retried after this many starts with no
 * chunk committed in between (each committed chunk resets the count).
 */
export const MAX_ATTEMPTS = 5;

/**
 * Drives one run from Postgres state: plan once, then post chunk after chunk until no line is left to do. Every
 * step reads where the run stands, so calling it again after a crash — or twice at once — continues, never redoes.
 */
@Injectable()
export class AllocationRunner {
  private readonly logger = new Logger('AllocationRuns');

  constructor(
    readonly txHost: TransactionHost,
    private readonly planner: AllocationPlanner,
    private readonly poster: AllocationPoster,
    private readonly options: AllocationRunOptions,
  ) {}

  async process(runId: string): Promise<void> {
    const started = await this.start(runId);
    if (!started) return;
    if (!started.planned_at && !(await this.planStep(runId))) return;
    // The plan sets the run's fund and rules, which the chunks' entries carry.
    const run = started.planned_at ? started : await this.read(runId);
    const size = this.options.chunkSize;
    let plan = await this.poster.prepare(run, run.posted_seq, size);
    for (let chunk = 1; ; chunk++) {
      // Chunk k commits on one connection while chunk k+1 is read and prepared (validated, hashed) beside it: the JS
      // work of the next chunk fills the time this one waits on PostgreSQL. Two transactions never share a connection.
      const after = plan.lines.length ? plan.lines[plan.lines.length - 1].seq : undefined;
      const [result, next] = await Promise.all([this.poster.commit(runId, plan, size), after === undefined ? undefined : this.poster.prepare(run, after, size)]);
      if (result.state !== 'more') {
        if (result.state === 'done') this.logger.log(`run ${runId} completed`);
        return;
      }
      await this.options.afterChunk(runId, chunk);
      // Another worker may have posted in between (the commit then re-read its chunk): prepare from where it ended.
      plan = next && result.lastSeq === after ? next : await this.poster.prepare(run, result.lastSeq, size);
    }
  }

  private async read(runId: string): Promise<RunRow> {
    const [run]: RunRow[] = await this.txHost.tx.query(`SELECT * FROM allocation_runs WHERE id = $1`, [runId]);
    return run;
  }

  /** queued/running → running (counting the attempt); undefined when there is nothing to do or too many crashes. */
  private async start(runId: string): Promise<RunRow | undefined> {
    return this.txHost.run(async () => {
      const rows: RunRow[] = await this.txHost.tx.query(
        `WITH u AS (
           UPDATE allocation_runs SET status = 'running', attempts = attempts + 1, started_at = coalesce(started_at, now()), updated_at = now()
            WHERE id = $1 AND status IN ('queued', 'running') RETURNING *)
         SELECT * FROM u`,
        [runId],
      );
      const run = rows[0];
      if (run && run.attempts > MAX_ATTEMPTS) {
        await this.fail(runId, 'TOO_MANY_ATTEMPTS', `The run stopped after ${MAX_ATTEMPTS} interrupted attempts; ask it again (POST) once the cause is fixed.`);
        return undefined;
      }
      return run;
    });
  }

  /** Plans in one transaction with the run locked; a refusal (no rules, no funds) fails the run with its reason. */
  private async planStep(runId: string): Promise<boolean> {
    try {
      return await this.txHost.run(async () => {
        const [run]: RunRow[] = await this.txHost.tx.query(`SELECT * FROM allocation_runs WHERE id = $1 FOR UPDATE`, [runId]);
        if (run.status !== 'running') return false;
        if (run.planned_at) return true;
        const ok = await this.planner.plan(run);
        if (ok && run.kind === 'dry-run') {
          await this.txHost.tx.query(`UPDATE allocation_runs SET status = 'completed', finished_at = now(), updated_at = now() WHERE id = $1`, [runId]);
          return false;
        }
        return ok;
      });
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      await this.fail(runId, e.code, e.message);
      return false;
    }
  }

  async fail(runId: string, code: string, message: string): Promise<void> {
    await this.txHost.tx.query(
      `UPDATE allocation_runs SET status = 'failed', finished_at = now(), updated_at = now(), errors = errors || $2::jsonb WHERE id = $1`,
      [runId, JSON.stringify([{ code, message }])],
    );
  }
}
