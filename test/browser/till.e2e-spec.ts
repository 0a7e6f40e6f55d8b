import { balanceOf, buyer, shop, type Shop } from '../support/purchase-fixtures.js';
import { browserAvailable, startBrowser, type BrowserHarness } from './browser-harness.js';

const run = browserAvailable();

describe('Browser: a cashier uses the till online, then offline, and the queue is accepted once (chromium)', () => {
  let h: BrowserHarness;
  let s: Shop;
  beforeAll(async () => {
    if (!run) return;
    h = await startBrowser();
    s = await shop(h.t);
  });
  afterAll(async () => {
    if (run) await h.close();
  });

  it('pairs, buys, is refused for balance, captures two purchases offline and sends them once when back online', async () => {
    if (!run) return;
    const page = h.page;
    const till = `${h.baseUrl}/caisses/${s.caisseId}/caisse-enregistreuse`;
    const m = await buyer(h.t, s, '30.00');
    await page.setViewportSize({ width: 390, height: 844 });

    await page.goto(`${till}/appairage`);
    expect(await h.axe()).toEqual([]);
    await page.getByLabel('Clé du terminal').fill(s.apiKey);
    await Promise.all([page.waitForURL(till), page.getByRole('button', { name: 'Appairer cette caisse' }).click()]);
    await page.evaluate('navigator.serviceWorker.ready');

    const pay = async (amount: string) => {
      await page.getByLabel('Numéro de carte').fill(m.cardNumber!);
      if ((await page.locator('details.till-lines[open]').count()) === 0) await page.getByText('Détail par catégorie').click();
      await page.getByLabel('fruits-legumes (€)').fill(amount);
      for (const d of '4821') await page.locator(`#till-pinpad button[data-digit="${d}"]`).click();
      await page.getByRole('button', { name: 'Encaisser' }).click();
    };

    await pay('12,00');
    await page.locator('.till-ok').waitFor();
    expect(await page.locator('#till-result').textContent()).toContain('18,00');
    expect(await h.axe()).toEqual([]);
    await h.screenshot('till-accepted');

    await pay('25,00');
    await page.locator('.till-refused').waitFor();
    expect(await page.locator('#till-result').textContent()).toMatch(/Solde insuffisant/);
    await h.screenshot('till-refused');

    await h.context.setOffline(true);
    await page.locator('#till-network:not([hidden])').waitFor();
    await pay('4,00');
    await page.locator('.till-queued').waitFor();
    await pay('5,00');
    await page.getByText('2 achat(s) en attente d’envoi.').waitFor();
    expect(await h.axe()).toEqual([]);
    await h.screenshot('till-offline-queue');
    const [{ n: during }] = await h.t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM purchases WHERE outlet_id = $1`, [s.outlet.id]);
    expect(during).toBe(1);

    await h.context.setOffline(false);
    await page.getByText('Aucun achat en attente.').waitFor();
    expect(await page.locator('#till-sync-results li.sync-ok').count()).toBe(2);
    await h.screenshot('till-synced');
    // Sending again (the button, a reload) sends nothing: each purchase is in the ledger exactly once.
    await page.getByRole('button', { name: 'Envoyer maintenant' }).click();
    await page.reload();
    await page.getByRole('button', { name: 'Encaisser' }).waitFor();
    const rows = await h.t.sql<{ amount: string; n: number }>(
      `SELECT p.amount::text AS amount, count(*)::int AS n FROM purchases p JOIN journal_entries e ON e.id = p.entry_id WHERE p.outlet_id = $1 GROUP BY p.amount ORDER BY p.amount`,
      [s.outlet.id],
    );
    expect(rows).toEqual([{ amount: '4.00', n: 1 }, { amount: '5.00', n: 1 }, { amount: '12.00', n: 1 }]);
    expect(await balanceOf(h.t, s, m)).toBe('9.00');

    await page.goto(`${till}/journal`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Achats du jour');
    expect(await h.axe()).toEqual([]);
    await h.screenshot('till-journal');
    expect(h.cspViolations).toEqual([]);
  });
});
