import { todayInFrance } from '../../src/common/dates.js';
import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Body = Record<string, unknown>;
type Tokens = Awaited<ReturnType<TestApp['newCaisse']>>['tokens'];

const PROBLEM = /^application\/problem\+json/;

/** A valid body; each case replaces one part of it. */
function validBody(effectiveFrom: string, overrides: Body = {}): Body {
  return {
    effectiveFrom,
    allocation: { formula: 'flat', amount: '100.00' },
    contribution: { rule: 'free', floor: '10.00' },
    rollover: { mode: 'rollover' },
    gate: { requireContribution: false },
    ...overrides,
  };
}

describe('rule versions (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const url = (caisseId: string, suffix = '') => `/api/v1/caisses/${caisseId}/rule-versions${suffix}`;
  const post = (caisseId: string, token: string, body: unknown, key?: string) => {
    const req = t.http.post(url(caisseId)).set('Authorization', `Bearer ${token}`);
    if (key !== undefined) req.set('Idempotency-Key', key);
    return req.send(body as object);
  };
  const get = (caisseId: string, token: string, suffix = '') => t.http.get(url(caisseId, suffix)).set('Authorization', `Bearer ${token}`);
  const countVersions = async (caisseId: string) =>
    (await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM caisse_rule_versions WHERE caisse_id = $1', [caisseId]))[0].n;

  describe('valid shapes', () => {
    let caisseId: string;
    let tokens: Tokens;
    beforeAll(async () => {
      ({ caisseId, tokens } = await t.newCaisse());
    });

    it.each<[string, Body, Body]>([
      ['flat allocation', { allocation: { formula: 'flat', amount: '150' } }, { allocation: { formula: 'flat', amount: '150.00' } }],
      [
        'household allocation',
        { allocation: { formula: 'household', base: '150', perExtraAdult: '75.5', perChild: '45.00' } },
        { allocation: { formula: 'household', base: '150.00', perExtraAdult: '75.50', perChild: '45.00' } },
      ],
      ['mean-of-contributions allocation', { allocation: { formula: 'mean-of-contributions' } }, { allocation: { formula: 'mean-of-contributions' } }],
      ['top-up allocation', { allocation: { formula: 'top-up', target: '90' } }, { allocation: { formula: 'top-up', target: '90.00' } }],
      ['free contribution with floor only', { contribution: { rule: 'free', floor: '1' } }, { contribution: { rule: 'free', floor: '1.00' } }],
      [
        'free contribution with floor and ceiling',
        { contribution: { rule: 'free', floor: '30', ceiling: '180.5' } },
        { contribution: { rule: 'free', floor: '30.00', ceiling: '180.50' } },
      ],
      [
        'percent-of-income contribution',
        { contribution: { rule: 'percent-of-income', rate: '0.025', floor: '10.00' } },
        { contribution: { rule: 'percent-of-income', rate: '0.025', floor: '10.00' } },
      ],
      [
        'percent-of-income contribution with ceiling',
        { contribution: { rule: 'percent-of-income', rate: '0.025', floor: '10', ceiling: '250' } },
        { contribution: { rule: 'percent-of-income', rate: '0.025', floor: '10.00', ceiling: '250.00' } },
      ],
      [
        'grid contribution',
        { contribution: { rule: 'grid', bands: [{ upTo: '800', amount: '10' }, { upTo: '1200.00', amount: '20.5' }, { amount: '40' }] } },
        { contribution: { rule: 'grid', bands: [{ upTo: '800.00', amount: '10.00' }, { upTo: '1200.00', amount: '20.50' }, { amount: '40.00' }] } },
      ],
      [
        'brackets contribution',
        {
          contribution: {
            rule: 'brackets',
            levels: [
              { label: 'Niveau 1', amount: '5' },
              { label: 'Niveau 2', amount: '15' },
              { label: 'Niveau 3', amount: '30' },
              { label: 'Niveau 4', amount: '60' },
              { label: 'Niveau 5', amount: '90' },
            ],
          },
        },
        {
          contribution: {
            rule: 'brackets',
            levels: [
              { label: 'Niveau 1', amount: '5.00' },
              { label: 'Niveau 2', amount: '15.00' },
              { label: 'Niveau 3', amount: '30.00' },
              { label: 'Niveau 4', amount: '60.00' },
              { label: 'Niveau 5', amount: '90.00' },
            ],
          },
        },
      ],
      ['rollover mode rollover', { rollover: { mode: 'rollover' } }, { rollover: { mode: 'rollover' } }],
      ['rollover mode cap with capMonths', { rollover: { mode: 'cap', capMonths: 3 } }, { rollover: { mode: 'cap', capMonths: 3 } }],
      ['rollover mode expire', { rollover: { mode: 'expire' } }, { rollover: { mode: 'expire' } }],
      ['gate requiring the contribution', { gate: { requireContribution: true } }, { gate: { requireContribution: true } }],
      ['gate not requiring the contribution', { gate: { requireContribution: false } }, { gate: { requireContribution: false } }],
    ])('accepts %s and answers 201 with normalised amounts', async (_name, overrides, expected) => {
      const effectiveFrom = `2030-01-${String((await countVersions(caisseId)) + 1).padStart(2, '0')}`;
      const res = await post(caisseId, tokens.treasurer, validBody(effectiveFrom, overrides));
      expect(res.status).toBe(201);
      const want = { ...validBody(effectiveFrom), ...expected };
      const { effectiveFrom: wantDate, ...wantRules } = want;
      expect(res.body).toStrictEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        effectiveFrom: wantDate,
        ...wantRules,
        createdAt: expect.any(String),
      });
      expect(Number.isNaN(Date.parse(res.body.createdAt))).toBe(false);
      // Stored as answered, and an audit entry written with it.
      const [row] = await t.sql<Body>('SELECT allocation, contribution, rollover, gate FROM caisse_rule_versions WHERE id = $1', [res.body.id]);
      expect(row).toEqual(wantRules);
      const audit = await t.sql('SELECT action FROM audit_log WHERE caisse_id = $1 AND target_id = $2', [caisseId, res.body.id]);
      expect(audit).toEqual([{ action: 'rule-version.created' }]);
    });

    it('an admin may create a version too', async () => {
      const res = await post(caisseId, tokens.admin, validBody('2031-06-01'));
      expect(res.status).toBe(201);
    });
  });

  describe('invalid bodies', () => {
    let caisseId: string;
    let tokens: Tokens;
    beforeAll(async () => {
      ({ caisseId, tokens } = await t.newCaisse());
    });

    const base = validBody('2030-01-01');
    const without = (key: string): Body => Object.fromEntries(Object.entries(base).filter(([k]) => k !== key));

    it.each<[string, unknown, string[]]>([
      ['allocation.amount as a number', { ...base, allocation: { formula: 'flat', amount: 100 } }, ['allocation.amount']],
      ['allocation.amount with three decimals', { ...base, allocation: { formula: 'flat', amount: '12.345' } }, ['allocation.amount']],
      ['allocation.amount negative', { ...base, allocation: { formula: 'flat', amount: '-5.00' } }, ['allocation.amount']],
      ['allocation.amount with a comma', { ...base, allocation: { formula: 'flat', amount: '12,50' } }, ['allocation.amount']],
      ['flat allocation without amount', { ...base, allocation: { formula: 'flat' } }, ['allocation.amount']],
      ['an unknown allocation formula', { ...base, allocation: { formula: 'weekly' } }, ['allocation.formula']],
      ['an allocation without formula', { ...base, allocation: {} }, ['allocation.formula']],
      ['household without perChild', { ...base, allocation: { formula: 'household', base: '150.00', perExtraAdult: '75.00' } }, ['allocation.perChild']],
      ['top-up with a bad target', { ...base, allocation: { formula: 'top-up', target: 'ninety' } }, ['allocation.target']],
      ['a field of another formula', { ...base, allocation: { formula: 'mean-of-contributions', amount: '10.00' } }, ['allocation.amount']],
      ['allocation missing', without('allocation'), ['allocation']],
      ['allocation null', { ...base, allocation: null }, ['allocation']],
      ['allocation as a string', { ...base, allocation: 'flat' }, ['allocation']],
      ['an unknown contribution rule', { ...base, contribution: { rule: 'donation' } }, ['contribution.rule']],
      ['free contribution without floor', { ...base, contribution: { rule: 'free' } }, ['contribution.floor']],
      ['free ceiling below floor', { ...base, contribution: { rule: 'free', floor: '30.00', ceiling: '20.00' } }, ['contribution.ceiling']],
      ['rate above 1', { ...base, contribution: { rule: 'percent-of-income', rate: '1.5', floor: '10.00' } }, ['contribution.rate']],
      ['rate as a number', { ...base, contribution: { rule: 'percent-of-income', rate: 0.025, floor: '10.00' } }, ['contribution.rate']],
      ['rate as a percentage', { ...base, contribution: { rule: 'percent-of-income', rate: '2.5%', floor: '10.00' } }, ['contribution.rate']],
      ['percent-of-income without floor', { ...base, contribution: { rule: 'percent-of-income', rate: '0.025' } }, ['contribution.floor']],
      [
        'grid bands out of order',
        { ...base, contribution: { rule: 'grid', bands: [{ upTo: '1200.00', amount: '20.00' }, { upTo: '800.00', amount: '10.00' }, { amount: '40.00' }] } },
        ['contribution.bands.1.upTo'],
      ],
      [
        'grid last band bounded',
        { ...base, contribution: { rule: 'grid', bands: [{ upTo: '800.00', amount: '10.00' }, { upTo: '1200.00', amount: '20.00' }] } },
        ['contribution.bands.1.upTo'],
      ],
      ['grid band with a bad amount', { ...base, contribution: { rule: 'grid', bands: [{ upTo: '800.00', amount: 10 }, { amount: '20.00' }] } }, ['contribution.bands.0.amount']],
      ['grid band with an unknown field', { ...base, contribution: { rule: 'grid', bands: [{ amount: '20.00', label: 'x' }] } }, ['contribution.bands.0.label']],
      ['grid without bands', { ...base, contribution: { rule: 'grid', bands: [] } }, ['contribution.bands']],
      [
        'duplicate bracket labels',
        { ...base, contribution: { rule: 'brackets', levels: [{ label: 'A', amount: '10.00' }, { label: 'A', amount: '20.00' }] } },
        ['contribution.levels.1.label'],
      ],
      ['bracket with an empty label', { ...base, contribution: { rule: 'brackets', levels: [{ label: '', amount: '10.00' }] } }, ['contribution.levels.0.label']],
      ['contribution missing', without('contribution'), ['contribution']],
      ['cap without capMonths', { ...base, rollover: { mode: 'cap' } }, ['rollover.capMonths']],
      ['capMonths of 0', { ...base, rollover: { mode: 'cap', capMonths: 0 } }, ['rollover.capMonths']],
      ['capMonths above 24', { ...base, rollover: { mode: 'cap', capMonths: 25 } }, ['rollover.capMonths']],
      ['capMonths as a string', { ...base, rollover: { mode: 'cap', capMonths: '3' } }, ['rollover.capMonths']],
      ['capMonths fractional', { ...base, rollover: { mode: 'cap', capMonths: 1.5 } }, ['rollover.capMonths']],
      ['capMonths with expire', { ...base, rollover: { mode: 'expire', capMonths: 2 } }, ['rollover.capMonths']],
      ['an unknown rollover mode', { ...base, rollover: { mode: 'forever' } }, ['rollover.mode']],
      ['rollover missing', without('rollover'), ['rollover']],
      ['gate missing', without('gate'), ['gate']],
      ['gate.requireContribution as a string', { ...base, gate: { requireContribution: 'yes' } }, ['gate.requireContribution']],
      ['gate.requireContribution missing', { ...base, gate: {} }, ['gate.requireContribution']],
      ['effectiveFrom that does not exist', { ...base, effectiveFrom: '2026-02-30' }, ['effectiveFrom']],
      ['effectiveFrom with a time', { ...base, effectiveFrom: '2026-03-01T00:00:00Z' }, ['effectiveFrom']],
      ['effectiveFrom in French order', { ...base, effectiveFrom: '01/03/2026' }, ['effectiveFrom']],
      ['effectiveFrom missing', without('effectiveFrom'), ['effectiveFrom']],
      ['an unknown top-level field', { ...base, comment: 'hello' }, ['comment']],
      ['an unknown field in gate', { ...base, gate: { requireContribution: true, strict: true } }, ['gate.strict']],
    ])('refuses %s: 400 naming the field, nothing written', async (_name, body, paths) => {
      const before = await countVersions(caisseId);
      const res = await post(caisseId, tokens.treasurer, body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', instance: url(caisseId) });
      expect(Object.keys(res.body.errors).sort()).toEqual([...paths].sort());
      for (const path of paths) expect(res.body.errors[path]).toEqual(expect.arrayContaining([expect.any(String)]));
      expect(await countVersions(caisseId)).toBe(before);
    });

    it.each<[string, string]>([
      ['a JSON array', '[]'],
      ['a JSON string', '"flat"'],
      ['malformed JSON', '{"effectiveFrom": '],
    ])('refuses %s as the body with a 400 problem, nothing written', async (_name, raw) => {
      const res = await t.http
        .post(url(caisseId))
        .set('Authorization', `Bearer ${tokens.treasurer}`)
        .set('Content-Type', 'application/json')
        .send(raw);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(['VALIDATION_FAILED', 'MALFORMED_JSON']).toContain(res.body.code);
      expect(await countVersions(caisseId)).toBe(0);
    });

    it('the caisse had no version written by any refused request', async () => {
      expect(await countVersions(caisseId)).toBe(0);
      const res = await post(caisseId, tokens.treasurer, base);
      expect(res.status).toBe(201);
    });
  });

  describe('duplicate effective date', () => {
    it('answers 409 RULE_VERSION_EXISTS and keeps the first version', async () => {
      const { caisseId, tokens } = await t.newCaisse();
      const first = await post(caisseId, tokens.treasurer, validBody('2027-01-01'));
      expect(first.status).toBe(201);
      const second = await post(caisseId, tokens.treasurer, validBody('2027-01-01', { allocation: { formula: 'flat', amount: '250.00' } }));
      expect(second.status).toBe(409);
      expect(second.headers['content-type']).toMatch(PROBLEM);
      expect(second.body).toMatchObject({ status: 409, code: 'RULE_VERSION_EXISTS' });
      expect(await countVersions(caisseId)).toBe(1);
      const list = await get(caisseId, tokens.treasurer);
      expect(list.body).toEqual([first.body]);
    });

    it('the same date in another caisse is fine', async () => {
      const a = await t.newCaisse();
      const b = await t.newCaisse();
      expect((await post(a.caisseId, a.tokens.treasurer, validBody('2027-01-01'))).status).toBe(201);
      expect((await post(b.caisseId, b.tokens.treasurer, validBody('2027-01-01'))).status).toBe(201);
    });
  });

  describe('listing and the version in force', () => {
    let caisseId: string;
    let tokens: Tokens;
    const created: Record<string, Body> = {};
    beforeAll(async () => {
      ({ caisseId, tokens } = await t.newCaisse());
      // Created out of order, as a treasurer back-filling history would.
      for (const [date, amount] of [
        ['2026-07-01', '250.00'],
        ['2026-01-01', '150.00'],
        ['2027-01-01', '180.00'],
      ] as const) {
        const res = await post(caisseId, tokens.treasurer, validBody(date, { contribution: { rule: 'free', floor: '10.00', ceiling: amount } }));
        if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${JSON.stringify(res.body)}`);
        created[date] = res.body;
      }
    });

    it('lists every version, oldest effective date first', async () => {
      const res = await get(caisseId, tokens.member);
      expect(res.status).toBe(200);
      expect(res.body).toEqual([created['2026-01-01'], created['2026-07-01'], created['2027-01-01']]);
    });

    it('lists nothing for a caisse without versions', async () => {
      const other = await t.newCaisse();
      const res = await get(other.caisseId, other.tokens.member);
      expect(res.status).toBe(200);
      expect(res.body).toEqual([]);
    });

    it.each([
      ['2026-01-01', '2026-01-01'],
      ['2026-03-15', '2026-01-01'],
      ['2026-06-30', '2026-01-01'],
      ['2026-07-01', '2026-07-01'],
      ['2026-12-31', '2026-07-01'],
      ['2027-01-01', '2027-01-01'],
      ['2040-02-29', '2027-01-01'],
    ])('at=%s picks the version of %s, in the RuleVersionDto shape', async (at, expected) => {
      const res = await get(caisseId, tokens.member, `/in-force?at=${at}`);
      expect(res.status).toBe(200);
      expect(res.body).toStrictEqual(created[expected]);
    });

    it('without at, answers the version in force today', async () => {
      const res = await get(caisseId, tokens.member, '/in-force');
      expect(res.status).toBe(200);
      const today = todayInFrance();
      const expected = Object.keys(created)
        .filter((d) => d <= today)
        .sort()
        .pop();
      expect(res.body).toStrictEqual(created[expected!]);
    });

    it.each(['2025-12-31', '1970-01-01'])('at=%s, before the first version: 404 NO_RULES_IN_FORCE', async (at) => {
      const res = await get(caisseId, tokens.member, `/in-force?at=${at}`);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body).toMatchObject({ status: 404, code: 'NO_RULES_IN_FORCE' });
    });

    it('a caisse without any version has no rules in force', async () => {
      const other = await t.newCaisse();
      const res = await get(other.caisseId, other.tokens.member, '/in-force?at=2026-01-01');
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NO_RULES_IN_FORCE');
    });

    it.each(['2026-02-30', '2026-13-01', '2026-1-1', 'yesterday', '20260101', '', '2026-01-01T00:00:00Z'])('at=%j is a 400 naming at', async (at) => {
      const res = await get(caisseId, tokens.member, `/in-force?at=${encodeURIComponent(at)}`);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(res.body.errors)).toEqual(['at']);
    });

    it('a repeated at is a 400, not a 500', async () => {
      const res = await get(caisseId, tokens.member, '/in-force?at=2026-01-01&at=2027-01-01');
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors)).toEqual(['at']);
    });
  });

  describe('roles', () => {
    let caisseId: string;
    let tokens: Tokens;
    let other: Awaited<ReturnType<TestApp['newCaisse']>>;
    beforeAll(async () => {
      ({ caisseId, tokens } = await t.newCaisse());
      other = await t.newCaisse();
      const res = await post(caisseId, tokens.treasurer, validBody('2026-01-01'));
      if (res.status !== 201) throw new Error(`setup failed: ${res.status}`);
    });

    it.each(['committee', 'cashier', 'member'] as const)('a %s may not create a version (403), nothing written', async (role) => {
      const res = await post(caisseId, tokens[role], validBody('2026-02-01'));
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.code).toBe('FORBIDDEN');
      expect(await countVersions(caisseId)).toBe(1);
    });

    it.each(['admin', 'treasurer', 'committee', 'cashier', 'member'] as const)('a %s may read the list and the version in force', async (role) => {
      expect((await get(caisseId, tokens[role])).status).toBe(200);
      expect((await get(caisseId, tokens[role], '/in-force?at=2026-01-15')).status).toBe(200);
    });

    it('a treasurer of another caisse gets 404 on every route, nothing written', async () => {
      const created = await post(caisseId, other.tokens.treasurer, validBody('2026-03-01'));
      expect(created.status).toBe(404);
      expect(created.body.code).toBe('NOT_FOUND');
      expect((await get(caisseId, other.tokens.treasurer)).status).toBe(404);
      expect((await get(caisseId, other.tokens.member, '/in-force?at=2026-01-15')).status).toBe(404);
      expect(await countVersions(caisseId)).toBe(1);
      expect(await countVersions(other.caisseId)).toBe(0);
    });

    it('without a token: 401', async () => {
      const res = await t.http.post(url(caisseId)).send(validBody('2026-04-01'));
      expect(res.status).toBe(401);
      expect((await t.http.get(url(caisseId))).status).toBe(401);
      expect(await countVersions(caisseId)).toBe(1);
    });

    it('a malformed caisse id: 400 naming caisseId', async () => {
      const res = await post('not-a-uuid', tokens.treasurer, validBody('2026-04-01'));
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors)).toEqual(['caisseId']);
    });

    it('the platform admin creating a version in a caisse that does not exist: 404, not a 5xx', async () => {
      const res = await post(randomUUID(), t.adminToken, validBody('2026-04-01'));
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(PROBLEM);
    });
  });

  describe('immutability', () => {
    let caisseId: string;
    let id: string;
    beforeAll(async () => {
      const c = await t.newCaisse();
      caisseId = c.caisseId;
      const res = await post(caisseId, c.tokens.treasurer, validBody('2026-01-01'));
      if (res.status !== 201) throw new Error(`setup failed: ${res.status}`);
      id = res.body.id;
    });

    it('the database refuses an UPDATE of a version', async () => {
      await expect(t.sql(`UPDATE caisse_rule_versions SET allocation = '{"formula":"flat","amount":"999.00"}' WHERE id = $1`, [id])).rejects.toThrow(
        /append-only: UPDATE refused/,
      );
      const [row] = await t.sql<{ allocation: Body }>('SELECT allocation FROM caisse_rule_versions WHERE id = $1', [id]);
      expect(row.allocation).toEqual({ formula: 'flat', amount: '100.00' });
    });

    it('the database refuses a DELETE of a version', async () => {
      await expect(t.sql('DELETE FROM caisse_rule_versions WHERE id = $1', [id])).rejects.toThrow(/append-only: DELETE refused/);
      expect(await countVersions(caisseId)).toBe(1);
    });

    it('there is no route to change or delete a version', async () => {
      for (const method of ['put', 'patch', 'delete'] as const) {
        const res = await t.http[method](`${url(caisseId)}/${id}`).set('Authorization', `Bearer ${t.adminToken}`).send({});
        expect(res.status).toBe(404);
      }
      expect(await countVersions(caisseId)).toBe(1);
    });
  });

  describe('Idempotency-Key', () => {
    let caisseId: string;
    let tokens: Tokens;
    // One caisse for the section; each test uses its own effective date.
    beforeAll(async () => {
      ({ caisseId, tokens } = await t.newCaisse());
    });
    const countOn = async (date: string) =>
      (await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM caisse_rule_versions WHERE caisse_id = $1 AND effective_from = $2', [caisseId, date]))[0].n;

    it('same key and same body: the first answer replayed, one row', async () => {
      const key = `rules-${randomUUID()}`;
      const body = validBody('2026-01-01', { allocation: { formula: 'flat', amount: '150' } });
      const auditBefore = (await t.sql('SELECT 1 FROM audit_log WHERE caisse_id = $1 AND action = $2', [caisseId, 'rule-version.created'])).length;
      const first = await post(caisseId, tokens.treasurer, body, key);
      expect(first.status).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      // The same body with its keys in another order is the same request.
      const reordered = Object.fromEntries(Object.entries(body).reverse());
      const second = await post(caisseId, tokens.treasurer, reordered, key);
      expect(second.status).toBe(201);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.body).toStrictEqual(first.body);
      expect(await countOn('2026-01-01')).toBe(1);
      const audit = await t.sql('SELECT 1 FROM audit_log WHERE caisse_id = $1 AND action = $2', [caisseId, 'rule-version.created']);
      expect(audit).toHaveLength(auditBefore + 1);
    });

    it('same key and another body: 409 IDEMPOTENCY_CONFLICT, nothing more written', async () => {
      const key = `rules-${randomUUID()}`;
      expect((await post(caisseId, tokens.treasurer, validBody('2026-02-01'), key)).status).toBe(201);
      const before = await countVersions(caisseId);
      const res = await post(caisseId, tokens.treasurer, validBody('2026-02-02'), key);
      expect(res.status).toBe(409);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.code).toBe('IDEMPOTENCY_CONFLICT');
      expect(await countVersions(caisseId)).toBe(before);
      expect(await countOn('2026-02-02')).toBe(0);
    });

    it('a key is scoped to its caisse', async () => {
      const other = await t.newCaisse();
      const key = `rules-${randomUUID()}`;
      const a = await post(caisseId, tokens.treasurer, validBody('2026-03-01'), key);
      const b = await post(other.caisseId, other.tokens.treasurer, validBody('2026-03-01'), key);
      expect(a.status).toBe(201);
      expect(b.status).toBe(201);
      expect(b.headers['idempotent-replayed']).toBeUndefined();
      expect(b.body.id).not.toBe(a.body.id);
    });

    it('10 concurrent requests with one key: exactly one row, every answer the same', async () => {
      const key = `rules-${randomUUID()}`;
      const body = validBody('2026-04-01', { contribution: { rule: 'percent-of-income', rate: '0.025', floor: '10' } });
      const before = await countVersions(caisseId);
      const responses = await Promise.all(Array.from({ length: 10 }, () => post(caisseId, tokens.treasurer, body, key)));
      expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
      for (const r of responses) expect(r.body).toStrictEqual(responses[0].body);
      expect(responses.filter((r) => r.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
      expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(9);
      expect(await countOn('2026-04-01')).toBe(1);
      expect(await countVersions(caisseId)).toBe(before + 1);
    });

    it('a request refused by the rules does not use up its key', async () => {
      const key = `rules-${randomUUID()}`;
      const incoherent = validBody('2026-05-01', { contribution: { rule: 'free', floor: '30.00', ceiling: '10.00' } });
      const refused = await post(caisseId, tokens.treasurer, incoherent, key);
      expect(refused.status).toBe(400);
      expect(Object.keys(refused.body.errors)).toEqual(['contribution.ceiling']);
      expect(await countOn('2026-05-01')).toBe(0);
      const fixed = await post(caisseId, tokens.treasurer, validBody('2026-05-01'), key);
      expect(fixed.status).toBe(201);
      expect(fixed.headers['idempotent-replayed']).toBeUndefined();
      expect(await countOn('2026-05-01')).toBe(1);
    });

    it.each([
      ['too short', 'short'],
      ['with a space', 'has a space in it'],
      ['too long', 'k'.repeat(201)],
    ])('a malformed key (%s): 400 naming Idempotency-Key, nothing written', async (_name, key) => {
      const res = await post(caisseId, tokens.treasurer, validBody('2026-06-01'), key);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(res.body.errors)).toEqual(['Idempotency-Key']);
      expect(await countOn('2026-06-01')).toBe(0);
    });
  });
});
