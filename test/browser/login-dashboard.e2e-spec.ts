import { roleEmail } from '../support/web-fixtures.js';
import { browserAvailable, browserLogin, startBrowser, type BrowserHarness } from './browser-harness.js';

const run = browserAvailable();

describe('Browser: a treasurer logs in and reads the dashboard (chromium)', () => {
  let h: BrowserHarness;
  let caisseId: string;
  beforeAll(async () => {
    if (!run) return;
    h = await startBrowser();
    ({ caisseId } = await h.t.newCaisse());
    // Booting the app (and chromium) on a loaded shared CI machine can take well over the default minute.
  }, 180_000);
  afterAll(async () => {
    if (run) await h.close();
  });

  it('logs in through the form, reaches the dashboard from the home page, with no accessibility or CSP violation', async () => {
    if (!run) return;
    await browserLogin(h, await roleEmail(h.t, caisseId, 'treasurer'), 'password-treasurer-123');
    expect(await h.axe()).toEqual([]);
    await h.page.getByRole('link', { name: /^Caisse c-/ }).first().click();
    await h.page.getByRole('link', { name: 'Tableau de bord' }).first().click();
    await h.page.waitForURL(`${h.baseUrl}/caisses/${caisseId}/tableau-de-bord`);
    expect(await h.page.getByRole('heading', { level: 1 }).textContent()).toBe('Tableau de bord');
    expect(await h.page.locator('h1').count()).toBe(1);
    expect(await h.axe()).toEqual([]);
    await h.screenshot('dashboard');
    expect(h.cspViolations).toEqual([]);
  });
});
