interface Pending<I, R> {
  item: I;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

export interface BatchingWriterOptions {
  /** Largest batch handed to one flush. */
  maxItems: number;
}

/**
 * Groups concurrent submissions into batches, the way a database groups commits: when nothing is being written,
 * an item goes at once (no added latency when the till is quiet); while a batch is being written, newcomers wait and
 * leave together as the next batch. One flush at a time per group (e.g. per caisse), since a caisse's entries are
 * numbered in one sequence anyway. Each item gets its own result; a flush that throws fails only its own batch.
 */
export class BatchingWriter<I, R> {
  private readonly queues = new Map<string, Pending<I, R>[]>();
  private readonly busy = new Set<string>();

  constructor(
    private readonly flush: (group: string, items: I[]) => Promise<R[]>,
    private readonly options: BatchingWriterOptions,
  ) {}

  submit(group: string, item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const queue = this.queues.get(group) ?? [];
      queue.push({ item, resolve, reject });
      this.queues.set(group, queue);
      if (!this.busy.has(group)) void this.drain(group);
    });
  }

  /** Items waiting (not yet in a flush), for metrics and tests. */
  waiting(group: string): number {
    return this.queues.get(group)?.length ?? 0;
  }

  private async drain(group: string): Promise<void> {
    this.busy.add(group);
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
      this.busy.delete(group);
      this.queues.delete(group);
    }
  }
}
