import { randomUUID } from 'node:crypto';
import { todayInFrance } from '../../src/common/dates.js';
import { allocationRules, fund, waitForRun } from '../support/allocation-fixtures.js';
import { createContributor } from '../support/contribution-fixtures.js';
import { bearer } from '../support/member-fixtures.js';
import { buyer, shop, type Shop } from '../support/purchase-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * `verify` must never report tampering that did not happen. Every posting route is driven the way a shop terminal or
 * a volunteer's browser may drive it — ids in capitals, accents typed decomposed (NFD), emoji, combining marks — and
 * the books must still verify; a lone surrogate is refused before anything is hashed or stored.
 */
const ODD = ['Cafe\u0301 au lait', 'Pâte\u0301 😀 à tartiner', 'n\u0303 + e\u0308 + 👩‍👩‍👧', 'Re\u0301fe\u0301rence'];
const key = () => `v-${randomUUID()}`;

describe('ledger verify after hostile but valid input (e2e)', () => {
  let t: TestApp;
  let s: Shop;
  let C: string;
  let admin: Record<string, string>;
  let treasurer: Record<string, string>;

  const expectCreated = (res: { status: number; body: unknown }, what: string, status = 201) => {
    if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  };

  beforeAll(async () => {
    t = await createTestApp();
    s = await shop(t);
    C = s.caisseId.toUpperCase();
    admin = bearer(s.tokens.admin);
    treasurer = bearer(s.tokens.treasurer);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('posts through every posting route with upper-case ids and odd Unicode, and verify stays ok', async () => {
    const m = await buyer(t, s, '80.00');
    const M = m.id.toUpperCase();
    const today = todayInFrance();

    // Manual entry, then its reversal (upper-case entry id in the path).
    const entry = await t.http
      .post(`/api/v1/caisses/${C}/ledger/entries`)
      .set(admin)
      .set('Idempotency-Key', key())
      .send({ journal: 'OD', date: today, label: ODD[0], pieceRef: ODD[3], lines: [{ account: '6571', debit: '3.00' }, { account: m.walletAccount, credit: '3.00' }] });
    expectCreated(entry, 'manual entry');
    const reversal = await t.http.post(`/api/v1/caisses/${C}/ledger/entries/${String(entry.body.id).toUpperCase()}/reversal`).set(admin).set('Idempotency-Key', key()).send({ reason: ODD[2] });
    expectCreated(reversal, 'reversal');

    // A funder: contributor, grant (upper-case contributor id), tranche (upper-case grant id), a contribution.
    const contributor = await createContributor(t, C, s.tokens.treasurer, { kind: 'foundation', name: `Fondation ${ODD[1]}` });
    const grant = await t.http
      .post(`/api/v1/caisses/${C}/grants`)
      .set(treasurer)
      .send({ contributorId: contributor.id.toUpperCase(), amount: '5000.00', from: '2026-01-01', to: '2027-12-31', reference: `G-${randomUUID().slice(0, 8)}` });
    expectCreated(grant, 'grant');
    expectCreated(await t.http.post(`/api/v1/caisses/${C}/grants/${String(grant.body.id).toUpperCase()}/tranches`).set(treasurer).set('Idempotency-Key', key()).send({ amount: '1000.00', receivedOn: today }), 'tranche');
    expectCreated(
      await t.http.post(`/api/v1/caisses/${C}/contributions`).set(treasurer).set('Idempotency-Key', key()).send({ contributorId: contributor.id.toUpperCase(), amount: '250.00', method: 'transfer', receivedOn: today }),
      'contribution',
    );

    // The till: a purchase, a refund with an odd reason (upper-case purchase id), vouchers issued and redeemed.
    const purchase = await t.http.post(`/api/v1/caisses/${C}/purchases`).set('X-Api-Key', s.apiKey).set('Idempotency-Key', key()).send({ card: m.cardNumber, pin: '4821', amount: '20.00' });
    expectCreated(purchase, 'purchase');
    const refunds = `/api/v1/caisses/${C}/purchases/${String(purchase.body.id).toUpperCase()}/refunds`;
    expectCreated(await t.http.post(refunds).set('X-Api-Key', s.apiKey).set('Idempotency-Key', key()).send({ amount: '1.00', reason: ODD[1] }), 'refund');
    // The probe's case (b): a lone surrogate in the reason is refused, naming it, before any hash.
    const surrogate = await t.http
      .post(refunds)
      .set('X-Api-Key', s.apiKey)
      .set('Idempotency-Key', key())
      .set('Content-Type', 'application/json')
      .send('{"amount":"1.00","reason":"Produit ab\\ud800m\\u00e9"}');
    expect({ status: surrogate.status, fields: Object.keys(surrogate.body.errors ?? {}) }).toEqual({ status: 400, fields: ['reason'] });
    const batch = await t.http.post(`/api/v1/caisses/${C}/voucher-batches`).set(admin).set('Idempotency-Key', key()).send({ count: 2, faceValue: '5.00', memberId: M });
    expectCreated(batch, 'voucher batch');
    const voucher = (batch.body.vouchers as { serial: string; code: string }[])[0];
    expectCreated(await t.http.post(`/api/v1/caisses/${C}/vouchers/redeem`).set('X-Api-Key', s.apiKey).set('Idempotency-Key', key()).send({ serial: voucher.serial, code: voucher.code }), 'voucher redemption', 200);

    // An allocation run, requested on the upper-case caisse path.
    await fund(t, s.caisseId, '5000.00', `${today.slice(0, 8)}01`);
    await allocationRules(t, C, s.tokens.admin, `${today.slice(0, 8)}01`, { formula: 'flat', amount: '15.00' });
    const run = await t.http.post(`/api/v1/caisses/${C}/allocation-runs`).set(admin).send({ period: today.slice(0, 7) });
    expectCreated(run, 'allocation run', 202);
    expect((await waitForRun(t, s.caisseId, s.tokens.admin, run.body.id)).status).toBe('completed');

    // What was stored is NFC and lower-case, and hashes as stored.
    const rows = await t.sql<{ label: string; caisse_id: string }>(`SELECT label, caisse_id::text FROM journal_entries WHERE caisse_id = $1`, [s.caisseId]);
    expect(rows.length).toBeGreaterThanOrEqual(9);
    for (const r of rows) expect(r.label).toBe(r.label.normalize('NFC'));
    expect(rows.map((r) => r.label)).toEqual(expect.arrayContaining([ODD[0].normalize('NFC')]));

    const verify = async () => {
      const res = await t.http.get(`/api/v1/caisses/${C}/ledger/verify`).set(admin);
      expect(res.status).toBe(200);
      return res.body as { ok: boolean; checkedEntries: number; problems: unknown[] };
    };
    const before = await verify();
    expect(before).toMatchObject({ ok: true, problems: [] });
    expect(before.checkedEntries).toBe(rows.length);
    // Sealing chains the same hashes; verify checks the seal too.
    expectCreated(await t.http.post(`/api/v1/caisses/${C}/ledger/seals`).set(admin), 'seal');
    expect(await verify()).toMatchObject({ ok: true, problems: [] });
  });

  it('refuses a lone surrogate in an entry label and in a reversal reason, writing nothing', async () => {
    const count = async () => (await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM journal_entries WHERE caisse_id = $1', [s.caisseId]))[0].n;
    const before = await count();
    const entry = await t.http
      .post(`/api/v1/caisses/${C}/ledger/entries`)
      .set(admin)
      .set('Idempotency-Key', key())
      .set('Content-Type', 'application/json')
      .send(`{"journal":"OD","date":"${todayInFrance()}","label":"Frais \\udc00","pieceRef":"P-1","lines":[{"account":"6571","debit":"1.00"},{"account":"512","credit":"1.00"}]}`);
    expect({ status: entry.status, fields: Object.keys(entry.body.errors ?? {}) }).toEqual({ status: 400, fields: ['label'] });
    expect(await count()).toBe(before);
  });
});
