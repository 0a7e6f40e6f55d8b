import { readFileSync } from 'node:fs';
import { todayInFrance } from '../../src/common/dates.js';
import { bearer } from '../support/outlet-fixtures.js';
import { payCaisse, type PayCaisse, payee, sale } from '../support/settlement-fixtures.js';
import { roleEmail } from '../support/web-fixtures.js';
import { browserAvailable, browserLogin, startBrowser, type BrowserHarness } from './browser-harness.js';

const run = browserAvailable();

describe('Browser: a treasurer prepares a settlement run, a second treasurer approves it, it is exported and its pain.001 downloaded (chromium)', () => {
  let h: BrowserHarness;
  let c: PayCaisse;
  let secondEmail: string;
  beforeAll(async () => {
    if (!run) return;
    h = await startBrowser();
    c = await payCaisse(h.t);
    const o = await payee(h.t, c);
    await sale(h.t, c, o.accountCode, '987.65');
    secondEmail = `treasurer2-${c.caisseId.slice(0, 8)}@test.caisse`;
    const made = await h.t.http.post(`/api/v1/caisses/${c.caisseId}/users`).set(bearer(c.tokens.admin)).send({ email: secondEmail, password: 'password-treasurer2-123', role: 'treasurer' });
    if (made.status !== 201) throw new Error(`second treasurer: ${made.status}`);
  }, 120_000);
  afterAll(async () => {
    if (run) await h.close();
  });

  it('goes from the form to the downloaded pain.001, each page accessible and within the CSP', async () => {
    if (!run) return;
    const page = h.page;
    await browserLogin(h, await roleEmail(h.t, c.caisseId, 'treasurer'), 'password-treasurer-123');
    await page.goto(`${h.baseUrl}/caisses/${c.caisseId}/reglements`);
    expect(await h.axe()).toEqual([]);
    await page.getByLabel(/Achats enregistrés jusqu’au/).fill(todayInFrance());
    await page.getByRole('button', { name: 'Préparer le règlement' }).click();
    await page.waitForURL(new RegExp(`/caisses/${c.caisseId}/reglements/[0-9a-f-]{36}$`));
    const runUrl = page.url();
    expect(await page.locator('main').textContent()).toContain('987,65\u00a0€');
    expect(await page.locator('main').textContent()).toContain('une autre personne');
    expect(await page.getByRole('button', { name: /Approuver/ }).count()).toBe(0);
    expect(await h.axe()).toEqual([]);
    await h.screenshot('settlement-run-draft');

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await browserLogin(h, secondEmail, 'password-treasurer2-123');
    await page.goto(runUrl);
    await page.getByRole('button', { name: /Approuver le règlement/ }).click();
    await page.waitForURL(runUrl);
    expect(await page.locator('main').textContent()).toContain('Approuvé');
    expect(await h.axe()).toEqual([]);
    await page.getByLabel('Format pain.001').selectOption('09');
    await page.getByRole('button', { name: 'Exporter vers la banque' }).click();
    await page.waitForURL(runUrl);
    expect(await page.locator('main').textContent()).toContain('Exporté');
    expect(await h.axe()).toEqual([]);
    await h.screenshot('settlement-run-exported');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger le pain.001.001.09' }).click()]);
    expect(download.suggestedFilename()).toMatch(/pain\.001\.001\.09\.xml$/);
    const xml = readFileSync((await download.path())!, 'utf8');
    expect(xml).toContain('<InstdAmt Ccy="EUR">987.65</InstdAmt>');
    expect(h.cspViolations).toEqual([]);
  });

  it('renders the reports (charts within the CSP) and the books accessibly, on a phone too', async () => {
    if (!run) return;
    const page = h.page;
    await page.goto(`${h.baseUrl}/caisses/${c.caisseId}/rapports`);
    expect(await h.axe()).toEqual([]);
    for (const path of ['/rapports/runway', '/rapports/solidarity', '/rapports/funders', '/rapports/spending', '/rapports/activity', '/livres/balance', '/livres/grand-livre']) {
      await page.goto(`${h.baseUrl}/caisses/${c.caisseId}${path}`);
      expect(await h.axe()).toEqual([]);
    }
    await page.goto(`${h.baseUrl}/caisses/${c.caisseId}/rapports/runway`);
    await page.locator('#runway-chart').waitFor();
    await h.screenshot('report-runway');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${h.baseUrl}/caisses/${c.caisseId}/reglements`);
    expect(await h.axe()).toEqual([]);
    await h.screenshot('settlement-runs-phone');
    expect(h.cspViolations).toEqual([]);
  });
});
