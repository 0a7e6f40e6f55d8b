import { seatWebCommittee, type WebSeat } from '../support/committee-web-fixtures.js';
import { outletWithDossier } from '../support/dossier-fixtures.js';
import { closeDecision, openDecision, vote } from '../support/governance-fixtures.js';
import { memberLogin } from '../support/member-fixtures.js';
import { inDays } from '../support/outlet-fixtures.js';
import { roleEmail } from '../support/web-fixtures.js';
import { browserAvailable, browserLogin, startBrowser, type BrowserHarness } from './browser-harness.js';

const run = browserAvailable();
const GRADES = ['À rejeter', 'Insuffisant', 'Passable', 'Assez bien', 'Bien', 'Très bien', 'Excellent'];

describe('Browser: a committee member votes and reads the result after close (chromium)', () => {
  let h: BrowserHarness;
  let caisseId: string;
  let tokens: Awaited<ReturnType<BrowserHarness['t']['newCaisse']>>['tokens'];
  let seats: WebSeat[];
  beforeAll(async () => {
    if (!run) return;
    h = await startBrowser();
    ({ caisseId, tokens } = await h.t.newCaisse());
    seats = await seatWebCommittee(h.t, caisseId, tokens.admin, 3);
  });
  afterAll(async () => {
    if (run) await h.close();
  });

  it('votes with majority judgment through the page, then sees the tally once the decision is closed', async () => {
    if (!run) return;
    const d = await openDecision(h.t, caisseId, tokens.committee, { title: 'Motion : nouveau marché', subject: 'motion', method: 'majority-judgment', options: ['Marché du jeudi'], grades: GRADES, threshold: 3 });
    const page = h.page;
    await page.goto(`${h.baseUrl}/caisses/${caisseId}/membre/connexion`);
    await page.getByLabel('Numéro de carte').fill(seats[0].cardNumber);
    await page.getByLabel('Code (4 chiffres)').fill('4821');
    await Promise.all([page.waitForURL(/\/membre$/), page.getByRole('button', { name: 'Accéder à mon espace' }).click()]);
    await page.goto(`${h.baseUrl}/caisses/${caisseId}/comite/decisions`);
    expect(await h.axe()).toEqual([]);
    await page.getByRole('link', { name: 'Motion : nouveau marché' }).click();
    expect(await h.axe()).toEqual([]);
    await h.screenshot('committee-vote');
    await page.getByLabel('Très bien').check();
    await page.getByRole('button', { name: 'Voter' }).click();
    await page.getByText('Vote enregistré').waitFor();

    expect((await closeDecision(h.t, caisseId, d.id, tokens.committee)).status).toBe(200);
    await page.goto(`${h.baseUrl}/caisses/${caisseId}/comite/decisions/${d.id}`);
    await page.getByRole('heading', { name: 'Résultat' }).waitFor();
    expect(await page.getByText('Décompte détaillé').count()).toBe(1);
    expect(await h.axe()).toEqual([]);
    await h.screenshot('committee-result');
    expect(h.cspViolations).toEqual([]);
  });

  it('shows the committee its agenda and mandates without accessibility violations', async () => {
    if (!run) return;
    const page = await h.context.newPage();
    await h.context.clearCookies();
    await openDecision(h.t, caisseId, tokens.committee, { title: 'Motion : consentement', subject: 'motion', method: 'consent' });
    await browserLogin(h, await roleEmail(h.t, caisseId, 'committee'), 'password-committee-123', page);
    await page.goto(`${h.baseUrl}/caisses/${caisseId}/comite`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Ordre du jour du comité');
    expect(await h.axe(page)).toEqual([]);
    await h.screenshot('committee-agenda', page);
    await page.getByRole('link', { name: 'Motion : consentement' }).click();
    expect(await page.getByLabel('J’objecte (motif obligatoire)').count()).toBe(1);
    expect(await h.axe(page)).toEqual([]);
    await h.screenshot('committee-consent', page);
    await page.goto(`${h.baseUrl}/caisses/${caisseId}/comite/mandats`);
    expect(await h.axe(page)).toEqual([]);
    await h.screenshot('committee-mandates', page);
    expect(h.cspViolations).toEqual([]);
  });

  it('lets the committee open an outlet dossier from the agenda, vote on its conventionnement by majority judgment, and read the grade table after close', async () => {
    if (!run) return;
    const outlet = await outletWithDossier(h.t, caisseId, tokens, 'Ferme du Causse');
    const d = await openDecision(h.t, caisseId, tokens.committee, {
      title: 'Conventionnement de la Ferme du Causse', subject: 'conventionnement', outletId: outlet.id, method: 'majority-judgment',
      options: [outlet.name], grades: GRADES, threshold: 3, reviewOn: inDays(365),
    });
    // The committee's staff account: agenda → decision → dossier of the outlet.
    const staff = await h.context.newPage();
    await h.context.clearCookies();
    await browserLogin(h, await roleEmail(h.t, caisseId, 'committee'), 'password-committee-123', staff);
    await staff.goto(`${h.baseUrl}/caisses/${caisseId}/comite`);
    await staff.getByRole('link', { name: d.title as string }).waitFor();
    expect(await h.axe(staff)).toEqual([]);
    await h.screenshot('agenda', staff);
    await staff.getByRole('link', { name: d.title as string }).click();
    await staff.getByRole('link', { name: 'dossier du point de vente' }).click();
    expect(await staff.getByRole('heading', { level: 1 }).textContent()).toBe('Dossier : Ferme du Causse');
    await staff.getByRole('heading', { name: 'Pratiques biologiques ou durables' }).waitFor();
    expect(await staff.getByRole('link', { name: 'certificat-bio.pdf' }).count()).toBe(1);
    expect(await h.axe(staff)).toEqual([]);
    await h.screenshot('outlet-dossier', staff);
    await staff.close();

    // A seated member votes with the grade scale, through the form.
    await h.context.clearCookies();
    const page = h.page;
    await page.goto(`${h.baseUrl}/caisses/${caisseId}/membre/connexion`);
    await page.getByLabel('Numéro de carte').fill(seats[1].cardNumber);
    await page.getByLabel('Code (4 chiffres)').fill('4821');
    await Promise.all([page.waitForURL(/\/membre$/), page.getByRole('button', { name: 'Accéder à mon espace' }).click()]);
    await page.goto(`${h.baseUrl}/caisses/${caisseId}/comite/decisions/${d.id}`);
    await page.getByRole('group', { name: `Votre mention pour « ${outlet.name} »` }).getByLabel('Bien', { exact: true }).check();
    await page.getByRole('button', { name: 'Voter' }).click();
    await page.getByText('Vote enregistré').waitFor();

    // A second member votes through the API, so the quorum (more than half of three) is met.
    const other = await memberLogin(h.t, caisseId, seats[2].cardNumber, '4821');
    expect((await vote(h.t, caisseId, d.id, other, { grades: { [outlet.name]: 4 } })).status).toBe(201);
    expect((await closeDecision(h.t, caisseId, d.id, tokens.committee)).status).toBe(200);
    await page.goto(`${h.baseUrl}/caisses/${caisseId}/comite/decisions/${d.id}`);
    const table = page.getByRole('table', { name: 'Mentions reçues par option, de la pire à la meilleure' });
    await table.waitFor();
    const row = table.getByRole('row', { name: new RegExp(outlet.name) });
    expect(await row.getByRole('cell').allTextContents()).toEqual(['1', '0', '0', '0', '0', '2', '0', '0', 'Bien']);
    expect(await page.getByText('Adoptée', { exact: true }).count()).toBe(1);
    // Chart.js drew the grade distribution from its data block.
    await page.waitForFunction(`(window.Chart && Chart.getChart(document.getElementById('mj-grades'))) ? true : false`);
    expect(await h.axe()).toEqual([]);
    await h.screenshot('result-mj');
    expect(h.cspViolations).toEqual([]);
  });
});
