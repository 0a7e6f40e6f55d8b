import { CoalescingReader } from './coalescing-reader.js';
import type { TransactionHost } from './transaction.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

function reader(active: { value: boolean }) {
  const queries: string[][] = [];
  const host = { get active() { return active.value; } } as unknown as TransactionHost;
  const r = new CoalescingReader<string, string | undefined>(host, async (group, keys) => {
    queries.push([group, ...keys]);
    await tick();
    return keys.map((k) => (k.startsWith('x') ? undefined : `${group}:${k}`));
  });
  return { r, queries };
}

describe('CoalescingReader', () => {
  it('reads a lone key at once, then the keys asked meanwhile in one query, each getting its own answer', async () => {
    const { r, queries } = reader({ value: false });
    const first = r.load('c1', 'a');
    await Promise.resolve();
    const rest = ['b', 'x1', 'b'].map((k) => r.load('c1', k));
    expect(await Promise.all([first, ...rest])).toEqual(['c1:a', 'c1:b', undefined, 'c1:b']);
    expect(queries).toEqual([['c1', 'a'], ['c1', 'b', 'x1', 'b']]);
  });

  it('keeps groups apart', async () => {
    const { r, queries } = reader({ value: false });
    expect(await Promise.all([r.load('c1', 'a'), r.load('c2', 'a')])).toEqual(['c1:a', 'c2:a']);
    expect(queries).toEqual([['c1', 'a'], ['c2', 'a']]);
  });

  it('inside a transaction reads alone, in that transaction, never merged with other requests', async () => {
    const active = { value: false };
    const { r, queries } = reader(active);
    const outside = r.load('c1', 'a');
    active.value = true;
    const inside = [r.load('c1', 'b'), r.load('c1', 'c')];
    expect(await Promise.all([outside, ...inside])).toEqual(['c1:a', 'c1:b', 'c1:c']);
    expect(queries).toEqual([['c1', 'a'], ['c1', 'b'], ['c1', 'c']]);
  });
});
