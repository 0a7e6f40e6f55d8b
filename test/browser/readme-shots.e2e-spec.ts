import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { seedDemo, todayInParis } from '../../src/demo/demo-seed.js';
import { OUTLETS } from '../../src/demo/demo-territory.js';
import type { DemoOutcome, DemoPasswords } from '../../src/demo/demo.types.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-env.js';
import { browserAvailable, browserLogin, startBrowser, type BrowserHarness } from './browser-harness.js';

const run = browserAvailable();
/** The README's pictures are rewritten only on request, so a test run never changes tracked files. */
const UPDATE = process.env.UPDATE_SCREENSHOTS === '1';
const README_SHOTS = join(process.cwd(), 'docs', 'screenshots');

/**
 * The README's screenshots of the pages added with the money's way out and back: the demo caisse (DEMO_SCALE 0.05)
 * seeded over HTTP, then its grants, the bank matching screen, the closings and an outlet's dossier as its treasurer
 * and its committee see them — each page with its data, accessible (axe) and within the CSP.
 */
describe('Browser: the demo caisse’s grants, bank matching, closings and outlet dossier (README screenshots, chromium)', () => {
  let h: BrowserHarness;
  let demo: DemoOutcome;
  const passwords: DemoPasswords = { admin: 'shots-admin-pass-1', treasurer: 'shots-treasurer-pass-1', committee: 'shots-committee-pass-1', cashier: 'shots-cashier-pass-1', member: 'shots-member-pass-1' };
  const email = (role: string) => demo.logins!.users.find((u) => u.role === role)!.email;

  beforeAll(async () => {
    if (!run) return;
    h = await startBrowser();
    // Its own slug: another suite of the same Jest worker may already have seeded the default demo caisse, and a
    // second seeding of one slug is a no-op that returns no logins.
    const { port } = h.t.app.getHttpServer().address() as AddressInfo;
    demo = await seedDemo({ baseUrl: `http://127.0.0.1:${port}`, platformAdmin: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }, passwords, scale: 0.05, slug: 'demo-readme-shots' });
  }, 300_000);
  afterAll(async () => {
    if (run) await h.close();
  });

  /**
   * The whole page with the test artifacts and, with UPDATE_SCREENSHOTS=1, for the README in docs/screenshots: its
   * top `maxHeight` pixels (a year of matched bank lines would make a picture nobody scrolls through).
   */
  async function shot(name: string, maxHeight = 1600) {
    expect(await h.axe()).toEqual([]);
    await h.screenshot(name);
    if (!UPDATE) return;
    mkdirSync(README_SHOTS, { recursive: true });
    const height = (await h.page.evaluate('document.documentElement.scrollHeight')) as number;
    await h.page.screenshot({ path: join(README_SHOTS, `${name}.png`), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: Math.min(height, maxHeight) } });
  }

  it('shows a treasurer the grants, the matching screen with suggestions and the closed month', async () => {
    if (!run) return;
    const page = h.page;
    const main = () => page.locator('main').textContent();
    const base = `${h.baseUrl}/caisses/${demo.caisseId}`;
    await browserLogin(h, email('treasurer'), passwords.treasurer);

    await page.goto(`${base}/subventions`);
    expect(await main()).toContain('FSE+');
    expect(await main()).toContain('CAF de Saône-et-Loire');
    await shot('subventions');

    await page.goto(`${base}/banque`);
    expect(await main()).toContain(`RLV-${todayInParis().slice(0, 7)}`);
    await page.goto(`${base}/banque/comptes/512`);
    const text = (await main()) ?? '';
    // A year of statements: every line matched but the fee and the unknown credit (the page lists the latest 200).
    expect(text).toMatch(/Lignes rapprochées \((les 200 plus récentes|\d+)\)/);
    expect(text).toContain('Lignes à rapprocher (2)');
    expect(text).toContain('FRAIS TENUE DE COMPTE');
    await shot('banque-rapprochement', 1300);

    await page.goto(`${base}/clotures`);
    expect(await main()).toContain(`Mois clôturés : jusqu’à`);
    expect(await main()).not.toContain('n’a pas de SIREN');
    await shot('clotures');
    expect(h.cspViolations).toEqual([]);
  });

  it('shows the committee an outlet’s dossier with its criteria and its decision', async () => {
    if (!run) return;
    const page = h.page;
    await page.context().clearCookies();
    await browserLogin(h, email('committee'), passwords.committee);
    const [outlet] = await h.t.sql<{ id: string }>('SELECT id FROM outlets WHERE caisse_id = $1 AND name = $2', [demo.caisseId, OUTLETS[0].name]);
    await page.goto(`${h.baseUrl}/caisses/${demo.caisseId}/comite/points-de-vente/${outlet.id}`);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain(OUTLETS[0].name);
    expect(text).toContain(`Conventionnement : ${OUTLETS[0].name}`);
    expect(text).toContain('Pratiques agricoles durables');
    expect(text).toContain('Organisme certificateur (fictif)');
    await shot('dossier-point-de-vente');
    expect(h.cspViolations).toEqual([]);
  });
});
