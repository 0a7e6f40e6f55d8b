import fc from 'fast-check';
import pg from 'pg';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import type { PostingInput } from '../../src/ledger/ledger.types.js';
import { bareCaisse, key, wallets } from '../support/ledger-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('ledger batch posting', () => {
  let t: TestApp;
  let ledger: LedgerService;
  beforeAll(async () => {
    t = await createTestApp();
    ledger = t.app.get(LedgerService);
  });
  afterAll(async () => t?.close());

  const entry = (caisseId: string, lines: PostingInput['lines'], k = key()): PostingInput => ({ caisseId, journal: 'ACH', date: '2026-11-20', label: 'Achat', pieceRef: 'B', idempotencyKey: k, lines });

  it('accepts or refuses each entry on its own, in order, with continuous numbers', async () => {
    const caisseId = await bareCaisse(t);
    const [w, shop] = await wallets(t, caisseId, 2);
    await ledger.post(entry(caisseId, [{ account: '6571', debit: '10.00' }, { account: w, credit: '10.00' }]));
    const dupKey = key();
    const results = await ledger.postBatch(caisseId, [
      entry(caisseId, [{ account: w, debit: '6.00' }, { account: shop, credit: '6.00' }], dupKey),
      entry(caisseId, [{ account: w, debit: '6.00' }, { account: shop, credit: '6.00' }]), // only 4.00 left
      entry(caisseId, [{ account: w, debit: '4.00' }, { account: shop, credit: '4.00' }]),
      entry(caisseId, [{ account: w, debit: '1.00' }, { account: shop, credit: '1.01' }]), // unbalanced
      entry(caisseId, [{ account: w, debit: '6.00' }, { account: shop, credit: '6.00' }], dupKey), // same key, same body
      entry(caisseId, [{ account: w, debit: '7.00' }, { account: shop, credit: '7.00' }], dupKey), // same key, other body
      entry(caisseId, [{ account: '4671-NOPE', debit: '1.00' }, { account: shop, credit: '1.00' }]),
    ]);
    expect(results.map((r) => (r.ok ? (r.replayed ? 'replay' : 'ok') : r.error.code))).toEqual([
      'ok',
      'INSUFFICIENT_BALANCE',
      'ok',
      'VALIDATION_FAILED',
      'replay',
      'IDEMPOTENCY_CONFLICT',
      'UNKNOWN_ACCOUNT',
    ]);
    const nos = results.filter((r) => r.ok && !r.replayed).map((r) => (r.ok ? r.entry.entryNo : 0));
    expect(nos[1]).toBe(nos[0] + 1);
    expect(results[4].ok && results[0].ok && results[4].entry.id === results[0].entry.id).toBe(true);
    expect((await ledger.account(caisseId, w)).balance).toBe('0.00');
    expect((await ledger.verify(caisseId)).ok).toBe(true);
    const again = await ledger.postBatch(caisseId, [entry(caisseId, [{ account: w, debit: '6.00' }, { account: shop, credit: '6.00' }], dupKey)]);
    expect(again[0]).toMatchObject({ ok: true, replayed: true });
  });

  it('posts prepared entries as postBatch would: refusals carried, arrays interleaved, what was hashed is what is posted', async () => {
    const caisseId = await bareCaisse(t);
    const [w, shop] = await wallets(t, caisseId, 2);
    const credit = entry(caisseId, [{ account: '6571', debit: '10.00' }, { account: w, credit: '10.00' }]);
    const spend = entry(caisseId, [{ account: w, debit: '4.00' }, { account: shop, credit: '4.00' }]);
    const first = ledger.prepareBatch(caisseId, [credit, entry(caisseId, [{ account: w, debit: '1.00' }, { account: shop, credit: '2.00' }])]);
    const second = ledger.prepareBatch(caisseId, [spend]);
    // Edited after preparation: the prepared copy must not follow.
    (spend.lines[0] as { debit: string }).debit = '9.00';
    spend.label = 'changed';
    const results = await ledger.postPrepared(caisseId, [first[0], second[0], first[1]]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['ok', 'ok', 'VALIDATION_FAILED']);
    expect(results[1].ok && results[1].entry).toMatchObject({ label: 'Achat', lines: [{ debit: '4.00' }, { credit: '4.00' }] });
    expect((await ledger.account(caisseId, w)).balance).toBe('-6.00');
    expect((await ledger.postPrepared(caisseId, ledger.prepareBatch(caisseId, [{ ...credit, lines: [...credit.lines] }])))[0]).toMatchObject({ ok: true, replayed: true });
    await expect(ledger.postPrepared(caisseId, [{ idempotencyKey: 'forged' } as never])).rejects.toThrow(/prepareBatch/);
    expect((await ledger.verify(caisseId)).ok).toBe(true);
  });

  it('agrees with one-by-one posting on every outcome (random sequences)', async () => {
    const op = fc.record({ wallet: fc.nat(2), cents: fc.integer({ min: 1, max: 3000 }), credit: fc.boolean(), reuse: fc.nat(5) });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        const outcomes: string[][] = [];
        for (const mode of ['sequential', 'batch'] as const) {
          const caisseId = await bareCaisse(t);
          const ws = await wallets(t, caisseId, 4);
          const keys = Array.from({ length: 6 }, () => key());
          const inputs = ops.map((o) => {
            const amount = (o.cents / 100).toFixed(2);
            const lines = o.credit ? [{ account: '6571', debit: amount }, { account: ws[o.wallet], credit: amount }] : [{ account: ws[o.wallet], debit: amount }, { account: ws[3], credit: amount }];
            return entry(caisseId, lines, keys[o.reuse]);
          });
          const results = mode === 'batch' ? await ledger.postBatch(caisseId, inputs) : [];
          if (mode === 'sequential') {
            for (const input of inputs) results.push(...(await ledger.postBatch(caisseId, [input])));
          }
          outcomes.push(results.map((r) => (r.ok ? (r.replayed ? 'replay' : 'ok') : r.error.code)));
          expect((await ledger.verify(caisseId)).ok).toBe(true);
        }
        expect(outcomes[1]).toEqual(outcomes[0]);
      }),
      { numRuns: 30 },
    );
  });

  it('concurrent batches over the same wallets neither deadlock nor overdraw', async () => {
    const caisseId = await bareCaisse(t);
    const ws = await wallets(t, caisseId, 3);
    for (const w of ws) await ledger.post(entry(caisseId, [{ account: '6571', debit: '20.00' }, { account: w, credit: '20.00' }]));
    const batches = Array.from({ length: 12 }, (_, b) =>
      ledger.postBatch(caisseId, Array.from({ length: 10 }, (_, i) => entry(caisseId, [{ account: ws[(b + i) % 3], debit: '1.00' }, { account: ws[(b + i + 1) % 3] === ws[0] ? '512' : '627', credit: '1.00' }]))),
    );
    const results = (await Promise.all(batches)).flat();
    expect(results.filter((r) => r.ok)).toHaveLength(60);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.error.code === 'INSUFFICIENT_BALANCE')).toBe(true);
    for (const w of ws) expect((await ledger.account(caisseId, w)).balance).toBe('0.00');
    expect((await ledger.verify(caisseId)).ok).toBe(true);
  });

  it('answers a twin (same key, same entry) committed while it waited for the wallet with a replay, not a refusal', async () => {
    const caisseId = await bareCaisse(t);
    const [w, shop] = await wallets(t, caisseId, 2);
    await ledger.post(entry(caisseId, [{ account: '6571', debit: '10.00' }, { account: w, credit: '10.00' }]));
    // The wallet is held by another session while both twins start: each reads the keys, then waits for the lock.
    const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM ledger_accounts WHERE caisse_id = $1 AND code = $2 FOR UPDATE`, [caisseId, w]);
      const twin = entry(caisseId, [{ account: w, debit: '10.00' }, { account: shop, credit: '10.00' }]);
      const both = Promise.all([ledger.postBatch(caisseId, [twin]), ledger.postBatch(caisseId, [twin])]);
      for (let waiting = 0; waiting < 2; ) {
        await new Promise((r) => setTimeout(r, 10));
        const [{ n }] = (await holder.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows;
        waiting = n;
      }
      await holder.query('COMMIT');
      const [[a], [b]] = await both;
      expect([a, b].map((r) => (r.ok ? (r.replayed ? 'replay' : 'ok') : r.error.code)).sort()).toEqual(['ok', 'replay']);
      expect(a.ok && b.ok && a.entry.id === b.entry.id).toBe(true);
    } finally {
      await holder.end();
    }
    expect((await ledger.account(caisseId, w)).balance).toBe('0.00');
  });
});
