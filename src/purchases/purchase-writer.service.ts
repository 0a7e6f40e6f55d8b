import { Injectable } from '@nestjs/common';
import { BatchingWriter } from '../database/batching-writer.js';
import { PurchaseFlush } from './purchase-flush.service.js';
import type { PurchaseItem, PurchaseOutcome } from './purchase-record.js';

export type WriterMode = 'batching' | 'one-by-one';

/** PURCHASES_BATCHING=off writes each purchase in its own transaction (the reference path the same tests run against). */
export function writerMode(env: NodeJS.ProcessEnv = process.env): WriterMode {
  return env.PURCHASES_BATCHING === 'off' ? 'one-by-one' : 'batching';
}

/**
 * Where a checked purchase is written. With batching (default), concurrent purchases of a caisse leave together in
 * one transaction while the previous one commits (group commit, no added latency when the till is quiet); each still
 * gets its own outcome. One-by-one gives each purchase its own transaction through the very same flush code.
 */
@Injectable()
export class PurchaseWriter {
  readonly mode: WriterMode = writerMode();
  private readonly batcher: BatchingWriter<PurchaseItem, PurchaseOutcome>;

  constructor(private readonly flush: PurchaseFlush) {
    const maxItems = Number(process.env.PURCHASES_BATCH_MAX ?? 256);
    // Two batches in flight: the next one reads and locks while the previous one commits (its fsync is the longest wait).
    this.batcher = new BatchingWriter((caisseId, items) => this.flush.write(caisseId, items), { maxItems: maxItems > 0 ? maxItems : 256, concurrency: Number(process.env.PURCHASES_FLUSH_CONCURRENCY ?? 2) });
  }

  async write(item: PurchaseItem): Promise<PurchaseOutcome> {
    return this.mode === 'batching' ? this.batcher.submit(item.caisseId, item) : (await this.flush.write(item.caisseId, [item]))[0];
  }
}
