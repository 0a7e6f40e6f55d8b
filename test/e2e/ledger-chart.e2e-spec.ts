import { entryBody, key } from '../support/ledger-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('open chart of accounts (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let token: string;
  const auth = () => ({ Authorization: `Bearer ${token}` });
  const url = (suffix: string) => `/api/v1/caisses/${caisseId}/ledger${suffix}`;
  const create = (body: object) => t.http.post(url('/accounts')).set(auth()).send(body);
  const patch = (code: string, body: object) => t.http.patch(url(`/accounts/${code}`)).set(auth()).send(body);
  const postEntry = (lines: { account: string; debit?: string; credit?: string }[]) =>
    t.http.post(url('/entries')).set(auth()).set('Idempotency-Key', key()).send(entryBody(lines));

  beforeAll(async () => {
    t = await createTestApp();
    const c = await t.newCaisse();
    caisseId = c.caisseId;
    token = c.tokens.treasurer;
  });
  afterAll(async () => t?.close());

  it('opens the books with the standard accounts of accounting.md, with their side and kind', async () => {
    const res = await t.http.get(url('/accounts')).set(auth());
    const byCode = new Map(res.body.map((a: { code: string }) => [a.code, a]));
    const expected: [string, string, string, boolean][] = [
      ['5112', 'D', 'bank', true],
      ['530', 'D', 'bank', true],
      ['580', 'D', 'bank', false],
      ['471', 'D', 'suspense', false],
      ['487', 'C', 'liability', false],
      ['613', 'D', 'expense', false],
      ['616', 'D', 'expense', false],
      ['624', 'D', 'expense', false],
      ['641', 'D', 'expense', false],
      ['645', 'D', 'expense', false],
      ['421', 'C', 'liability', false],
      ['431', 'C', 'liability', false],
    ];
    for (const [code, normalSide, kind, noOverdraft] of expected) {
      expect(byCode.get(code)).toMatchObject({ code, normalSide, kind, noOverdraft, custom: false, closedAt: null });
    }
  });

  it.each([
    ['letters', { number: '62A6', label: 'x' }, 'number', 'digits only'],
    ['two digits', { number: '62', label: 'x' }, 'number', '3 to 10 digits'],
    ['eleven digits', { number: '62260000001', label: 'x' }, 'number', '3 to 10 digits'],
    ['class 8', { number: '860', label: 'x' }, 'number', 'class 1 to 7'],
    ['class 9', { number: '901', label: 'x' }, 'number', 'class 1 to 7'],
    ['class 0', { number: '012', label: 'x' }, 'number', 'class 1 to 7'],
    ['member wallets 4671', { number: '46711', label: 'x' }, 'number', '4671'],
    ['outlets 401', { number: '4015', label: 'x' }, 'number', '401'],
    ['public funders 441', { number: '4412', label: 'x' }, 'number', '441'],
    ['other funders 4687', { number: '4687', label: 'x' }, 'number', '4687'],
    ['members 411', { number: '411', label: 'x' }, 'number', '411'],
    ['bank accounts 512', { number: '5125', label: 'x' }, 'number', 'bank-accounts'],
    ['an empty label', { number: '6226', label: '' }, 'label', ''],
    ['an unknown auxiliary kind', { number: '6226', label: 'x', auxiliaryKind: 'friend' }, 'auxiliaryKind', 'supplier'],
  ])('refuses %s with a 400 naming the field', async (_case, body, field, words) => {
    const res = await create(body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors[field].join(' ')).toContain(words);
  });

  it.each([
    ['6226', 'Honoraires', 'D', 'expense'],
    ['7066', 'Prestations', 'C', 'income'],
    ['2183', 'Matériel informatique', 'D', 'asset'],
    ['28183', 'Amortissement du matériel informatique', 'C', 'asset'],
    ['164', 'Emprunts', 'C', 'equity'],
    ['1091', 'Capital souscrit non appelé', 'D', 'equity'],
    ['4386', 'Organismes sociaux — charges à payer', 'C', 'third-party'],
    ['486', "Charges constatées d'avance", 'D', 'third-party'],
    ['467', 'Autres comptes débiteurs ou créditeurs', 'D', 'third-party'],
    ['5141', 'Chèques postaux', 'D', 'bank'],
  ])('adds %s (%s) on side %s, kind %s', async (number, label, normalSide, kind) => {
    const res = await create({ number, label });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ code: number, number, aux: null, label, normalSide, kind, custom: true, closedAt: null, balance: '0.00' });
  });

  it('refuses an account that exists already (default or added), with a 409', async () => {
    expect((await create({ number: '613', label: 'Loyer' })).body.code).toBe('ACCOUNT_EXISTS');
    expect((await create({ number: '6226', label: 'Encore' })).status).toBe(409);
  });

  it('lets manual entries use the new accounts, and keeps auxiliaries under an account kept per third party', async () => {
    const ok = await postEntry([{ account: '6226', debit: '480.00' }, { account: '467', credit: '480.00' }]);
    expect(ok.status).toBe(201);
    expect(ok.body.lines.map((l: { account: string }) => l.account)).toEqual(['6226', '467']);

    expect((await create({ number: '408', label: 'Fournisseurs', auxiliaryKind: 'supplier' })).status).toBe(201);
    const aux = await create({ number: '408', aux: 'S0001', label: 'Transports Rouget' });
    expect(aux.status).toBe(201);
    expect(aux.body).toMatchObject({ code: '408-S0001', aux: 'S0001', normalSide: 'C', kind: 'third-party', auxiliaryKind: 'supplier', custom: true });
    const noAux = await create({ number: '6226', aux: 'X1', label: 'x' });
    expect(noAux.status).toBe(400);
    expect(noAux.body.errors.aux[0]).toContain('kept per third party');
    const bill = await postEntry([{ account: '624', debit: '95.00' }, { account: '408-S0001', credit: '95.00' }]);
    expect(bill.status).toBe(201);
  });

  it('renames, closes an account whose balance is zero, refuses postings to it, reopens it; never deletes', async () => {
    expect((await create({ number: '6257', label: 'Réceptions' })).status).toBe(201);
    const renamed = await patch('6257', { label: 'Réceptions et assemblées' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.label).toBe('Réceptions et assemblées');
    const closed = await patch('6257', { closed: true });
    expect(closed.status).toBe(200);
    expect(closed.body.closedAt).toEqual(expect.any(String));
    const refused = await postEntry([{ account: '6257', debit: '10.00' }, { account: '530', credit: '10.00' }]);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'ACCOUNT_CLOSED', account: '6257' });
    const listed = (await t.http.get(url('/accounts')).set(auth())).body.find((a: { code: string }) => a.code === '6257');
    expect(listed.closedAt).toEqual(expect.any(String));
    expect((await patch('6257', { closed: false })).body.closedAt).toBeNull();
    expect((await t.http.delete(url('/accounts/6257')).set(auth())).status).toBe(404);
  });

  it('never closes an account of the standard chart the caisse’s own postings use (deposits go through 580)', async () => {
    for (const code of ['580', '530', '627']) {
      const res = await patch(code, { closed: true });
      expect([code, res.status, Object.keys(res.body.errors ?? {})]).toEqual([code, 400, ['closed']]);
    }
  });

  it('refuses a reversal that would leave money on a closed account (closing asked for zero)', async () => {
    expect((await create({ number: '6258', label: 'Cadeaux' })).status).toBe(201);
    const spent = await postEntry([{ account: '6258', debit: '10.00' }, { account: '471', credit: '10.00' }]);
    const cleared = await postEntry([{ account: '471', debit: '10.00' }, { account: '6258', credit: '10.00' }]);
    expect([spent.status, cleared.status]).toEqual([201, 201]);
    expect((await patch('6258', { closed: true })).status).toBe(200);
    const reversal = await t.http.post(url(`/entries/${cleared.body.id}/reversal`)).set(auth()).send({ reason: 'Saisie en double' });
    expect(reversal.status).toBe(409);
    expect(reversal.body).toMatchObject({ code: 'ACCOUNT_CLOSED', account: '6258' });
    const [{ balance }] = await t.sql<{ balance: string }>(`SELECT (debits_posted - credits_posted)::text AS balance FROM ledger_accounts WHERE caisse_id = $1 AND code = '6258'`, [caisseId]);
    expect(balance).toBe('0.00');
  });

  it('refuses to close an account with a balance, or one the system keeps per member, outlet or funder', async () => {
    const busy = await patch('6226', { closed: true });
    expect(busy.status).toBe(409);
    expect(busy.body).toMatchObject({ code: 'ACCOUNT_NOT_SETTLED', balance: '480.00' });
    const wallet = await patch('4671', { closed: true });
    expect(wallet.status).toBe(400);
    expect(wallet.body.errors.closed[0]).toContain('member wallets');
    expect((await patch('999', { label: 'x' })).status).toBe(400);
    expect((await patch('6999', { label: 'x' })).status).toBe(422);
  });

  it('is for bookkeepers only', async () => {
    const c = await t.newCaisse();
    const res = await t.http.post(`/api/v1/caisses/${c.caisseId}/ledger/accounts`).set({ Authorization: `Bearer ${c.tokens.cashier}` }).send({ number: '6226', label: 'x' });
    expect(res.status).toBe(403);
  });

  it('leaves the books verifiable', async () => {
    const res = await t.http.get(url('/verify')).set(auth());
    expect(res.body).toMatchObject({ ok: true, problems: [] });
  });
});
