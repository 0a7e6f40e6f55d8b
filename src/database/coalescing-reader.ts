import { BatchingWriter } from './batching-writer.js';
import type { TransactionHost } from './transaction.js';

/**
 * Reads many keys with one query. Outside a transaction, concurrent loads of a group are grouped the way the batching
 * writer groups writes: a lone load goes at once, loads arriving while one is in flight leave together in the next
 * query. Nothing is cached: every load reads the database after it was asked, so a change committed before a request
 * is seen by it. Inside a transaction a load runs alone, in that transaction (it may depend on the caller's locks).
 */
export class CoalescingReader<K, V> {
  private readonly batcher: BatchingWriter<K, V>;

  constructor(
    private readonly txHost: TransactionHost,
    private readonly loadMany: (group: string, keys: K[]) => Promise<V[]>,
    maxItems = 512,
  ) {
    this.batcher = new BatchingWriter(loadMany, { maxItems });
  }

  async load(group: string, key: K): Promise<V> {
    if (this.txHost.active) return (await this.loadMany(group, [key]))[0];
    return this.batcher.submit(group, key);
  }
}
