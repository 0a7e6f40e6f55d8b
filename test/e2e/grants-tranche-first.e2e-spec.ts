import { bearer } from '../support/member-fixtures.js';
import { createContributor, entryLines, idemKey } from '../support/contribution-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('grant tranches first (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let token: string;
  let caf: { id: string; number: string };
  let grantId: string;
  beforeAll(async () => {
    t = await createTestApp();
    const c = await t.newCaisse();
    caisseId = c.caisseId;
    token = c.tokens.treasurer;
    // The grant runs next year: the books accept dates that far ahead only once the caisse says so.
    const limits = await t.http.patch(url('/ledger/settings')).set(bearer(c.tokens.admin)).send({ maxDaysAhead: 366 });
    if (limits.status !== 200) throw new Error(`settings failed: ${limits.status} ${JSON.stringify(limits.body)}`);
    caf = await createContributor(t, caisseId, token, { kind: 'public-funder', funderType: 'caf', name: 'CAF de Savoie' });
    const grant = await t.http
      .post(url('/grants'))
      .set(bearer(token))
      .send({ contributorId: caf.id, amount: '12000.00', from: '2027-01-01', to: '2027-12-31', fund: 'allocations', reference: 'CAF-73-2027' });
    if (grant.status !== 201) throw new Error(`grant failed: ${grant.status} ${JSON.stringify(grant.body)}`);
    grantId = grant.body.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const url = (suffix: string) => `/api/v1/caisses/${caisseId}${suffix}`;
  const trancheRoute = () => url(`/grants/${grantId}/tranches`);
  const record = (extra: Record<string, unknown> = {}) =>
    t.http.post(url('/contributions')).set(bearer(token)).set('Idempotency-Key', idemKey()).send({ contributorId: caf.id, amount: '3000.00', method: 'transfer', receivedOn: '2027-02-01', fund: 'allocations', ...extra });
  const count = async () => (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM journal_entries WHERE caisse_id = $1`, [caisseId]))[0].n;
  const income741 = async () =>
    (await t.sql<{ c: string }>(`SELECT (credits_posted - debits_posted)::text AS c FROM ledger_accounts WHERE caisse_id = $1 AND code = $2`, [caisseId, `741-${caf.number}`]))[0].c;

  it('refuses a plain contribution of a funder whose grant awaits money: 409 problem+json pointing at the grant and its tranche route, nothing written', async () => {
    const before = await count();
    const res = await record();
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'GRANT_TRANCHE_EXPECTED', grantId, grantReference: 'CAF-73-2027', remaining: '12000.00', trancheRoute: `/api/v1/caisses/${caisseId}/grants/${grantId}/tranches` });
    expect(await count()).toBe(before);
  });

  it('the tranche route books it D 512 / C 441 and 741 keeps the notified amount only', async () => {
    const res = await t.http.post(trancheRoute()).set(bearer(token)).set('Idempotency-Key', idemKey()).send({ amount: '3000.00', receivedOn: '2027-02-01' });
    expect(res.status).toBe(201);
    expect((await entryLines(t, res.body.tranches[0].entryId)).map((l) => [l.code, l.debit, l.credit])).toEqual([
      ['512', '3000.00', '0.00'],
      [`441-${caf.number}`, '0.00', '3000.00'],
    ]);
    expect(await income741()).toBe('12000.00');
  });

  it.each<[string, Record<string, unknown>, number, string]>([
    // case                                       body                                                       status  field or code
    ['override without a reason', { notATranche: true }, 400, 'reason'],
    ['override with a blank reason', { notATranche: true, reason: '   ' }, 400, 'reason'],
    ['override that is not a boolean', { notATranche: 'yes', reason: 'x' }, 400, 'notATranche'],
    ['notATranche false is the plain refusal', { notATranche: false }, 409, 'GRANT_TRANCHE_EXPECTED'],
  ])('%s → %s', async (_, extra, status, what) => {
    const res = await record(extra);
    expect(res.status).toBe(status);
    if (status === 400) expect(Object.keys(res.body.errors)).toContain(what);
    else expect(res.body.code).toBe(what);
  });

  it('notATranche with a reason records it on 741, the reason in the audit log', async () => {
    const res = await record({ notATranche: true, reason: 'Aide exceptionnelle hors convention (courrier du 2027-01-28)' });
    expect(res.status).toBe(201);
    expect((await entryLines(t, res.body.entryId)).map((l) => [l.code, l.debit, l.credit])).toEqual([
      ['512', '3000.00', '0.00'],
      [`741-${caf.number}`, '0.00', '3000.00'],
    ]);
    const [audit] = await t.sql<{ after: { notATranche: boolean; reason: string } }>(`SELECT after FROM audit_log WHERE action = 'contributions.recorded' AND target_id = $1`, [res.body.id]);
    expect(audit.after).toMatchObject({ notATranche: true, reason: 'Aide exceptionnelle hors convention (courrier du 2027-01-28)' });
  });

  it('once the grant is fully received, a payment of the funder is a plain contribution again', async () => {
    expect((await t.http.post(trancheRoute()).set(bearer(token)).set('Idempotency-Key', idemKey()).send({ amount: '9000.00', receivedOn: '2027-06-01' })).status).toBe(201);
    expect((await record()).status).toBe(201);
    const verify = await t.http.get(url('/ledger/verify')).set(bearer(token));
    expect(verify.body.ok).toBe(true);
  });
});
