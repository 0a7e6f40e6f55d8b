import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { todayInFrance } from '../../src/common/dates.js';
import { formatMoney, money } from '../../src/common/money/money.js';
import { BatchingWriter } from '../../src/database/batching-writer.js';
import { PurchaseFlush } from '../../src/purchases/purchase-flush.service.js';
import type { PurchaseItem, PurchaseOutcome } from '../../src/purchases/purchase-record.js';
import { buyer, type Shop, shop } from '../support/purchase-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface Op {
  wallet: number;
  cents: number;
  allowPartial: boolean;
  /** Reuse the key (and body) of an earlier op: a replay, possibly racing its original in the same batch. */
  replayOf: number | null;
  delayMs: number;
}

type Seen = [string, string | null, string | null, string | null];

const op: fc.Arbitrary<Op> = fc.record({
  wallet: fc.nat(2),
  cents: fc.integer({ min: 1, max: 4000 }),
  allowPartial: fc.boolean(),
  replayOf: fc.option(fc.nat(), { freq: 4 }),
  delayMs: fc.nat(2),
});

/** The sequential reference: each purchase in submission order against the balances left by those before it. */
function model(balancesCents: number[], ops: Op[]): Seen[] {
  const bal = [...balancesCents];
  const byKey = new Map<number, Seen>();
  return ops.map((o, i) => {
    const root = o.replayOf === null ? i : o.replayOf % Math.max(i, 1);
    const prior = root !== i ? byKey.get(root) : undefined;
    if (prior && prior[0] === 'ok') return prior;
    const src = ops[root];
    const avail = bal[src.wallet];
    let seen: Seen;
    if (src.cents <= avail) seen = ['ok', c(src.cents), c((bal[src.wallet] -= src.cents)), null];
    else if (src.allowPartial && avail > 0) seen = ['ok', c(avail), c((bal[src.wallet] = 0)), null];
    else seen = ['refused', null, null, `INSUFFICIENT_BALANCE ${c(avail)}`];
    byKey.set(root, seen);
    return seen;
  });
}

const c = (cents: number) => formatMoney(money(cents).dividedBy(100));

function observe(o: PurchaseOutcome): Seen {
  if (o.ok) return ['ok', o.purchase.covered, o.purchase.balanceAfter, null];
  if ('retry' in o) return ['retry', null, null, null];
  return ['refused', null, null, `${o.error.code} ${String(o.error.extra.available)}`];
}

describe('purchase writer vs a sequential reference model (property, e2e)', () => {
  let t: TestApp;
  let s: Shop;
  let flush: PurchaseFlush;

  beforeAll(async () => {
    t = await createTestApp();
    s = await shop(t);
    flush = t.app.get(PurchaseFlush);
  });
  afterAll(async () => t?.close());

  async function wallets(balancesCents: number[]) {
    return Promise.all(balancesCents.map((b) => buyer(t, s, b ? c(b) : '0.00')));
  }

  function items(ops: Op[], members: Awaited<ReturnType<typeof wallets>>): PurchaseItem[] {
    const run = randomUUID();
    return ops.map((o, i) => {
      const root = o.replayOf === null ? i : o.replayOf % Math.max(i, 1);
      const src = ops[root];
      const m = members[src.wallet];
      const amount = money(src.cents).dividedBy(100);
      return {
        caisseId: s.caisseId, outletId: s.outlet.id, outletAccount: s.outlet.accountCode, outletName: s.outlet.name,
        memberId: m.id, walletAccount: m.walletAccount!, terminalKeyId: null, key: `prop-${run}-${root}`, hash: `h-${root}`,
        amount, covered: amount, allowPartial: src.allowPartial, capturedAt: null, date: todayInFrance(),
      };
    });
  }

  /** What PurchaseWriter does with a retry outcome: write again once the twin committed. */
  async function settle(write: (item: PurchaseItem) => Promise<PurchaseOutcome>, item: PurchaseItem): Promise<PurchaseOutcome> {
    for (;;) {
      const outcome = await write(item);
      if (!('retry' in outcome)) return outcome;
    }
  }

  it('batched with random batch sizes and arrival gaps, every outcome equals the one-by-one model', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 6000 }), { minLength: 3, maxLength: 3 }), fc.array(op, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 8 }), async (balances, ops, maxItems) => {
        const expected = model(balances, ops);
        const members = await wallets(balances);
        const writer = new BatchingWriter<PurchaseItem, PurchaseOutcome>((caisseId, batch) => flush.write(caisseId, batch), { maxItems });
        const pending: Promise<PurchaseOutcome>[] = [];
        for (const [i, item] of items(ops, members).entries()) {
          if (ops[i].delayMs) await new Promise((r) => setTimeout(r, ops[i].delayMs));
          pending.push(settle((x) => writer.submit(s.caisseId, x), item));
        }
        expect((await Promise.all(pending)).map(observe)).toEqual(expected);
      }),
      { numRuns: 15 },
    );
  });

  it('one purchase per transaction gives the same outcomes as the model', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 6000 }), { minLength: 3, maxLength: 3 }), fc.array(op, { minLength: 1, maxLength: 20 }), async (balances, ops) => {
        const members = await wallets(balances);
        const seen: Seen[] = [];
        for (const item of items(ops, members)) seen.push(observe(await settle(async (x) => (await flush.write(s.caisseId, [x]))[0], item)));
        expect(seen).toEqual(model(balances, ops));
      }),
      { numRuns: 8 },
    );
  });
});
