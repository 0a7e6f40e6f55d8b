import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { ALLOCATIONS_QUEUE } from '../../src/allocations/allocation-queue.js';
import { consumes } from '../../src/database/app-role.js';
import { LEDGER_QUEUE } from '../../src/ledger/ledger.processor.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** APP_ROLE: an API process consumes no job; a worker answers /api/health only; `all` does both. */
describe('process roles (APP_ROLE)', () => {
  const handlers = (t: TestApp, name: string) => Object.keys((t.app.get<Queue>(getQueueToken(name)) as unknown as { handlers: Record<string, unknown> }).handlers);

  it('api: serves the API, keeps the schedules, and starts no queue consumer', async () => {
    const t = await createTestApp({ env: { APP_ROLE: 'api' } });
    try {
      const queue = t.app.get<Queue>(getQueueToken(ALLOCATIONS_QUEUE));
      expect(consumes(queue)).toBe(false);
      expect(handlers(t, ALLOCATIONS_QUEUE)).toEqual([]);
      expect(handlers(t, LEDGER_QUEUE)).toEqual([]);
      expect((await t.http.get('/api/v1/caisses').set('Authorization', `Bearer ${t.adminToken}`)).status).toBe(200);
      const health = await t.http.get('/api/health');
      expect(health.body).toMatchObject({ status: 'ok', role: 'api' });
      // Repeatable schedules are still put in place by an API process (idempotent across processes).
      expect((await queue.getRepeatableJobs()).map((j) => j.name)).toContain('tick');
    } finally {
      await t.close();
    }
  });

  it('worker: consumes jobs and answers /api/health only (404 problem+json elsewhere)', async () => {
    const t = await createTestApp({ env: { APP_ROLE: 'worker' }, login: false });
    try {
      expect(handlers(t, ALLOCATIONS_QUEUE).sort()).toEqual(['run', 'tick']);
      const health = await t.http.get('/api/health');
      expect(health.status).toBe(200);
      expect(health.body.role).toBe('worker');
      for (const path of ['/api/v1/caisses', '/api/docs-json', '/api/v1/auth/login']) {
        const res = await t.http.get(path);
        expect(res.status).toBe(404);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body.code).toBe('NOT_FOUND');
      }
    } finally {
      await t.close();
    }
  });

  it('all (the default): both', async () => {
    const t = await createTestApp();
    try {
      expect(handlers(t, ALLOCATIONS_QUEUE).sort()).toEqual(['run', 'tick']);
      expect((await t.http.get('/api/health')).body.role).toBe('all');
    } finally {
      await t.close();
    }
  });

  it('refuses an unknown role at start, naming the variable', async () => {
    await expect(createTestApp({ env: { APP_ROLE: 'both' } })).rejects.toThrow(/APP_ROLE/);
  });
});
