import { performance } from 'node:perf_hooks';
import { bearer } from '../support/member-fixtures.js';
import { buy, buyer, shop } from '../support/purchase-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The probe's drill: 60 concurrent failed logins made a PIN purchase take a minute, because password hashes and PIN
 * checks queued on the same worker threads. Now passwords go through their own bounded queue and PINs are an HMAC,
 * so the till keeps its pace during a flood. Medians of the same purchases, idle and under the flood, are compared
 * (a ratio, not a duration: the machine may be busy).
 */
describe('a login flood does not stall the till (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps the median PIN purchase within a small factor of its idle median while logins are flooded', async () => {
    const s = await shop(t);
    const put = await t.http.put(`/api/v1/caisses/${s.caisseId}/purchase-settings`).set(bearer(s.tokens.admin)).send({ pinPolicy: 'always', pinAbove: '0.00', maxAmount: '500.00', refundWindowDays: 7 });
    expect(put.status).toBe(200);
    const m = await buyer(t, s, '100.00');
    const timedPurchases = async (n: number) => {
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const started = performance.now();
        const res = await buy(t, s, { card: m.cardNumber, pin: '4821', amount: '1.00' });
        times.push(performance.now() - started);
        expect(res.status).toBe(201);
      }
      return times;
    };
    await timedPurchases(3); // warm-up
    const idle = median(await timedPurchases(15));

    const statuses: number[] = [];
    let flooding = true;
    let wave = 0;
    const flood = (async () => {
      while (flooding) {
        wave++;
        const logins = Array.from({ length: 60 }, (_, i) =>
          t.http
            .post('/api/v1/auth/login')
            .set('X-Forwarded-For', `198.18.${wave % 250}.${i}`)
            .send({ email: `flood-${wave}-${i}@test.caisse`, password: 'not-the-password-123' }),
        );
        statuses.push(...(await Promise.all(logins)).map((r) => r.status));
      }
    })();
    await new Promise((r) => setTimeout(r, 300)); // the flood is under way
    const flooded = median(await timedPurchases(15));
    flooding = false;
    await flood;

    console.log(`PIN purchase median: idle ${idle.toFixed(1)} ms, during the login flood ${flooded.toFixed(1)} ms (×${(flooded / idle).toFixed(2)}); logins answered: ${statuses.length}`);
    // The flood really hashed passwords (wrong ones: 401) and was bounded past the queue (503 BUSY), never a 500.
    expect(statuses.filter((x) => x === 401).length).toBeGreaterThan(0);
    expect(statuses.every((x) => x === 401 || x === 503 || x === 429)).toBe(true);
    // Before the fix the ratio was about 200 (59.7 s against 0.3 s).
    expect(flooded / idle).toBeLessThan(10);
  });
});
