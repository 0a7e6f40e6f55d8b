import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { ALLOCATIONS_QUEUE, AllocationRunOptions, runJobId } from '../../src/allocations/allocation-queue.js';
import { AllocationRunner } from '../../src/allocations/allocation-runner.service.js';
import { AllocationsProcessor } from '../../src/allocations/allocations.processor.js';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import { allocationRules, fund, memberEntries, requestRun, runsUrl, waitForRun, walletBalance } from '../support/allocation-fixtures.js';
import { bearer, createMember, type CreatedMember } from '../support/member-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const MEMBERS = 12;

describe('allocation runs survive a worker crash and duplicate workers (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let token: string;
  let members: CreatedMember[];
  let options: AllocationRunOptions;
  let queue: Queue;

  beforeAll(async () => {
    t = await createTestApp();
    const c = await t.newCaisse();
    caisseId = c.caisseId;
    token = c.tokens.admin;
    await allocationRules(t, caisseId, token, '2026-01-01', { formula: 'flat', amount: '100.00' }, { rollover: { mode: 'cap', capMonths: 1 } });
    await fund(t, caisseId, '50000.00');
    members = [];
    for (let i = 0; i < MEMBERS; i++) members.push(await createMember(t, caisseId, token, { joinedOn: '2026-01-01' }));
    options = t.app.get(AllocationRunOptions);
    options.chunkSize = 5;
    queue = t.app.get<Queue>(getQueueToken(ALLOCATIONS_QUEUE));
  });
  afterAll(async () => {
    await t?.close();
  });

  const exactlyOnce = async (period: string) => {
    const entries = await memberEntries(t, caisseId, 'alloc', period);
    expect(entries.map((e) => e.key).sort()).toEqual(members.map((m) => `alloc:${period}:${m.id}`).sort());
    expect(entries.every((e) => e.n === 1)).toBe(true);
  };

  it('resumes after the worker dies between two chunks: everyone credited exactly once, books verified', async () => {
    let crashed!: () => void;
    const crash = new Promise<void>((resolve) => (crashed = resolve));
    options.afterChunk = (_runId, chunk) => {
      if (chunk === 1) {
        options.afterChunk = () => undefined;
        crashed();
        throw new Error('simulated crash after chunk 1');
      }
    };
    const res = await requestRun(t, caisseId, token, { period: '2026-02' });
    expect(res.status).toBe(202);
    const runId = res.body.id as string;
    await crash;
    // The failed job is dropped from Redis, as if the worker and its job were lost.
    for (let i = 0; i < 100 && (await queue.getJob(runJobId(runId))); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await queue.getJob(runJobId(runId))).toBeNull();

    const halfway = (await t.http.get(runsUrl(caisseId, `/${runId}`)).set(bearer(token))).body;
    expect(halfway).toMatchObject({ status: 'running', progress: { done: 5, total: MEMBERS }, totals: { members: 5, amount: '500.00' } });
    expect(await memberEntries(t, caisseId, 'alloc', '2026-02')).toHaveLength(5);

    // What a restarting worker does: re-enqueue what Postgres says is unfinished.
    expect(await t.app.get(AllocationsProcessor).recover(0)).toBe(1);
    const done = await waitForRun(t, caisseId, token, runId);
    expect(done).toMatchObject({ status: 'completed', progress: { done: MEMBERS, total: MEMBERS }, totals: { members: MEMBERS, amount: '1200.00' } });
    await exactlyOnce('2026-02');
    for (const m of members) expect(await walletBalance(t, caisseId, m.walletAccount!)).toBe('100.00');
    expect((await t.app.get(LedgerService).verify(caisseId)).ok).toBe(true);
  });

  it('lets two workers race on the same run without a second credit', async () => {
    await queue.pause(true);
    try {
      const res = await requestRun(t, caisseId, token, { period: '2026-03' });
      const runner = t.app.get(AllocationRunner);
      await Promise.all([runner.process(res.body.id), runner.process(res.body.id), runner.process(res.body.id)]);
      const run = (await t.http.get(runsUrl(caisseId, `/${res.body.id}`)).set(bearer(token))).body;
      expect(run).toMatchObject({ status: 'completed', totals: { members: MEMBERS, amount: '1200.00' } });
    } finally {
      await queue.resume(true);
    }
    await exactlyOnce('2026-03');
    // cap 1: the 100 carried from February stays, March adds 100.
    for (const m of members) expect(await walletBalance(t, caisseId, m.walletAccount!)).toBe('200.00');
  });

  it('falls back on the ledger key when the run state itself is lost: a re-post is a replay, not a credit', async () => {
    const [run] = await t.sql<{ id: string }>(`SELECT id FROM allocation_runs WHERE caisse_id = $1 AND period = '2026-03'`, [caisseId]);
    // Pretend the run never recorded its chunks (the one state the transaction design rules out): its progress
    // (posted_seq, counters) is lost while the ledger holds the credits.
    await t.sql(`UPDATE allocation_runs SET status = 'running', finished_at = NULL, posted_seq = 0, done_lines = 0, credited_members = 0, credited_amount = 0 WHERE id = $1`, [run.id]);
    await t.app.get(AllocationRunner).process(run.id);
    await exactlyOnce('2026-03');
    for (const m of members) expect(await walletBalance(t, caisseId, m.walletAccount!)).toBe('200.00');
    const lines = (await t.http.get(runsUrl(caisseId, `/${run.id}/lines?limit=200`)).set(bearer(token))).body.items as { memberId: string; status: string; entryId: string | null }[];
    expect(lines).toHaveLength(MEMBERS);
    expect(lines.every((l) => l.status === 'credited' && typeof l.entryId === 'string')).toBe(true);
    expect((await t.http.get(runsUrl(caisseId, `/${run.id}`)).set(bearer(token))).body).toMatchObject({ status: 'completed', totals: { members: MEMBERS, amount: '1200.00' } });
    expect((await t.app.get(LedgerService).verify(caisseId)).ok).toBe(true);
  });

  it('cancels a queued run; asking for the period again resumes it', async () => {
    await queue.pause(true);
    let runId: string;
    try {
      runId = (await requestRun(t, caisseId, token, { period: '2026-04' })).body.id;
      const cancelled = await t.http.post(runsUrl(caisseId, `/${runId}/cancel`)).set(bearer(token));
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');
      await t.app.get(AllocationRunner).process(runId);
      expect(await memberEntries(t, caisseId, 'alloc', '2026-04')).toEqual([]);
      expect((await t.http.post(runsUrl(caisseId, `/${runId}/cancel`)).set(bearer(token))).status).toBe(409);
    } finally {
      await queue.resume(true);
    }
    const again = await requestRun(t, caisseId, token, { period: '2026-04' });
    expect(again.body).toEqual({ id: runId, status: 'queued' });
    expect((await waitForRun(t, caisseId, token, runId)).status).toBe('completed');
    await exactlyOnce('2026-04');
  });
});
