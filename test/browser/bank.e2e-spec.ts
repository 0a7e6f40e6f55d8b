import { randomUUID } from 'node:crypto';
import { todayInFrance } from '../../src/common/dates.js';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import { payCaisse, type PayCaisse } from '../support/settlement-fixtures.js';
import { camt053 } from '../support/statement-fixtures.js';
import { roleEmail } from '../support/web-fixtures.js';
import { browserAvailable, browserLogin, startBrowser, type BrowserHarness } from './browser-harness.js';

const run = browserAvailable();

describe('Browser: a treasurer imports a bank statement, matches its lines and opens the closings (chromium)', () => {
  let h: BrowserHarness;
  let c: PayCaisse;
  const today = todayInFrance();
  beforeAll(async () => {
    if (!run) return;
    h = await startBrowser();
    c = await payCaisse(h.t);
    await h.t.sql(`UPDATE caisses SET siren = '732829320' WHERE id = $1`, [c.caisseId]);
    // A gift booked on 5121 that the statement's credit matches by amount and date.
    await h.t.app.get(LedgerService).post({
      caisseId: c.caisseId,
      journal: 'BQ',
      date: today,
      label: 'Don Mécène',
      pieceRef: 'DON-1',
      idempotencyKey: `k-${randomUUID()}`,
      lines: [{ account: '5121', debit: '250.00' }, { account: '471', credit: '250.00' }],
    });
  }, 120_000);
  afterAll(async () => {
    if (run) await h.close();
  });

  it('uploads a camt.053 through the form, sees its lines, accepts a suggestion; each page accessible and within the CSP', async () => {
    if (!run) return;
    const page = h.page;
    const base = `${h.baseUrl}/caisses/${c.caisseId}`;
    await browserLogin(h, await roleEmail(h.t, c.caisseId, 'treasurer'), 'password-treasurer-123');
    await page.goto(`${base}/banque`);
    expect(await page.locator('main').textContent()).toContain('Aucun relevé importé');
    expect(await h.axe()).toEqual([]);
    await h.screenshot('bank-statements');

    const file = camt053(c.bankIban, [
      {
        id: 'RLV-NAV-1',
        sequence: '1',
        opening: '0.00',
        openingOn: today,
        closingOn: today,
        movements: [
          { amount: '250.00', bookedOn: today, label: 'VIR SEPA MECENE', counterparty: 'MECENE' },
          { amount: '-2.40', bookedOn: today, label: 'FRAIS TENUE DE COMPTE', family: 'CHRG' },
        ],
      },
    ]);
    await page.getByLabel(/Fichier du relevé/).setInputFiles({ name: 'releve.xml', mimeType: 'application/xml', buffer: Buffer.from(file) });
    await page.getByRole('button', { name: 'Importer le relevé' }).click();
    await page.waitForURL(new RegExp(`/caisses/${c.caisseId}/banque/comptes/5121\\?importe=2$`));
    const main = page.locator('main');
    expect(await main.textContent()).toContain('Relevé importé : 2 lignes');
    expect(await main.textContent()).toContain('Lignes à rapprocher (1)');
    expect(await main.textContent()).toContain('FRAIS TENUE DE COMPTE');
    expect(await main.textContent()).toContain('Lignes rapprochées (1)');
    expect(await h.axe()).toEqual([]);
    await h.screenshot('matching');

    await page.getByRole('button', { name: /Passer l’écriture suggérée pour la ligne du .* \(-2,40/ }).click();
    await page.waitForURL(/\?fait=ecriture$/);
    expect(await main.textContent()).toContain('Écriture passée');
    expect(await main.textContent()).toContain('Lignes à rapprocher (0)');
    expect(await main.textContent()).toContain('Rapproché au');
    expect(await h.axe()).toEqual([]);

    await page.goto(`${base}/banque`);
    expect(await main.textContent()).toContain('RLV-NAV-1');
    expect(await main.textContent()).toContain('Rapproché au');
    expect(await h.axe()).toEqual([]);

    await page.getByRole('link', { name: 'Clôtures et FEC' }).click();
    await page.waitForURL(`${base}/clotures`);
    expect(await main.textContent()).toContain('En cours');
    expect(await h.axe()).toEqual([]);
    await h.screenshot('closings');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: `FEC ${today.slice(0, 4)}` }).click()]);
    expect(download.suggestedFilename()).toMatch(/^732829320FEC\d{8}\.txt$/);
    expect(h.cspViolations).toEqual([]);
  });
});
