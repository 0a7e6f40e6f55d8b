import { readFileSync } from 'node:fs';
import { todayInFrance } from '../../src/common/dates.js';
import { contributionRules } from '../support/contribution-fixtures.js';
import { bearer, createMember, type CreatedMember } from '../support/member-fixtures.js';
import { roleEmail } from '../support/web-fixtures.js';
import { browserAvailable, browserLogin, startBrowser, type BrowserHarness } from './browser-harness.js';

const run = browserAvailable();
const NNBSP = '\u202f';
const NBSP = '\u00a0';

describe('Browser: a treasurer records a funder, its grant and a tranche, then builds a direct-debit batch; the member sees the debit (chromium)', () => {
  let h: BrowserHarness;
  let caisseId: string;
  let member: CreatedMember;
  beforeAll(async () => {
    if (!run) return;
    h = await startBrowser();
    const c = await h.t.newCaisse();
    caisseId = c.caisseId;
    await contributionRules(h.t, caisseId, c.tokens.admin, { rule: 'percent-of-income', rate: '0.025', floor: '10.00' });
    member = await createMember(h.t, caisseId, c.tokens.admin, { monthlyIncome: '1200.00', joinedOn: '2026-01-05' });
    const api = (path: string) => `/api/v1/caisses/${caisseId}${path}`;
    const settings = await h.t.http
      .put(api('/direct-debit-settings'))
      .set(bearer(c.tokens.treasurer))
      .send({ creditorId: 'FR72ZZZ123456', creditorName: 'Caisse commune', creditorIban: 'FR7630004000031234567890143' });
    if (settings.status !== 200) throw new Error(`direct-debit settings: ${settings.status}`);
    const mandate = await h.t.http
      .post(api('/mandates'))
      .set(bearer(c.tokens.treasurer))
      .send({ memberId: member.id, reference: 'RUM-NAVIGATEUR-1', signedOn: '2026-01-10', debtorName: 'Nadia Benali', iban: 'FR7630006000011234567890189' });
    if (mandate.status !== 201) throw new Error(`mandate: ${mandate.status}`);
  }, 180_000);
  afterAll(async () => {
    if (run) await h.close();
  });

  it('goes from a new funder to a grant 40 % received, each page accessible and within the CSP', async () => {
    if (!run) return;
    const page = h.page;
    const main = () => page.locator('main').textContent();
    await browserLogin(h, await roleEmail(h.t, caisseId, 'treasurer'), 'password-treasurer-123');
    await page.goto(`${h.baseUrl}/caisses/${caisseId}/tableau-de-bord`);
    await page.getByRole('link', { name: 'Contributeurs' }).click();
    await page.waitForURL(`${h.baseUrl}/caisses/${caisseId}/contributeurs`);
    expect(await h.axe()).toEqual([]);
    await page.getByRole('link', { name: 'Ajouter un contributeur' }).click();
    expect(await h.axe()).toEqual([]);
    await page.getByLabel('Catégorie').selectOption('public-funder');
    await page.getByLabel(/Type de financeur public/).selectOption('department');
    await page.getByLabel('Nom').fill('Département de l’Hérault');
    await page.getByRole('button', { name: 'Ajouter le contributeur' }).click();
    await page.waitForURL(/\/contributeurs\/[0-9a-f-]{36}\?ok=cree$/);
    expect(await main()).toContain('Financeur public — Département');
    expect(await h.axe()).toEqual([]);

    await page.getByRole('link', { name: 'Enregistrer une convention' }).click();
    await page.waitForURL(/\/subventions\/nouvelle\?contributeur=/);
    expect(await h.axe()).toEqual([]);
    await page.getByLabel(/Référence de la convention/).fill('CD34-2026-007');
    await page.getByLabel(/Montant notifié/).fill('abc');
    await page.getByLabel(/Début de la période couverte/).fill('2026-01-01');
    await page.getByLabel(/Fin de la période couverte/).fill('2026-12-31');
    await page.getByRole('button', { name: 'Enregistrer la convention' }).click();
    await page.locator('#f-amount-error').waitFor();
    expect(await page.locator('#f-amount-error').textContent()).toContain('Montant invalide');
    expect(await h.axe()).toEqual([]);
    await page.getByLabel(/Montant notifié/).fill('20 000,00');
    await page.getByLabel('Fonds dédié').selectOption('allocations');
    await page.getByRole('button', { name: 'Enregistrer la convention' }).click();
    await page.waitForURL(/\/subventions\/[0-9a-f-]{36}\?ok=creee$/);
    expect(await h.axe()).toEqual([]);

    await page.getByLabel(/Montant reçu/).fill('8 000,00');
    await page.getByLabel('Reçu le').fill(todayInFrance());
    await page.getByRole('button', { name: 'Enregistrer la tranche' }).click();
    await page.waitForURL(/\?ok=tranche$/);
    expect(await page.locator('#grant-received').textContent()).toBe(`8${NNBSP}000,00${NBSP}€`);
    expect(await page.locator('#grant-remaining').textContent()).toBe(`12${NNBSP}000,00${NBSP}€`);
    expect(await page.locator('progress').first().getAttribute('value')).toBe('40');
    expect(await h.axe()).toEqual([]);

    await page.getByRole('link', { name: 'Subventions' }).click();
    await page.waitForURL(`${h.baseUrl}/caisses/${caisseId}/subventions`);
    expect(await main()).toContain('CD34-2026-007');
    expect(await main()).toMatch(/40[\u00a0\u202f]%/);
    expect(await h.axe()).toEqual([]);
    await h.screenshot('grants');
    expect(h.cspViolations).toEqual([]);
  });

  it('builds a direct-debit batch, downloads its pain.008, and the member sees the confirmed debit', async () => {
    if (!run) return;
    const page = h.page;
    await page.getByRole('link', { name: 'Prélèvements' }).click();
    await page.waitForURL(`${h.baseUrl}/caisses/${caisseId}/prelevements`);
    expect(await page.locator('main').textContent()).toContain('RUM-NAVIGATEUR-1');
    expect(await h.axe()).toEqual([]);
    await page.getByRole('button', { name: 'Préparer le prélèvement' }).click();
    await page.waitForURL(/\/prelevements\/[0-9a-f-]{36}\?ok=prepare$/);
    expect(await page.locator('main').textContent()).toContain(`30,00${NBSP}€`);
    expect(await h.axe()).toEqual([]);
    await h.screenshot('direct-debit');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger le fichier pain.008' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^DD-\d{4}-\d{2}-0001\.xml$/);
    expect(readFileSync((await download.path())!, 'utf8')).toContain('<MndtId>RUM-NAVIGATEUR-1</MndtId>');

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.goto(`${h.baseUrl}/caisses/${caisseId}/membre/connexion`);
    await page.getByLabel('Numéro de carte').fill(member.cardNumber!);
    await page.getByLabel('Code (4 chiffres)').fill(member.pin!);
    await Promise.all([page.waitForURL(/\/membre$/), page.getByRole('button', { name: 'Accéder à mon espace' }).click()]);
    const debits = page.locator('section[aria-labelledby="prelevements"]');
    expect(await debits.textContent()).toContain('RUM-NAVIGATEUR-1');
    expect(await debits.textContent()).toContain('Confirmé');
    expect(await h.axe()).toEqual([]);
    expect(h.cspViolations).toEqual([]);
  });
});
