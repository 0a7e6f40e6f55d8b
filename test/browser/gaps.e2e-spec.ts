import { contributionRules } from '../support/contribution-fixtures.js';
import { outletWithDossier } from '../support/dossier-fixtures.js';
import { seatCommittee } from '../support/governance-fixtures.js';
import { bearer, createMember } from '../support/member-fixtures.js';
import { roleEmail } from '../support/web-fixtures.js';
import { browserAvailable, browserLogin, startBrowser, type BrowserHarness } from './browser-harness.js';

const run = browserAvailable();

/** The forms added to existing pages and the CSV mapping page: used in chromium, checked by axe under the CSP. */
describe('Browser: CSV mapping, direct-debit settle/cancel, card block/replacement, approval vote (chromium)', () => {
  let h: BrowserHarness;
  let caisseId: string;
  let memberId: string;
  let outletId: string;
  const go = async (path: string) => {
    const res = await h.page.goto(`${h.baseUrl}/caisses/${caisseId}${path}`);
    expect([path, res?.status()]).toEqual([path, 200]);
  };
  const checked = async (name: string) => {
    expect([name, await h.page.locator('h1').count()]).toEqual([name, 1]);
    expect([name, await h.axe()]).toEqual([name, []]);
    await h.screenshot(name);
  };
  const submit = async (button: string) => {
    await Promise.all([h.page.waitForLoadState('load'), h.page.waitForNavigation(), h.page.getByRole('button', { name: button }).click()]);
  };
  beforeAll(async () => {
    if (!run) return;
    h = await startBrowser();
    const created = await h.t.newCaisse();
    caisseId = created.caisseId;
    const { tokens } = created;
    await contributionRules(h.t, caisseId, tokens.admin, { rule: 'percent-of-income', rate: '0.025', floor: '10.00' });
    memberId = (await createMember(h.t, caisseId, tokens.admin, { monthlyIncome: '1200.00', joinedOn: '2026-01-05' })).id;
    const api = (s: string) => `/api/v1/caisses/${caisseId}${s}`;
    await h.t.http
      .put(api('/direct-debit-settings'))
      .set(bearer(tokens.treasurer))
      .send({ creditorId: 'FR72ZZZ123456', creditorName: 'Caisse commune', creditorIban: 'FR7630004000031234567890143', creditorBic: 'BNPAFRPP' });
    await h.t.http
      .post(api('/mandates'))
      .set(bearer(tokens.treasurer))
      .send({ memberId, reference: `RUM-${caisseId.slice(0, 8)}-B`, signedOn: '2026-01-10', debtorName: 'Nadia Benali', iban: 'FR7630006000011234567890189' });
    await seatCommittee(h.t, caisseId, tokens.admin, 3);
    outletId = (await outletWithDossier(h.t, caisseId, tokens, 'Ferme des Brosses')).id;
    await browserLogin(h, await roleEmail(h.t, caisseId, 'admin'), 'password-admin-123');
    // Booting the app (and chromium) on a loaded shared CI machine can take well over the default minute.
  }, 180_000);
  afterAll(async () => {
    if (run) await h.close();
  });

  it('saves the CSV mapping of the bank account through its form, with a field error first', async () => {
    if (!run) return;
    await go('/banque');
    await Promise.all([h.page.waitForNavigation(), h.page.getByRole('link', { name: 'Lecture CSV du compte 512' }).click()]);
    await checked('bank-csv-mapping');
    await h.page.getByLabel('Colonne du montant signé').fill('');
    await h.page.getByLabel('Colonne des débits').fill('Débit');
    await submit('Enregistrer la lecture CSV');
    await expect(h.page.locator('#f-col-amount-error').textContent()).resolves.toContain('ou bien les deux colonnes débit et crédit');
    await checked('bank-csv-mapping-error');
    await h.page.getByLabel('Colonne des crédits').fill('Crédit');
    await submit('Enregistrer la lecture CSV');
    await expect(h.page.getByRole('status').textContent()).resolves.toContain('Lecture CSV enregistrée');
    await checked('bank-csv-mapping-saved');
    expect(h.cspViolations).toEqual([]);
  });

  it('prepares a batch, then cancels it behind its confirmation box', async () => {
    if (!run) return;
    await go('/prelevements');
    await submit('Préparer le prélèvement');
    await checked('direct-debit-batch-built');
    await h.page.getByLabel('Je confirme l’annulation de cette remise').check();
    await submit('Annuler la remise');
    await expect(h.page.getByRole('status').textContent()).resolves.toContain('Remise annulée');
    await checked('direct-debit-batch-cancelled');
    expect(h.cspViolations).toEqual([]);
  });

  it('blocks the member’s card and replaces it from the member page', async () => {
    if (!run) return;
    await go(`/membres/${memberId}`);
    await h.page.getByLabel('Raison du blocage').fill('Carte perdue au marché');
    await submit('Bloquer la carte');
    await expect(h.page.getByRole('status').first().textContent()).resolves.toContain('Carte bloquée');
    await checked('member-card-blocked');
    await h.page.getByLabel('Raison du remplacement').fill('Carte perdue au marché');
    await submit('Remplacer la carte');
    await expect(h.page.locator('main').textContent()).resolves.toContain('Nouvelle carte émise');
    await checked('member-card-replaced');
    expect(h.cspViolations).toEqual([]);
  });

  it('puts the outlet’s decision to an approval vote', async () => {
    if (!run) return;
    await go(`/comite/points-de-vente/${outletId}/mettre-au-vote`);
    await h.page.getByLabel('Méthode de décision').selectOption('approval');
    await h.page.getByLabel('Date du prochain réexamen').fill('2030-01-10');
    await submit('Mettre au vote');
    await expect(h.page.locator('#f-options-error').textContent()).resolves.toContain('Donnez les options');
    await checked('decision-approval-error');
    await h.page.getByLabel('Options soumises au vote').fill('Conventionner pour un an\nConventionner pour trois ans');
    await submit('Mettre au vote');
    expect(h.page.url()).toMatch(/\/comite\/decisions\/[0-9a-f-]{36}$/);
    await checked('decision-approval');
    expect(h.cspViolations).toEqual([]);
  });

  it('shows the direct-debit settings and a member’s mandate form accessibly, with a field error', async () => {
    if (!run) return;
    await go('/prelevements/parametres');
    await checked('direct-debit-settings');
    await h.page.getByLabel('IBAN du compte crédité').fill('FR7630004000031234567890144');
    await submit('Enregistrer');
    await expect(h.page.locator('#f-creditorIban-error').textContent()).resolves.toContain('IBAN invalide');
    await checked('direct-debit-settings-error');
    await go(`/membres/${memberId}`);
    await Promise.all([h.page.waitForNavigation(), h.page.getByRole('link', { name: 'Enregistrer un mandat de prélèvement' }).click()]);
    await checked('direct-debit-mandate');
    expect(h.cspViolations).toEqual([]);
  });

  it('issues a till key from the outlets list; the key page is accessible', async () => {
    if (!run) return;
    await go(`/points-de-vente/${outletId}/terminaux`);
    await checked('outlet-terminals');
    await h.page.getByLabel('Nom de l’appareil').fill('Tablette du marché');
    await submit('Créer la clé');
    await expect(h.page.getByRole('status').textContent()).resolves.toMatch(/Clé de « Tablette du marché » : ck_/);
    await checked('outlet-terminal-issued');
    expect(h.cspViolations).toEqual([]);
  });

  it('records a member’s payment from the contributions page', async () => {
    if (!run) return;
    await go('/contributions');
    await Promise.all([h.page.waitForNavigation(), h.page.getByRole('link', { name: /^Enregistrer un paiement/ }).first().click()]);
    await checked('contribution-payment');
    await submit('Enregistrer le paiement');
    await expect(h.page.getByRole('status').textContent()).resolves.toContain('Paiement enregistré');
    await checked('contributions-after-payment');
    expect(h.cspViolations).toEqual([]);
  });

  it('registers an outlet from the outlets list, after a field error', async () => {
    if (!run) return;
    await go('/points-de-vente');
    await Promise.all([h.page.waitForNavigation(), h.page.getByRole('link', { name: 'Enregistrer un point de vente' }).click()]);
    await checked('outlet-new');
    await h.page.getByLabel('Nom commercial').fill('Épicerie d’Anost');
    await h.page.getByLabel('Raison sociale').fill('SARL Épicerie d’Anost');
    await h.page.getByLabel('SIRET').fill('123');
    await h.page.getByLabel('Commune (code INSEE)').fill('71008');
    await h.page.getByLabel('IBAN pour les reversements').fill('FR7630006000011234567890189');
    await submit('Enregistrer le point de vente');
    await expect(h.page.locator('#f-siret-error').textContent()).resolves.toContain('SIRET invalide');
    await checked('outlet-new-error');
    await h.page.getByLabel('SIRET').fill('55208131766522');
    await submit('Enregistrer le point de vente');
    expect(h.page.url()).toMatch(/\/comite\/points-de-vente\/[0-9a-f-]{36}$/);
    await expect(h.page.locator('h1').textContent()).resolves.toContain('Épicerie d’Anost');
    expect(h.cspViolations).toEqual([]);
  });
});
