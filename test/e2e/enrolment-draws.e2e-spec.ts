import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitDraw, executeDraw } from '../../src/common/sortition/draw.js';
import { commitmentOf } from '../../src/common/sortition/randomness.js';
import { MembersService } from '../../src/members/members.service.js';
import { bearer, createMember } from '../support/member-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Caisse = Awaited<ReturnType<TestApp['newCaisse']>>;

// A party's committed value, then the numbers drawn at the public meeting (5 dice): both named before the draw.
const VALUES = ['valeur de la coordination : 9a4c1f0e', '4 1 6 6 2'];
/** The values exist a moment after the draw is committed; a reveal waits for that instant. */
const SOON_MS = 1200;
const waitForValues = () => new Promise((r) => setTimeout(r, SOON_MS + 50));

/** 40 households of three generations and three income levels; every fifth declares no income. */
function applicant(i: number): Record<string, unknown> {
  return {
    firstName: `Prénom${i}`,
    lastName: `Nom${i}`,
    status: 'applicant',
    birthYear: [1950, 1975, 2000][i % 3],
    commune: i % 4 === 0 ? '34057' : '34172',
    ...(i % 5 === 0 ? {} : { monthlyIncome: ['600.00', '1200.00', '2000.00'][i % 3] }),
  };
}

function drawBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    label: 'Cohorte 1',
    seats: 10,
    strata: ['ageBand', 'incomeBand'],
    ageBands: [30, 60],
    incomeBands: ['900.00', '1500.00'],
    quotas: [
      { stratum: { ageBand: '60+', incomeBand: '<900.00' }, min: 3 },
      { stratum: { ageBand: '<30', incomeBand: '1500.00+' }, max: 1 },
    ],
    randomness: { description: 'la valeur engagée de la coordination, combinée aux dés lancés en assemblée', commitments: [commitmentOf(VALUES[0]), 'meeting:5x6'], availableAfter: new Date(Date.now() + SOON_MS).toISOString() },
    ...overrides,
  };
}

