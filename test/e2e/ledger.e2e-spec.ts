import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { LEDGER_QUEUE } from '../../src/ledger/ledger.processor.js';
import { entryBody, key, wallets } from '../support/ledger-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('ledger over HTTP', () => {
  let t: TestApp;
  let caisseId: string;
  let tokens: Awaited<ReturnType<TestApp['newCaisse']>>['tokens'];
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const post = (body: object, k = key(), token = tokens.treasurer) =>
    t.http.post(`/api/v1/caisses/${caisseId}/ledger/entries`).set(auth(token)).set('Idempotency-Key', k).send(body);
  const account = async (code: string) => {
    const res = await t.http.get(`/api/v1/caisses/${caisseId}/ledger/accounts`).set(auth(tokens.treasurer));
    return res.body.find((a: { code: string }) => a.code === code);
  };

  beforeAll(async () => {
    t = await createTestApp();
    ({ caisseId, tokens } = await t.newCaisse());
  });
  afterAll(async () => t?.close());

  it('opens the books with the default chart when the caisse is created', async () => {
    const res = await t.http.get(`/api/v1/caisses/${caisseId}/ledger/accounts`).set(auth(tokens.admin));
    expect(res.status).toBe(200);
    const codes = res.body.map((a: { code: string }) => a.code);
    expect(codes).toEqual(expect.arrayContaining(['512', '4671', '401', '6571', '756', '7551', '741', '627']));
    expect(res.body.every((a: { balance: string }) => a.balance === '0.00')).toBe(true);
  });

  it('posts an allocation, keeps balances and a balanced trial balance', async () => {
    const [w] = await wallets(t, caisseId, 1);
    const res = await post(entryBody([{ account: '6571', debit: '150.00' }, { account: w, credit: '150' }], { journal: 'ALL' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ journal: 'ALL', entryNo: expect.any(Number), reverses: null });
    expect(res.body.lines).toEqual([
      expect.objectContaining({ lineNo: 1, account: '6571', debit: '150.00', credit: '0.00' }),
      expect.objectContaining({ lineNo: 2, account: w, debit: '0.00', credit: '150.00' }),
    ]);
    expect(await account(w)).toMatchObject({ credit: '150.00', balance: '-150.00', noOverdraft: true, kind: 'wallet' });
    const tb = await t.http.get(`/api/v1/caisses/${caisseId}/ledger/trial-balance`).set(auth(tokens.treasurer));
    expect(tb.status).toBe(200);
    expect(tb.body.totals.debit).toBe(tb.body.totals.credit);
    expect(tb.body.accounts.find((a: { number: string }) => a.number === '4671')).toMatchObject({ credit: expect.any(String) });
    const got = await t.http.get(`/api/v1/caisses/${caisseId}/ledger/entries/${res.body.id}`).set(auth(tokens.treasurer));
    expect(got.body).toEqual(res.body);
  });

  it('numbers entries continuously in validation order', async () => {
    const [w] = await wallets(t, caisseId, 1);
    const nos: number[] = [];
    for (let i = 0; i < 3; i++) nos.push((await post(entryBody([{ account: '6571', debit: '1.00' }, { account: w, credit: '1.00' }]))).body.entryNo);
    expect(nos[1]).toBe(nos[0] + 1);
    expect(nos[2]).toBe(nos[1] + 1);
  });

  it('replays the same key with the same entry, and refuses the same key for another entry', async () => {
    const [w] = await wallets(t, caisseId, 1);
    const k = key();
    const body = entryBody([{ account: '6571', debit: '10.00' }, { account: w, credit: '10.00' }]);
    const first = await post(body, k);
    const again = await post(body, k);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    const other = await post(entryBody([{ account: '6571', debit: '11.00' }, { account: w, credit: '11.00' }]), k);
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(await account(w)).toMatchObject({ credit: '10.00' });
  });

  it('refuses unbalanced, one-sided, unknown-account and keyless entries with clear problems', async () => {
    const unbalanced = await post(entryBody([{ account: '6571', debit: '10.00' }, { account: '512', credit: '9.99' }]));
    expect(unbalanced.status).toBe(400);
    expect(unbalanced.body.errors.lines[0]).toMatch(/10\.00.*9\.99/);
    const both = await post(entryBody([{ account: '6571', debit: '10.00', credit: '10.00' }, { account: '512', credit: '10.00' }]));
    expect(both.status).toBe(400);
    expect(Object.keys(both.body.errors)).toContain('lines.0');
    const zero = await post(entryBody([{ account: '6571', debit: '0.00' }, { account: '512', credit: '0.00' }]));
    expect(zero.status).toBe(400);
    const unknown = await post(entryBody([{ account: '6571', debit: '1.00' }, { account: '4671-NOPE', credit: '1.00' }]));
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('UNKNOWN_ACCOUNT');
    const keyless = await t.http.post(`/api/v1/caisses/${caisseId}/ledger/entries`).set(auth(tokens.treasurer)).send(entryBody([{ account: '6571', debit: '1.00' }, { account: '512', credit: '1.00' }]));
    expect(keyless.status).toBe(400);
    expect(keyless.body.errors).toHaveProperty('Idempotency-Key');
  });

  it('never lets a wallet go below zero and says what is available', async () => {
    const [w, outlet] = await wallets(t, caisseId, 2);
    await post(entryBody([{ account: '6571', debit: '100.00' }, { account: w, credit: '100.00' }]));
    const res = await post(entryBody([{ account: w, debit: '100.01' }, { account: outlet, credit: '100.01' }]));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'INSUFFICIENT_BALANCE', available: '100.00', requested: '100.01' });
    const exact = await post(entryBody([{ account: w, debit: '100.00' }, { account: outlet, credit: '100.00' }]));
    expect(exact.status).toBe(201);
    expect(await account(w)).toMatchObject({ balance: '0.00' });
  });

  it('reverses an entry once, restoring balances', async () => {
    const [w] = await wallets(t, caisseId, 1);
    const original = await post(entryBody([{ account: '6571', debit: '42.42' }, { account: w, credit: '42.42' }]));
    const rev = await t.http.post(`/api/v1/caisses/${caisseId}/ledger/entries/${original.body.id}/reversal`).set(auth(tokens.treasurer)).send({ reason: 'saisie en double' });
    expect(rev.status).toBe(201);
    expect(rev.body.reverses).toBe(original.body.id);
    expect(rev.body.lines.map((l: { debit: string; credit: string }) => [l.debit, l.credit])).toEqual([['0.00', '42.42'], ['42.42', '0.00']]);
    expect(await account(w)).toMatchObject({ balance: '0.00', debit: '42.42', credit: '42.42' });
    const twice = await t.http.post(`/api/v1/caisses/${caisseId}/ledger/entries/${original.body.id}/reversal`).set(auth(tokens.treasurer)).send({ reason: 'encore' });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('ALREADY_REVERSED');
    const shown = await t.http.get(`/api/v1/caisses/${caisseId}/ledger/entries/${original.body.id}`).set(auth(tokens.treasurer));
    expect(shown.body.reversedBy).toBe(rev.body.id);
  });

  it('refuses to reverse an allocation already spent', async () => {
    const [w, shop] = await wallets(t, caisseId, 2);
    const alloc = await post(entryBody([{ account: '6571', debit: '20.00' }, { account: w, credit: '20.00' }]));
    await post(entryBody([{ account: w, debit: '15.00' }, { account: shop, credit: '15.00' }]));
    const rev = await t.http.post(`/api/v1/caisses/${caisseId}/ledger/entries/${alloc.body.id}/reversal`).set(auth(tokens.treasurer)).send({ reason: 'erreur' });
    expect(rev.status).toBe(409);
    expect(rev.body.code).toBe('INSUFFICIENT_BALANCE');
  });

  it('keeps the cents: 0.01, 999999999.99 and a three-way split of 100.00', async () => {
    const ws = await wallets(t, caisseId, 3);
    // Above the default limit of 1,000,000.00 per line: the caisse raises its own limit to test the widest amounts.
    const raised = await t.http.patch(`/api/v1/caisses/${caisseId}/ledger/settings`).set(auth(tokens.treasurer)).send({ maxLineAmount: '9999999999.99' });
    expect(raised.status).toBe(200);
    expect((await post(entryBody([{ account: '6571', debit: '0.01' }, { account: ws[0], credit: '0.01' }]))).status).toBe(201);
    expect((await post(entryBody([{ account: '512', debit: '999999999.99' }, { account: '7551', credit: '999999999.99' }]))).status).toBe(201);
    const split = await post(entryBody([{ account: '6571', debit: '100.00' }, { account: ws[0], credit: '33.34' }, { account: ws[1], credit: '33.33' }, { account: ws[2], credit: '33.33' }]));
    expect(split.status).toBe(201);
    expect(await account(ws[0])).toMatchObject({ credit: '33.35' });
    const tb = await t.http.get(`/api/v1/caisses/${caisseId}/ledger/trial-balance`).set(auth(tokens.treasurer));
    expect(tb.body.totals.debit).toBe(tb.body.totals.credit);
  });

  it('lists an account’s lines with a running balance, page by page', async () => {
    const [w] = await wallets(t, caisseId, 1);
    for (const amount of ['10.00', '20.00', '30.00']) await post(entryBody([{ account: '6571', debit: amount }, { account: w, credit: amount }]));
    const p1 = await t.http.get(`/api/v1/caisses/${caisseId}/ledger/accounts/${w}/lines?limit=2`).set(auth(tokens.treasurer));
    expect(p1.status).toBe(200);
    expect(p1.body.items.map((l: { balance: string }) => l.balance)).toEqual(['-10.00', '-30.00']);
    const p2 = await t.http.get(`/api/v1/caisses/${caisseId}/ledger/accounts/${w}/lines?limit=2&cursor=${p1.body.nextCursor}`).set(auth(tokens.treasurer));
    expect(p2.body.items.map((l: { balance: string }) => l.balance)).toEqual(['-60.00']);
    expect(p2.body.nextCursor).toBeNull();
  });

  it('enforces roles: cashier and member get 403, another caisse gets 404', async () => {
    for (const role of ['cashier', 'member', 'committee'] as const) {
      for (const path of ['trial-balance', 'verify', 'accounts']) {
        const res = await t.http.get(`/api/v1/caisses/${caisseId}/ledger/${path}`).set(auth(tokens[role]));
        expect(res.status).toBe(403);
      }
    }
    const other = await t.newCaisse();
    const res = await t.http.get(`/api/v1/caisses/${other.caisseId}/ledger/trial-balance`).set(auth(tokens.treasurer));
    expect(res.status).toBe(404);
    expect((await t.http.get(`/api/v1/caisses/${caisseId}/ledger/verify`).set(auth(tokens.admin))).status).toBe(200);
  });

  it('closes a month: nothing may be dated in it afterwards, and it cannot be reopened', async () => {
    const c = await t.newCaisse();
    const tk = c.tokens.treasurer;
    const [w] = await wallets(t, c.caisseId, 1);
    const postIn = (date: string) =>
      t.http.post(`/api/v1/caisses/${c.caisseId}/ledger/entries`).set(auth(tk)).set('Idempotency-Key', key()).send(entryBody([{ account: '6571', debit: '5.00' }, { account: w, credit: '5.00' }], { date }));
    expect((await postIn('2026-09-15')).status).toBe(201);
    const closed = await t.http.post(`/api/v1/caisses/${c.caisseId}/closings`).set(auth(tk)).send({ period: '2026-09' });
    expect(closed.status).toBe(201);
    expect(closed.body).toMatchObject({ period: '2026-09', closedThrough: '2026-09-30', totals: { debit: '5.00', credit: '5.00' } });
    const late = await postIn('2026-09-30');
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('PERIOD_CLOSED');
    expect((await postIn('2026-08-01')).status).toBe(409);
    expect((await postIn('2026-10-01')).status).toBe(201);
    const again = await t.http.post(`/api/v1/caisses/${c.caisseId}/closings`).set(auth(tk)).send({ period: '2026-08' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('PERIOD_ALREADY_CLOSED');
    const future = await t.http.post(`/api/v1/caisses/${c.caisseId}/closings`).set(auth(tk)).send({ period: '2099-01' });
    expect(future.status).toBe(400);
    expect(future.body.errors).toHaveProperty('period');
    const list = await t.http.get(`/api/v1/caisses/${c.caisseId}/closings`).set(auth(tk));
    expect(list.body.map((x: { period: string }) => x.period)).toEqual(['2026-09']);
  });

  it('seals new entries in a chain and verify checks it', async () => {
    const c = await t.newCaisse();
    const tk = c.tokens.treasurer;
    const [w] = await wallets(t, c.caisseId, 1);
    const postOne = () =>
      t.http.post(`/api/v1/caisses/${c.caisseId}/ledger/entries`).set(auth(tk)).set('Idempotency-Key', key()).send(entryBody([{ account: '6571', debit: '1.00' }, { account: w, credit: '1.00' }]));
    await postOne();
    await postOne();
    const s1 = await t.http.post(`/api/v1/caisses/${c.caisseId}/ledger/seals`).set(auth(tk));
    expect(s1.status).toBe(201);
    expect(s1.body).toMatchObject({ seq: 1, fromEntryNo: 1, toEntryNo: 2, previousHash: '0'.repeat(64), totals: { debit: '2.00', credit: '2.00' } });
    const none = await t.http.post(`/api/v1/caisses/${c.caisseId}/ledger/seals`).set(auth(tk));
    expect(none.status).toBe(200);
    await postOne();
    const s2 = await t.http.post(`/api/v1/caisses/${c.caisseId}/ledger/seals`).set(auth(tk));
    expect(s2.body).toMatchObject({ seq: 2, fromEntryNo: 3, toEntryNo: 3, previousHash: s1.body.sealHash, totals: { debit: '3.00' } });
    const v = await t.http.get(`/api/v1/caisses/${c.caisseId}/ledger/verify`).set(auth(tk));
    expect(v.body).toMatchObject({ ok: true, checkedEntries: 3, checkedSeals: 2, problems: [] });
  });

  it('the hourly seal job on the bull queue seals every caisse with new entries', async () => {
    const c = await t.newCaisse();
    const [w] = await wallets(t, c.caisseId, 1);
    await t.http.post(`/api/v1/caisses/${c.caisseId}/ledger/entries`).set(auth(c.tokens.treasurer)).set('Idempotency-Key', key()).send(entryBody([{ account: '6571', debit: '3.00' }, { account: w, credit: '3.00' }]));
    const queue = t.app.get<Queue>(getQueueToken(LEDGER_QUEUE));
    const repeatable = await queue.getRepeatableJobs();
    expect(repeatable).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'seal-all', cron: '0 * * * *' })]));
    const job = await queue.add('seal-all', {});
    const result = await job.finished();
    expect(result.sealed).toBeGreaterThanOrEqual(1);
    const v = await t.http.get(`/api/v1/caisses/${c.caisseId}/ledger/verify`).set(auth(c.tokens.treasurer));
    expect(v.body).toMatchObject({ ok: true, checkedSeals: 1 });
  });
});
