import { randomUUID } from 'node:crypto';
import { luhnValid } from '../../src/common/validation/validators.js';
import { MembersService } from '../../src/members/members.service.js';
import { bearer, createMember, memberBody } from '../support/member-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Caisse = Awaited<ReturnType<TestApp['newCaisse']>>;

describe('members (e2e)', () => {
  let t: TestApp;
  let c: Caisse;
  let other: Caisse;
  const url = (path = '') => `/api/v1/caisses/${c.caisseId}/members${path}`;

  beforeAll(async () => {
    t = await createTestApp();
    c = await t.newCaisse();
    other = await t.newCaisse();
  });
  afterAll(async () => t?.close());

  describe('creation', () => {
    it('creates an active member with a pseudonymous wallet, a Luhn card and a PIN shown once', async () => {
      const res = await t.http.post(url()).set(bearer(c.tokens.admin)).send(memberBody({ monthlyIncome: '1240.50', contact: { email: 'Nadia.B@Example.org' } }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        number: expect.stringMatching(/^M\d{8}$/),
        status: 'active',
        household: { adults: 2, childrenBirthYears: [2015, 2019] },
        contact: { email: 'nadia.b@example.org', phone: null, address: null },
        monthlyIncome: '1240.50',
        pin: expect.stringMatching(/^\d{4}$/),
        card: { state: 'active', locked: false, pinSet: true },
      });
      expect(res.body.cardNumber).toMatch(/^\d{16}$/);
      expect(luhnValid(res.body.cardNumber)).toBe(true);
      expect(res.body.walletAccount).toBe(`4671-${res.body.number}`);
      expect(res.body.statusHistory).toEqual([expect.objectContaining({ status: 'active', effectiveOn: '2026-01-05' })]);
      // The ledger holds the pseudonym, never the name.
      const [account] = await t.sql<{ label: string }>(`SELECT label FROM ledger_accounts WHERE caisse_id = $1 AND code = $2`, [c.caisseId, res.body.walletAccount]);
      expect(account.label).toBe(`Adhérent ${res.body.number}`);
      const [card] = await t.sql<{ pin_hash: string }>(`SELECT pin_hash FROM member_cards WHERE member_id = $1`, [res.body.id]);
      expect(card.pin_hash).toMatch(/^hmac\$test2\$/);
      expect(card.pin_hash).not.toContain(res.body.pin);
    });

    it('keeps a chosen PIN secret (never echoed) and numbers members in sequence per caisse', async () => {
      const a = await createMember(t, c.caisseId, c.tokens.admin, { pin: '4821' });
      const b = await createMember(t, c.caisseId, c.tokens.admin);
      expect(a.pin).toBeNull();
      expect(Number(b.number.slice(1))).toBe(Number(a.number.slice(1)) + 1);
      const first = await createMember(t, other.caisseId, other.tokens.admin);
      expect(first.number).toBe('M00000001');
    });

    it('gives an applicant no wallet and no card until it becomes active', async () => {
      const m = await createMember(t, c.caisseId, c.tokens.admin, { status: 'applicant' });
      expect(m).toMatchObject({ walletAccount: null, cardNumber: null, card: null, pin: null });
      const res = await t.http.patch(url(`/${m.id}`)).set(bearer(c.tokens.admin)).send({ status: 'active', statusOn: '2026-02-01', statusReason: 'Cohorte 2' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'active', walletAccount: `4671-${m.number}`, card: { state: 'active', pinSet: false } });
      expect(res.body.statusHistory.map((h: { status: string; effectiveOn: string }) => [h.status, h.effectiveOn])).toEqual([
        ['applicant', '2026-01-05'],
        ['active', '2026-02-01'],
      ]);
    });

    it('replays a creation with the same Idempotency-Key without a second member, and without the PIN', async () => {
      const key = `member-${randomUUID()}`;
      const body = memberBody();
      const first = await t.http.post(url()).set(bearer(c.tokens.admin)).set('Idempotency-Key', key).send(body);
      const again = await t.http.post(url()).set(bearer(c.tokens.admin)).set('Idempotency-Key', key).send(body);
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body.id).toBe(first.body.id);
      expect(first.body.pin).toMatch(/^\d{4}$/);
      expect(again.body.pin).toBeNull();
      const [stored] = await t.sql<{ body: string }>(`SELECT response_body::text AS body FROM idempotency_keys WHERE key = $1`, [key]);
      expect(stored.body).not.toContain(first.body.pin);
      const conflict = await t.http.post(url()).set(bearer(c.tokens.admin)).set('Idempotency-Key', key).send({ ...body, firstName: 'Autre' });
      expect(conflict.status).toBe(409);
      expect(conflict.body.code).toBe('IDEMPOTENCY_CONFLICT');
    });
  });

  describe('bad input', () => {
    const send = (body: Record<string, unknown>) => t.http.post(url()).set(bearer(c.tokens.admin)).send(body);

    it.each<[string, Record<string, unknown>, string[]]>([
      ['an invalid INSEE code', { commune: '3417' }, ['commune']],
      ['a negative household size', { household: { adults: -1, childrenBirthYears: [] } }, ['household.adults']],
      ['no adult', { household: { adults: 0, childrenBirthYears: [] } }, ['household.adults']],
      ['a child born in the future', { household: { adults: 1, childrenBirthYears: [2999] } }, ['household.childrenBirthYears']],
      ['income not a decimal', { monthlyIncome: 'mille euros' }, ['monthlyIncome']],
      ['income as a JSON number', { monthlyIncome: 1240.5 }, ['monthlyIncome']],
      ['negative income', { monthlyIncome: '-10.00' }, ['monthlyIncome']],
      ['an unknown status', { status: 'vip' }, ['status']],
      ['a non-date joinedOn', { joinedOn: '2027-02-30' }, ['joinedOn']],
      ['a weak PIN', { pin: '1234' }, ['pin']],
      ['a PIN too short', { pin: '12' }, ['pin']],
      ['a bad email', { contact: { email: 'not-an-email' } }, ['contact.email']],
      ['null for a required name', { firstName: null }, ['firstName']],
      ['unknown fields', { isAdmin: true }, ['isAdmin']],
    ])('refuses %s with a field error, writing nothing', async (_name, overrides, fields) => {
      const [before] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM members`);
      const res = await send(memberBody(overrides));
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(res.body.errors).sort()).toEqual(fields.sort());
      const [after] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM members`);
      expect(after.n).toBe(before.n);
    });

    it('refuses a PIN for a member who gets no card', async () => {
      const res = await send(memberBody({ status: 'applicant', pin: '4821' }));
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors)).toEqual(['pin']);
    });

    it('refuses a duplicate email in the caisse (any case), but not in another caisse', async () => {
      const email = `dup-${randomUUID().slice(0, 6)}@example.org`;
      await createMember(t, c.caisseId, c.tokens.admin, { contact: { email } });
      const dup = await send(memberBody({ contact: { email: email.toUpperCase() } }));
      expect(dup.status).toBe(409);
      expect(dup.body).toMatchObject({ code: 'EMAIL_TAKEN', errors: { 'contact.email': [expect.any(String)] } });
      await createMember(t, other.caisseId, other.tokens.admin, { contact: { email } });
      const m = await createMember(t, c.caisseId, c.tokens.admin);
      const patch = await t.http.patch(url(`/${m.id}`)).set(bearer(c.tokens.admin)).send({ contact: { email } });
      expect(patch.status).toBe(409);
      expect(patch.body.code).toBe('EMAIL_TAKEN');
    });

    it('refuses an impossible status change, and a change dated before the last one', async () => {
      const m = await createMember(t, c.caisseId, c.tokens.admin, { status: 'applicant' });
      const jump = await t.http.patch(url(`/${m.id}`)).set(bearer(c.tokens.admin)).send({ status: 'suspended' });
      expect(jump.status).toBe(409);
      expect(jump.body.code).toBe('INVALID_STATUS_TRANSITION');
      const back = await t.http.patch(url(`/${m.id}`)).set(bearer(c.tokens.admin)).send({ status: 'active', statusOn: '2025-12-31' });
      expect(back.status).toBe(400);
      expect(Object.keys(back.body.errors)).toEqual(['statusOn']);
    });

    it('answers 400 for a malformed member id and 404 for an unknown one', async () => {
      expect((await t.http.get(url('/not-a-uuid')).set(bearer(c.tokens.admin))).status).toBe(400);
      expect((await t.http.get(url(`/${randomUUID()}`)).set(bearer(c.tokens.admin))).status).toBe(404);
    });
  });

  describe('reading and changing', () => {
    it('shows the declared income to admins and treasurers only', async () => {
      const m = await createMember(t, c.caisseId, c.tokens.admin, { monthlyIncome: '900.00' });
      const admin = await t.http.get(url(`/${m.id}`)).set(bearer(c.tokens.admin));
      const treasurer = await t.http.get(url(`/${m.id}`)).set(bearer(c.tokens.treasurer));
      expect(admin.body).toMatchObject({ monthlyIncome: '900.00', incomeDeclaredOn: expect.any(String) });
      expect(treasurer.body.monthlyIncome).toBe('900.00');
      const list = await t.http.get(url('?status=active&limit=200')).set(bearer(c.tokens.treasurer));
      expect(list.status).toBe(200);
      expect(list.body.items.find((x: { id: string }) => x.id === m.id).monthlyIncome).toBe('900.00');
    });

    it('keeps other roles and other caisses out', async () => {
      const m = await createMember(t, c.caisseId, c.tokens.admin);
      for (const role of ['committee', 'cashier'] as const) {
        expect((await t.http.get(url()).set(bearer(c.tokens[role]))).status).toBe(403);
        expect((await t.http.post(url()).set(bearer(c.tokens[role])).send(memberBody())).status).toBe(403);
      }
      expect((await t.http.patch(url(`/${m.id}`)).set(bearer(c.tokens.treasurer)).send({ commune: '34057' })).status).toBe(403);
      // A member account not linked to this member is told it does not exist.
      expect((await t.http.get(url(`/${m.id}`)).set(bearer(c.tokens.member))).status).toBe(404);
      expect((await t.http.get(url(`/${m.id}`)).set(bearer(other.tokens.admin))).status).toBe(404);
      expect((await t.http.get(`/api/v1/caisses/${other.caisseId}/members/${m.id}`).set(bearer(other.tokens.admin))).status).toBe(404);
    });

    it('changes household, income and consents, and audits only field names', async () => {
      const m = await createMember(t, c.caisseId, c.tokens.admin, { monthlyIncome: '1500.00' });
      const res = await t.http
        .patch(url(`/${m.id}`))
        .set(bearer(c.tokens.admin))
        .send({ household: { childrenBirthYears: [2015, 2019, 2026] }, monthlyIncome: null, consents: { research: true }, lastName: 'Martin-Secret' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ household: { adults: 2, childrenBirthYears: [2015, 2019, 2026] }, monthlyIncome: null, incomeDeclaredOn: null, lastName: 'Martin-Secret', consents: { research: true } });
      const rows = await t.sql<{ action: string; after: string }>(`SELECT action, after::text AS after FROM audit_log WHERE target_id = $1 ORDER BY id`, [m.id]);
      expect(rows.map((r) => r.action)).toEqual(['member.created', 'member.updated']);
      for (const r of rows) {
        expect(r.after).not.toMatch(/Martin-Secret|Benali|Nadia|1500|1240|2015/);
        expect(r.after).toContain(m.number);
      }
      expect(JSON.parse(rows[1].after).changed.sort()).toEqual(['consents.research', 'household.childrenBirthYears', 'lastName', 'monthlyIncome']);
    });

    it('links a user account with role member, once', async () => {
      const m = await createMember(t, c.caisseId, c.tokens.admin);
      const [user] = await t.sql<{ id: string }>(`SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.caisse_id = $1 AND r.role = 'member'`, [c.caisseId]);
      const link = await t.http.patch(url(`/${m.id}`)).set(bearer(c.tokens.admin)).send({ userId: user.id });
      expect(link.status).toBe(200);
      expect(link.body.userId).toBe(user.id);
      const self = await t.http.get(url(`/${m.id}`)).set(bearer(c.tokens.member));
      expect(self.status).toBe(200);
      expect(self.body).not.toHaveProperty('monthlyIncome');
      const m2 = await createMember(t, c.caisseId, c.tokens.admin);
      const twice = await t.http.patch(url(`/${m2.id}`)).set(bearer(c.tokens.admin)).send({ userId: user.id });
      expect(twice.status).toBe(409);
      expect(twice.body.code).toBe('USER_ALREADY_LINKED');
      const ghost = await t.http.patch(url(`/${m2.id}`)).set(bearer(c.tokens.admin)).send({ userId: randomUUID() });
      expect(ghost.status).toBe(400);
      expect(Object.keys(ghost.body.errors)).toEqual(['userId']);
      await t.http.patch(url(`/${m.id}`)).set(bearer(c.tokens.admin)).send({ userId: null });
    });

    it('lists for a month who was active how many days, with the household on its first day (facade for allocations)', async () => {
      const fresh = await t.newCaisse();
      const m = await createMember(t, fresh.caisseId, fresh.tokens.admin, { joinedOn: '2026-03-10', household: { adults: 2, childrenBirthYears: [2012, 2013, 2020] } });
      await createMember(t, fresh.caisseId, fresh.tokens.admin, { status: 'applicant', joinedOn: '2026-03-01' });
      const patch = (body: object) => t.http.patch(`/api/v1/caisses/${fresh.caisseId}/members/${m.id}`).set(bearer(fresh.tokens.admin)).send(body).expect(200);
      await patch({ status: 'suspended', statusOn: '2026-03-20' });
      await patch({ status: 'active', statusOn: '2026-03-25' });
      const members = t.app.get(MembersService);
      expect(await members.activeInPeriod(fresh.caisseId, '2026-03')).toEqual([
        {
          memberId: m.id,
          pseudonym: m.number,
          walletAccount: m.walletAccount,
          activeDays: 10 + 7,
          activeFrom: '2026-03-10',
          activeThrough: '2026-03-31',
          adults: 2,
          childrenUnder14: 2,
          children14AndOver: 1,
          childrenBirthYears: [2012, 2013, 2020],
        },
      ]);
      expect(await members.activeInPeriod(fresh.caisseId, '2026-02')).toEqual([]);
      expect((await members.activeInPeriod(fresh.caisseId, '2027-01'))[0]).toMatchObject({ activeDays: 31, childrenUnder14: 1, children14AndOver: 2 });
      await expect(members.activeInPeriod(fresh.caisseId, '2026-13')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    });

    it('blocks the card when the member leaves', async () => {
      const m = await createMember(t, c.caisseId, c.tokens.admin);
      const res = await t.http.patch(url(`/${m.id}`)).set(bearer(c.tokens.admin)).send({ status: 'left', statusReason: 'Déménagement' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'left', cardNumber: null, card: null });
      const cards = await t.http.get(url(`/${m.id}/cards`)).set(bearer(c.tokens.admin));
      expect(cards.body).toEqual([expect.objectContaining({ cardNumber: m.cardNumber, state: 'blocked', blockReason: 'member left' })]);
    });
  });
});
