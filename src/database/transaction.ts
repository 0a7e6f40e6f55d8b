import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

type Isolation = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

interface TxContext {
  dataSource: DataSource;
  manager: EntityManager;
  afterCommit: (() => void | Promise<void>)[];
}

const storage = new AsyncLocalStorage<TxContext>();
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

  async run<T>(work: () => Promise<T>, isolation: Isolation = 'READ COMMITTED'): Promise<T> {
    if (this.active) return work();
    const afterCommit: TxContext['afterCommit'] = [];
    const result = await this.dataSource.transaction(isolation, (manager) =>
      storage.run({ dataSource: this.dataSource, manager, afterCommit }, work),
    );
    for (const hook of afterCommit) {
      try {
        await hook();
      } catch (e) {
        // The transaction is committed; a failed follow-up (e.g. enqueueing a job) must not turn it into an error.
        logger.error(`after-commit hook failed: ${(e as Error).message}`);
      }
    }
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
