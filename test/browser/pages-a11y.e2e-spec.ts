import { allocationRules, fund, LYON, runPeriod } from '../support/allocation-fixtures.js';
import { createMember } from '../support/member-fixtures.js';
import { conventionnedOutlet } from '../support/outlet-fixtures.js';
import { roleEmail } from '../support/web-fixtures.js';
import { browserAvailable, browserLogin, startBrowser, type BrowserHarness } from './browser-harness.js';

const run = browserAvailable();

describe('Browser: every page passes axe with no serious or critical violation, under the CSP (chromium)', () => {
  let h: BrowserHarness;
  let caisseId: string;
  let memberId: string;
  let runId: string;
  beforeAll(async () => {
    if (!run) return;
    h = await startBrowser();
    const created = await h.t.newCaisse();
    caisseId = created.caisseId;
    await allocationRules(h.t, caisseId, created.tokens.admin, '2026-01-01', LYON);
    await fund(h.t, caisseId, '3000.00');
    memberId = (await createMember(h.t, caisseId, created.tokens.admin, { joinedOn: '2026-01-05' })).id;
    await conventionnedOutlet(h.t, caisseId, created.tokens.admin);
    runId = (await runPeriod(h.t, caisseId, created.tokens.treasurer, '2026-11')).id;
    // Booting the app (and chromium) on a loaded shared CI machine can take well over the default minute.
  }, 180_000);
  afterAll(async () => {
    if (run) await h.close();
  });

  it('finds a violation when there is one (the check itself works)', async () => {
    if (!run) return;
    await h.page.goto(`${h.baseUrl}/connexion`);
    await h.page.evaluate(`document.querySelector('main').insertAdjacentHTML('beforeend', '<input type="text">')`);
    expect((await h.axe()).join('\n')).toMatch(/^label \((serious|critical)\)/m);
  });

  it('checks the public and login pages, anonymously', async () => {
    if (!run) return;
    for (const [name, path] of [
      ['home', '/'],
      ['login', '/connexion'],
      ['caisse', `/caisses/${caisseId}`],
      ['member-login', `/caisses/${caisseId}/membre/connexion`],
      ['register', `/caisses/${caisseId}/registre`],
      ['how-it-works', `/caisses/${caisseId}/fonctionnement`],
    ]) {
      const res = await h.page.goto(`${h.baseUrl}${path}`);
      expect([name, res?.status()]).toEqual([name, 200]);
      expect([name, await h.page.locator('h1').count()]).toEqual([name, 1]);
      expect([name, await h.axe()]).toEqual([name, []]);
      await h.screenshot(name);
    }
    expect(h.cspViolations).toEqual([]);
  });

  it('checks every staff page as an admin, on a desktop and on a phone', async () => {
    if (!run) return;
    await browserLogin(h, await roleEmail(h.t, caisseId, 'admin'), 'password-admin-123');
    const pages: [string, string][] = [
      ['dashboard', `/caisses/${caisseId}/tableau-de-bord`],
      ['allocations', `/caisses/${caisseId}/allocations`],
      ['allocation-result', `/caisses/${caisseId}/allocations/${runId}`],
      ['members', `/caisses/${caisseId}/membres`],
      ['member', `/caisses/${caisseId}/membres/${memberId}`],
      ['member-new', `/caisses/${caisseId}/membres/nouveau`],
      ['member-import', `/caisses/${caisseId}/membres/import`],
      ['outlets', `/caisses/${caisseId}/points-de-vente`],
      ['contributions', `/caisses/${caisseId}/contributions`],
      ['publication', `/caisses/${caisseId}/publication`],
    ];
    for (const [name, path] of pages) {
      const res = await h.page.goto(`${h.baseUrl}${path}`);
      expect([name, res?.status()]).toEqual([name, 200]);
      expect([name, await h.page.locator('h1').count()]).toEqual([name, 1]);
      expect([name, await h.axe()]).toEqual([name, []]);
      await h.screenshot(name);
    }
    // The dashboard's charts are drawn by Chart.js from their data blocks (the canvas gets a size).
    await h.page.goto(`${h.baseUrl}/caisses/${caisseId}/tableau-de-bord`);
    await h.page.waitForFunction(`(window.Chart && Chart.getChart(document.getElementById('fund-projection'))) ? true : false`);
    await h.page.setViewportSize({ width: 375, height: 800 });
    for (const [name, path] of pages.slice(0, 4)) {
      await h.page.goto(`${h.baseUrl}${path}`);
      expect([name, await h.axe()]).toEqual([name, []]);
      await h.screenshot(`${name}-phone`);
    }
    expect(h.cspViolations).toEqual([]);
  });
});
