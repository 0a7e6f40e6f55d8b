import { jest } from '@jest/globals';
import { ReadReplica } from '../../src/database/read-replica.js';
import { TransactionHost } from '../../src/database/transaction.js';
import { bearer, post } from '../support/member-fixtures.js';
import { createTestApp, freshDatabase, type TestApp } from '../support/test-app.js';

/**
 * DATABASE_REPLICA_URL: report, list and register reads go through ReadReplica to the replica's pool while it answers
 * and keeps up, to the primary otherwise — and always inside a transaction. Here the "replica" is the test database
 * itself under another application_name, which tells which pool answered; an unreachable one stands for a dead replica.
 */
const appName = `SELECT current_setting('application_name') AS name`;

describe('read replica (DATABASE_REPLICA_URL)', () => {
  const withName = (url: string, name: string) => {
    const u = new URL(url);
    u.searchParams.set('application_name', name);
    return u.toString();
  };

  describe('a replica that answers and keeps up', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ env: { DATABASE_REPLICA_URL: withName(process.env.DATABASE_URL!, 'caisse-replica-test') } });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('serves lag-tolerant reads from the replica, reads inside a transaction from the primary, and says so in health', async () => {
      const replica = t.app.get(ReadReplica);
      expect(await replica.query<{ name: string }>(appName)).toEqual([{ name: 'caisse-replica-test' }]);
      const inTx = await t.app.get(TransactionHost).run(() => replica.query<{ name: string }>(appName));
      expect(inTx[0].name).not.toBe('caisse-replica-test');
      const health = await t.http.get('/api/health');
      expect(health.status).toBe(200);
      expect(health.body.status).toBe('ok');
      expect(health.body.replica).toMatchObject({ configured: true, status: 'up', readsFrom: 'replica', lagSeconds: 0, maxLagSeconds: 10, error: null });
      const { caisseId, tokens } = await t.newCaisse();
      const outlets = await t.http.get(`/api/v1/caisses/${caisseId}/outlets`).set('Authorization', `Bearer ${tokens.admin}`);
      expect(outlets.status).toBe(200);
    });

    it('sends the reads back to the primary while the replica lags beyond the limit, and back again once it caught up', async () => {
      const replica = t.app.get(ReadReplica);
      const measure = jest.spyOn(replica as unknown as { measure: () => Promise<{ seconds: number; bytes: number }> }, 'measure');
      measure.mockResolvedValue({ seconds: 42.5, bytes: 123456 });
      try {
        expect(await replica.refresh()).toMatchObject({ status: 'lagging', readsFrom: 'primary', lagSeconds: 42.5, lagBytes: 123456 });
        expect((await replica.query<{ name: string }>(appName))[0].name).not.toBe('caisse-replica-test');
        const health = await t.http.get('/api/health');
        expect(health.status).toBe(200);
        expect(health.body).toMatchObject({ status: 'degraded', replica: { status: 'lagging', readsFrom: 'primary' } });
      } finally {
        measure.mockRestore();
      }
      expect(await replica.refresh()).toMatchObject({ status: 'up', readsFrom: 'replica' });
      expect(await replica.query<{ name: string }>(appName)).toEqual([{ name: 'caisse-replica-test' }]);
    });
  });

  describe('reports on a replica whose data differs from the primary', () => {
    // The stand-in is another database cloned from the migrated template: it never sees what the app writes, so a
    // report that shows nothing of the caisse's postings was read from it, one that shows them from the primary.
    let t: TestApp;
    let standIn: Awaited<ReturnType<typeof freshDatabase>>;
    beforeAll(async () => {
      standIn = await freshDatabase();
      t = await createTestApp({ env: { DATABASE_REPLICA_URL: standIn.url } });
    });
    afterAll(async () => {
      await t?.close();
      await standIn?.drop();
    });

    it('serves the balance, its CSV and the governance log from the replica, and from the primary while the replica lags', async () => {
      const { caisseId, tokens } = await t.newCaisse();
      await post(t, caisseId, 'OD', 'Subvention', [{ account: '512', debit: '250.00' }, { account: '7551', credit: '250.00' }]);
      const today = new Date().toISOString().slice(0, 10);
      const balance = (format = '') => t.http.get(`/api/v1/caisses/${caisseId}/books/balance?from=${today}&to=${today}${format}`).set(bearer(tokens.treasurer));
      const bank = (res: { body: { accounts: { code: string; debit: string }[] } }) => res.body.accounts.find((a) => a.code === '512')?.debit;
      const replica = t.app.get(ReadReplica);
      expect(replica.current()).toMatchObject({ status: 'up', readsFrom: 'replica' });

      const fromReplica = await balance();
      expect(fromReplica.status).toBe(200);
      expect(bank(fromReplica)).toBeUndefined();
      expect((await balance('&format=csv')).text).not.toContain('250,00');
      // The public log is read there too: the stand-in holds no event of this caisse.
      expect((await t.http.get(`/api/v1/caisses/${caisseId}/register/log/verify`)).body).toMatchObject({ ok: true, events: 0 });

      const measure = jest.spyOn(replica as unknown as { measure: () => Promise<{ seconds: number; bytes: number }> }, 'measure');
      measure.mockResolvedValue({ seconds: 60, bytes: 4096 });
      try {
        expect(await replica.refresh()).toMatchObject({ status: 'lagging', readsFrom: 'primary' });
        expect(bank(await balance())).toBe('250.00');
        expect((await balance('&format=csv')).text).toContain('250,00');
      } finally {
        measure.mockRestore();
      }
      expect(await replica.refresh()).toMatchObject({ status: 'up', readsFrom: 'replica' });
      expect(bank(await balance())).toBeUndefined();
    });
  });

  describe('an unreachable replica', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ env: { DATABASE_REPLICA_URL: 'postgres://nobody:nothing@127.0.0.1:9/none' } });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('answers every read from the primary and shows the replica down (degraded, not an error)', async () => {
      expect((await t.app.get(ReadReplica).query<{ one: number }>('SELECT 1 AS one'))).toEqual([{ one: 1 }]);
      const health = await t.http.get('/api/health');
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'degraded', replica: { configured: true, status: 'down', readsFrom: 'primary' } });
      expect(health.body.replica.error).toMatch(/did not answer when the service started/);
      const { caisseId, tokens } = await t.newCaisse();
      expect((await t.http.get(`/api/v1/caisses/${caisseId}/outlets`).set('Authorization', `Bearer ${tokens.admin}`)).status).toBe(200);
    });
  });

  it('without DATABASE_REPLICA_URL: absent, every read on the primary, health ok', async () => {
    const t = await createTestApp();
    try {
      expect(t.app.get(ReadReplica).current()).toMatchObject({ configured: false, status: 'absent', readsFrom: 'primary' });
      expect((await t.http.get('/api/health')).body).toMatchObject({ status: 'ok', replica: { status: 'absent' } });
    } finally {
      await t.close();
    }
  });
});
