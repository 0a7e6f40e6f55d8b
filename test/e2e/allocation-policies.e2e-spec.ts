import { LedgerService } from '../../src/ledger/ledger.service.js';
import { idemKey } from '../support/contribution-fixtures.js';
import { allLines, allocationRules, fund, memberEntries, requestRun, runPeriod, runsUrl, waitForRun, walletBalance } from '../support/allocation-fixtures.js';
import { bearer, createMember, type CreatedMember, outletAccount, post } from '../support/member-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Tokens = Record<'admin' | 'treasurer' | 'committee' | 'cashier' | 'member', string>;

describe('allocation runs: gate, catch-up, rollover, solvency (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const pay = async (caisseId: string, token: string, memberId: string, period: string, amount: string) => {
    const res = await t.http
      .post(`/api/v1/caisses/${caisseId}/contributions`)
      .set(bearer(token))
      .set('Idempotency-Key', idemKey())
      .send({ memberId, amount, period, method: 'transfer', receivedOn: `${period}-02` });
    expect(res.status).toBe(201);
  };

  describe('contribution gate and formulas reading contributions', () => {
    let caisseId: string;
    let tokens: Tokens;
    let a: CreatedMember;
    let b: CreatedMember;
    beforeAll(async () => {
      ({ caisseId, tokens } = await t.newCaisse());
      await allocationRules(t, caisseId, tokens.admin, '2026-01-01', { formula: 'flat', amount: '100.00' }, { gate: true });
      await allocationRules(t, caisseId, tokens.admin, '2026-06-01', { formula: 'top-up', target: '90.00' }, { gate: true });
      await allocationRules(t, caisseId, tokens.admin, '2026-08-01', { formula: 'mean-of-contributions' });
      await fund(t, caisseId, '5000.00');
      a = await createMember(t, caisseId, tokens.admin, { joinedOn: '2026-01-01' });
      b = await createMember(t, caisseId, tokens.admin, { joinedOn: '2026-01-01' });
    });

    it('skips and lists the members whose month is unpaid, then credits them in a catch-up once they pay, once', async () => {
      await pay(caisseId, tokens.treasurer, a.id, '2026-03', '10.00');
      const run = await runPeriod(t, caisseId, tokens.admin, '2026-03');
      expect(run).toMatchObject({ status: 'completed', totals: { members: 1, amount: '100.00', skippedGate: 1 }, progress: { done: 2, total: 2 } });
      const skipped = await t.http.get(runsUrl(caisseId, `/${run.id}/lines?status=skipped-gate`)).set(bearer(tokens.committee));
      expect(skipped.body.items.map((l: { memberId: string; amount: string }) => [l.memberId, l.amount])).toEqual([[b.id, '100.00']]);
      expect(await walletBalance(t, caisseId, b.walletAccount!)).toBe('0.00');

      const early = await t.http.post(runsUrl(caisseId, `/${run.id}/catch-up`)).set(bearer(tokens.treasurer));
      expect(early.status).toBe(202);
      expect(early.body).toMatchObject({ status: 'completed', catchUps: 0 });

      await pay(caisseId, tokens.treasurer, b.id, '2026-03', '15.00');
      const caught = await t.http.post(runsUrl(caisseId, `/${run.id}/catch-up`)).set(bearer(tokens.treasurer));
      expect(caught.status).toBe(202);
      const after = await waitForRun(t, caisseId, tokens.admin, run.id);
      expect(after).toMatchObject({ status: 'completed', catchUps: 1, totals: { members: 2, amount: '200.00', skippedGate: 0 }, progress: { done: 2, total: 2 } });
      expect(await walletBalance(t, caisseId, b.walletAccount!)).toBe('100.00');
      await t.http.post(runsUrl(caisseId, `/${run.id}/catch-up`)).set(bearer(tokens.treasurer));
      expect((await memberEntries(t, caisseId, 'alloc', '2026-03')).map((e) => e.n)).toEqual([1, 1]);
    });

    it('credits the whole target under top-up; the catch-up splits it on what was paid by then', async () => {
      await pay(caisseId, tokens.treasurer, a.id, '2026-06', '30.00');
      const run = await runPeriod(t, caisseId, tokens.admin, '2026-06');
      const lines = new Map((await allLines(t, caisseId, tokens.admin, run.id)).map((l) => [l.memberId, l]));
      expect(lines.get(a.id)).toMatchObject({ status: 'credited', amount: '90.00', topUp: '60.00', topUpFund: 'allocations' });
      expect(lines.get(b.id)).toMatchObject({ status: 'skipped-gate', amount: '90.00' });
      await pay(caisseId, tokens.treasurer, b.id, '2026-06', '20.00');
      expect((await t.http.post(runsUrl(caisseId, `/${run.id}/catch-up`)).set(bearer(tokens.treasurer))).status).toBe(202);
      await waitForRun(t, caisseId, tokens.admin, run.id);
      const after = new Map((await allLines(t, caisseId, tokens.admin, run.id)).map((l) => [l.memberId, l]));
      expect(after.get(b.id)).toMatchObject({ status: 'credited', amount: '90.00', topUp: '70.00', topUpFund: 'allocations' });
    });

    it('gives everyone the mean of the month’s member contributions', async () => {
      await pay(caisseId, tokens.treasurer, a.id, '2026-08', '40.00');
      await pay(caisseId, tokens.treasurer, b.id, '2026-08', '20.01');
      const run = await runPeriod(t, caisseId, tokens.admin, '2026-08');
      expect((await allLines(t, caisseId, tokens.admin, run.id)).map((l) => l.amount)).toEqual(['30.01', '30.01']);
    });
  });

  describe('rollover policies', () => {
    let caisseId: string;
    let tokens: Tokens;
    let member: CreatedMember;
    beforeAll(async () => {
      ({ caisseId, tokens } = await t.newCaisse());
      await allocationRules(t, caisseId, tokens.admin, '2026-01-01', { formula: 'flat', amount: '100.00' });
      await allocationRules(t, caisseId, tokens.admin, '2026-03-01', { formula: 'flat', amount: '100.00' }, { rollover: { mode: 'cap', capMonths: 1 } });
      await allocationRules(t, caisseId, tokens.admin, '2026-04-01', { formula: 'flat', amount: '100.00' }, { rollover: { mode: 'expire' } });
      await fund(t, caisseId, '5000.00');
      member = await createMember(t, caisseId, tokens.admin, { joinedOn: '2026-01-01' });
      await runPeriod(t, caisseId, tokens.admin, '2026-01');
      await runPeriod(t, caisseId, tokens.admin, '2026-02');
    });

    it('carries the whole balance over under plain rollover', async () => {
      expect(await walletBalance(t, caisseId, member.walletAccount!)).toBe('200.00');
      expect(await memberEntries(t, caisseId, 'expire', '2026-02')).toEqual([]);
    });

    it('expires what exceeds the cap (N months of the allocation) before crediting: D 4671 / C 6571 in OD', async () => {
      const run = await runPeriod(t, caisseId, tokens.admin, '2026-03');
      expect(run.totals).toMatchObject({ amount: '100.00', expired: '100.00' });
      const [line] = await allLines(t, caisseId, tokens.admin, run.id);
      expect(line).toMatchObject({ expired: '100.00', status: 'credited' });
      const entry = await t.app.get(LedgerService).entry(caisseId, line.expireEntryId!);
      expect(entry).toMatchObject({ journal: 'OD', date: '2026-03-01', idempotencyKey: `expire:2026-03:${member.id}` });
      expect(entry.lines.map((l) => [l.account, l.debit, l.credit, l.fund])).toEqual([
        [member.walletAccount, '100.00', '0.00', null],
        ['6571', '0.00', '100.00', 'allocations'],
      ]);
      expect(await walletBalance(t, caisseId, member.walletAccount!)).toBe('200.00');
    });

    it('expires the whole previous balance at period end under expire, whatever was spent', async () => {
      await post(t, caisseId, 'ACH', 'Achat', [{ account: member.walletAccount!, debit: '30.00' }, { account: await outletAccount(t, caisseId, 'Épicerie'), credit: '30.00' }]);
      const dry = await runPeriod(t, caisseId, tokens.admin, '2026-04', { dryRun: true });
      expect(dry.totals).toMatchObject({ amount: '100.00', expired: '170.00' });
      const run = await runPeriod(t, caisseId, tokens.admin, '2026-04');
      expect(run.totals).toMatchObject({ amount: '100.00', expired: '170.00' });
      expect(await walletBalance(t, caisseId, member.walletAccount!)).toBe('100.00');
      expect((await t.app.get(LedgerService).verify(caisseId)).ok).toBe(true);
    });
  });

  describe('solvency', () => {
    let caisseId: string;
    let tokens: Tokens;
    beforeAll(async () => {
      ({ caisseId, tokens } = await t.newCaisse());
      await allocationRules(t, caisseId, tokens.admin, '2026-01-01', { formula: 'flat', amount: '100.00' });
      await allocationRules(t, caisseId, tokens.admin, '2026-03-01', { formula: 'flat', amount: '100.00', whenShort: 'reduce' });
      await fund(t, caisseId, '250.00');
      for (let i = 0; i < 3; i++) await createMember(t, caisseId, tokens.admin, { joinedOn: '2026-01-01' });
    });

    it('fails the run before posting anything, with needed, available and missing', async () => {
      const run = await runPeriod(t, caisseId, tokens.admin, '2026-02');
      expect(run).toMatchObject({
        status: 'failed',
        solvency: { needed: '300.00', available: '250.00', missing: '50.00' },
        errors: [{ code: 'INSUFFICIENT_FUNDS_FOR_ALLOCATIONS', message: expect.stringContaining('50.00 is missing') }],
        progress: { done: 0, total: 0 },
      });
      expect(await memberEntries(t, caisseId, 'alloc', '2026-02')).toEqual([]);
    });

    it('runs the same period once the money is there, when asked again', async () => {
      await fund(t, caisseId, '100.00');
      const again = await requestRun(t, caisseId, tokens.admin, { period: '2026-02' });
      expect(again.body.status).toBe('queued');
      const run = await waitForRun(t, caisseId, tokens.admin, again.body.id);
      expect(run).toMatchObject({ status: 'completed', errors: [], totals: { members: 3, amount: '300.00' } });
    });

    it('pays everyone the same reduced percentage when the rule says reduce, never more than available', async () => {
      // 350 received − 300 owed to wallets = 50 available for 3 × 100: 16.6666 % rounds to 3 × 16.67 > 50, so 16.6632 %.
      const run = await runPeriod(t, caisseId, tokens.admin, '2026-03');
      expect(run).toMatchObject({ status: 'completed', reductionPercent: '16.6632', solvency: { needed: '300.00', available: '50.00' }, totals: { members: 3, amount: '49.98' } });
      expect((await allLines(t, caisseId, tokens.admin, run.id)).map((l) => [l.gross, l.amount])).toEqual(Array(3).fill(['100.00', '16.66']));
      expect((await t.app.get(LedgerService).verify(caisseId)).ok).toBe(true);
    });
  });
});
