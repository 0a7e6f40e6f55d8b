import { createHash } from 'node:crypto';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { DAILY_REVIEW, OUTLETS_QUEUE } from '../../src/outlets/outlets.processor.js';
import { bearer, conventionnedOutlet, createOutlet, decision, inDays, shopPlace, transition } from '../support/outlet-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000, 0x20), Buffer.from('\n%%EOF\n')]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

const GRID = [
  { code: 'organic-practice', label: 'Pratiques biologiques ou durables', evidenceRequired: true },
  { code: 'locality', label: 'Production locale' },
  { code: 'working-conditions', label: 'Conditions de travail' },
  { code: 'price-transparency', label: 'Transparence des prix', evidenceRequired: true },
];

describe('criteria, evidence and periodic review (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let tokens: Awaited<ReturnType<TestApp['newCaisse']>>['tokens'];
  const base = () => `/api/v1/caisses/${caisseId}`;
  const upload = (outletId: string, fields: Record<string, string>, file?: { content: Buffer; name: string; type?: string }, token = tokens.treasurer) => {
    const req = t.http.post(`${base()}/outlets/${outletId}/evidence`).set(bearer(token));
    for (const [k, v] of Object.entries(fields)) req.field(k, v);
    if (file) req.attach('file', file.content, { filename: file.name, contentType: file.type ?? 'application/pdf' });
    return req;
  };

  beforeAll(async () => {
    t = await createTestApp();
    ({ caisseId, tokens } = await t.newCaisse());
    const published = await t.http.post(`${base()}/outlet-criteria`).set(bearer(tokens.admin)).send({ effectiveFrom: '2026-01-01', criteria: GRID });
    expect(published.status).toBe(201);
  });
  afterAll(async () => t?.close());

  describe('criteria catalogue', () => {
    it('is versioned: a new version takes over from its date, the old one stays readable', async () => {
      const v2 = await t.http.post(`${base()}/outlet-criteria`).set(bearer(tokens.treasurer)).send({ effectiveFrom: inDays(60), criteria: [...GRID, { code: 'accessibility', label: 'Accessibilité' }] });
      expect(v2.body).toMatchObject({ version: 2, effectiveFrom: inDays(60) });
      expect(v2.body.criteria.map((c: { code: string }) => c.code)).toEqual([...GRID.map((c) => c.code), 'accessibility']);
      expect((await t.http.get(`${base()}/outlet-criteria/in-force`).set(bearer(tokens.committee))).body.version).toBe(1);
      expect((await t.http.get(`${base()}/outlet-criteria/in-force`).query({ at: inDays(61) }).set(bearer(tokens.committee))).body.version).toBe(2);
      expect((await t.http.get(`${base()}/outlet-criteria`).set(bearer(tokens.committee))).body).toHaveLength(2);
      const again = await t.http.post(`${base()}/outlet-criteria`).set(bearer(tokens.admin)).send({ effectiveFrom: inDays(60), criteria: GRID });
      expect(again.status).toBe(409);
      await expect(t.sql(`UPDATE outlet_criteria SET label = 'x' WHERE version_id = $1`, [v2.body.id])).rejects.toThrow(/append-only/);
    });

    it('refuses a repeated code or a bad code, naming the item', async () => {
      const res = await t.http.post(`${base()}/outlet-criteria`).set(bearer(tokens.admin)).send({ effectiveFrom: inDays(90), criteria: [GRID[0], GRID[0], { code: 'Bad Code', label: 'x' }] });
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors).sort()).toEqual(['criteria.2.code']);
      const dup = await t.http.post(`${base()}/outlet-criteria`).set(bearer(tokens.admin)).send({ effectiveFrom: inDays(90), criteria: [GRID[0], GRID[0]] });
      expect(Object.keys(dup.body.errors)).toEqual(['criteria.1.code']);
      expect((await t.http.post(`${base()}/outlet-criteria`).set(bearer(tokens.committee)).send({ effectiveFrom: inDays(91), criteria: GRID })).status).toBe(403);
    });

    it("records an outlet's answers on its grid", async () => {
      const o = await createOutlet(t, caisseId, tokens.admin);
      const answered = await t.http.put(`${base()}/outlets/${o.id}/criteria/locality`).set(bearer(tokens.admin)).send({ answer: 'yes', comment: 'Moins de 30 km' });
      expect(answered.status).toBe(200);
      expect(answered.body).toMatchObject({ code: 'locality', answer: { answer: 'yes', comment: 'Moins de 30 km', version: 1 } });
      const grid = await t.http.get(`${base()}/outlets/${o.id}/criteria`).set(bearer(tokens.committee));
      expect(grid.body.version).toBe(1);
      expect(grid.body.items.map((i: { code: string; answer: unknown }) => [i.code, i.answer !== null])).toEqual([
        ['organic-practice', false],
        ['locality', true],
        ['working-conditions', false],
        ['price-transparency', false],
      ]);
      expect((await t.http.put(`${base()}/outlets/${o.id}/criteria/unknown-one`).set(bearer(tokens.admin)).send({ answer: 'yes' })).status).toBe(404);
      expect((await t.http.put(`${base()}/outlets/${o.id}/criteria/locality`).set(bearer(tokens.admin)).send({ answer: 'maybe' })).body.errors).toEqual({
        answer: [expect.stringMatching(/one of/)],
      });
    });
  });

  describe('evidence upload', () => {
    let outletId: string;
    beforeAll(async () => {
      outletId = (await createOutlet(t, caisseId, tokens.admin)).id;
    });

    it('stores a PDF with its checksum, issuer and validity, and gives it back intact', async () => {
      const res = await upload(outletId, { criterion: 'organic-practice', issuer: 'Ecocert FR-BIO-01', reference: 'CERT-42', issuedOn: '2026-03-01', validUntil: inDays(200) }, { content: PDF, name: 'certificat AB.pdf' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        criterion: 'organic-practice',
        issuer: 'Ecocert FR-BIO-01',
        fileName: 'certificat AB.pdf',
        mediaType: 'application/pdf',
        sizeBytes: PDF.length,
        sha256: createHash('sha256').update(PDF).digest('hex'),
        validUntil: inDays(200),
        expired: false,
      });
      const back = await t.http.get(`${base()}/outlets/${outletId}/evidence/${res.body.id}`).set(bearer(tokens.committee));
      expect(Buffer.from(back.body.contentBase64, 'base64').equals(PDF)).toBe(true);
      const grid = await t.http.get(`${base()}/outlets/${outletId}/criteria`).set(bearer(tokens.admin));
      expect(grid.body.items[0].evidence).toEqual([expect.objectContaining({ id: res.body.id })]);
    });

    it('takes the type from the content, not the declared one', async () => {
      const png = await upload(outletId, { criterion: 'price-transparency', issuer: 'Affichage en boutique' }, { content: PNG, name: 'prix.pdf', type: 'application/pdf' });
      expect(png.body).toMatchObject({ mediaType: 'image/png' });
      const fake = await upload(outletId, { criterion: 'price-transparency', issuer: 'x' }, { content: Buffer.from('MZ not a pdf'), name: 'cert.pdf' });
      expect(fake.status).toBe(415);
      expect(fake.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(fake.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', errors: { file: [expect.stringMatching(/PDF, PNG or JPEG/)] } });
    });

    it('refuses a file over 2 MiB with 413, writing nothing', async () => {
      const before = await t.sql('SELECT count(*)::int AS n FROM outlet_evidence');
      const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2 * 1024 * 1024)]);
      const res = await upload(outletId, { criterion: 'organic-practice', issuer: 'x' }, { content: big, name: 'scan.pdf' });
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
      expect(await t.sql('SELECT count(*)::int AS n FROM outlet_evidence')).toEqual(before);
    });

    it.each<[string, Record<string, string>, boolean, string[]]>([
      ['no file', { criterion: 'organic-practice', issuer: 'x' }, false, ['file']],
      ['a criterion not in the grid', { criterion: 'luck', issuer: 'x' }, true, ['criterion']],
      ['no issuer', { criterion: 'organic-practice' }, true, ['issuer']],
      ['a validity ending before issue', { criterion: 'organic-practice', issuer: 'x', issuedOn: '2026-05-01', validUntil: '2026-04-01' }, true, ['validUntil']],
      ['an impossible date', { criterion: 'organic-practice', issuer: 'x', validUntil: '2026-02-30' }, true, ['validUntil']],
      ['an unknown field', { criterion: 'organic-practice', issuer: 'x', note: 'hello' }, true, ['note']],
    ])('refuses %s with 400 naming the field', async (_name, fields, withFile, errors) => {
      const res = await upload(outletId, fields, withFile ? { content: PDF, name: 'c.pdf' } : undefined);
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors)).toEqual(errors);
    });

    it('lets only admins and treasurers upload', async () => {
      for (const role of ['committee', 'cashier', 'member'] as const) {
        expect((await upload(outletId, { criterion: 'organic-practice', issuer: 'x' }, { content: PDF, name: 'c.pdf' }, tokens[role])).status).toBe(403);
      }
    });
  });

  describe('review due', () => {
    let ids: Record<'expiredDoc' | 'expiringDoc' | 'reviewSoon' | 'fine' | 'replaced', string>;

    beforeAll(async () => {
      const doc = async (outletId: string, criterion: string, validUntil: string) =>
        expect((await upload(outletId, { criterion, issuer: 'Ecocert', validUntil }, { content: PDF, name: 'c.pdf' })).status).toBe(201);
      const expiredDoc = await conventionnedOutlet(t, caisseId, tokens.admin);
      await doc(expiredDoc.id, 'organic-practice', inDays(-1));
      const expiringDoc = await conventionnedOutlet(t, caisseId, tokens.admin);
      await doc(expiringDoc.id, 'organic-practice', inDays(10));
      const replaced = await conventionnedOutlet(t, caisseId, tokens.admin);
      await doc(replaced.id, 'organic-practice', inDays(-30));
      await doc(replaced.id, 'organic-practice', inDays(300));
      const fine = await conventionnedOutlet(t, caisseId, tokens.admin);
      await doc(fine.id, 'organic-practice', inDays(300));
      const reviewSoon = await createOutlet(t, caisseId, tokens.admin);
      await t.http.post(`${base()}/outlets/${reviewSoon.id}/places`).set(bearer(tokens.admin)).send(shopPlace());
      await transition(t, caisseId, reviewSoon.id, tokens.admin, { to: 'dossier-complete' });
      expect((await transition(t, caisseId, reviewSoon.id, tokens.admin, { to: 'conventionne', ...decision(), reviewOn: inDays(12) })).status).toBe(201);
      ids = { expiredDoc: expiredDoc.id, expiringDoc: expiringDoc.id, reviewSoon: reviewSoon.id, fine: fine.id, replaced: replaced.id };
    });

    const due = async (query: Record<string, string> = {}) => {
      const res = await t.http.get(`${base()}/outlets/review-due`).query(query).set(bearer(tokens.committee));
      expect(res.status).toBe(200);
      return res.body as { outletId: string; reasons: { code: string; date: string; criterion?: string }[] }[];
    };

    it('lists expired and expiring documents and near review dates, computed from the data', async () => {
      const items = await due();
      const reasons = (id: string) => items.find((i) => i.outletId === id)?.reasons;
      expect(reasons(ids.expiredDoc)).toEqual([expect.objectContaining({ code: 'EVIDENCE_EXPIRED', date: inDays(-1), criterion: 'organic-practice' })]);
      expect(reasons(ids.expiringDoc)).toEqual([expect.objectContaining({ code: 'EVIDENCE_EXPIRING', date: inDays(10) })]);
      expect(reasons(ids.reviewSoon)).toEqual([{ code: 'REVIEW_DATE_NEAR', date: inDays(12) }]);
      expect(reasons(ids.fine)).toBeUndefined();
      expect(reasons(ids.replaced)).toBeUndefined(); // the newer certificate counts
      expect(items.findIndex((i) => i.outletId === ids.expiredDoc)).toBeLessThan(items.findIndex((i) => i.outletId === ids.expiringDoc));
      const narrow = await due({ within: '5' });
      expect(narrow.map((i) => i.outletId)).toContain(ids.expiredDoc);
      expect(narrow.map((i) => i.outletId)).not.toContain(ids.reviewSoon);
      expect((await t.http.get(`${base()}/outlets/review-due`).query({ within: '0' }).set(bearer(tokens.admin))).body.errors).toHaveProperty('within');
      expect((await t.http.get(`${base()}/outlets/review-due`).set(bearer(tokens.member))).status).toBe(403);
    });

    it('runs as a queued job: flags the lapsed document once and moves near reviews to renewal-due', async () => {
      const queue = t.app.get<Queue>(getQueueToken(OUTLETS_QUEUE));
      const repeatable = await queue.getRepeatableJobs();
      expect(repeatable).toEqual(expect.arrayContaining([expect.objectContaining({ name: DAILY_REVIEW, tz: 'Europe/Paris' })]));
      const job = await queue.add(DAILY_REVIEW, {});
      const result = await job.finished();
      expect(result.failed).toBe(0);
      expect(result.renewalDue).toBeGreaterThanOrEqual(1);
      expect(result.evidenceFlagged).toBeGreaterThanOrEqual(1);

      const history = await t.http.get(`${base()}/outlets/${ids.reviewSoon}/history`).set(bearer(tokens.admin));
      expect(history.body.at(-1)).toMatchObject({ to: 'renewal-due', actor: { kind: 'system', id: null }, reason: expect.stringMatching(/Review date/) });
      const flagged = await t.sql<{ expiry_flagged_at: Date | null }>('SELECT expiry_flagged_at FROM outlet_evidence WHERE outlet_id = $1', [ids.expiredDoc]);
      expect(flagged[0].expiry_flagged_at).toBeInstanceOf(Date);
      const audit = await t.sql(`SELECT actor_kind FROM audit_log WHERE target_id = $1 AND action = 'outlet.evidence-expired'`, [ids.expiredDoc]);
      expect(audit).toEqual([{ actor_kind: 'system' }]);
      expect((await due()).find((i) => i.outletId === ids.reviewSoon)?.reasons).toEqual([{ code: 'RENEWAL_DUE', date: inDays(12) }]);
      // The outlet still accepts while its renewal is due.
      expect((await t.http.get(`${base()}/outlets/${ids.reviewSoon}`).set(bearer(tokens.admin))).body).toMatchObject({ status: 'renewal-due', accepting: true });

      const second = await (await queue.add(DAILY_REVIEW, {})).finished();
      const flaggedAgain = await t.sql(`SELECT count(*)::int AS n FROM audit_log WHERE target_id = $1 AND action = 'outlet.evidence-expired'`, [ids.expiredDoc]);
      expect(flaggedAgain).toEqual([{ n: 1 }]);
      expect(second.failed).toBe(0);
    });

    it('writes down an ended validity as "expired", effective at its end (or right after the step before it)', async () => {
      const o = await conventionnedOutlet(t, caisseId, tokens.admin);
      // A renewal-due step whose last valid day was yesterday (the API never lets terms end in the past).
      await t.sql(
        `INSERT INTO outlet_transitions (caisse_id, outlet_id, seq, from_status, to_status, effective_at, actor_kind, reason, review_on, valid_until)
         SELECT caisse_id, outlet_id, seq + 1, to_status, 'renewal-due', effective_at, 'system', 'test', current_date - 2, current_date - 1
           FROM outlet_transitions WHERE outlet_id = $1 ORDER BY seq DESC LIMIT 1`,
        [o.id],
      );
      expect((await t.http.get(`${base()}/outlets/${o.id}`).set(bearer(tokens.admin))).body).toMatchObject({ status: 'expired', accepting: false });
      const queue = t.app.get<Queue>(getQueueToken(OUTLETS_QUEUE));
      expect((await (await queue.add(DAILY_REVIEW, {})).finished()).expired).toBeGreaterThanOrEqual(1);
      const history = (await t.http.get(`${base()}/outlets/${o.id}/history`).set(bearer(tokens.admin))).body;
      const [{ end }] = await t.sql<{ end: Date }>(`SELECT ((current_date)::timestamp AT TIME ZONE 'Europe/Paris') AS end`);
      const expected = Math.max(end.getTime(), Date.parse(history.at(-2).effectiveAt));
      expect(history.at(-1)).toMatchObject({ from: 'renewal-due', to: 'expired', effectiveAt: new Date(expected).toISOString(), actor: { kind: 'system' } });
      expect(history.at(-1).reason).toMatch(/valid until/);
      // Starting again is a new candidacy.
      expect((await transition(t, caisseId, o.id, tokens.admin, { to: 'conventionne', ...decision(), reviewOn: inDays(100) })).body.code).toBe('ILLEGAL_TRANSITION');
      expect((await transition(t, caisseId, o.id, tokens.admin, { to: 'candidate' })).status).toBe(201);
    });
  });
});
