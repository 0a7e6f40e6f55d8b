import { AllocationsProcessor } from '../../src/allocations/allocations.processor.js';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import { allLines, allocationRules, fund, LYON, memberEntries, requestRun, runPeriod, runsUrl, waitForRun, walletBalance } from '../support/allocation-fixtures.js';
import { bearer, createMember, type CreatedMember } from '../support/member-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('allocation runs: household formula, proration, duplicates, dry run (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let tokens: Record<'admin' | 'treasurer' | 'committee' | 'cashier' | 'member', string>;
  const m: Record<string, CreatedMember> = {};

  beforeAll(async () => {
    t = await createTestApp();
    ({ caisseId, tokens } = await t.newCaisse());
    await allocationRules(t, caisseId, tokens.admin, '2026-01-01', LYON);
    await fund(t, caisseId, '20000.00');
    const add = async (name: string, overrides: Record<string, unknown>) => (m[name] = await createMember(t, caisseId, tokens.admin, { joinedOn: '2026-01-05', ...overrides }));
    await add('family', { household: { adults: 2, childrenBirthYears: [2015, 2019] } });
    await add('teen', { household: { adults: 1, childrenBirthYears: [2012] } });
    await add('joiner', { joinedOn: '2026-03-16', household: { adults: 1, childrenBirthYears: [] } });
    await add('suspendedMid', { household: { adults: 1, childrenBirthYears: [] } });
    await add('suspended', { household: { adults: 1, childrenBirthYears: [] } });
    const patch = (id: string, body: Record<string, unknown>) => t.http.patch(`/api/v1/caisses/${caisseId}/members/${id}`).set(bearer(tokens.admin)).send(body);
    expect((await patch(m.suspendedMid.id, { status: 'suspended', statusOn: '2026-03-11' })).status).toBe(200);
    expect((await patch(m.suspended.id, { status: 'suspended', statusOn: '2026-02-10' })).status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('credits each member the household amount, prorated by active days, nothing while suspended', async () => {
    const run = await runPeriod(t, caisseId, tokens.treasurer, '2026-03');
    expect(run).toMatchObject({ status: 'completed', period: '2026-03', dryRun: false, progress: { done: 4, total: 4 }, reductionPercent: null, errors: [] });
    const byMember = new Map((await allLines(t, caisseId, tokens.committee, run.id)).map((l) => [l.memberId, l]));
    // 150 + 75 + 2 × 45; a child born 2012 turns 14 in 2026 and counts as an adult all year; 16/31 and 10/31 of 150.
    expect(byMember.get(m.family.id)).toMatchObject({ status: 'credited', gross: '315.00', amount: '315.00', activeDays: 31 });
    expect(byMember.get(m.teen.id)).toMatchObject({ status: 'credited', gross: '225.00', amount: '225.00' });
    expect(byMember.get(m.joiner.id)).toMatchObject({ status: 'credited', gross: '150.00', amount: '77.42', activeDays: 16 });
    expect(byMember.get(m.suspendedMid.id)).toMatchObject({ status: 'credited', amount: '48.39', activeDays: 10 });
    expect(byMember.has(m.suspended.id)).toBe(false);
    expect(run.totals).toEqual({ members: 4, amount: '665.81', expired: '0.00', skippedGate: 0 });
    expect(await walletBalance(t, caisseId, m.joiner.walletAccount!)).toBe('77.42');
    expect(await walletBalance(t, caisseId, m.suspended.walletAccount!)).toBe('0.00');
    const entry = await t.app.get(LedgerService).entry(caisseId, byMember.get(m.family.id)!.entryId!);
    expect(entry).toMatchObject({ journal: 'ALL', date: '2026-03-01', idempotencyKey: `alloc:2026-03:${m.family.id}` });
    expect(entry.lines.map((l) => [l.account, l.debit, l.credit, l.fund])).toEqual([
      ['6571', '315.00', '0.00', 'allocations'],
      [m.family.walletAccount, '0.00', '315.00', null],
    ]);
    const audit = await t.sql(`SELECT action FROM audit_log WHERE target_id = $1`, [run.id]);
    expect(audit).toEqual([{ action: 'allocation-run.requested' }]);
  });

  it('answers a second request for the period with the same run, and crediting nobody twice', async () => {
    const [first] = await t.sql<{ id: string }>(`SELECT id FROM allocation_runs WHERE caisse_id = $1 AND period = '2026-03'`, [caisseId]);
    const again = await requestRun(t, caisseId, tokens.admin, { period: '2026-03' });
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ id: first.id, status: 'completed' });
    expect((await memberEntries(t, caisseId, 'alloc', '2026-03')).map((e) => e.n)).toEqual([1, 1, 1, 1]);
  });

  it('collapses concurrent duplicate requests onto one run that credits each member once', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => requestRun(t, caisseId, i % 2 ? tokens.admin : tokens.treasurer, { period: '2026-04' })));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(202));
    const ids = new Set(answers.map((a) => a.body.id));
    expect(ids.size).toBe(1);
    const run = await waitForRun(t, caisseId, tokens.admin, [...ids][0]);
    expect(run.status).toBe('completed');
    const entries = await memberEntries(t, caisseId, 'alloc', '2026-04');
    // suspendedMid stays suspended all April: three members.
    expect(entries).toHaveLength(3);
    expect(entries.every((e) => e.n === 1)).toBe(true);
    expect((await t.sql(`SELECT 1 FROM allocation_runs WHERE caisse_id = $1 AND period = '2026-04'`, [caisseId])).length).toBe(1);
  });

  it('replays the request under the same Idempotency-Key', async () => {
    const send = () => t.http.post(runsUrl(caisseId)).set(bearer(tokens.admin)).set('Idempotency-Key', 'alloc-2026-05-request').send({ period: '2026-05', dryRun: true });
    const first = await send();
    const second = await send();
    expect(second.status).toBe(202);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body.id).toBe(first.body.id);
  });

  it('computes a dry run without posting anything, and without blocking the real run', async () => {
    const dry = await runPeriod(t, caisseId, tokens.admin, '2026-06', { dryRun: true });
    expect(dry).toMatchObject({ status: 'completed', dryRun: true, totals: { members: 3, amount: '690.00' } });
    expect((await allLines(t, caisseId, tokens.admin, dry.id)).map((l) => l.status)).toEqual(['planned', 'planned', 'planned']);
    expect(await memberEntries(t, caisseId, 'alloc', '2026-06')).toEqual([]);
    const real = await runPeriod(t, caisseId, tokens.admin, '2026-06');
    expect(real.id).not.toBe(dry.id);
    expect(real.totals).toMatchObject({ members: 3, amount: '690.00' });
    expect(await memberEntries(t, caisseId, 'alloc', '2026-06')).toHaveLength(3);
    expect((await t.app.get(LedgerService).verify(caisseId)).ok).toBe(true);
  });

  it('pages the lines and filters them by status', async () => {
    const [run] = await t.sql<{ id: string }>(`SELECT id FROM allocation_runs WHERE caisse_id = $1 AND period = '2026-03'`, [caisseId]);
    const page1 = await t.http.get(runsUrl(caisseId, `/${run.id}/lines?limit=3`)).set(bearer(tokens.committee));
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(3);
    const page2 = await t.http.get(runsUrl(caisseId, `/${run.id}/lines?limit=3&cursor=${page1.body.nextCursor}`)).set(bearer(tokens.committee));
    expect(page2.body).toMatchObject({ nextCursor: null });
    expect(page2.body.items).toHaveLength(1);
    const none = await t.http.get(runsUrl(caisseId, `/${run.id}/lines?status=skipped-gate`)).set(bearer(tokens.committee));
    expect(none.body.items).toEqual([]);
    const list = await t.http.get(runsUrl(caisseId, '?period=2026-03')).set(bearer(tokens.committee));
    expect(list.body.map((r: { id: string }) => r.id)).toEqual([run.id]);
  });

  it('starts the month’s run by itself from the rule’s autoRunDay, once', async () => {
    await allocationRules(t, caisseId, tokens.admin, '2026-09-01', { ...LYON, autoRunDay: 3 });
    const processor = t.app.get(AllocationsProcessor);
    const runsOf = () => t.sql<{ id: string }>(`SELECT id FROM allocation_runs WHERE caisse_id = $1 AND period = '2026-09' AND kind = 'regular'`, [caisseId]);
    await processor.schedule('2026-09-02');
    expect(await runsOf()).toEqual([]);
    await processor.schedule('2026-09-03');
    const [run] = await runsOf();
    expect((await waitForRun(t, caisseId, tokens.admin, run.id)).status).toBe('completed');
    await processor.schedule('2026-09-04');
    expect(await runsOf()).toEqual([run]);
    expect(await memberEntries(t, caisseId, 'alloc', '2026-09')).toHaveLength(3);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a malformed period', { period: '2026-13' }, 'period'],
    ['a period beyond next month', { period: '2099-01' }, 'period'],
    ['a period before any rule version', { period: '2025-06' }, 'period'],
    ['a dryRun that is not a boolean', { period: '2026-07', dryRun: 'yes' }, 'dryRun'],
  ])('refuses %s with a 400 naming the field', async (_name, body, field) => {
    const res = await requestRun(t, caisseId, tokens.admin, body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors[field]).toEqual([expect.any(String)]);
  });

  it('refuses a period whose books are closed (409 naming period), before anything is queued', async () => {
    await t.app.get(LedgerService).close(caisseId, '2026-01');
    const res = await requestRun(t, caisseId, tokens.admin, { period: '2026-01' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'PERIOD_CLOSED', errors: { period: [expect.stringContaining('2026-01-31')] } });
    expect(await t.sql(`SELECT 1 FROM allocation_runs WHERE caisse_id = $1 AND period = '2026-01'`, [caisseId])).toEqual([]);
  });

  it('lets committee read runs but not start them; 404 for an unknown run', async () => {
    expect((await requestRun(t, caisseId, tokens.committee, { period: '2026-07' })).status).toBe(403);
    expect((await requestRun(t, caisseId, tokens.cashier, { period: '2026-07' })).status).toBe(403);
    const unknown = await t.http.get(runsUrl(caisseId, '/00000000-0000-4000-8000-000000000000')).set(bearer(tokens.committee));
    expect(unknown.status).toBe(404);
  });
});
