import { todayInFrance } from '../../src/common/dates.js';
import { nextBusinessDay } from '../../src/contributions/target2.js';
import { contributionRules, createContributor, entryLines, idemKey } from '../support/contribution-fixtures.js';
import { bearer, createMember } from '../support/member-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const IBAN_A = 'FR7642559100000001234567852';
const IBAN_B = 'FR7642559100000008765432124';
const IBAN_C = 'FR7642559100000001111222264';

describe('bank accounts, cash and cheques (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let token: string;
  let admin: string;
  let donor: { id: string; number: string };
  const url = (suffix: string) => `/api/v1/caisses/${caisseId}${suffix}`;
  const banks = () => t.http.get(url('/bank-accounts')).set(bearer(token));
  const openBank = (body: object) => t.http.post(url('/bank-accounts')).set(bearer(token)).send(body);
  const pay = (body: object, key = idemKey()) =>
    t.http.post(url('/contributions')).set(bearer(token)).set('Idempotency-Key', key).send({ contributorId: donor.id, receivedOn: '2026-03-02', ...body });
  const deposit = (body: object, key = idemKey()) => t.http.post(url('/deposits')).set(bearer(token)).set('Idempotency-Key', key).send(body);
  const entry = async (id: string) => (await t.http.get(url(`/ledger/entries/${id}`)).set(bearer(token))).body;
  const balance = async (code: string) => (await t.http.get(url('/ledger/accounts')).set(bearer(token))).body.find((a: { code: string }) => a.code === code).balance;

  beforeAll(async () => {
    t = await createTestApp();
    const c = await t.newCaisse();
    caisseId = c.caisseId;
    token = c.tokens.treasurer;
    admin = c.tokens.admin;
    await t.http.patch(url('/ledger/settings')).set(bearer(admin)).send({ booksStart: '2026-01-01' });
    donor = await createContributor(t, caisseId, token, { kind: 'foundation', name: 'Fondation Carasso' });
  });
  afterAll(async () => t?.close());

  it('starts with 512 as the default bank account, without an IBAN', async () => {
    const res = await banks();
    expect(res.status).toBe(200);
    expect(res.body).toEqual([{ account: '512', label: 'Banque', iban: null, bic: null, creditorId: null, isDefault: true, closedAt: null, balance: '0.00' }]);
  });

  it.each([
    ['a bad IBAN check', { label: 'x', iban: 'FR7642559100000001234567853' }, 'iban'],
    ['an IBAN outside SEPA', { label: 'x', iban: 'BR1800360305000010009795493C1' }, 'iban'],
    ['a bad BIC', { label: 'x', iban: IBAN_A, bic: 'CCOP' }, 'bic'],
    ['a bad creditor identifier', { label: 'x', iban: IBAN_A, creditorId: 'FR73ZZZ123456' }, 'creditorId'],
    ['an account outside 512', { label: 'x', iban: IBAN_A, account: '5141' }, 'account'],
    ['no label', { iban: IBAN_A }, 'label'],
  ])('refuses %s with a 400 naming the field', async (_case, body, field) => {
    const res = await openBank(body);
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveProperty(field);
  });

  it('opens 5121, 5122… one per IBAN, moves the default, and refuses an IBAN twice', async () => {
    const a = await openBank({ label: 'Crédit coopératif', iban: 'fr76 4255 9100 0000 0123 4567 852', bic: 'ccopfrpp', creditorId: 'FR19ZZZ654321' });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ account: '5121', iban: IBAN_A, bic: 'CCOPFRPP', creditorId: 'FR19ZZZ654321', isDefault: false });
    const b = await openBank({ label: 'La Banque Postale', iban: IBAN_B, isDefault: true });
    expect(b.body).toMatchObject({ account: '5122', isDefault: true });
    expect((await openBank({ label: 'Doublon', iban: IBAN_A })).body.errors.iban[0]).toContain('5121');
    expect((await openBank({ label: 'Pris', iban: IBAN_C, account: '5121' })).status).toBe(409);
    const list = (await banks()).body.map((x: { account: string; isDefault: boolean }) => [x.account, x.isDefault]);
    expect(list).toEqual([['512', false], ['5121', false], ['5122', true]]);
    const accounts = (await t.http.get(url('/ledger/accounts')).set(bearer(token))).body;
    expect(accounts.find((x: { code: string }) => x.code === '5121')).toMatchObject({ kind: 'bank', normalSide: 'D', label: 'Crédit coopératif' });
    // 512 of an existing caisse gets its IBAN once; an IBAN never changes afterwards.
    expect((await t.http.patch(url('/bank-accounts/512')).set(bearer(token)).send({ iban: IBAN_C, isDefault: true })).body).toMatchObject({ iban: IBAN_C, isDefault: true });
    expect((await t.http.patch(url('/bank-accounts/512')).set(bearer(token)).send({ iban: IBAN_B })).body.errors.iban[0]).toContain('never changes');
  });

  // Posting of each contribution by method and bank account: [case, body, debit account]; journal COT, credit 7551.
  it.each([
    ['a transfer to the default bank account', { method: 'transfer', amount: '100.00' }, '512'],
    ['a transfer naming 5121', { method: 'transfer', amount: '101.00', bankAccount: '5121' }, '5121'],
    ['a card payment naming 5122', { method: 'card', amount: '102.00', bankAccount: '5122' }, '5122'],
    ['cash, held in the till', { method: 'cash', amount: '80.00' }, '530'],
    ['a cheque, held in the drawer', { method: 'cheque', amount: '45.50' }, '5112'],
    ['a second cheque', { method: 'cheque', amount: '30.00' }, '5112'],
  ])('posts %s: D %s', async (_case, body, debit) => {
    const res = await pay(body);
    expect(res.status).toBe(201);
    const e = await entry(res.body.entryId);
    expect(e.journal).toBe('COT');
    expect((await entryLines(t, res.body.entryId)).map((l) => [l.code, l.debit, l.credit])).toEqual([
      [debit, (body as { amount: string }).amount, '0.00'],
      ['7551', '0.00', (body as { amount: string }).amount],
    ]);
  });

  it.each([
    ['a bank account for cash', { method: 'cash', amount: '1.00', bankAccount: '5121' }, 400, 'bankAccount'],
    ['an unknown bank account', { method: 'transfer', amount: '1.00', bankAccount: '5129' }, 422, 'bankAccount'],
  ])('refuses %s, naming the field', async (_case, body, status, field) => {
    const res = await pay(body);
    expect(res.status).toBe(status);
    expect(res.body.errors).toHaveProperty(field);
  });

  it('deposits cheques with a numbered slip: D 580 / C 5112, then D 512x / C 580, both in BQ', async () => {
    const items = [
      { reference: 'Chèque 0001234 Crédit Agricole', amount: '45.50' },
      { reference: 'Chèque 0009876 Banque Populaire', amount: '30.00' },
    ];
    const key = idemKey();
    const res = await deposit({ bankAccount: '5121', method: 'cheque', items, depositedOn: '2026-03-04', creditedOn: '2026-03-06' }, key);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ slip: 'BRD-000001', method: 'cheque', bankAccount: '5121', amount: '75.50', items, depositedOn: '2026-03-04', creditedOn: '2026-03-06' });
    const out = await entry(res.body.outEntryId);
    const into = await entry(res.body.inEntryId);
    expect([out.journal, out.date, out.pieceRef, into.journal, into.date, into.pieceRef]).toEqual(['BQ', '2026-03-04', 'BRD-000001', 'BQ', '2026-03-06', 'BRD-000001']);
    expect((await entryLines(t, out.id)).map((l) => [l.code, l.debit, l.credit])).toEqual([['580', '75.50', '0.00'], ['5112', '0.00', '75.50']]);
    expect((await entryLines(t, into.id)).map((l) => [l.code, l.debit, l.credit])).toEqual([['5121', '75.50', '0.00'], ['580', '0.00', '75.50']]);
    expect([await balance('5112'), await balance('580'), await balance('5121')]).toEqual(['0.00', '0.00', '176.50']);
    const replay = await deposit({ bankAccount: '5121', method: 'cheque', items, depositedOn: '2026-03-04', creditedOn: '2026-03-06' }, key);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(res.body.id);
  });

  it('deposits cash by amount to the default bank account, never more than the till holds', async () => {
    const tooMuch = await deposit({ method: 'cash', amount: '80.01', depositedOn: '2026-03-05' });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body).toMatchObject({ code: 'INSUFFICIENT_BALANCE', account: '530', available: '80.00', requested: '80.01' });
    const res = await deposit({ method: 'cash', amount: '50.00', depositedOn: '2026-03-05' });
    expect(res.status).toBe(201);
    // The refused deposit consumed no slip number: slips have no gaps.
    expect(res.body).toMatchObject({ slip: 'BRD-000002', bankAccount: '512', amount: '50.00', items: [], creditedOn: '2026-03-05' });
    expect((await entryLines(t, res.body.inEntryId)).map((l) => [l.code, l.debit, l.credit])).toEqual([['512', '50.00', '0.00'], ['580', '0.00', '50.00']]);
    expect(await balance('530')).toBe('30.00');
    const noCheques = await deposit({ method: 'cheque', amount: '0.01', depositedOn: '2026-03-05' });
    expect(noCheques.body).toMatchObject({ code: 'INSUFFICIENT_BALANCE', account: '5112' });
  });

  it.each([
    ['both items and amount', { method: 'cash', amount: '1.00', items: [{ reference: 'x', amount: '1.00' }], depositedOn: '2026-03-05' }, 400, 'items'],
    ['neither items nor amount', { method: 'cash', depositedOn: '2026-03-05' }, 400, 'items'],
    ['a zero amount', { method: 'cash', amount: '0.00', depositedOn: '2026-03-05' }, 400, 'amount'],
    ['a credit before the deposit', { method: 'cash', amount: '1.00', depositedOn: '2026-03-05', creditedOn: '2026-03-04' }, 400, 'creditedOn'],
    ['an unknown method', { method: 'card', amount: '1.00', depositedOn: '2026-03-05' }, 400, 'method'],
    ['an unknown bank account', { method: 'cash', amount: '1.00', depositedOn: '2026-03-05', bankAccount: '5128' }, 422, 'bankAccount'],
    ['a date before the books', { method: 'cash', amount: '1.00', depositedOn: '2025-12-31' }, 400, 'depositedOn'],
  ])('refuses a deposit with %s', async (_case, body, status, field) => {
    const res = await deposit(body);
    expect(res.status).toBe(status);
    expect(res.body.errors).toHaveProperty(field);
  });

  it('lists the slips, newest first', async () => {
    const res = await t.http.get(url('/deposits')).set(bearer(token));
    expect(res.body.map((d: { slip: string }) => d.slip)).toEqual(['BRD-000002', 'BRD-000001']);
  });

  it('posts a grant tranche to the bank account it names', async () => {
    const region = await createContributor(t, caisseId, token, { kind: 'public-funder', funderType: 'region', name: 'Région' });
    const grant = await t.http.post(url('/grants')).set(bearer(token)).send({ contributorId: region.id, amount: '1000.00', from: '2026-01-01', to: '2026-12-31', reference: 'REG-1' });
    expect(grant.status).toBe(201);
    const res = await t.http.post(url(`/grants/${grant.body.id}/tranches`)).set(bearer(token)).set('Idempotency-Key', idemKey()).send({ amount: '400.00', receivedOn: '2026-04-01', bankAccount: '5122' });
    expect(res.status).toBe(201);
    const id = res.body.tranches[0].entryId;
    expect((await entry(id)).journal).toBe('BQ');
    expect((await entryLines(t, id)).map((l) => [l.code, l.debit, l.credit])).toEqual([['5122', '400.00', '0.00'], [`441-${region.number}`, '0.00', '400.00']]);
  });

  it('collects direct debits on the bank account named, with its IBAN and creditor identifier in the file', async () => {
    await contributionRules(t, caisseId, admin, { rule: 'percent-of-income', rate: '0.025', floor: '10.00' });
    const member = await createMember(t, caisseId, admin, { monthlyIncome: '1200.00' });
    await t.http.put(url('/direct-debit-settings')).set(bearer(token)).send({ creditorId: 'FR72ZZZ123456', creditorName: 'Caisse', creditorIban: 'FR7630004000031234567890143' });
    const mandate = await t.http.post(url('/mandates')).set(bearer(token)).send({ memberId: member.id, reference: `RUM-${caisseId.slice(0, 8)}`, signedOn: '2026-01-10', debtorName: 'Adhérente', iban: 'FR7630006000011234567890189' });
    expect(mandate.status).toBe(201);
    const collectionDate = nextBusinessDay(todayInFrance());
    const res = await t.http.post(url('/direct-debit-batches')).set(bearer(token)).set('Idempotency-Key', idemKey()).send({ period: '2026-02', collectionDate, bankAccount: '5121' });
    expect(res.status).toBe(201);
    // Built: the dues are called on the member's 411; settled: the bank account the batch names receives them.
    const contribution = await t.http.get(url(`/contributions?period=2026-02&memberId=${member.id}`)).set(bearer(token));
    const call = (await entryLines(t, contribution.body[0].entryId)).map((l) => [l.code, l.debit, l.credit]);
    expect(call).toEqual([[expect.stringMatching(/^411-/), '30.00', '0.00'], ['756', '0.00', '30.00']]);
    expect((await t.http.post(url(`/direct-debit-batches/${res.body.id}/settle`)).set(bearer(token)).send({ settledOn: collectionDate })).status).toBeLessThan(300);
    const batch = await t.http.get(url(`/direct-debit-batches/${res.body.id}`)).set(bearer(token));
    expect((await entryLines(t, batch.body.settlementEntryId)).map((l) => [l.code, l.debit, l.credit])).toEqual([['5121', '30.00', '0.00'], [call[0][0], '0.00', '30.00']]);
    const xml = (await t.http.get(url(`/direct-debit-batches/${res.body.id}/pain.008`)).set(bearer(token))).text;
    expect(xml).toContain(`<IBAN>${IBAN_A}</IBAN>`);
    expect(xml).toContain('FR19ZZZ654321');
  });

  it('closes a bank account only when empty and not the default', async () => {
    const busy = await t.http.patch(url('/bank-accounts/5121')).set(bearer(token)).send({ closed: true });
    expect(busy.body).toMatchObject({ code: 'ACCOUNT_NOT_SETTLED' });
    const dflt = await t.http.patch(url('/bank-accounts/512')).set(bearer(token)).send({ closed: true });
    expect(dflt.body.errors.closed[0]).toContain('default');
    const fresh = await openBank({ label: 'Livret', iban: 'FR7642559100000003333444443' });
    const closed = await t.http.patch(url(`/bank-accounts/${fresh.body.account}`)).set(bearer(token)).send({ closed: true });
    expect(closed.body.closedAt).toEqual(expect.any(String));
    const refused = await pay({ method: 'transfer', amount: '1.00', bankAccount: fresh.body.account });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('UNKNOWN_BANK_ACCOUNT');
  });

  it('leaves the books verifiable', async () => {
    expect((await t.http.get(url('/ledger/verify')).set(bearer(token))).body).toMatchObject({ ok: true, problems: [] });
  });
});
