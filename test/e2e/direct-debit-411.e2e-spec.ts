import { addDays, todayInFrance } from '../../src/common/dates.js';
import { isTarget2BusinessDay, nextBusinessDay } from '../../src/contributions/target2.js';
import { bearer, createMember } from '../support/member-fixtures.js';
import { contributionRules, entryLines, idemKey } from '../support/contribution-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** [account with the aux shortened to -M, debit, credit]. */
type Row = [string, string, string];

describe('direct debit through 411: call, settlement, return, cancellation (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let token: string;
  let members: string[];
  const today = todayInFrance();
  const collectionDate = nextBusinessDay(today);
  beforeAll(async () => {
    t = await createTestApp();
    const c = await t.newCaisse();
    caisseId = c.caisseId;
    token = c.tokens.treasurer;
    await contributionRules(t, caisseId, c.tokens.admin, { rule: 'percent-of-income', rate: '0.025', floor: '10.00' });
    members = [(await createMember(t, caisseId, c.tokens.admin, { monthlyIncome: '1200.00' })).id, (await createMember(t, caisseId, c.tokens.admin, { monthlyIncome: '100.00' })).id];
    await t.http.put(url('/direct-debit-settings')).set(bearer(token)).send({ creditorId: 'FR72ZZZ123456', creditorName: 'Caisse', creditorIban: 'FR7630004000031234567890143' });
    for (const [i, memberId] of members.entries()) {
      await t.http.post(url('/mandates')).set(bearer(token)).send({ memberId, reference: `RUM-411-${i}`, signedOn: '2026-01-10', debtorName: `Adhérente ${i}`, iban: 'FR7630006000011234567890189' });
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  function url(suffix: string) {
    return `/api/v1/caisses/${caisseId}${suffix}`;
  }
  const build = (period: string, date = collectionDate) => t.http.post(url('/direct-debit-batches')).set(bearer(token)).set('Idempotency-Key', idemKey()).send({ period, collectionDate: date });
  const act = (batchId: string, what: 'settle' | 'cancel' | 'sent', body: Record<string, unknown> = {}) => t.http.post(url(`/direct-debit-batches/${batchId}/${what}`)).set(bearer(token)).send(body);
  const rows = async (entryId: string): Promise<Row[]> => (await entryLines(t, entryId)).map((l) => [l.code.replace(/-.*/, '-M'), l.debit, l.credit]);
  const available = async () => (await t.http.get(url(`/funds/available-for-allocations?at=${collectionDate}`)).set(bearer(token))).body;
  const firstClosedDay = () => {
    let d = addDays(today, 1);
    while (isTarget2BusinessDay(d)) d = addDays(d, 1);
    return d;
  };

  it.each<[string, () => string, string]>([
    // case                                  collection date                     refusal
    ['in the past', () => addDays(today, -1), 'in the past'],
    ['the day it is built', () => today, isTarget2BusinessDay(today) ? 'at least one business day' : 'TARGET2 business day'],
    ['a TARGET2 closing day', firstClosedDay, 'TARGET2 business day'],
  ])('refuses a collection date %s (400 on collectionDate, nothing written)', async (_, date, refusal) => {
    const res = await build('2026-03', date());
    expect(res.status).toBe(400);
    expect(res.body.errors.collectionDate.join(' ')).toContain(refusal);
    expect((await t.sql(`SELECT 1 FROM direct_debit_batches WHERE caisse_id = $1`, [caisseId])).length).toBe(0);
  });

  let batchId: string;
  it('builds: D 411 / C 756 per member, counted as a receivable, not as cash', async () => {
    const res = await build('2026-03');
    expect(res.status).toBe(201);
    batchId = res.body.id;
    expect(res.body).toMatchObject({ status: 'built', builtOn: today, controlSum: '40.00' });
    expect(await available()).toMatchObject({ cash: '0.00', receivables: '40.00' });
  });

  it('settles: one BQ entry D 512 / C 411 per member; the money is now cash', async () => {
    const res = await act(batchId, 'settle', { settledOn: collectionDate });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'settled', settledOn: collectionDate });
    expect(await rows(res.body.settlementEntryId)).toEqual([
      ['512', '40.00', '0.00'],
      ['411-M', '0.00', '30.00'],
      ['411-M', '0.00', '10.00'],
    ]);
    expect(await available()).toMatchObject({ cash: '40.00', receivables: '0.00' });
    expect((await act(batchId, 'settle', { settledOn: collectionDate })).body.code).toBe('BATCH_NOT_SETTLEABLE');
    expect((await act(batchId, 'cancel')).body.code).toBe('BATCH_NOT_CANCELLABLE');
  });

  it('a return after settlement reverses the call, takes the money back off 512 and books the reject fee on 627', async () => {
    const batch = (await t.http.get(url(`/direct-debit-batches/${batchId}`)).set(bearer(token))).body;
    const item = batch.items.find((i: { memberId: string }) => i.memberId === members[0]);
    const res = await t.http.post(url(`/direct-debit-batches/${batchId}/returns`)).set(bearer(token)).send({ endToEndId: item.endToEndId, reasonCode: 'AM04', returnedOn: collectionDate, fee: '0.50' });
    expect(res.status).toBe(201);
    const returned = res.body.items.find((i: { memberId: string }) => i.memberId === members[0]);
    expect(returned).toMatchObject({ returnFee: '0.50' });
    const contribution = (await t.http.get(url(`/contributions/${item.contributionId}`)).set(bearer(token))).body;
    const [reversal] = await t.sql<{ id: string }>(`SELECT id FROM journal_entries WHERE reverses_entry_id = $1`, [contribution.entryId]);
    expect(await rows(reversal.id)).toEqual([
      ['411-M', '0.00', '30.00'],
      ['756', '30.00', '0.00'],
    ]);
    expect(await rows(returned.returnEntryId)).toEqual([
      ['411-M', '30.00', '0.00'],
      ['627', '0.50', '0.00'],
      ['512', '0.00', '30.50'],
    ]);
    // Call, settlement, reversal and money back: the member's 411 is clear again.
    const account411 = (await entryLines(t, contribution.entryId))[0].code;
    const [receivable] = await t.sql<{ b: string }>(`SELECT (debits_posted - credits_posted)::text AS b FROM ledger_accounts WHERE caisse_id = $1 AND code = $2`, [caisseId, account411]);
    expect(receivable.b).toBe('0.00');
  });

  it('cancels a batch not yet sent (its calls reversed, the months due again); a sent one cannot be', async () => {
    const april = (await build('2026-04')).body;
    const cancelled = await act(april.id, 'cancel');
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const statuses = (await t.http.get(url('/contribution-statuses?period=2026-04')).set(bearer(token))).body;
    expect(statuses.map((s: { status: string }) => s.status)).toEqual(['due', 'due']);
    expect((await act(april.id, 'settle', { settledOn: collectionDate })).body.code).toBe('BATCH_NOT_SETTLEABLE');

    const may = (await build('2026-05')).body;
    expect((await act(may.id, 'sent')).body.status).toBe('sent');
    expect((await act(may.id, 'cancel')).body.code).toBe('BATCH_NOT_CANCELLABLE');
    expect((await act(may.id, 'settle', { settledOn: collectionDate })).body.status).toBe('settled');
  });

  it('a return racing the settlement still leaves every 411 clear and takes the money back off 512', async () => {
    const sum411 = async () =>
      (await t.sql<{ b: string }>(`SELECT coalesce(sum(debits_posted - credits_posted), 0)::text AS b FROM ledger_accounts WHERE caisse_id = $1 AND code LIKE '411-%'`, [caisseId]))[0].b;
    for (const period of ['2026-06', '2026-07', '2026-08']) {
      const batch = (await build(period)).body;
      expect((await act(batch.id, 'sent')).status).toBe(200);
      const item = batch.items.find((i: { memberId: string }) => i.memberId === members[0]);
      const [settled, returned] = await Promise.all([
        act(batch.id, 'settle', { settledOn: collectionDate }),
        t.http.post(url(`/direct-debit-batches/${batch.id}/returns`)).set(bearer(token)).send({ endToEndId: item.endToEndId, reasonCode: 'AM04', returnedOn: collectionDate }),
      ]);
      expect([settled.status, returned.status]).toEqual([200, 201]);
      // Whichever committed first, the returned 30.00 is owed by nobody and is not in the bank.
      expect(await sum411()).toBe('0.00');
    }
  });

  it('keeps the books verifiable', async () => {
    expect((await t.http.get(url('/ledger/verify')).set(bearer(token))).body.ok).toBe(true);
  });
});
