import { randomUUID } from 'node:crypto';
import { bearer } from '../support/member-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Caisse = Awaited<ReturnType<TestApp['newCaisse']>>;

const HEADER = 'firstName;lastName;birthYear;commune;status;joinedOn;adults;childrenBirthYears;email;monthlyIncome;consentDataProcessing';

describe('member CSV import (e2e)', () => {
  let t: TestApp;
  let c: Caisse;
  const send = (csv: string, query = '', type = 'text/csv') =>
    t.http.post(`/api/v1/caisses/${c.caisseId}/members/imports${query}`).set(bearer(c.tokens.admin)).set('Content-Type', type).send(csv);
  const count = async () => (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM members WHERE caisse_id = $1`, [c.caisseId]))[0].n;

  beforeAll(async () => {
    t = await createTestApp();
    c = await t.newCaisse();
  });
  afterAll(async () => t?.close());

  const good = () => {
    const u = randomUUID().slice(0, 6);
    return [
      HEADER,
      `Nadia;Benali;1984;34172;active;2026-01-05;2;2015 2019;nadia-${u}@example.org;1240,50;oui`,
      `"Jean-Marc";"Dupont; dit ""JM""";;34057;applicant;2026-01-05;1;;;;non`,
      `Éloïse;Martin;1990;2A004;waitlisted;2026-01-05;3;2021;eloise-${u}@example.org;980.00;true`,
    ].join('\r\n');
  };

  it('reports every line in error by its line number on a dry run, writing nothing', async () => {
    const csv = [
      HEADER,
      'Nadia;Benali;1984;34172;active;2026-01-05;2;2015;dup@example.org;1240.00;oui',
      'Paul;Durand;1984;3417;active;2026-01-05;-1;2015;;mille;peut-être',
      '',
      'Lina;Roux;1984;34172;applicant;2026-02-30;1;;dup@example.org;;',
      'Trop;Court;1984',
    ].join('\n');
    const before = await count();
    const res = await send(csv, '?dryRun=true');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: true, lines: 4, valid: 1, members: [] });
    const byLine = Object.fromEntries(res.body.errors.map((e: { line: number; errors: object }) => [e.line, Object.keys(e.errors).sort()]));
    expect(byLine).toEqual({
      3: ['adults', 'commune', 'consentDataProcessing', 'monthlyIncome'],
      5: ['email', 'joinedOn'],
      6: expect.arrayContaining(['line', 'status', 'joinedOn', 'adults']),
    });
    expect(res.body.errors.find((e: { line: number }) => e.line === 5).errors.email[0]).toMatch(/line 2/);
    expect(await count()).toBe(before);
  });

  it('refuses the whole file when any line is wrong (nothing partial), keyed lines.<line>.<column>', async () => {
    const before = await count();
    const lines = good().split('\r\n');
    lines.push('Zoé;Faure;1984;99999X;active;2026-01-05;1;;;;');
    const res = await send(lines.join('\n'));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(res.body.errors)).toEqual(['lines.5.commune']);
    expect(await count()).toBe(before);
  });

  it('imports a valid file atomically: quoted fields, French decimals, cards for active members (PIN set later)', async () => {
    const key = `import-${randomUUID()}`;
    const csv = good();
    const res = await send(csv).set('Idempotency-Key', key);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ dryRun: false, lines: 3, valid: 3, errors: [] });
    expect(res.body.members.map((m: { line: number; status: string }) => [m.line, m.status])).toEqual([
      [2, 'active'],
      [3, 'applicant'],
      [4, 'waitlisted'],
    ]);
    const [active, applicant] = res.body.members;
    expect(active.cardNumber).toMatch(/^\d{16}$/);
    expect(applicant.cardNumber).toBeNull();
    const jm = await t.http.get(`/api/v1/caisses/${c.caisseId}/members/${applicant.id}`).set(bearer(c.tokens.admin));
    expect(jm.body).toMatchObject({ firstName: 'Jean-Marc', lastName: 'Dupont; dit "JM"', commune: '34057', household: { adults: 1, childrenBirthYears: [] } });
    const nadia = await t.http.get(`/api/v1/caisses/${c.caisseId}/members/${active.id}`).set(bearer(c.tokens.admin));
    expect(nadia.body).toMatchObject({ monthlyIncome: '1240.50', household: { childrenBirthYears: [2015, 2019] }, consents: { dataProcessing: true }, card: { pinSet: false } });
    const replay = await send(csv).set('Idempotency-Key', key);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(res.body);
    // The same file again without a key: its emails are now taken.
    const again = await send(csv, '?dryRun=true');
    expect(again.body.errors.map((e: { line: number }) => e.line)).toEqual([2, 4]);
  });

  it.each<[string, string, number, string]>([
    ['an unknown column', 'firstName;lastName;commune;status;joinedOn;adults;shoeSize\nA;B;34172;active;2026-01-05;1;42', 400, 'lines.1'],
    ['a missing required column', 'firstName;lastName\nA;B', 400, 'lines.1'],
    ['an unclosed quote', `${HEADER}\n"Nadia;Benali`, 400, 'lines.2'],
    ['an empty file', '', 400, 'lines.1'],
    ['a bad dryRun flag', good(), 400, 'dryRun'],
  ])('refuses %s', async (name, csv, status, field) => {
    const res = await send(csv, name === 'a bad dryRun flag' ? '?dryRun=maybe' : '');
    expect(res.status).toBe(status);
    expect(Object.keys(res.body.errors)).toEqual([field]);
  });

  it('accepts only CSV text, up to its own 2 MB limit, from admins', async () => {
    const json = await t.http.post(`/api/v1/caisses/${c.caisseId}/members/imports`).set(bearer(c.tokens.admin)).send({ csv: good() });
    expect(json.status).toBe(415);
    expect(json.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const big = `${HEADER}\n${'x'.repeat(150_000)}`; // over the 100kb JSON limit, well under 2 MB: parsed, then refused line by line
    expect((await send(big, '?dryRun=true')).status).toBe(200);
    const huge = await send(`${HEADER}\n${'x'.repeat(2_200_000)}`, '?dryRun=true');
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');
    const treasurer = await t.http.post(`/api/v1/caisses/${c.caisseId}/members/imports?dryRun=true`).set(bearer(c.tokens.treasurer)).set('Content-Type', 'text/csv').send(good());
    expect(treasurer.status).toBe(403);
  });
});
