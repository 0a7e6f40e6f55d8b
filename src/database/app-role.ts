import Bull from 'bull';
import type { AdvancedSettings } from 'bull';
import type { AppRole } from '../config/index.js';

/** A queue built with this setting takes no job: `process()` records the handler name and consumes nothing. */
const NO_CONSUMERS = 'caisseNoConsumers';

/** What @nestjs/bull's processors asked for in a process that consumes nothing (api role), for health and logs. */
interface QueueWithRole {
  settings?: Record<string, unknown>;
  skippedHandlers?: string[];
}

const originalProcess = Bull.prototype.process;
let installed = false;

/**
 * @nestjs/bull starts a queue's consumers (queue.process) for every @Processor class it discovers, in every process.
 * The processors also register schedules and recovery with QueueSchedules, which API processes must keep doing, so
 * the classes stay; only the consuming is switched off, per queue instance, by a setting given when the queue is built.
 * A prototype wrapper is the one place bull offers before the explorer calls process(); it changes nothing for queues
 * built without the setting (every queue of role `all` or `worker`, and other apps in the same process).
 */
function install(): void {
  if (installed) return;
  installed = true;
  Bull.prototype.process = function (this: Bull.Queue & QueueWithRole, ...args: unknown[]) {
    if (this.settings?.[NO_CONSUMERS] === true) {
      (this.skippedHandlers ??= []).push(typeof args[0] === 'string' ? args[0] : '*');
      return Promise.resolve();
    }
    return (originalProcess as (...a: unknown[]) => Promise<void>).apply(this, args);
  } as typeof Bull.prototype.process;
}

/** bull's settings for this process's queues: lock and stalled-job timings, and no consumer for the api role. */
export function queueSettings(role: AppRole, lockSeconds: number): AdvancedSettings {
  const settings: AdvancedSettings & Record<string, unknown> = {
    lockDuration: lockSeconds * 1000,
    // Only jobs whose lock has expired are moved back, so looking twice per lock period costs one script call and
    // hands a dead worker's job over within 1.5 lock periods.
    stalledInterval: Math.max(1000, (lockSeconds * 1000) / 2),
    // Every job only drives state kept in PostgreSQL (allocation runs count their own attempts and stop after 5), so a
    // job whose worker died is always safe to hand to another, more than once.
    maxStalledCount: 10,
  };
  if (role === 'api') {
    install();
    settings[NO_CONSUMERS] = true;
  }
  return settings;
}

/** Whether this queue consumes jobs in this process. */
export function consumes(queue: Bull.Queue): boolean {
  return (queue as Bull.Queue & QueueWithRole).settings?.[NO_CONSUMERS] !== true;
}
