import { bearer, createMember, type CreatedMember, outletAccount, post } from '../support/member-fixtures.js';
import { allLines, allocationRules, runPeriod } from '../support/allocation-fixtures.js';
import { createContributor, entryLines, idemKey } from '../support/contribution-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** [account, debit, credit, fund] of an entry, in line order. */
type Row = [string, string, string, string | null];

describe('top-up to target and expiry back to the paying fund (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let tokens: Record<'admin' | 'treasurer' | 'committee' | 'cashier' | 'member', string>;
  const members: Record<string, CreatedMember> = {};
  beforeAll(async () => {
    t = await createTestApp();
    ({ caisseId, tokens } = await t.newCaisse());
    // Savoie: the household pays 30–60 €, the CAF grant earmarked for allocations tops it up to 90 €; unspent money expires.
    const created = await t.http.post(url('/funds')).set(bearer(tokens.treasurer)).send({ code: 'caf-savoie', label: 'CAF — complément', usableForAllocations: true });
    if (created.status !== 201) throw new Error(`fund failed: ${created.status} ${JSON.stringify(created.body)}`);
    const caf = await createContributor(t, caisseId, tokens.treasurer, { kind: 'public-funder', funderType: 'caf', name: 'CAF de la Savoie' });
    const grant = await t.http
      .post(url('/grants'))
      .set(bearer(tokens.treasurer))
      .send({ contributorId: caf.id, amount: '5000.00', from: '2026-01-01', to: '2026-12-31', fund: 'caf-savoie', reference: 'CAF-73-2026' });
    if (grant.status !== 201) throw new Error(`grant failed: ${grant.status} ${JSON.stringify(grant.body)}`);
    await allocationRules(t, caisseId, tokens.admin, '2026-01-01', { formula: 'top-up', target: '90.00', fund: 'caf-savoie' }, { rollover: { mode: 'expire' } });
    for (const [name, paid] of [['p30', '30.00'], ['p60', '60.00'], ['p0', null]] as const) {
      members[name] = await createMember(t, caisseId, tokens.admin, { joinedOn: '2026-01-01' });
      if (paid) await pay(members[name].id, '2026-01', paid);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  function url(suffix: string) {
    return `/api/v1/caisses/${caisseId}${suffix}`;
  }
  async function pay(memberId: string, period: string, amount: string) {
    const res = await t.http.post(url('/contributions')).set(bearer(tokens.treasurer)).set('Idempotency-Key', idemKey()).send({ memberId, amount, period, method: 'transfer', receivedOn: `${period}-03` });
    if (res.status !== 201) throw new Error(`payment failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  const rows = async (entryId: string | null): Promise<Row[]> => (await entryLines(t, entryId!)).map((l) => [l.code, l.debit, l.credit, l.fund]);
  const lineOf = async (runId: string) => new Map((await allLines(t, caisseId, tokens.admin, runId)).map((l) => [l.memberId, l as typeof l & { topUp: string; topUpFund: string | null }]));

  it.each<[string, string, Row[]]>([
    // household  top-up    allocation entry: own part on the run's fund, the top-up on the rule's fund, the whole target to the wallet
    ['p30', '60.00', [['6571', '30.00', '0.00', 'allocations'], ['6571', '60.00', '0.00', 'caf-savoie'], ['wallet', '0.00', '90.00', null]]],
    ['p60', '30.00', [['6571', '60.00', '0.00', 'allocations'], ['6571', '30.00', '0.00', 'caf-savoie'], ['wallet', '0.00', '90.00', null]]],
    ['p0', '90.00', [['6571', '90.00', '0.00', 'caf-savoie'], ['wallet', '0.00', '90.00', null]]],
  ])('January: %s paid, the wallet gets 90 and %s is charged to the CAF fund', async (name, topUp, expected) => {
    const run = await runPeriod(t, caisseId, tokens.admin, '2026-01');
    expect(run.status).toBe('completed');
    const line = (await lineOf(run.id)).get(members[name].id)!;
    expect(line).toMatchObject({ status: 'credited', amount: '90.00', topUp, topUpFund: 'caf-savoie' });
    expect(await rows(line.entryId)).toEqual(expected.map(([a, ...r]) => [a === 'wallet' ? members[name].walletAccount : a, ...r]));
  });

  it('shows the month’s top-up total in the fund figures', async () => {
    const res = await t.http.get(url('/funds?at=2026-12-31')).set(bearer(tokens.committee));
    const caf = res.body.find((f: { fund: string | null }) => f.fund === 'caf-savoie');
    expect(caf).toMatchObject({ receivable: '5000.00', used: '180.00', topUps: [{ period: '2026-01', amount: '180.00', members: 3 }] });
    expect(res.body.find((f: { fund: string | null }) => f.fund === 'allocations')).toMatchObject({ used: '90.00', topUps: [] });
  });

  it.each<[string, string | null, Row[]]>([
    // household  spent in January   expiry entry before the February credit: 6571 back to the funds that paid the expiring money, oldest first
    ['p30', '40.00', [['wallet', '50.00', '0.00', null], ['6571', '0.00', '50.00', 'caf-savoie']]],
    ['p60', null, [['wallet', '90.00', '0.00', null], ['6571', '0.00', '60.00', 'allocations'], ['6571', '0.00', '30.00', 'caf-savoie']]],
    ['p0', null, [['wallet', '90.00', '0.00', null], ['6571', '0.00', '90.00', 'caf-savoie']]],
  ])('February: %s spent %s, the rest expires to the funds that paid it', async (name, spent, expected) => {
    if (spent) await post(t, caisseId, 'ACH', 'Achat', [{ account: members[name].walletAccount!, debit: spent }, { account: await outletAccount(t, caisseId, 'Épicerie'), credit: spent }]);
    const run = await runPeriod(t, caisseId, tokens.admin, '2026-02');
    expect(run.status).toBe('completed');
    const line = (await lineOf(run.id)).get(members[name].id)!;
    expect(await rows(line.expireEntryId)).toEqual(expected.map(([a, ...r]) => [a === 'wallet' ? members[name].walletAccount : a, ...r]));
  });

  it('keeps the books verifiable', async () => {
    const verify = await t.http.get(url('/ledger/verify')).set(bearer(tokens.treasurer));
    expect(verify.body.ok).toBe(true);
  });

  it('fails a run whose top-up fund may not pay wallets, with the reason', async () => {
    const other = await t.newCaisse();
    await allocationRules(t, other.caisseId, other.tokens.admin, '2026-01-01', { formula: 'top-up', target: '90.00', fund: 'ingenierie' });
    await createMember(t, other.caisseId, other.tokens.admin, { joinedOn: '2026-01-01' });
    const run = await runPeriod(t, other.caisseId, other.tokens.admin, '2026-01');
    expect(run).toMatchObject({ status: 'failed', errors: [expect.objectContaining({ code: 'TOP_UP_FUND_NOT_USABLE' })] });
  });
});
