import { randomUUID } from 'node:crypto';
import { ContributionsService } from '../../src/contributions/contributions.service.js';
import { bearer, createMember } from '../support/member-fixtures.js';
import { contributionRules, createContributor, entryLines, idemKey } from '../support/contribution-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('contributions (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let token: string;
  let memberId: string;
  beforeAll(async () => {
    t = await createTestApp();
    const c = await t.newCaisse();
    caisseId = c.caisseId;
    token = c.tokens.treasurer;
    await contributionRules(t, caisseId, c.tokens.admin, { rule: 'percent-of-income', rate: '0.025', floor: '10.00', excessAsGift: true });
    memberId = (await createMember(t, caisseId, c.tokens.admin, { monthlyIncome: '1234.50', joinedOn: '2026-01-05' })).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const url = (suffix: string) => `/api/v1/caisses/${caisseId}${suffix}`;
  const record = (body: Record<string, unknown>, key = idemKey()) => t.http.post(url('/contributions')).set(bearer(token)).set('Idempotency-Key', key).send(body);
  const count = async () => (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM contributions WHERE caisse_id = $1`, [caisseId]))[0].n;

  it('keeps the excessAsGift flag of the contribution rule (stored only when on)', async () => {
    const res = await t.http.get(url('/rule-versions/in-force?at=2026-02-01')).set(bearer(token));
    expect(res.body.contribution).toEqual({ rule: 'percent-of-income', rate: '0.025', floor: '10.00', excessAsGift: true });
  });

  it('quotes the member contribution with the computation and the cent rounding', async () => {
    const res = await t.http.get(url(`/members/${memberId}/contribution-quote?period=2026-02`)).set(bearer(token));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ rule: 'percent-of-income', kind: 'required', amount: '30.86', inputs: { monthlyIncome: '1234.50' } });
    expect(res.body.steps.join(' ')).toContain('30.8625');
  });

  it('records a member contribution: D 512 / C 756, status paid; a replay returns it without a second entry', async () => {
    const key = idemKey();
    const body = { memberId, amount: '30.86', period: '2026-02', method: 'transfer', receivedOn: '2026-02-05' };
    const first = await record(body, key);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ memberId, amount: '30.86', giftPart: '0.00', incomeAccount: '756' });
    expect(await entryLines(t, first.body.entryId)).toEqual([
      { code: '512', debit: '30.86', credit: '0.00', fund: null, grant_ref: null },
      { code: '756', debit: '0.00', credit: '30.86', fund: null, grant_ref: null },
    ]);
    const audit = await t.sql<{ actor_kind: string; role: string }>(`SELECT actor_kind, role FROM audit_log WHERE action = 'contributions.recorded' AND target_id = $1`, [first.body.id]);
    expect(audit).toEqual([{ actor_kind: 'user', role: 'treasurer' }]);
    const before = await count();
    const replay = await record(body, key);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(first.body.id);
    expect(await count()).toBe(before);
    expect((await record({ ...body, amount: '31.00' }, key)).status).toBe(409);
    const status = await t.http.get(url(`/members/${memberId}/contribution-status?period=2026-02`)).set(bearer(token));
    expect(status.body).toEqual({ memberId, period: '2026-02', status: 'paid', due: '30.86', paid: '30.86' });
  });

  it('books the part above the allocation as a gift (7541) when the rule says so', async () => {
    const res = await record({ memberId, amount: '130.00', period: '2026-03', method: 'cheque', receivedOn: '2026-03-02' });
    expect(res.status).toBe(201);
    expect(res.body.giftPart).toBe('30.00');
    expect((await entryLines(t, res.body.entryId)).map((l) => [l.code, l.debit, l.credit])).toEqual([
      ['5112', '130.00', '0.00'],
      ['756', '0.00', '100.00'],
      ['7541', '0.00', '30.00'],
    ]);
  });

  it('shows partial, due and waived statuses for the month', async () => {
    expect((await record({ memberId, amount: '5.00', period: '2026-04', method: 'cash', receivedOn: '2026-04-02' })).status).toBe(201);
    const partial = await t.http.get(url(`/contribution-statuses?period=2026-04`)).set(bearer(token));
    expect(partial.body).toEqual([{ memberId, period: '2026-04', status: 'partial', due: '30.86', paid: '5.00' }]);
    const due = await t.http.get(url(`/members/${memberId}/contribution-status?period=2026-05`)).set(bearer(token));
    expect(due.body.status).toBe('due');
    // An unknown member has no status (the quote answers 404 too); an upper-case id is the same member.
    for (const unknown of [randomUUID(), randomUUID().toUpperCase()]) {
      const res = await t.http.get(url(`/members/${unknown}/contribution-status?period=2026-05`)).set(bearer(token));
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
      expect((await t.http.get(url(`/members/${unknown}/contribution-quote?period=2026-05`)).set(bearer(token))).status).toBe(404);
    }
    expect((await t.http.get(url(`/members/${memberId.toUpperCase()}/contribution-status?period=2026-05`)).set(bearer(token))).body).toEqual(due.body);
    const listed = await t.http.get(url(`/contributions?period=2026-04&memberId=${memberId}`)).set(bearer(token));
    expect(listed.body.map((c: { amount: string; method: string }) => [c.amount, c.method])).toEqual([['5.00', 'cash']]);
    const waived = await t.http.post(url(`/members/${memberId}/contribution-waivers`)).set(bearer(token)).send({ period: '2026-05', reason: 'Commission solidarité' });
    expect(waived.status).toBe(201);
    expect(waived.body.status).toBe('waived');
  });

  // The allocation gate reads a whole period at once: it must say exactly what the member-by-member statuses say.
  it.each([
    ['percent-of-income', { rule: 'percent-of-income', rate: '0.025', floor: '10.00' }],
    ['grid (no income: nothing due)', { rule: 'grid', bands: [{ upTo: '1000.00', amount: '10.00' }, { amount: '40.00' }] }],
    ['brackets (lowest level)', { rule: 'brackets', levels: [{ label: 'A', amount: '15.00' }, { label: 'B', amount: '25.00' }] }],
  ])('gives the same statuses set-based as member by member under %s', async (_name, rule) => {
    const c = await t.newCaisse();
    await contributionRules(t, c.caisseId, c.tokens.admin, rule);
    const people = [
      await createMember(t, c.caisseId, c.tokens.admin, { monthlyIncome: '1234.50' }),
      await createMember(t, c.caisseId, c.tokens.admin, { monthlyIncome: '800.00', household: { adults: 1, childrenBirthYears: [2010, 2020] } }),
      await createMember(t, c.caisseId, c.tokens.admin, { household: { adults: 1, childrenBirthYears: [] } }),
      await createMember(t, c.caisseId, c.tokens.admin, { monthlyIncome: '3000.00', joinedOn: '2026-03-20' }),
    ];
    const pay = (memberId: string, amount: string) =>
      t.http.post(`/api/v1/caisses/${c.caisseId}/contributions`).set(bearer(c.tokens.treasurer)).set('Idempotency-Key', idemKey()).send({ memberId, amount, period: '2026-03', method: 'cash', receivedOn: '2026-03-02' });
    expect((await pay(people[0].id, '50.00')).status).toBe(201);
    expect((await pay(people[1].id, '5.00')).status).toBe(201);
    expect((await pay(people[1].id, '5.00')).status).toBe(201);
    await t.http.post(`/api/v1/caisses/${c.caisseId}/members/${people[2].id}/contribution-waivers`).set(bearer(c.tokens.treasurer)).send({ period: '2026-03', reason: 'CCAS' });
    const facade = t.app.get(ContributionsService);
    for (const period of ['2026-02', '2026-03']) {
      const one = await facade.statusFor(c.caisseId, period);
      expect(await facade.statusesForPeriod(c.caisseId, period)).toEqual(one);
      expect(one.length).toBe(period === '2026-02' ? 3 : 4);
    }
  });

  it('posts contributor payments to the account of their kind, with the fund on every line', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: 'employer', name: 'Biocoop SARL', siret: '73282932000074' }, '7551'],
      [{ kind: 'foundation', name: 'Fondation Carasso' }, '7551'],
      [{ kind: 'company', name: 'Mécène SA' }, '7542'],
      [{ kind: 'individual', name: 'Jeanne Donatrice' }, '7541'],
      [{ kind: 'public-funder', funderType: 'commune', name: 'Ville de Montpellier' }, '741-'],
    ];
    for (const [contributor, account] of cases) {
      const c = await createContributor(t, caisseId, token, contributor);
      const res = await record({ contributorId: c.id, amount: '1000.00', method: 'transfer', receivedOn: '2026-02-10', fund: 'allocations' });
      expect(res.status).toBe(201);
      const lines = await entryLines(t, res.body.entryId);
      expect(lines[0]).toEqual({ code: '512', debit: '1000.00', credit: '0.00', fund: 'allocations', grant_ref: null });
      expect(lines[1].code.startsWith(account)).toBe(true);
      expect(lines[1]).toMatchObject({ credit: '1000.00', fund: 'allocations' });
      if (account === '741-') expect(lines[1].code).toBe(`741-${c.number}`);
    }
  });

  describe('bad input: 400 naming the field, nothing written', () => {
    it.each<[string, Record<string, unknown>, string]>([
      ['zero amount', { amount: '0.00' }, 'amount'],
      ['negative amount', { amount: '-5.00' }, 'amount'],
      ['three decimals', { amount: '10.005' }, 'amount'],
      ['member not active in the period', { period: '2025-12' }, 'memberId'],
      ['unknown fund', { fund: 'nope' }, 'fund'],
      ['bad method', { method: 'bitcoin' }, 'method'],
      ['bad period', { period: '2026-13' }, 'period'],
    ])('%s', async (_, override, field) => {
      const before = await count();
      const res = await record({ memberId, amount: '10.00', period: '2026-06', method: 'transfer', receivedOn: '2026-06-01', ...override });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(Object.keys(res.body.errors)).toContain(field);
      expect(await count()).toBe(before);
    });

    it('refuses a contribution without an Idempotency-Key', async () => {
      const res = await t.http.post(url('/contributions')).set(bearer(token)).send({ memberId, amount: '10.00', period: '2026-06', method: 'cash', receivedOn: '2026-06-01' });
      expect(res.status).toBe(400);
    });

    it.each<[Record<string, unknown>, string]>([
      [{ kind: 'employer', name: 'X', siret: '73282932000075' }, 'siret'],
      [{ kind: 'employer', name: 'X' }, 'siret'],
      [{ kind: 'foundation', name: 'X', iban: 'FR7630006000011234567890188' }, 'iban'],
      [{ kind: 'public-funder', name: 'X' }, 'funderType'],
    ])('contributor %j → %s', async (body, field) => {
      const res = await t.http.post(url('/contributors')).set(bearer(token)).send(body);
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors)).toContain(field);
    });
  });
});
