import fc from 'fast-check';
import { formatMoney, money } from '../../src/common/money/money.js';
import { DomainError } from '../../src/common/errors/domain-error.js';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import { bareCaisse, key, wallets } from '../support/ledger-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Op =
  | { kind: 'allocate'; wallet: number; cents: number }
  | { kind: 'spend'; wallet: number; cents: number }
  | { kind: 'payout'; cents: number }
  | { kind: 'reverse'; pick: number }
  | { kind: 'replay'; pick: number };

const cents = fc.integer({ min: 1, max: 20_000 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('allocate' as const), wallet: fc.nat(3), cents }),
  fc.record({ kind: fc.constant('spend' as const), wallet: fc.nat(3), cents }),
  fc.record({ kind: fc.constant('payout' as const), cents }),
  fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('replay' as const), pick: fc.nat() }),
);

/**
 * Random sequences of postings and reversals, run in concurrent waves against the real ledger: whatever happens,
 * debits equal credits, maintained balances equal the lines, no wallet is overdrawn, replays change nothing.
 */
describe('ledger properties', () => {
  let t: TestApp;
  let ledger: LedgerService;
  beforeAll(async () => {
    t = await createTestApp();
    ledger = t.app.get(LedgerService);
  });
  afterAll(async () => t?.close());

  it('keeps every invariant under random concurrent postings and reversals', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(op, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 5 }), async (waves) => {
        const caisseId = await bareCaisse(t);
        const ws = await wallets(t, caisseId, 4);
        const shop = (await wallets(t, caisseId, 1))[0];
        const posted: { id: string; key: string; lines: { account: string; debit?: string; credit?: string }[] }[] = [];
        const amount = (c: number) => formatMoney(money(c).dividedBy(100));
        const run = async (o: Op) => {
          const base = { caisseId, date: '2026-11-10', label: o.kind, pieceRef: 'PROP' };
          let lines: { account: string; debit?: string; credit?: string }[];
          if (o.kind === 'allocate') lines = [{ account: '6571', debit: amount(o.cents) }, { account: ws[o.wallet], credit: amount(o.cents) }];
          else if (o.kind === 'spend') lines = [{ account: ws[o.wallet], debit: amount(o.cents) }, { account: shop, credit: amount(o.cents) }];
          else if (o.kind === 'payout') lines = [{ account: '512', debit: amount(o.cents) }, { account: '7551', credit: amount(o.cents) }];
          else if (o.kind === 'reverse') {
            if (!posted.length) return;
            await ledger.reverse(caisseId, posted[o.pick % posted.length].id, 'property');
            return;
          } else {
            if (!posted.length) return;
            const p = posted[o.pick % posted.length];
            const again = await ledger.post({ ...base, journal: 'OD', label: 'x', idempotencyKey: p.key, lines: p.lines }).catch((e) => e);
            // A replay returns the same entry, or is refused if the key was used for other content: never a new entry.
            if (!(again instanceof DomainError)) expect(again.entry.id).toBe(p.id);
            return;
          }
          const k = key();
          const { entry } = await ledger.post({ ...base, journal: 'OD', label: 'x', idempotencyKey: k, lines });
          posted.push({ id: entry.id, key: k, lines });
        };
        for (const wave of waves) {
          const results = await Promise.allSettled(wave.map(run));
          for (const r of results) {
            // Refusals (overdraft, double reversal) are expected; anything else is a bug.
            if (r.status === 'rejected' && !(r.reason instanceof DomainError)) throw r.reason;
          }
        }
        const report = await ledger.verify(caisseId);
        expect(report.problems).toEqual([]);
        const accounts = await ledger.listAccounts(caisseId);
        const debit = accounts.reduce((s, a) => s.plus(a.debit), money(0));
        const credit = accounts.reduce((s, a) => s.plus(a.credit), money(0));
        expect(formatMoney(debit)).toBe(formatMoney(credit));
        for (const a of accounts.filter((x) => x.noOverdraft)) expect(money(a.balance).lte(0)).toBe(true);
        const tb = await ledger.trialBalance(caisseId, '2026-12-31');
        expect(tb.totals.debit).toBe(tb.totals.credit);
      }),
      { numRuns: 15 },
    );
  });

  it('a reversal restores every balance it touched', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cents, { minLength: 2, maxLength: 6 }), async (amounts) => {
        const caisseId = await bareCaisse(t);
        const ws = await wallets(t, caisseId, amounts.length);
        const total = amounts.reduce((a, b) => a + b, 0);
        const lines = [
          { account: '6571', debit: formatMoney(money(total).dividedBy(100)) },
          ...amounts.map((c, i) => ({ account: ws[i], credit: formatMoney(money(c).dividedBy(100)) })),
        ];
        const before = await ledger.listAccounts(caisseId);
        const { entry } = await ledger.post({ caisseId, journal: 'ALL', date: '2026-11-10', label: 'alloc', pieceRef: 'P', idempotencyKey: key(), lines });
        await ledger.reverse(caisseId, entry.id, 'test');
        const after = await ledger.listAccounts(caisseId);
        expect(after.map((a) => [a.code, a.balance])).toEqual(before.map((a) => [a.code, a.balance]));
      }),
      { numRuns: 10 },
    );
  });
});
