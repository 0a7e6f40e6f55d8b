import { allocationRules, fund, LYON } from '../support/allocation-fixtures.js';
import { createMember, type CreatedMember } from '../support/member-fixtures.js';
import { roleEmail } from '../support/web-fixtures.js';
import { browserAvailable, browserLogin, startBrowser, type BrowserHarness } from './browser-harness.js';

const run = browserAvailable();

describe('Browser: a treasurer runs the allocations and a member sees the new balance (chromium)', () => {
  let h: BrowserHarness;
  let caisseId: string;
  let member: CreatedMember;
  const period = new Date().toISOString().slice(0, 7);
  beforeAll(async () => {
    if (!run) return;
    h = await startBrowser();
    const created = await h.t.newCaisse();
    caisseId = created.caisseId;
    await allocationRules(h.t, caisseId, created.tokens.admin, '2026-01-01', LYON);
    await fund(h.t, caisseId, '20000.00');
    member = await createMember(h.t, caisseId, created.tokens.admin, { joinedOn: '2026-01-05', household: { adults: 2, childrenBirthYears: [2015, 2019] } });
    for (let i = 0; i < 4; i++) await createMember(h.t, caisseId, created.tokens.admin, { joinedOn: '2026-01-05' });
    // Booting the app (and chromium) on a loaded shared CI machine can take well over the default minute.
  }, 180_000);
  afterAll(async () => {
    if (run) await h.close();
  });

  it('starts the run from the form and watches the progress bar reach 100 %', async () => {
    if (!run) return;
    const page = h.page;
    await browserLogin(h, await roleEmail(h.t, caisseId, 'treasurer'), 'password-treasurer-123');
    await page.goto(`${h.baseUrl}/caisses/${caisseId}/allocations`);
    expect(await h.axe()).toEqual([]);
    await page.getByLabel('Mois (AAAA-MM)').fill(period);
    await page.getByRole('button', { name: 'Lancer' }).click();
    await page.waitForURL(new RegExp(`/caisses/${caisseId}/allocations/[0-9a-f-]{36}$`));
    // htmx polls the run resource and reloads the page when it is over.
    await page.locator('#run-progress[data-status="completed"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('#run-progress-bar').evaluate((el) => (el as unknown as { value: number }).value)).toBe(100);
    expect(await page.locator('#run-progress label').textContent()).toContain('100 %');
    expect(await page.getByRole('row', { name: /Membres crédités/ }).textContent()).toContain('5');
    expect(await h.axe()).toEqual([]);
    await h.screenshot('allocation-run');
    expect(h.cspViolations).toEqual([]);
  });

  it('shows the member, logged in with card and PIN, the credited balance and the allocation in the history', async () => {
    if (!run) return;
    const page = h.page;
    await page.goto(`${h.baseUrl}/caisses/${caisseId}`);
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.goto(`${h.baseUrl}/caisses/${caisseId}/membre/connexion`);
    expect(await h.axe()).toEqual([]);
    await page.getByLabel('Numéro de carte').fill(member.cardNumber!);
    await page.getByLabel('Code (4 chiffres)').fill(member.pin!);
    await page.getByRole('button', { name: 'Accéder à mon espace' }).click();
    await page.waitForURL(`${h.baseUrl}/caisses/${caisseId}/membre`);
    // 150 + 75 for the second adult + 2 × 45: the whole month, as the API computes it.
    expect(await page.locator('#member-balance').textContent()).toBe('315,00\u00a0€');
    expect(await page.getByRole('row', { name: /Allocation/ }).first().textContent()).toContain('+315,00');
    expect(await h.axe()).toEqual([]);
    await h.screenshot('member-space');
    await page.getByRole('link', { name: 'Où faire mes courses cette semaine' }).click();
    expect(await h.axe()).toEqual([]);
    expect(h.cspViolations).toEqual([]);
  });
});
