import { BatchingWriter } from './batching-writer.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('BatchingWriter', () => {
  it('writes a lone item at once, then groups the items that arrive while a batch is being written', async () => {
    const batches: number[][] = [];
    const writer = new BatchingWriter<number, number>(async (_g, items) => {
      batches.push(items);
      await tick();
      return items.map((i) => i * 10);
    }, { maxItems: 100 });
    const first = writer.submit('c1', 1);
    await Promise.resolve();
    const rest = [2, 3, 4].map((i) => writer.submit('c1', i));
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('caps batches at maxItems and keeps submission order', async () => {
    const batches: number[][] = [];
    const writer = new BatchingWriter<number, number>(async (_g, items) => {
      batches.push(items);
      await tick();
      return items;
    }, { maxItems: 3 });
    const all = Array.from({ length: 8 }, (_, i) => writer.submit('c', i));
    expect(await Promise.all(all)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(batches).toEqual([[0], [1, 2, 3], [4, 5, 6], [7]]);
  });

  it('flushes groups independently and in parallel', async () => {
    const inFlight: string[] = [];
    let overlap = false;
    const writer = new BatchingWriter<string, string>(async (group, items) => {
      inFlight.push(group);
      if (new Set(inFlight).size > 1) overlap = true;
      await tick();
      inFlight.splice(inFlight.indexOf(group), 1);
      return items;
    }, { maxItems: 10 });
    await Promise.all([writer.submit('a', 'x'), writer.submit('b', 'y')]);
    expect(overlap).toBe(true);
  });

  it('fails only the batch whose flush threw, and keeps serving afterwards', async () => {
    let calls = 0;
    const writer = new BatchingWriter<number, number>(async (_g, items) => {
      calls++;
      await tick();
      if (calls === 2) throw new Error('database went away');
      return items;
    }, { maxItems: 10 });
    const a = writer.submit('c', 1);
    await Promise.resolve();
    const b = [writer.submit('c', 2), writer.submit('c', 3)];
    await expect(a).resolves.toBe(1);
    await expect(Promise.all(b)).rejects.toThrow('database went away');
    await expect(writer.submit('c', 4)).resolves.toBe(4);
    expect(writer.waiting('c')).toBe(0);
  });

  it('rejects every item when a flush returns the wrong number of results', async () => {
    const writer = new BatchingWriter<number, number>(async () => [], { maxItems: 10 });
    await expect(writer.submit('c', 1)).rejects.toThrow(/0 results for 1 items/);
  });

  it('with concurrency 2 keeps two batches of a group in flight, and groups the rest behind them', async () => {
    const batches: number[][] = [];
    let inFlight = 0;
    let most = 0;
    const writer = new BatchingWriter<number, number>(async (_g, items) => {
      batches.push(items);
      most = Math.max(most, ++inFlight);
      await tick();
      inFlight--;
      return items;
    }, { maxItems: 100, concurrency: 2 });
    const first = writer.submit('c', 1);
    await Promise.resolve();
    const second = writer.submit('c', 2);
    await Promise.resolve();
    const rest = [3, 4, 5].map((i) => writer.submit('c', i));
    expect(await Promise.all([first, second, ...rest])).toEqual([1, 2, 3, 4, 5]);
    expect(most).toBe(2);
    expect(batches).toEqual([[1], [2], [3, 4, 5]]);
    expect(writer.waiting('c')).toBe(0);
  });
});
