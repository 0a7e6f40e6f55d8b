import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Job, JobOptions, Queue } from 'bull';
import { DomainError } from '../common/errors/domain-error.js';
import type { RedisConfig } from '../config/index.js';

/** A repeatable job of a queue; `jobId` defaults to the name, which keeps the repeat key of earlier deployments. */
export interface RepeatableSchedule {
  name: string;
  cron: string;
  tz?: string;
  jobId?: string;
  /** Finished jobs kept for inspection (removeOnComplete / removeOnFail). */
  keep?: number;
}

/**
 * Why a queue is being brought back in line: the app starts, its Redis connection came back, the periodic check found
 * Redis had lost the queue's keys (restart without persistence, FLUSHALL), or the periodic check found all in place.
 */
export type SyncReason = 'start' | 'reconnect' | 'repair' | 'check';

export interface QueueRegistration {
  queue: Queue;
  repeatable?: RepeatableSchedule[];
  /**
   * Re-creates, idempotently (fixed job ids), the jobs whose truth lives in PostgreSQL: unfinished allocation runs,
   * open decisions' closes. Called after the repeatable jobs are in place, with the reason.
   */
  reconcile?: (reason: SyncReason) => Promise<unknown>;
}

export interface ScheduleState {
  name: string;
  cron: string;
  tz: string | null;
  present: boolean;
}

export interface QueueState {
  name: string;
  /** The queue's Redis connection is up (ioredis status `ready`): jobs can be added. */
  ready: boolean;
  connection: string;
  counts: Record<string, number> | null;
  schedules: ScheduleState[];
  lastSyncAt: string | null;
  error: string | null;
  /** Ids of the jobs this process is running now (none in an APP_ROLE=api process). */
  processing: string[];
}

/** Refusal of a request that needs the job queue while Redis is unreachable; nothing was queued. */
export class QueueUnavailable extends DomainError {
  constructor(queue: string, retryAfterSeconds = 5) {
    super('QUEUE_UNAVAILABLE', 503, `The job queue (${queue}) cannot be reached right now (Redis is down or restarting); nothing was queued. Retry in a moment.`, {
      retryAfterSeconds,
    });
  }
}

/** How long an enqueue from a request may take before the request is refused with QUEUE_UNAVAILABLE. */
export const ENQUEUE_TIMEOUT_MS = 3000;
/** Bound of one synchronisation of a queue (repeatable jobs + reconcile), so a hung Redis never blocks the next one. */
const SYNC_TIMEOUT_MS = 30_000;
/** How long start waits for the queues' first synchronisation before going on without it (Redis down: background). */
const START_WAIT_MS = 3000;
const PROBE_TIMEOUT_MS = 2000;

interface Entry extends QueueRegistration {
  name: string;
  processing: Set<string>;
  synced: boolean;
  running?: Promise<void>;
  pending?: SyncReason;
  lastSyncAt: Date | null;
  error: string | null;
}