describe('enrolment draws (e2e)', () => {
  let t: TestApp;
  const dir = mkdtempSync(join(tmpdir(), 'draw-'));
  const runVerifier = (file: string) => spawnSync(process.execPath, [join(dir, 'cli/common/sortition/verify-cli.js'), file], { cwd: dir, encoding: 'utf8' });

  async function caisseWithApplicants(n = 40): Promise<Caisse & { ids: string[] }> {
    const c = await t.newCaisse();
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push((await createMember(t, c.caisseId, c.tokens.admin, applicant(i))).id);
    return { ...c, ids };
  }
  const draws = (c: Caisse, path = '') => `/api/v1/caisses/${c.caisseId}/enrolment-draws${path}`;

  beforeAll(async () => {
    // The verifier compiled on its own, outside the project: proof that it needs nothing but its folder and Node. (Into
    // a directory of its own rather than dist/, which the startup suite builds and boots at the same time.)
    const tsc = join(process.cwd(), 'node_modules/typescript/bin/tsc');
    const options = ['--outDir', join(dir, 'cli'), '--rootDir', 'src', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'ES2022', '--types', 'node', '--strict', '--skipLibCheck'];
    const build = spawnSync(process.execPath, [tsc, 'src/common/sortition/verify-cli.ts', ...options], { cwd: process.cwd(), encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`compiling the verifier failed: ${build.stdout}${build.stderr}`);
    writeFileSync(join(dir, 'cli/package.json'), '{ "type": "module" }\n');
    t = await createTestApp();
  }, 180_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t?.close();
  });

  it('publishes the pool hash first, then draws with the revealed randomness, reproducibly (also by the standalone verifier)', async () => {
    const c = await caisseWithApplicants();
    const created = await t.http.post(draws(c)).set(bearer(c.tokens.admin)).send(drawBody());
    expect(created.status).toBe(201);
    const draw = created.body;
    expect(draw).toMatchObject({ status: 'committed', seats: 10, poolSize: 40, drawnAt: null });
    expect(draw.published).toMatchObject({ algorithm: 'ssa-sortition/1', poolHash: expect.stringMatching(/^[0-9a-f]{64}$/), seed: null, result: null });
    expect(draw.published.pool).toHaveLength(40);
    expect(JSON.stringify(draw.published)).not.toMatch(/Prénom|Nom\d|600\.00|2000\.00|34172|1950/);
    expect(draw.strata).toEqual(expect.arrayContaining([{ stratum: { ageBand: '60+', incomeBand: '<900.00' }, applicants: 11, selected: null }]));
    expect((await t.http.post(draws(c, `/${draw.id}/verify`)).set(bearer(c.tokens.committee))).body.reproduced).toBe(false);

    await waitForValues();
    const wrong = await t.http.post(draws(c, `/${draw.id}/randomness`)).set(bearer(c.tokens.admin)).send({ values: [VALUES[0], 'tirage truqué'] });
    expect(wrong.status).toBe(400);
    expect(Object.keys(wrong.body.errors)).toEqual(['values.1']);
    const drawn = await t.http.post(draws(c, `/${draw.id}/randomness`)).set(bearer(c.tokens.admin)).send({ values: VALUES });
    expect(drawn.status).toBe(200);
    const { result, seed, poolHash, quotasHash } = drawn.body.published;
    expect(drawn.body.status).toBe('drawn');
    expect(seed).toMatch(/^[0-9a-f]{64}$/);
    expect(poolHash).toBe(draw.published.poolHash);
    expect(result.selected).toHaveLength(10);
    expect(result.waitlist).toHaveLength(30);
    // Quotas met.
    const stratumOf = new Map(drawn.body.published.pool.map((e: { id: string; stratum: object }) => [e.id, JSON.stringify(e.stratum)]));
    const count = (s: object) => result.selected.filter((id: string) => stratumOf.get(id) === JSON.stringify(s)).length;
    expect(count({ ageBand: '60+', incomeBand: '<900.00' })).toBeGreaterThanOrEqual(3);
    expect(count({ ageBand: '<30', incomeBand: '1500.00+' })).toBeLessThanOrEqual(1);
    // The same inputs and randomness give the same panel, computed here without the server.
    const again = executeDraw(commitDraw(drawn.body.published.pool, drawn.body.published.spec), VALUES);
    expect(again).toEqual({ combined: drawn.body.published.randomness.combined, seed, result });
    expect(commitDraw(drawn.body.published.pool, drawn.body.published.spec)).toMatchObject({ poolHash, quotasHash });

    const verify = await t.http.post(draws(c, `/${draw.id}/verify`)).set(bearer(c.tokens.member));
    expect(verify.status).toBe(200);
    expect(verify.body.reproduced).toBe(true);
    expect((await t.http.post(draws(c, `/${draw.id}/randomness`)).set(bearer(c.tokens.admin)).send({ values: VALUES })).body.code).toBe('ALREADY_DRAWN');
    // Both refused tries (a value that does not fit its named source, a second reveal) left a trace in the audit log.
    const refusedTries = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE target_id = $1 AND action = 'enrolment-draw.reveal-refused'`, [draw.id]);
    expect(refusedTries[0].n).toBe(2);

    // The selected are enrolled (wallet and card), the others wait in draw order.
    const members = (await t.http.get(`/api/v1/caisses/${c.caisseId}/members?limit=200`).set(bearer(c.tokens.admin))).body.items as { number: string; status: string; walletAccount: string | null; cardNumber: string | null }[];
    const byNumber = new Map(members.map((m) => [m.number, m]));
    for (const id of result.selected) expect(byNumber.get(id)).toMatchObject({ status: 'active', walletAccount: `4671-${id}`, cardNumber: expect.any(String) });
    for (const id of result.waitlist) expect(byNumber.get(id)).toMatchObject({ status: 'waitlisted', walletAccount: null });
    const period = new Date().toISOString().slice(0, 7);
    expect((await t.app.get(MembersService).activeInPeriod(c.caisseId, period)).map((h) => h.pseudonym).sort()).toEqual([...result.selected].sort());

    // The standalone verifier reproduces the published file, and catches a tampered one.
    const published = await t.http.get(draws(c, `/${draw.id}/published`)).set(bearer(c.tokens.cashier));
    expect(published.status).toBe(200);
    const file = join(dir, 'draw.json');
    writeFileSync(file, JSON.stringify(published.body, null, 2));
    const ok = runVerifier(file);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('REPRODUCED');
    expect(ok.stdout).toContain(seed);
    writeFileSync(join(dir, 'full.json'), JSON.stringify(drawn.body));
    expect(runVerifier(join(dir, 'full.json')).status).toBe(0);
    const tampered = { ...published.body, result: { selected: [...result.waitlist.slice(0, 1), ...result.selected.slice(1)], waitlist: [result.selected[0], ...result.waitlist.slice(1)] } };
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify(tampered));
    const refused = runVerifier(join(dir, 'tampered.json'));
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/FAIL panel[\s\S]*NOT REPRODUCED/);
  });

  it('gives the same panel for the same pool and randomness in two caisses, and another one if one applicant differs', async () => {
    const a = await caisseWithApplicants(12);
    const b = await caisseWithApplicants(12);
    const d = await caisseWithApplicants(12);
    await t.http.patch(`/api/v1/caisses/${d.caisseId}/members/${d.ids[11]}`).set(bearer(d.tokens.admin)).send({ birthYear: 1990 }).expect(200);
    // Each draw names its own (future) availableAfter; the seed depends on the pool, the quotas and the values only.
    const run = async (c: Caisse) => {
      const created = await t.http.post(draws(c)).set(bearer(c.tokens.admin)).send(drawBody({ seats: 4, quotas: [{ stratum: { ageBand: '60+', incomeBand: '<900.00' }, min: 1 }] }));
      await waitForValues();
      const drawn = await t.http.post(draws(c, `/${created.body.id}/randomness`)).set(bearer(c.tokens.admin)).send({ values: VALUES });
      return drawn.body.published;
    };
    const [pa, pb, pd] = [await run(a), await run(b), await run(d)];
    expect(pb.poolHash).toBe(pa.poolHash);
    expect(pb.seed).toBe(pa.seed);
    expect(pb.result).toEqual(pa.result);
    expect(pd.poolHash).not.toBe(pa.poolHash);
    expect(pd.seed).not.toBe(pa.seed);
  });

  it('explains which stratum is short, and refuses other impossible draws', async () => {
    const c = await caisseWithApplicants(12);
    const short = await t.http.post(draws(c)).set(bearer(c.tokens.admin)).send(drawBody({ seats: 5, quotas: [{ stratum: { ageBand: '<30', incomeBand: '<900.00' }, min: 3 }] }));
    expect(short.status).toBe(400);
    expect(short.body.errors['quotas.0.min'][0]).toMatch(/ageBand=<30, incomeBand=<900\.00 is short: 3 seats reserved but only 0 applicants/);
    const cases: [Record<string, unknown>, string][] = [
      [{ seats: 13 }, 'seats'],
      [{ ageBands: undefined }, 'ageBands'],
      [{ incomeBands: ['1500.00', '900.00'] }, 'incomeBands'],
      [{ strata: ['quartier'], quotas: [] }, 'pool'],
      [{ quotas: [{ stratum: { ageBand: '60+' }, min: 1 }] }, 'quotas.0.stratum'],
      [{ randomness: { description: 'x', parties: 2, commitments: ['a'.repeat(64)], availableAfter: new Date(Date.now() + 60_000).toISOString() } }, 'randomness.commitments'],
      [{ randomness: { description: 'a public source only', commitments: ['meeting:5x6'], availableAfter: new Date(Date.now() - 1000).toISOString() } }, 'randomness.availableAfter'],
      [{ randomness: { description: 'free text', commitments: ['le chiffre du loto'], availableAfter: new Date(Date.now() + 60_000).toISOString() } }, 'randomness.commitments.0'],
      [{ pool: [{ memberId: c.ids[0] }, { memberId: c.ids[0] }], seats: 1, quotas: [] }, 'pool.1.memberId'],
      [{ pool: [{ memberId: c.ids[0], attributes: { commune: '75056' } }], seats: 1, quotas: [] }, 'pool.0.attributes.commune'],
    ];
    for (const [overrides, field] of cases) {
      const res = await t.http.post(draws(c)).set(bearer(c.tokens.admin)).send(drawBody(overrides));
      expect({ field, status: res.status, fields: Object.keys(res.body.errors ?? {}) }).toEqual({ field, status: 400, fields: expect.arrayContaining([field]) });
    }
    expect((await t.sql(`SELECT 1 FROM enrolment_draws WHERE caisse_id = $1`, [c.caisseId])).length).toBe(0);
    expect((await t.http.post(draws(c)).set(bearer(c.tokens.committee)).send(drawBody())).status).toBe(403);
  });

  it('stratifies by a custom attribute, keeps members out of two open draws, and waits for the announced time', async () => {
    const c = await caisseWithApplicants(6);
    const pool = c.ids.map((memberId, i) => ({ memberId, attributes: { quartier: i < 3 ? 'Mosson' : 'Centre' } }));
    const body = drawBody({ seats: 2, strata: ['quartier'], pool, quotas: [{ stratum: { quartier: 'Mosson' }, min: 1, max: 1 }], randomness: { description: 'assemblée de 2999', commitments: ['meeting:5x6'], availableAfter: '2999-01-01T00:00:00Z' } });
    const created = await t.http.post(draws(c)).set(bearer(c.tokens.admin)).send(body);
    expect(created.status).toBe(201);
    expect(created.body.strata).toEqual([{ stratum: { quartier: 'Centre' }, applicants: 3, selected: null }, { stratum: { quartier: 'Mosson' }, applicants: 3, selected: null }]);
    const early = await t.http.post(draws(c, `/${created.body.id}/randomness`)).set(bearer(c.tokens.admin)).send({ values: ['8f1c'] });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('RANDOMNESS_NOT_YET_AVAILABLE');
    const twice = await t.http.post(draws(c)).set(bearer(c.tokens.admin)).send(drawBody({ seats: 1, strata: [], quotas: [], pool: [{ memberId: c.ids[0] }], ageBands: undefined, incomeBands: undefined }));
    expect(twice.status).toBe(400);
    expect(twice.body.errors['pool.0.memberId'][0]).toMatch(/already in the open draw/);
  });

  it('promotes from the waitlist in order, optionally within a stratum, never more than wait', async () => {
    const c = await caisseWithApplicants(12);
    const created = await t.http.post(draws(c)).set(bearer(c.tokens.admin)).send(drawBody({ seats: 4, quotas: [] }));
    await waitForValues();
    const drawn = (await t.http.post(draws(c, `/${created.body.id}/randomness`)).set(bearer(c.tokens.admin)).send({ values: VALUES, joinedOn: '2026-11-01' })).body;
    const waitlist: string[] = drawn.published.result.waitlist;
    const res = await t.http.post(draws(c, `/${created.body.id}/promotions`)).set(bearer(c.tokens.admin)).send({ count: 2 });
    expect(res.status).toBe(201);
    expect(res.body.promoted.map((p: { number: string; rank: number }) => [p.number, p.rank])).toEqual([
      [waitlist[0], 1],
      [waitlist[1], 2],
    ]);
    expect(res.body.promoted[0].cardNumber).toMatch(/^\d{16}$/);
    expect(res.body.remaining).toBe(6);
    const stratum = drawn.published.pool.find((e: { id: string }) => e.id === waitlist[5]).stratum;
    const firstInStratum = waitlist.slice(2).find((id) => JSON.stringify(drawn.published.pool.find((e: { id: string }) => e.id === id).stratum) === JSON.stringify(stratum));
    const within = await t.http.post(draws(c, `/${created.body.id}/promotions`)).set(bearer(c.tokens.admin)).send({ count: 1, stratum });
    expect(within.body.promoted[0].number).toBe(firstInStratum);
    const tooMany = await t.http.post(draws(c, `/${created.body.id}/promotions`)).set(bearer(c.tokens.admin)).send({ count: 99 });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body).toMatchObject({ code: 'WAITLIST_SHORT', available: 5 });
    const badStratum = await t.http.post(draws(c, `/${created.body.id}/promotions`)).set(bearer(c.tokens.admin)).send({ count: 1, stratum: { gender: 'f' } });
    expect(badStratum.status).toBe(400);
    // The draw stays verifiable after promotions: they do not change the published result.
    expect((await t.http.post(draws(c, `/${created.body.id}/verify`)).set(bearer(c.tokens.admin))).body.reproduced).toBe(true);
  });
});
