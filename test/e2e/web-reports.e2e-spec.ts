import { payCaisse, type PayCaisse } from '../support/settlement-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { webLogin, type WebClient } from '../support/web-fixtures.js';

describe('Web pages: reports and books (e2e)', () => {
  let t: TestApp;
  let c: PayCaisse;
  let treasurer: WebClient;
  let admin: WebClient;
  const url = (suffix: string) => `/caisses/${c.caisseId}${suffix}`;
  const year = new Date().getUTCFullYear();
  beforeAll(async () => {
    t = await createTestApp();
    c = await payCaisse(t);
    treasurer = await webLogin(t, c.caisseId, 'treasurer');
    admin = await webLogin(t, c.caisseId, 'admin');
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('shows each report to the treasury with its period filter and downloads, the runway and solidarity with a chart and its table', async () => {
    for (const name of ['funders', 'runway', 'solidarity', 'spending', 'activity']) {
      const res = await treasurer.get(url(`/rapports/${name}?from=${year}-01-01&to=${year}-12-31`));
      expect(res.status).toBe(200);
      expect(res.text).toContain(`value="${year}-01-01"`);
      expect(res.text).toContain(`format=xlsx`);
    }
    const runway = await treasurer.get(url('/rapports/runway'));
    expect(runway.text).toMatch(/<canvas id="runway-chart"/);
    expect(runway.text).toContain('class="chart-table sr-only"');
    const csv = await t.http.get(url(`/rapports/runway?from=${year}-01-01&to=${year}-12-31&format=csv`)).set('Cookie', treasurer.cookieHeader());
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="rapport-runway-/);
    const pdf = await t.http.get(url('/rapports/funders?format=pdf')).set('Cookie', treasurer.cookieHeader());
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((await treasurer.get(url('/rapports/funders?format=docx'))).status).toBe(400);
    expect((await treasurer.get(url('/rapports/funders?from=2026-02-30'))).status).toBe(400);
    expect((await treasurer.get(url('/rapports/nope'))).status).toBe(404);
  });

  it('keeps unpublished reports from others, lets the admin publish one (with CSRF) that anyone then reads', async () => {
    const cashier = await webLogin(t, c.caisseId, 'cashier');
    expect((await cashier.get(url('/rapports/solidarity'))).status).toBe(403);
    expect((await cashier.get(url('/rapports'))).status).toBe(403);
    const anonymous = await t.http.get(url('/rapports/solidarity')).set('Accept', 'text/html');
    expect(anonymous.status).toBe(303);
    expect((await treasurer.get(url('/rapports'))).text).not.toContain('/rapports/publication');
    expect((await treasurer.post(url('/rapports/publication'), { publicReports: 'solidarity' })).status).toBe(403);
    const index = await admin.get(url('/rapports'));
    expect(index.text).toContain('/rapports/publication');
    expect((await admin.post(url('/rapports/publication'), { publicReports: 'solidarity' }, { csrf: false })).status).toBe(403);
    expect((await admin.post(url('/rapports/publication'), { publicReports: 'bogus' })).status).toBe(400);
    const saved = await admin.post(url('/rapports/publication'), { publicReports: 'solidarity' });
    expect(saved.status).toBe(303);
    expect((await admin.get(saved.headers.location as string)).text).toContain('Publication enregistrée.');
    const open = await t.http.get(url('/rapports/solidarity')).set('Accept', 'text/html');
    expect(open.status).toBe(200);
    expect(open.text).toContain('Rapport public');
    expect((await t.http.get(url('/rapports/runway')).set('Accept', 'text/html')).status).toBe(303);
    expect((await cashier.get(url('/rapports/solidarity'))).status).toBe(200);
  });

  it('shows the balance and the general ledger with period and account filters, amounts in French, and their downloads', async () => {
    const balance = await treasurer.get(url('/livres/balance'));
    expect(balance.status).toBe(200);
    expect(balance.text).toContain('100\u202f000,00\u00a0€');
    const sub = await treasurer.get(url('/livres/balance?account=4671'));
    expect(sub.status).toBe(200);
    expect(sub.text).toContain('value="4671"');
    expect((await treasurer.get(url('/livres/balance?account=abc'))).status).toBe(400);
    const ledger = await treasurer.get(url(`/livres/grand-livre?from=${year}-01-01&to=${year}-12-31&account=6571`));
    expect(ledger.status).toBe(200);
    expect(ledger.text).toContain('100\u202f000,00\u00a0€');
    const xlsx = await t.http.get(url('/livres/grand-livre?format=xlsx')).set('Cookie', treasurer.cookieHeader());
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const cashier = await webLogin(t, c.caisseId, 'cashier');
    expect((await cashier.get(url('/livres/balance'))).status).toBe(403);
  });
});
