import { addDays } from '../../src/common/dates.js';
import { bearer } from '../support/member-fixtures.js';
import { download, reportCaisse, type ReportCaisse } from '../support/report-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Every figure below is computed by hand from the fixture described in report-fixtures.ts. */
describe('management reports (e2e)', () => {
  let t: TestApp;
  let c: ReportCaisse;
  let period: string;
  let other: Awaited<ReturnType<TestApp['newCaisse']>>;
  // Building the caisse takes a few dozen requests (users, rules, grants, a run, purchases): a loaded CI box needs time.
  beforeAll(async () => {
    t = await createTestApp();
    c = await reportCaisse(t);
    other = await t.newCaisse();
    period = `from=${c.month}-01&to=${c.monthEnd}`;
  }, 240_000);
  afterAll(async () => {
    await t?.close();
  });

  const get = (report: string, query = period, token: string | null = c.tokens.treasurer) => {
    const req = t.http.get(`/api/v1/caisses/${c.caisseId}/reports/${report}?${query}`);
    return token ? req.set(bearer(token)) : req;
  };

  it('funders: per grant notified, received, used (tagged lines, then the fund oldest grant first), unused; per fund; FSE+ statement', async () => {
    const res = await get('funders', `${period}&operation=FSE-1`);
    expect(res.status).toBe(200);
    expect(res.body.grants).toEqual([
      { reference: 'FSE-1', funder: 'FSE+ Occitanie', funderType: 'eu-fse-plus', fund: 'ingenierie', notified: '500.00', received: '500.00', receivable: '0.00', used: '120.00', unused: '380.00' },
      { reference: 'REG-1', funder: 'Région Occitanie', funderType: 'region', fund: 'allocations', notified: '1000.00', received: '600.00', receivable: '400.00', used: '300.00', unused: '700.00' },
    ]);
    const fund = (code: string | null) => res.body.funds.find((f: { fund: string | null }) => f.fund === code);
    expect(fund('allocations')).toEqual({ fund: 'allocations', received: '600.00', receivable: '400.00', used: '300.00', usedInPeriod: '300.00', available: '700.00' });
    expect(fund('ingenierie')).toEqual({ fund: 'ingenierie', received: '500.00', receivable: '0.00', used: '120.00', usedInPeriod: '120.00', available: '380.00' });
    expect(fund(null)).toMatchObject({ received: '200.00', used: '0.00' });
    expect(res.body.topUps).toEqual([]);
    expect(res.body.operation).toEqual({
      operation: 'FSE-1',
      funder: 'FSE+ Occitanie',
      fund: 'ingenierie',
      expenses: [{ account: '627', label: 'Services bancaires', amount: '120.00' }],
      expensesTotal: '120.00',
      resources: [{ account: '741', label: "Subventions d'exploitation", amount: '500.00' }],
      resourcesTotal: '500.00',
      balance: '380.00',
      received: '500.00',
    });
    const unknown = await get('funders', `${period}&operation=NOPE-9`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toHaveProperty('operation');
  });

  it('runway: cash, commitments, receivables, next months’ needs, months left and the date money runs out, with and without new grants', async () => {
    const res = await get('runway');
    expect(res.status).toBe(200);
    // cash: 600 (REG-1) + 200 (members) — the FSE money is restricted; commitments: wallets 300 − 80 spent + 80 owed to shops.
    expect(res.body).toMatchObject({ cash: '800.00', wallets: '220.00', payables: '80.00', commitments: '300.00', receivables: '400.00', available: '900.00', runwayMonths: '3.0' });
    expect(res.body.needs.map((n: { members: number; amount: string }) => [n.members, n.amount])).toEqual([[3, '300.00'], [3, '300.00'], [3, '300.00']]);
    // Funders: REG-1's 600 only — the 500 of FSE-1 are for coordination and never pay a wallet.
    expect(res.body.receipts).toEqual({ members: '200.00', funders: '600.00', months: 1 });
    // 800 a month coming in against 300 going out: the reserve does not shrink.
    expect(res.body.currentPace).toEqual({ monthlyIncome: '800.00', monthlyBurn: '-500.00', months: null, runsOutOn: null });
    // Members only: 300 − 200 = 100 a month out of 900 → 9 months, 9 × 30.4375 = 273 days after the period's end.
    expect(res.body.noNewGrant).toEqual({ monthlyIncome: '200.00', monthlyBurn: '100.00', months: '9.0', runsOutOn: addDays(c.monthEnd, 273) });
  });

  it('solidarity: contributions against allocations by the caisse’s grid bands, and the redistribution rate', async () => {
    const res = await get('solidarity');
    expect(res.status).toBe(200);
    expect(res.body.bandsFrom).toBe('grid');
    expect(res.body.bands).toEqual([
      { band: 'grid-1', label: '≤ 1000.00 €', members: 1, contributions: '10.00', allocations: '100.00', averageContribution: '10.00', averageAllocation: '100.00', netTransfer: '90.00' },
      { band: 'grid-2', label: '1000.00 – 2000.00 €', members: 1, contributions: '40.00', allocations: '100.00', averageContribution: '40.00', averageAllocation: '100.00', netTransfer: '60.00' },
      { band: 'grid-3', label: '> 2000.00 €', members: 1, contributions: '150.00', allocations: '100.00', averageContribution: '150.00', averageAllocation: '100.00', netTransfer: '-50.00' },
    ]);
    expect(res.body.totals).toEqual({ members: 3, contributions: '200.00', allocations: '300.00' });
    // Median 1500: only C is above; C gives 150 − 100 = 50 of the 300 allocated → 16.7 %.
    expect(res.body).toMatchObject({ medianIncome: '1500.00', redistributionPercent: '16.7' });
  });

  it('spending: by outlet, kind, commune and month; organic and local shares; members who bought nothing for 2 months', async () => {
    const res = await get('spending');
    expect(res.status).toBe(200);
    expect(res.body.totals).toEqual({ purchases: 2, amount: '80.00', covered: '80.00', refunded: '0.00' });
    expect(res.body.byKind.map((k: { key: string; amount: string }) => [k.key, k.amount])).toEqual([['grocery', '30.00'], ['producer', '50.00']]);
    expect(res.body.byCommune.map((k: { key: string; amount: string }) => [k.key, k.amount])).toEqual([['34142', '30.00'], ['34172', '50.00']]);
    expect(res.body.byMonth).toEqual([{ key: c.month, label: c.month, purchases: 2, amount: '80.00', covered: '80.00', refunded: '0.00' }]);
    expect(res.body.byOutlet.map((o: { kind: string; organic: boolean; local: boolean }) => [o.kind, o.organic, o.local])).toEqual(
      expect.arrayContaining([['producer', true, false], ['grocery', false, true]]),
    );
    expect(res.body).toMatchObject({ organicPercent: '62.5', localPercent: '37.5' });
    expect(res.body.inactive).toEqual({ count: 1, byCommune: [{ commune: '34142', count: 1 }], byBand: [{ band: '> 2000.00 €', count: 1 }] });
  });

  it('activity: members, households, people, enrolments, exits, outlets by status, decisions', async () => {
    const res = await get('activity', `from=${c.joinedOn}&to=${c.monthEnd}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ households: 3, people: 3, exits: 0, decisions: { taken: 0, adopted: 0, rejected: 0, noDecision: 0 } });
    expect(res.body.membersByStatus.find((s: { status: string }) => s.status === 'active').count).toBe(3);
    expect(res.body.outletsByStatus).toEqual([{ status: 'conventionne', count: 2 }]);
    expect(res.body.enrolments).toBe(3);
    // The three joined three months before: none enrolled this month.
    expect((await get('activity')).body.enrolments).toBe(0);
  });

  it('renders every report as CSV, XLSX and PDF with the right content type', async () => {
    for (const report of ['funders', 'runway', 'solidarity', 'spending', 'activity']) {
      const csv = await get(report, `${period}&format=csv`);
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.headers['content-disposition']).toMatch(/^attachment; filename=".+\.csv"$/);
      const xlsx = await download(get(report, `${period}&format=xlsx`));
      expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
      const pdf = await download(get(report, `${period}&format=pdf`));
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    }
    const csv = await get('solidarity', `${period}&format=csv`);
    expect(csv.text).toContain('Tranche;Adhérents;Cotisations');
    expect(csv.text).toContain('> 2000.00 €;1;150,00;100,00;150,00;100,00;-50,00');
  });

  it('refuses absurd periods and formats with a 400 naming the field', async () => {
    for (const [query, field] of [
      ['from=1899-01-01', 'from'],
      ['to=2999-01-01', 'to'],
      ['from=2026-13-01', 'from'],
      ['to=yesterday', 'to'],
      ['from=2026-06-01&to=2026-05-01', 'from'],
      ['from=2001-01-01&to=2026-01-01', 'to'],
      ['format=docx', 'format'],
    ]) {
      const res = await get('spending', query);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toHaveProperty(field);
    }
  });

  describe('access and publication', () => {
    const url = (report: string) => `/api/v1/caisses/${c.caisseId}/reports/${report}`;
    const settings = (token: string, body: Record<string, unknown>) => t.http.put(`/api/v1/caisses/${c.caisseId}/reports/settings`).set(bearer(token)).send(body);

    it('serves treasurers and admins, refuses other roles (403), strangers (404) and anonymous callers (401) while private', async () => {
      for (const role of ['admin', 'treasurer'] as const) expect((await t.http.get(url('solidarity')).set(bearer(c.tokens[role]))).status).toBe(200);
      for (const role of ['cashier', 'member', 'committee'] as const) {
        const res = await t.http.get(url('solidarity')).set(bearer(c.tokens[role]));
        expect(res.status).toBe(403);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
      expect((await t.http.get(url('solidarity')).set(bearer(other.tokens.admin))).status).toBe(404);
      expect((await t.http.get(url('solidarity'))).status).toBe(401);
      expect((await t.http.get(`/api/v1/caisses/not-a-uuid/reports/solidarity`)).status).toBe(400);
    });

    it('lets only the admin publish reports, and validates the setting', async () => {
      expect((await settings(c.tokens.treasurer, { publicReports: ['solidarity'] })).status).toBe(403);
      const bad = await settings(c.tokens.admin, { publicReports: ['payroll'], minCell: 1 });
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.body.errors).sort()).toEqual(['minCell', 'publicReports']);
      const done = await settings(c.tokens.admin, { publicReports: ['solidarity', 'spending', 'activity'], minCell: 2 });
      expect(done.status).toBe(200);
      expect(done.body).toEqual({ publicReports: ['activity', 'solidarity', 'spending'], minCell: 2 });
      expect((await t.http.get(`/api/v1/caisses/${c.caisseId}/reports/settings`).set(bearer(c.tokens.treasurer))).body).toEqual(done.body);
      const [audit] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE caisse_id = $1 AND action = 'reporting.settings-updated'`, [c.caisseId]);
      expect(audit.n).toBe(1);
    });

    it('serves a published report without login, with small counts suppressed and no member named or numbered', async () => {
      await settings(c.tokens.admin, { publicReports: ['solidarity', 'spending', 'activity'], minCell: 2 });
      const solidarity = await t.http.get(url('solidarity'));
      expect(solidarity.status).toBe(200);
      expect(solidarity.body.audience).toBe('public');
      // One member per band: under the threshold of 2, every cell of every band is withheld, and the median too.
      for (const band of solidarity.body.bands) expect(band).toMatchObject({ members: null, contributions: null, allocations: null, averageContribution: null, netTransfer: null });
      expect(solidarity.body.medianIncome).toBeNull();
      const spending = await t.http.get(url('spending'));
      expect(spending.status).toBe(200);
      expect(spending.body.inactive).toEqual({ count: null, byCommune: [{ commune: '34142', count: null }], byBand: [{ band: '> 2000.00 €', count: null }] });
      // A cashier (not staff) reads the public version too once it is published.
      expect((await t.http.get(url('spending')).set(bearer(c.tokens.cashier))).body.audience).toBe('public');
      // Staff still get the full figures.
      expect((await t.http.get(url('spending')).set(bearer(c.tokens.treasurer))).body.inactive.count).toBe(1);

      const members = await t.sql<{ first_name: string; last_name: string; pseudonym: string }>(`SELECT first_name, last_name, pseudonym FROM members WHERE caisse_id = $1`, [c.caisseId]);
      for (const report of ['solidarity', 'spending', 'activity']) {
        for (const format of ['json', 'csv']) {
          const res = await t.http.get(`${url(report)}?format=${format}`);
          expect(res.status).toBe(200);
          const text = format === 'json' ? JSON.stringify(res.body) : res.text;
          for (const m of members) for (const s of [m.first_name, m.last_name, m.pseudonym]) expect(text).not.toContain(s);
        }
      }
      // Still private: the runway and the funders.
      expect((await t.http.get(url('runway'))).status).toBe(401);
      expect((await t.http.get(url('funders')).set(bearer(c.tokens.cashier))).status).toBe(403);
    });
  });
});
