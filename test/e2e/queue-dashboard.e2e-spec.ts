import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { HEALTH_QUEUE } from '../../src/health/health.controller.js';
import { bearer } from '../support/member-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** The operators' queue dashboard: platform admin only; counts, failed jobs with their reason, retry and clean. */
describe('queue dashboard (platform admin)', () => {
  let t: TestApp;
  let caisseAdmin: string;
  let queue: Queue;

  beforeAll(async () => {
    t = await createTestApp();
    caisseAdmin = (await t.newCaisse()).tokens.admin;
    queue = t.app.get<Queue>(getQueueToken(HEALTH_QUEUE));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is refused to anyone but the platform admin, and to nobody logged in', async () => {
    expect((await t.http.get('/api/v1/ops/queues')).status).toBe(401);
    const forbidden = await t.http.get('/api/v1/ops/queues').set(bearer(caisseAdmin));
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await t.http.post('/api/v1/ops/queues/health/clean').set(bearer(caisseAdmin)).send({ status: 'failed' })).status).toBe(403);
  });

  it('lists every queue with counts and schedules', async () => {
    const res = await t.http.get('/api/v1/ops/queues').set(bearer(t.adminToken));
    expect(res.status).toBe(200);
    const names = (res.body as { name: string }[]).map((q) => q.name);
    expect(names).toEqual(expect.arrayContaining(['allocations', 'ledger', 'outlets', 'governance', 'health']));
    const ledger = (res.body as { name: string; schedules: { name: string }[]; counts: Record<string, number> }[]).find((q) => q.name === 'ledger')!;
    expect(ledger.schedules.map((s) => s.name)).toEqual(['seal-all']);
    expect(ledger.counts).toEqual(expect.objectContaining({ failed: expect.any(Number), waiting: expect.any(Number) }));
  });

  it('shows a failed job with its reason, retries it, and cleans failed jobs', async () => {
    // The health queue has no consumer: the test takes the job as a worker would and fails it, as any failure would.
    const job = await queue.add('probe', { note: 'x' }, { jobId: `failed-probe-${Date.now()}` });
    const taken = (await (queue as unknown as { getNextJob(): Promise<typeof job> }).getNextJob())!;
    expect(taken.id).toBe(job.id);
    await taken.moveToFailed({ message: 'simulated failure for the dashboard' });
    const list = await t.http.get('/api/v1/ops/queues/health/jobs?status=failed').set(bearer(t.adminToken));
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: String(job.id), name: 'probe', failedReason: 'simulated failure for the dashboard', data: { note: 'x' } })]));

    const retried = await t.http.post(`/api/v1/ops/queues/health/jobs/${job.id}/retry`).set(bearer(t.adminToken));
    expect(retried.status).toBe(200);
    expect(await (await queue.getJob(job.id))!.isFailed()).toBe(false);
    const again = await t.http.post(`/api/v1/ops/queues/health/jobs/${job.id}/retry`).set(bearer(t.adminToken));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('JOB_NOT_FAILED');

    const retaken = (await (queue as unknown as { getNextJob(): Promise<typeof job> }).getNextJob())!;
    await retaken.moveToFailed({ message: 'failed again' });
    const cleaned = await t.http.post('/api/v1/ops/queues/health/clean').set(bearer(t.adminToken)).send({ status: 'failed', graceSeconds: 0 });
    expect(cleaned.status).toBe(200);
    expect(cleaned.body.removed).toBeGreaterThanOrEqual(1);
    expect(await queue.getJob(job.id)).toBeNull();
  });

  it('answers 404 for an unknown queue or job and 400 naming the field for bad input', async () => {
    expect((await t.http.get('/api/v1/ops/queues/nope/jobs').set(bearer(t.adminToken))).status).toBe(404);
    expect((await t.http.post('/api/v1/ops/queues/health/jobs/none/retry').set(bearer(t.adminToken))).status).toBe(404);
    const bad = await t.http.get('/api/v1/ops/queues/health/jobs?status=lost').set(bearer(t.adminToken));
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toHaveProperty('status');
    const badClean = await t.http.post('/api/v1/ops/queues/health/clean').set(bearer(t.adminToken)).send({ status: 'active' });
    expect(badClean.status).toBe(400);
    expect(badClean.body.errors).toHaveProperty('status');
  });

  it('serves its page and script without data (the data needs the admin token)', async () => {
    const page = await t.http.get('/api/ops/queues');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('/api/ops/queues/app.js');
    const script = await t.http.get('/api/ops/queues/app.js');
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.text).toContain("'/api/v1/ops/queues'");
  });
});
