interface Pending<I, R> {
  item: I;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

export interface BatchingWriterOptions {
  /** Largest batch handed to one flush. */
  maxItems: number;
  /**
   * Flushes of one group allowed in flight at once (default 1). Two let the next batch do its reads while the previous
   * one commits; order between them is still kept by the row locks the flushes take.
   */
  concurrency?: number;
}

/**
 * Groups concurrent submissions into batches, the way a database groups commits: when nothing is being written,
 * an item goes at once (no added latency when the till is quiet); while a batch is being written, newcomers wait and
 * leave together as the next batch. `concurrency` flushes at a time per group (e.g. per caisse; one by default, since
 * a caisse's entries are numbered in one sequence anyway). Each item gets its own result; a flush that throws fails
 * only its own batch.
 */
export class BatchingWriter<I, R> {
  private readonly queues = new Map<string, Pending<I, R>[]>();
  private readonly running = new Map<string, number>();

  constructor(
    private readonly flush: (group: string, items: I[]) => Promise<R[]>,
    private readonly options: BatchingWriterOptions,
  ) {}

  submit(group: string, item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const queue = this.queues.get(group) ?? [];
      queue.push({ item, resolve, reject });
      this.queues.set(group, queue);
      if ((this.running.get(group) ?? 0) < (this.options.concurrency ?? 1)) void this.drain(group);
    });
  }

  /** Items waiting (not yet in a flush), for metrics and tests. */
  waiting(group: string): number {
    return this.queues.get(group)?.length ?? 0;
  }

  private async drain(group: string): Promise<void> {
    this.running.set(group, (this.running.get(group) ?? 0) + 1);
    try {
      for (;;) {
        const queue = this.queues.get(group);
        if (!queue?.length) break;
        const batch = queue.splice(0, this.options.maxItems);
        try {
          const results = await this.flush(group, batch.map((p) => p.item));
          if (results.length !== batch.length) throw new Error(`flush returned ${results.length} results for ${batch.length} items`);
          batch.forEach((p, i) => p.resolve(results[i]));
        } catch (e) {
          for (const p of batch) p.reject(e);
        }
      }
    } finally {
      const left = this.running.get(group)! - 1;
      if (left > 0) this.running.set(group, left);
      else {
        this.running.delete(group);
        if (!this.queues.get(group)?.length) this.queues.delete(group);
      }
    }
  }
}
