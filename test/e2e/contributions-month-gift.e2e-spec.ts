import { ContributionRecorder } from '../../src/contributions/contribution-recorder.service.js';
import { bearer, createMember } from '../support/member-fixtures.js';
import { contributionRules, entryLines, idemKey } from '../support/contribution-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** [account, debit, credit] of an entry, in line order. */
type Row = [string, string, string];

describe('gift part per member and month (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let token: string;
  let memberId: string;
  beforeAll(async () => {
    t = await createTestApp();
    const c = await t.newCaisse();
    caisseId = c.caisseId;
    token = c.tokens.treasurer;
    // Flat allocation of 100 (contributionRules' default): what a month brings above it is a gift.
    await contributionRules(t, caisseId, c.tokens.admin, { rule: 'free', floor: '10.00', excessAsGift: true });
    memberId = (await createMember(t, caisseId, c.tokens.admin, { joinedOn: '2026-01-05' })).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const url = (suffix: string) => `/api/v1/caisses/${caisseId}${suffix}`;
  const pay = async (period: string, amount: string) => {
    const res = await t.http.post(url('/contributions')).set(bearer(token)).set('Idempotency-Key', idemKey()).send({ memberId, amount, period, method: 'transfer', receivedOn: `${period}-05` });
    if (res.status !== 201) throw new Error(`payment failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; entryId: string; giftPart: string };
  };
  const rows = async (entryId: string): Promise<Row[]> => (await entryLines(t, entryId)).map((l) => [l.code, l.debit, l.credit]);
  /** Net credit of 756 and 7541 over every entry of the month: payments, their reversals, realignments. */
  const monthNet = async (period: string) => {
    const lines = await t.sql<{ code: string; net: string }>(
      `SELECT a.code, sum(l.credit - l.debit)::text AS net FROM journal_lines l JOIN ledger_accounts a ON a.id = l.account_id
        WHERE l.caisse_id = $1 AND a.code IN ('756', '7541')
          AND l.entry_id IN (SELECT entry_id FROM contributions WHERE member_id = $2 AND period = $3
                             UNION SELECT reversal_entry_id FROM contributions WHERE member_id = $2 AND period = $3
                             UNION SELECT id FROM journal_entries WHERE caisse_id = $1 AND piece_ref = 'GIFT-' || $3)
        GROUP BY a.code ORDER BY a.code`,
      [caisseId, memberId, period],
    );
    return Object.fromEntries(lines.map((l) => [l.code, l.net]));
  };

  it.each<[string, string, string[], Row[][]]>([
    // case           month      payments             lines of each payment's entry
    ['240 at once', '2026-02', ['240.00'], [[['512', '240.00', '0.00'], ['756', '0.00', '100.00'], ['7541', '0.00', '140.00']]]],
    ['120 + 120', '2026-03', ['120.00', '120.00'], [[['512', '120.00', '0.00'], ['756', '0.00', '100.00'], ['7541', '0.00', '20.00']], [['512', '120.00', '0.00'], ['7541', '0.00', '120.00']]]],
    ['60 + 60', '2026-04', ['60.00', '60.00'], [[['512', '60.00', '0.00'], ['756', '0.00', '60.00']], [['512', '60.00', '0.00'], ['756', '0.00', '40.00'], ['7541', '0.00', '20.00']]]],
  ])('%s: each payment books only its increment', async (_, period, payments, expected) => {
    const entries: Row[][] = [];
    for (const amount of payments) entries.push(await rows((await pay(period, amount)).entryId));
    expect(entries).toEqual(expected);
  });

  it('a refund in between: the reversal and one reclassification leave the month at 756 100 / 7541 20, and the next payment books its increment', async () => {
    const first = await pay('2026-05', '120.00');
    await pay('2026-05', '120.00');
    const reversed = await t.app.get(ContributionRecorder).reverse(caisseId, first.id, 'Chèque impayé', '2026-05-20');
    expect(await rows((await t.sql<{ reversal_entry_id: string }>(`SELECT reversal_entry_id FROM contributions WHERE id = $1`, [reversed.id]))[0].reversal_entry_id)).toEqual([
      ['512', '0.00', '120.00'],
      ['756', '100.00', '0.00'],
      ['7541', '20.00', '0.00'],
    ]);
    const [realign] = await t.sql<{ id: string }>(`SELECT id FROM journal_entries WHERE caisse_id = $1 AND piece_ref = 'GIFT-2026-05'`, [caisseId]);
    expect(await rows(realign.id)).toEqual([
      ['7541', '100.00', '0.00'],
      ['756', '0.00', '100.00'],
    ]);
    expect(await monthNet('2026-05')).toEqual({ '756': '100.00', '7541': '20.00' });
    const later = await pay('2026-05', '50.00');
    expect(await rows(later.entryId)).toEqual([
      ['512', '50.00', '0.00'],
      ['7541', '0.00', '50.00'],
    ]);
    expect(await monthNet('2026-05')).toEqual({ '756': '100.00', '7541': '70.00' });
    const live = await t.http.get(url(`/contributions?period=2026-05&memberId=${memberId}`)).set(bearer(token));
    expect(live.body.filter((c: { reversedAt: string | null }) => !c.reversedAt).map((c: { amount: string; giftPart: string }) => [c.amount, c.giftPart])).toEqual([
      ['50.00', '50.00'],
      ['120.00', '20.00'],
    ]);
  });

  it('two payments of the same member and month at once: the month lock makes them add up to one gift', async () => {
    const both = await Promise.all([pay('2026-06', '120.00'), pay('2026-06', '120.00')]);
    expect(both.map((c) => c.giftPart).sort()).toEqual(['120.00', '20.00']);
    expect(await monthNet('2026-06')).toEqual({ '756': '100.00', '7541': '140.00' });
  });

  it('tax receipts follow the month rule: the sum of the months’ gifts, the reversed payment left out', async () => {
    const res = await t.http.post(url('/tax-receipts')).set(bearer(token)).send({ year: 2026, memberId });
    expect(res.status).toBe(201);
    // 140 (Feb) + 140 (Mar) + 20 (Apr) + 70 (May, after the refund) + 140 (Jun)
    expect(res.body.amount).toBe('510.00');
    const verify = await t.http.get(url('/ledger/verify')).set(bearer(token));
    expect(verify.status).toBe(200);
    expect(verify.body.ok).toBe(true);
  });
});
