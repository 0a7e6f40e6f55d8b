import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createTestApp, type TestApp, type TestAppOptions } from '../support/test-app.js';

/** Debian's chromium (.ci/run installs it); CHROMIUM_PATH overrides. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface BrowserHarness {
  t: TestApp;
  baseUrl: string;
  context: BrowserContext;
  page: Page;
  /** Messages the browser logged about blocked content (CSP violations): a page must produce none. */
  cspViolations: string[];
  /** axe-core on the current page: the serious and critical violations, as "rule: target" lines. */
  axe(page?: Page): Promise<string[]>;
  screenshot(name: string, page?: Page): Promise<void>;
  close(): Promise<void>;
}

/**
 * Whether browser tests can run. Under CI=true a missing chromium fails (a skipped check would be a hidden red); on a
 * developer's machine without it the suite says so and its tests return early.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') throw new Error(`[browser] ${CHROMIUM} is missing under CI (.ci/run installs chromium)`);
  console.warn(`[browser] ${CHROMIUM} is missing: browser tests do not run on this machine`);
  return false;
}

/** The test app listening on 127.0.0.1:<random>, and a fresh headless chromium profile pointed at it. */
export async function startBrowser(options: TestAppOptions = {}): Promise<BrowserHarness> {
  const t = await createTestApp(options);
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const profile = mkdtempSync(join(tmpdir(), 'caisse-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
      viewport: { width: 1280, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  } catch (e) {
    await t.close();
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  context.setDefaultTimeout(20_000);
  const cspViolations: string[] = [];
  const watch = (p: Page) =>
    p.on('console', (m) => {
      if (/Content Security Policy|Refused to (load|execute|apply)/i.test(m.text())) cspViolations.push(m.text());
    });
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page);
  return {
    t,
    baseUrl,
    context,
    page,
    cspViolations,
    async axe(p = page) {
      // Evaluated through the DevTools protocol, which the page's CSP does not restrict (a script tag would be refused).
      await p.evaluate(AXE_SOURCE);
      // A string, so this Node-side file needs no DOM typings; it runs in the page.
      const result = (await p.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
        r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => JSON.stringify(n.target)) })))`)) as {
        id: string;
        impact: string | null;
        targets: string[];
      }[];
      return result.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.targets.join(', ')}`);
    },
    async screenshot(name, p = page) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await p.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
      await t.close();
    },
  };
}

/** Logs in through the staff login form of the page. */
export async function browserLogin(h: BrowserHarness, email: string, password: string, page: Page = h.page): Promise<void> {
  await page.goto(`${h.baseUrl}/connexion`);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await Promise.all([page.waitForURL(`${h.baseUrl}/`), page.getByRole('button', { name: 'Se connecter' }).click()]);
}
