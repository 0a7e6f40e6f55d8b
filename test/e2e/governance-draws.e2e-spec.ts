import { verifyPublishedDraw } from '../../src/common/sortition/verify.js';
import { createMember } from '../support/member-fixtures.js';
import { bearer, inDays } from '../support/outlet-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('committee sortition (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let tokens: Awaited<ReturnType<TestApp['newCaisse']>>['tokens'];
  const base = () => `/api/v1/caisses/${caisseId}/committee/draws`;
  /** Four numbers from 1 to 99 drawn at a public meeting that takes place in `ms` milliseconds. */
  const meeting = (ms = 1200) => ({ description: 'Numéros tirés en assemblée publique', commitments: ['meeting:4x99'], availableAfter: new Date(Date.now() + ms).toISOString() });
  const until = (iso: string) => new Promise((r) => setTimeout(r, Math.max(0, new Date(iso).getTime() - Date.now() + 50)));
  const reveal = (drawId: string, values: string[]) => t.http.post(`${base()}/${drawId}/randomness`).set(bearer(tokens.admin)).send({ values });

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
      randomness: meeting(),
      startsOn: inDays(1),
      endsOn: inDays(800),
      cohort: 2,
    };
    const committed = await t.http.post(base()).set(bearer(tokens.admin)).send(body);
    expect(committed.status).toBe(201);
    expect(committed.body).toMatchObject({ status: 'committed', seats: 4, poolSize: 8, selected: [] });
    expect(committed.body.poolHash).toMatch(/^[0-9a-f]{64}$/);

    // Before the announced meeting, no value is taken (one could be tried until a panel suits).
    expect((await reveal(committed.body.id, ['17 23 42 08'])).body.code).toBe('RANDOMNESS_NOT_YET_AVAILABLE');
    await until(body.randomness.availableAfter);
    const drawn = await reveal(committed.body.id, ['17 23 42 08']);
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
      randomness: meeting(), startsOn: inDays(1), endsOn: inDays(30),
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors)).toEqual(['pool.1.attributes.precarite']);
  });

  it('requires the randomness named in full in advance: one source per party, a public one, a future availableAfter', async () => {
    const m = await createMember(t, caisseId, tokens.admin);
    const commit = (randomness: unknown) =>
      t.http.post(base()).set(bearer(tokens.admin)).send({ label: 'Tirage', seats: 1, strata: [], pool: [{ memberId: m.id }], randomness, startsOn: inDays(1), endsOn: inDays(30) });
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const pastRound = Math.floor((Date.now() / 1000 - 1692803367) / 3);
    const cases: [unknown, string][] = [
      [{ description: 'drand' }, 'randomness.commitments'],
      [{ description: 'drand', commitments: ['drand:quicknet:12'] }, 'randomness.availableAfter'],
      [{ description: 'texte libre', commitments: ['le chiffre du loto'], availableAfter: later }, 'randomness.commitments.0'],
      [{ description: 'un seul engagement', commitments: ['a'.repeat(64)], availableAfter: later }, 'randomness.commitments'],
      [{ description: 'round déjà émis', commitments: [`drand:quicknet:${pastRound}`], availableAfter: later }, 'randomness.commitments.0'],
      [{ description: 'passé', commitments: ['meeting:3x6'], availableAfter: new Date(Date.now() - 1000).toISOString() }, 'randomness.availableAfter'],
    ];
    for (const [randomness, field] of cases) {
      const res = await commit(randomness);
      expect([res.status, Object.keys(res.body.errors ?? {})]).toEqual([400, expect.arrayContaining([field])]);
    }
  });

  it('checks a revealed value against its named source, allows one reveal only, and audits every refused try', async () => {
    const members = [];
    for (let i = 0; i < 3; i++) members.push(await createMember(t, caisseId, tokens.admin));
    const round = Math.ceil((Date.now() / 1000 + 4 - 1692803367) / 3) + 1;
    const availableAfter = new Date((1692803367 + (round - 1) * 3) * 1000).toISOString();
    const committed = await t.http.post(base()).set(bearer(tokens.admin)).send({
      label: 'Suppléants', seats: 1, strata: [], pool: members.map((x) => ({ memberId: x.id })),
      randomness: { description: `drand quicknet round ${round}`, commitments: [`drand:quicknet:${round}`], availableAfter }, startsOn: inDays(1), endsOn: inDays(30),
    });
    expect(committed.status).toBe(201);
    await until(availableAfter);
    const chosen = await reveal(committed.body.id, ['valeur choisie par l’administrateur']);
    expect([chosen.status, Object.keys(chosen.body.errors)]).toEqual([400, ['values.0']]);
    const drawn = await reveal(committed.body.id, ['c'.repeat(64)]);
    expect(drawn.status).toBe(200);
    expect((await reveal(committed.body.id, ['d'.repeat(64)])).body.code).toBe('ALREADY_DRAWN');
    const audit = await t.sql<{ action: string }>(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY action`, [committed.body.id]);
    expect(audit.map((a) => a.action).sort()).toEqual([
      'governance.committee-draw.commit', 'governance.committee-draw.draw', 'governance.committee-draw.reveal-refused', 'governance.committee-draw.reveal-refused',
    ]);
    const published = await t.http.get(`${base()}/${committed.body.id}/published`).set(bearer(tokens.committee));
    expect(verifyPublishedDraw(published.body).reproduced).toBe(true);
    expect(verifyPublishedDraw({ ...published.body, randomness: { ...published.body.randomness, values: ['not hex'] } }).reproduced).toBe(false);
  }, 20_000);
});