function within<T>(ms: number, work: Promise<T>, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(onTimeout()), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const RANK: Record<SyncReason, number> = { check: 0, start: 1, reconnect: 2, repair: 3 };

/**
 * The one place that keeps bull's schedules alive across Redis restarts. Each module registers its queue, its
 * repeatable jobs and a reconcile callback at init; this service then (1) puts them in place at start without
 * blocking it when Redis is down, (2) again whenever the queue's Redis connection becomes ready after a drop, and
 * (3) every QUEUE_CHECK_SECONDS checks a marker key and the repeatable job keys, re-creating them when Redis lost
 * them without the connection dropping (FLUSHALL). PostgreSQL stays the source of truth; Redis only drives.
 *
 * It also guards request-time enqueues (`add`): refused at once when the connection is not ready, and after
 * ENQUEUE_TIMEOUT_MS at worst, with a 503 QUEUE_UNAVAILABLE instead of a hang.
 */
@Injectable()
export class QueueSchedules implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('QueueSchedules');
  private readonly entries = new Map<string, Entry>();
  private readonly checkMs: number;
  private timer?: NodeJS.Timeout;
  private started = false;
  private stopped = false;

  constructor(config: ConfigService) {
    this.checkMs = config.getOrThrow<RedisConfig>('redis').checkSeconds * 1000;
  }

  register(registration: QueueRegistration): void {
    const name = registration.queue.name;
    if (this.entries.has(name)) throw new Error(`queue ${name} registered twice with QueueSchedules`);
    const entry: Entry = { ...registration, name, processing: new Set(), synced: false, lastSyncAt: null, error: null };
    // Local events: emitted only by the process that runs the job, so this says what *this* process is doing.
    const queue = registration.queue;
    queue.on('active', (job: Job) => entry.processing.add(String(job.id)));
    for (const event of ['completed', 'failed', 'stalled', 'removed'] as const) queue.on(event, (job: Job) => entry.processing.delete(String(job?.id)));
    this.entries.set(name, entry);
    if (this.started) this.attach(entry);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.started = true;
    for (const entry of this.entries.values()) this.attach(entry);
    this.timer = setInterval(() => void this.checkAll(), this.checkMs);
    this.timer.unref();
    // Normally Redis answers at once and the schedules are in place when the app starts listening; when it does not,
    // the app starts anyway and the 'ready' listener (or the periodic check) finishes the job.
    const first = Promise.all([...this.entries.values()].map((e) => this.whenReady(e.queue, START_WAIT_MS).then((ok) => (ok ? e.running : undefined))));
    await Promise.race([first, new Promise((r) => setTimeout(r, START_WAIT_MS).unref())]);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /** The registered queues by name (the operators' queue dashboard reads and acts on them). */
  queue(name: string): Queue | undefined {
    return this.entries.get(name)?.queue;
  }

  names(): string[] {
    return [...this.entries.keys()].sort();
  }

  /** True while the queue's Redis connection is up. */
  usable(queue: Queue): boolean {
    return queue.client.status === 'ready';
  }

  /** Refuses at once (503 QUEUE_UNAVAILABLE) when the queue cannot take a job; call it before writing anything. */
  assertUsable(queue: Queue): void {
    if (!this.usable(queue)) throw new QueueUnavailable(queue.name);
  }

  /** queue.add that never hangs: refused when the connection is down, and after ENQUEUE_TIMEOUT_MS at worst. */
  async add<T>(queue: Queue<T>, name: string, data: T, opts: JobOptions): Promise<Job<T>> {
    this.assertUsable(queue as Queue);
    return within(ENQUEUE_TIMEOUT_MS, queue.add(name, data, opts), () => new QueueUnavailable(queue.name));
  }

  /** Brings one queue (or all) back in line now; resolves when done. Used by the periodic check and by tests. */
  async sync(reason: SyncReason = 'check', name?: string): Promise<void> {
    const targets = [...this.entries.values()].filter((e) => !name || e.name === name);
    await Promise.all(targets.map((e) => this.syncEntry(e, reason)));
  }

  /** Per queue: connection, job counts, and whether each repeatable schedule is in Redis. Never throws nor hangs. */
  async state(): Promise<QueueState[]> {
    return Promise.all(
      [...this.entries.values()].map(async (e) => {
        const base = { name: e.name, connection: e.queue.client.status, lastSyncAt: e.lastSyncAt?.toISOString() ?? null, processing: [...e.processing] };
        const expected = (present: Set<string> | null) =>
          (e.repeatable ?? []).map((s) => ({ name: s.name, cron: s.cron, tz: s.tz ?? null, present: present?.has(this.scheduleKey(s.name, s.cron, s.tz)) ?? false }));
        if (!this.usable(e.queue)) return { ...base, ready: false, counts: null, schedules: expected(null), error: e.error ?? 'not connected to Redis' };
        try {
          const [counts, present] = await within(
            PROBE_TIMEOUT_MS,
            Promise.all([e.queue.getJobCounts() as unknown as Promise<Record<string, number>>, this.presentSchedules(e.queue)]),
            () => new Error('timed out'),
          );
          return { ...base, ready: true, counts, schedules: expected(present), error: e.error };
        } catch (err) {
          return { ...base, ready: false, counts: null, schedules: expected(null), error: (err as Error).message };
        }
      }),
    );
  }

  private attach(entry: Entry): void {
    const client = entry.queue.client;
    // With enableReadyCheck off (bull's default) ioredis emits 'ready' on every (re)connection.
    client.on('ready', () => void this.syncEntry(entry, entry.synced ? 'reconnect' : 'start'));
    if (client.status === 'ready') void this.syncEntry(entry, 'start');
  }

  private async checkAll(): Promise<void> {
    await Promise.all([...this.entries.values()].map((e) => this.syncEntry(e, 'check')));
  }

  private async whenReady(queue: Queue, ms: number): Promise<boolean> {
    if (this.usable(queue)) return true;
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        queue.client.off('ready', onReady);
        resolve(ok);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), ms);
      timer.unref();
      queue.client.on('ready', onReady);
    });
  }

  /** One synchronisation at a time per queue; a request arriving meanwhile runs once after it, with the stronger reason. */
  private syncEntry(entry: Entry, reason: SyncReason): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (entry.running) {
      if (!entry.pending || RANK[reason] > RANK[entry.pending]) entry.pending = reason;
      return entry.running;
    }
    const run = this.runSync(entry, reason);
    entry.running = run;
    // Cleared only after the assignment above (a sync that fails at once must not leave `running` set for good).
    return run.finally(() => {
      entry.running = undefined;
      const next = entry.pending;
      entry.pending = undefined;
      if (next && !this.stopped) void this.syncEntry(entry, next);
    });
  }

  private async runSync(entry: Entry, reason: SyncReason): Promise<void> {
    try {
      if (!this.usable(entry.queue)) throw new Error('not connected to Redis');
      await within(SYNC_TIMEOUT_MS, this.doSync(entry, reason), () => new Error(`synchronisation timed out after ${SYNC_TIMEOUT_MS} ms`));
      entry.synced = true;
      entry.lastSyncAt = new Date();
      entry.error = null;
    } catch (e) {
      entry.error = (e as Error).message;
      if (reason !== 'check' || entry.synced) this.logger.warn(`queue ${entry.name}: schedules not in place (${reason}): ${entry.error}`);
    }
  }

  private async doSync(entry: Entry, reason: SyncReason): Promise<void> {
    const queue = entry.queue;
    const marker = queue.toKey('schedules-synced');
    const schedules = entry.repeatable ?? [];
    const present = await this.presentSchedules(queue);
    const missing = schedules.filter((s) => !present.has(this.scheduleKey(s.name, s.cron, s.tz)));
    // The marker is written after each synchronisation: its absence means Redis lost this queue's keys.
    const lost = reason === 'check' && (missing.length > 0 || (await queue.client.exists(marker)) === 0);
    const why: SyncReason = lost ? 'repair' : reason;
    if (why === 'check') return;
    for (const s of why === 'start' || why === 'reconnect' ? schedules : missing) {
      // Adding a repeatable job again is idempotent: same repeat key, same next-run job id.
      await queue.add(s.name, {}, { repeat: { cron: s.cron, ...(s.tz ? { tz: s.tz } : {}) }, jobId: s.jobId ?? s.name, removeOnComplete: s.keep ?? 50, removeOnFail: s.keep ?? 50 });
    }
    if (entry.reconcile) await entry.reconcile(why);
    await queue.client.set(marker, new Date().toISOString());
    if (why !== 'start') this.logger.log(`queue ${entry.name}: schedules restored (${why}${missing.length ? `, ${missing.length} repeatable job(s) were missing` : ''})`);
  }

  private async presentSchedules(queue: Queue): Promise<Set<string>> {
    const jobs = await queue.getRepeatableJobs();
    return new Set(jobs.map((j) => this.scheduleKey(j.name, j.cron, j.tz ?? undefined)));
  }

  private scheduleKey(name: string, cron: string, tz: string | undefined | null): string {
    return `${name}\u0000${cron}\u0000${tz ?? ''}`;
  }
}
