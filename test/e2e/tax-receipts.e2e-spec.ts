import { bearer, createMember } from '../support/member-fixtures.js';
import { contributionRules, createContributor, idemKey } from '../support/contribution-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('tax receipts (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let token: string;
  let admin: string;
  beforeAll(async () => {
    t = await createTestApp();
    const c = await t.newCaisse();
    caisseId = c.caisseId;
    token = c.tokens.treasurer;
    admin = c.tokens.admin;
    await contributionRules(t, caisseId, admin, { rule: 'free', floor: '10.00', excessAsGift: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  const url = (suffix: string) => `/api/v1/caisses/${caisseId}${suffix}`;
  const pay = async (body: Record<string, unknown>) => {
    const res = await t.http.post(url('/contributions')).set(bearer(token)).set('Idempotency-Key', idemKey()).send(body);
    if (res.status !== 201) throw new Error(`contribution failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const issue = (body: Record<string, unknown>) => t.http.post(url('/tax-receipts')).set(bearer(token)).send({ year: 2026, ...body });

  it('issues a receipt for an individual donor’s gifts of the year, with words, methods and a PDF; never twice', async () => {
    const donor = await createContributor(t, caisseId, token, { kind: 'individual', name: 'Jeanne Martin', address: '3 rue des Lilas, 34000 Montpellier' });
    await pay({ contributorId: donor.id, amount: '80.00', method: 'cheque', receivedOn: '2026-03-01' });
    await pay({ contributorId: donor.id, amount: '1.00', method: 'transfer', receivedOn: '2026-04-01' });
    await pay({ contributorId: donor.id, amount: '50.00', method: 'transfer', receivedOn: '2025-12-31' });
    const res = await issue({ contributorId: donor.id });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ amount: '81.00', amountInWords: 'quatre-vingt-un euros', legalBasis: 'CGI-200', methods: ['cheque', 'transfer'], donorName: 'Jeanne Martin' });
    expect(res.body.number).toMatch(/^2026-\d{6}$/);
    expect(res.body.items).toHaveLength(2);
    const again = await issue({ contributorId: donor.id });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('NOTHING_TO_RECEIPT');

    const pdf = await t.http.get(url(`/tax-receipts/${res.body.id}/pdf`)).set(bearer(token)).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const body = (pdf.body as Buffer).toString('latin1');
    expect(body.startsWith('%PDF-1.4')).toBe(true);
    expect(body).toContain(`Re\xe7u n\xb0 ${res.body.number}`);
    expect(body).toContain('quatre-vingt-un euros');
    expect(body).toContain('article 200 du CGI');
    expect(body.trimEnd().endsWith('%%EOF')).toBe(true);
    const json = await t.http.get(url(`/tax-receipts/${res.body.id}/pdf`)).set(bearer(token)).set('Accept', 'application/json');
    expect(Buffer.from(json.body.base64, 'base64').toString('latin1')).toBe(body);
  });

  it('receipts only the gift part of a member contribution, and patronage under article 238 bis', async () => {
    const member = await createMember(t, caisseId, admin, { joinedOn: '2026-01-05' });
    await pay({ memberId: member.id, amount: '40.00', period: '2026-02', method: 'direct-debit', receivedOn: '2026-02-05' });
    expect((await issue({ memberId: member.id })).body.code).toBe('NOTHING_TO_RECEIPT');
    const company = await createContributor(t, caisseId, token, { kind: 'company', name: 'Mécène SA' });
    await pay({ contributorId: company.id, amount: '5000.00', method: 'transfer', receivedOn: '2026-06-01' });
    const patronage = await issue({ contributorId: company.id });
    expect(patronage.body).toMatchObject({ legalBasis: 'CGI-238bis', amount: '5000.00', amountInWords: 'cinq mille euros' });
    const employer = await createContributor(t, caisseId, token, { kind: 'foundation', name: 'Fondation X' });
    const refused = await issue({ contributorId: employer.id });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toHaveProperty('contributorId');
  });

  it('numbers receipts without gaps under concurrency, and cancels with a numbered cancellation', async () => {
    const donors = [];
    for (let i = 0; i < 6; i++) {
      const d = await createContributor(t, caisseId, token, { kind: 'individual', name: `Donateur ${i}` });
      await pay({ contributorId: d.id, amount: '20.00', method: 'card', receivedOn: '2026-05-01' });
      donors.push(d);
    }
    // Six donors at once, plus the first donor a second time: exactly one of those two may win.
    const results = await Promise.all([...donors.map((d) => issue({ contributorId: d.id })), issue({ contributorId: donors[0].id })]);
    expect(results.filter((r) => r.status === 201)).toHaveLength(6);
    expect(results.filter((r) => r.status === 409)).toHaveLength(1);
    const all = (await t.http.get(url('/tax-receipts?year=2026')).set(bearer(token))).body as { number: string }[];
    const seqs = all.map((r) => Number(r.number.slice(5)));
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));

    const target = results.find((r) => r.status === 201)!.body;
    const cancelled = await t.http.post(url(`/tax-receipts/${target.id}/cancellation`)).set(bearer(token)).send({ reason: 'Nom du donateur erroné' });
    expect(cancelled.status).toBe(201);
    expect(cancelled.body.cancellationNumber).toBe('A2026-000001');
    expect((await t.http.post(url(`/tax-receipts/${target.id}/cancellation`)).set(bearer(token)).send({ reason: 'again' })).status).toBe(409);
    const corrected = await issue({ contributorId: target.contributorId });
    expect(corrected.status).toBe(201);
    expect(Number(corrected.body.number.slice(5))).toBe(seqs.length + 1);
    expect(corrected.body.items.map((i: { contributionId: string }) => i.contributionId)).toEqual(target.items.map((i: { contributionId: string }) => i.contributionId));
  });

  it('refuses a request naming no donor or both', async () => {
    const res = await issue({});
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveProperty('memberId');
    expect((await issue({ memberId: 'nope' })).body.errors).toHaveProperty('memberId');
  });
});
