import { verifyPublishedDraw } from '../../src/common/sortition/verify.js';
import { createMember } from '../support/member-fixtures.js';
import { bearer, inDays } from '../support/outlet-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('committee sortition (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let tokens: Awaited<ReturnType<TestApp['newCaisse']>>['tokens'];
  const base = () => `/api/v1/caisses/${caisseId}/committee/draws`;

  beforeAll(async () => {
    t = await createTestApp();
    ({ caisseId, tokens } = await t.newCaisse());
  });
  afterAll(async () => t?.close());

  it('draws seats with a quota, seats those drawn, and is reproduced from its published document', async () => {
    const members = [];
    for (let i = 0; i < 8; i++) members.push(await createMember(t, caisseId, tokens.admin));
    const precarious = new Set(members.slice(0, 3).map((m) => m.number));
    const body = {
      label: 'Comité citoyen 2027',
      seats: 4,
      strata: ['precarite'],
      pool: members.map((m) => ({ memberId: m.id, attributes: { precarite: precarious.has(m.number) ? 'oui' : 'non' } })),
      quotas: [{ stratum: { precarite: 'oui' }, min: 2 }],
      randomness: { description: 'Numéros tirés en assemblée publique le 12 janvier' },
      startsOn: inDays(1),
      endsOn: inDays(800),
      cohort: 2,
    };
    const committed = await t.http.post(base()).set(bearer(tokens.admin)).send(body);
    expect(committed.status).toBe(201);
    expect(committed.body).toMatchObject({ status: 'committed', seats: 4, poolSize: 8, selected: [] });
    expect(committed.body.poolHash).toMatch(/^[0-9a-f]{64}$/);

    const drawn = await t.http.post(`${base()}/${committed.body.id}/randomness`).set(bearer(tokens.admin)).send({ values: ['17 23 42 08'] });
    expect(drawn.status).toBe(200);
    expect(drawn.body.selected).toHaveLength(4);
    expect(drawn.body.waitlist).toHaveLength(4);
    expect(drawn.body.selected.filter((p: string) => precarious.has(p)).length).toBeGreaterThanOrEqual(2);
    expect(drawn.body.mandateIds).toHaveLength(4);

    const mandates = await t.http.get(`/api/v1/caisses/${caisseId}/committee/mandates`).set(bearer(tokens.committee));
    const seated = mandates.body.filter((m: { id: string }) => drawn.body.mandateIds.includes(m.id));
    expect(seated.every((m: { designation: string; cohort: number }) => m.designation === 'drawn' && m.cohort === 2)).toBe(true);

    const published = await t.http.get(`${base()}/${committed.body.id}/published`).set(bearer(tokens.committee));
    expect(published.body.pool.every((e: { id: string }) => /^M\d{8}$/.test(e.id))).toBe(true);
    expect(verifyPublishedDraw(published.body).reproduced).toBe(true);
    expect((await t.http.post(`${base()}/${committed.body.id}/verify`).set(bearer(tokens.committee))).body.reproduced).toBe(true);
    // The document holds each pool member's strata (precarite: oui/non): no card member, cashier or treasurer reads it;
    // a member checks the draw through verify, which answers checks only.
    for (const role of ['member', 'cashier', 'treasurer'] as const) {
      expect({ role, status: (await t.http.get(`${base()}/${committed.body.id}/published`).set(bearer(tokens[role]))).status }).toEqual({ role, status: 403 });
    }
    const byMember = await t.http.post(`${base()}/${committed.body.id}/verify`).set(bearer(tokens.member));
    expect(byMember.body.reproduced).toBe(true);
    expect(JSON.stringify(byMember.body)).not.toMatch(/M\d{8}|\boui\b|\bnon\b/);
    const tampered = { ...published.body, result: { ...published.body.result, selected: [...published.body.result.selected].reverse() } };
    expect(verifyPublishedDraw(tampered).reproduced).toBe(false);

    const again = await t.http.post(`${base()}/${committed.body.id}/randomness`).set(bearer(tokens.admin)).send({ values: ['1'] });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_DRAWN');
  });

  it('refuses an infeasible quota and a pool member without the stratum attribute', async () => {
    const a = await createMember(t, caisseId, tokens.admin);
    const b = await createMember(t, caisseId, tokens.admin);
    const res = await t.http.post(base()).set(bearer(tokens.admin)).send({
      label: 'Trop court', seats: 2, strata: ['precarite'], pool: [{ memberId: a.id, attributes: { precarite: 'oui' } }, { memberId: b.id }],
      randomness: { description: 'drand' }, startsOn: inDays(1), endsOn: inDays(30),
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors)).toEqual(['pool.1.attributes.precarite']);
  });
});
