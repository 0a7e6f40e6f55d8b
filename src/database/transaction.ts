import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';

type Isolation = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

interface TxContext {
  dataSource: DataSource;
  manager: EntityManager;
  afterCommit: (() => void | Promise<void>)[];
}

const storage = new AsyncLocalStorage<TxContext>();
const MAX_ATTEMPTS = 8;
const BASE_BACKOFF_MS = 5;
const RETRY_CONSTRAINTS = /idempotency|^uq_journal_entries_reverses$|^idempotency_keys_pkey$/;

function isRetryable(e: unknown): boolean {
  if (!(e instanceof QueryFailedError)) return false;
  const { code, constraint } = e.driverError as { code?: string; constraint?: string };
  // A race on a unique key or a closing committed meanwhile: the retry re-reads and answers with a clean refusal or replay.
  return code === '40001' || code === '40P01' || code === 'P0002' || (code === '23505' && RETRY_CONSTRAINTS.test(constraint ?? ''));
}

async function runHooks(hooks: TxContext['afterCommit']): Promise<void> {
  for (const hook of hooks) {
    try {
      await hook();
    } catch (e) {
      // The transaction is committed; a failed follow-up (e.g. enqueueing a job) must not turn it into an error.
      logger.error(`after-commit hook failed: ${(e as Error).message}`);
    }
  }
}
const logger = new Logger('Transaction');

/**
 * One transaction per use case, carried by AsyncLocalStorage: services read `txHost.tx` and get the current
 * transaction's EntityManager (or the plain one outside a transaction). Nested use cases join the outer one.
 * (The nestjs-cls transactional plugin is CommonJS and cannot load NestJS 12's ES modules under Jest, hence this.)
 */
@Injectable()
export class TransactionHost {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  get tx(): EntityManager {
    const ctx = storage.getStore();
    return ctx && ctx.dataSource === this.dataSource ? ctx.manager : this.dataSource.manager;
  }

  get active(): boolean {
    return storage.getStore()?.dataSource === this.dataSource;
  }

  /**
   * Joins the current transaction, or opens one and retries the whole use case on serialization failures,
   * deadlocks and races on an idempotency key (a replay then finds the committed twin) with jittered backoff.
   */
  async run<T>(work: () => Promise<T>, isolation: Isolation = 'READ COMMITTED'): Promise<T> {
    if (this.active) return work();
    for (let attempt = 1; ; attempt++) {
      const afterCommit: TxContext['afterCommit'] = [];
      try {
        const body = (manager: EntityManager) => storage.run({ dataSource: this.dataSource, manager, afterCommit }, work);
        // READ COMMITTED is every connection's default (data-source.ts): no SET TRANSACTION round trip for it.
        const result = await (isolation === 'READ COMMITTED' ? this.dataSource.transaction(body) : this.dataSource.transaction(isolation, body));
        await runHooks(afterCommit);
        return result;
      } catch (e) {
        if (attempt >= MAX_ATTEMPTS || !isRetryable(e)) throw e;
        await new Promise((r) => setTimeout(r, Math.random() * BASE_BACKOFF_MS * 2 ** attempt));
      }
    }
  }


  /**
   * Runs `work` inside a transaction its caller opened on a query runner of its own (ReadReplica's read-only
   * snapshots): `tx` is that runner's manager, and a nested `run` joins it. Hooks run once `work` is done.
   */
  async within<T>(manager: EntityManager, work: () => Promise<T>): Promise<T> {
    const afterCommit: TxContext['afterCommit'] = [];
    const result = await storage.run({ dataSource: this.dataSource, manager, afterCommit }, work);
    await runHooks(afterCommit);
    return result;
  }

  /** Runs once the current transaction commits (right away outside one); skipped on rollback. */
  afterCommit(hook: () => void | Promise<void>): void {
    const ctx = storage.getStore();
    if (ctx && ctx.dataSource === this.dataSource) ctx.afterCommit.push(hook);
    else void Promise.resolve().then(hook);
  }
}

/** Wraps a service method in `this.txHost.run(...)`; the service must have a `txHost: TransactionHost` field. */
export function Transactional(isolation?: Isolation): MethodDecorator {
  return (_target, key, descriptor: PropertyDescriptor) => {
    const original = descriptor.value as (...args: unknown[]) => Promise<unknown>;
    descriptor.value = function (this: { txHost?: TransactionHost }, ...args: unknown[]) {
      if (!this.txHost) throw new Error(`@Transactional on ${String(key)} needs a txHost field`);
      return this.txHost.run(() => original.apply(this, args), isolation);
    };
    return descriptor;
  };
}
