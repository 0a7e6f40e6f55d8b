import { allocationRules, fund, LYON, runPeriod } from '../support/allocation-fixtures.js';
import { drawnCommitteeDraw, outletWithDossier } from '../support/dossier-fixtures.js';
import { closeDecision, openDecision, seatCommittee, vote } from '../support/governance-fixtures.js';
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
  let tokens: Awaited<ReturnType<BrowserHarness['t']['newCaisse']>>['tokens'];
  beforeAll(async () => {
    if (!run) return;
    h = await startBrowser();
    const created = await h.t.newCaisse();
    caisseId = created.caisseId;
    tokens = created.tokens;
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

  it('checks the committee pages as an admin: agenda, dossier, putting to the vote, results of each method, sortition', async () => {
    if (!run) return;
    const seats = await seatCommittee(h.t, caisseId, tokens.admin, 3);
    const outlet = await outletWithDossier(h.t, caisseId, tokens, 'Ferme de la Combe');
    const GRADES = ['À rejeter', 'Insuffisant', 'Passable', 'Assez bien', 'Bien', 'Très bien', 'Excellent'];
    const closed = async (body: Record<string, unknown>, ballots: Record<string, unknown>[]) => {
      const d = await openDecision(h.t, caisseId, tokens.committee, body);
      for (const [i, ballot] of ballots.entries()) expect((await vote(h.t, caisseId, d.id, seats[i].token, ballot)).status).toBe(201);
      expect((await closeDecision(h.t, caisseId, d.id, tokens.committee)).status).toBe(200);
      return d.id;
    };
    const mj = await closed(
      { title: 'Conventionnement de la Ferme de la Combe', subject: 'conventionnement', outletId: outlet.id, method: 'majority-judgment', options: [outlet.name], grades: GRADES, threshold: 3, reviewOn: '2027-12-01' },
      [{ grades: { [outlet.name]: 4 } }, { grades: { [outlet.name]: 5 } }, { grades: { [outlet.name]: 2 } }],
    );
    const consent = await closed({ title: 'Motion : horaires', subject: 'motion', method: 'consent' }, [{ position: 'consent' }, { position: 'objection', reason: 'Trop tôt pour les producteurs.' }]);
    const approval = await closed({ title: 'Motion : lieux', subject: 'motion', method: 'approval', theta: 50, options: ['Halle', 'Place'] }, [{ approved: ['Halle'] }, { approved: ['Halle', 'Place'] }]);
    const majority = await closed({ title: 'Motion : budget', subject: 'motion', method: 'qualified-majority', a: 2, b: 3, basis: 'cast' }, [{ choice: 'for' }, { choice: 'for' }, { choice: 'abstain' }]);
    await openDecision(h.t, caisseId, tokens.committee, { title: 'Motion : en cours', subject: 'motion', method: 'simple-majority' });
    const drawId = await drawnCommitteeDraw(h.t, caisseId, tokens.admin);
    const candidate = await outletWithDossier(h.t, caisseId, tokens, 'Épicerie de la Place');
    await h.context.clearCookies();
    await h.page.setViewportSize({ width: 1280, height: 900 });
    await browserLogin(h, await roleEmail(h.t, caisseId, 'admin'), 'password-admin-123');
    const base = `/caisses/${caisseId}/comite`;
    const pages: [string, string][] = [
      ['committee-agenda-admin', base],
      ['committee-decisions', `${base}/decisions`],
      ['result-mj-admin', `${base}/decisions/${mj}`],
      ['result-consent', `${base}/decisions/${consent}`],
      ['result-approval', `${base}/decisions/${approval}`],
      ['result-majority', `${base}/decisions/${majority}`],
      ['outlet-dossier-admin', `${base}/points-de-vente/${outlet.id}`],
      ['decision-new', `${base}/points-de-vente/${candidate.id}/mettre-au-vote`],
      ['committee-mandates-admin', `${base}/mandats`],
      ['draw', `${base}/tirages/${drawId}`],
    ];
    for (const [name, path] of pages) {
      const res = await h.page.goto(`${h.baseUrl}${path}`);
      expect([name, res?.status()]).toEqual([name, 200]);
      expect([name, await h.page.locator('h1').count()]).toEqual([name, 1]);
      expect([name, await h.axe()]).toEqual([name, []]);
      await h.screenshot(name);
    }
    // A refused form (its errors tied to their fields) and the server's re-run of the draw.
    await h.page.goto(`${h.baseUrl}${base}/points-de-vente/${candidate.id}/mettre-au-vote`);
    await h.page.getByLabel('Date du prochain réexamen').fill('');
    await h.page.getByRole('button', { name: 'Mettre au vote' }).click();
    await h.page.locator('#f-reviewOn-error').waitFor();
    expect(await h.axe()).toEqual([]);
    await h.screenshot('decision-new-errors');
    await h.page.goto(`${h.baseUrl}${base}/tirages/${drawId}`);
    await h.page.getByRole('button', { name: 'Refaire le tirage maintenant' }).click();
    await h.page.getByText('Tirage reproduit à l’identique.').waitFor();
    expect(await h.axe()).toEqual([]);
    await h.screenshot('draw-verified');
    // On a phone, the grade table and the dossier stay readable (no violation either).
    await h.page.setViewportSize({ width: 375, height: 800 });
    for (const [name, path] of [pages[2], pages[6]]) {
      await h.page.goto(`${h.baseUrl}${path}`);
      expect([name, await h.axe()]).toEqual([name, []]);
      await h.screenshot(`${name}-phone`);
    }
    expect(h.cspViolations).toEqual([]);
  });
});
