// The browser tests' one set-up: the real server (the whole app, serving the built panel at /admin) on the test
// database, listening on a loopback port, and Debian's Chromium driven by playwright-core. Each test gets a
// fresh browser context (its own cookies), in the language it asks for.
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Role } from '../../src/modules/identity/permissions.ts';
import { useTestApp, type FixtureOptions, type TestContext } from '../fixture.ts';
import { makeUser, type TestUser } from '../helpers/auth.ts';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];
/** PANEL_SCREENSHOTS=<dir>: every `look()` also saves a full-page PNG there (for people to look at). */
const SCREENSHOTS = process.env['PANEL_SCREENSHOTS'];
const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

export interface PanelContext {
  readonly test: TestContext;
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  /** A fresh browser context and page, in `locale` (en by default), 1280×800 unless told; JavaScript on unless told. */
  open(options?: {
    locale?: 'en' | 'de';
    width?: number;
    height?: number;
    javaScript?: boolean;
  }): Promise<Page>;
  /** A user of `role` with a known password (PASSWORD), written to the database. */
  user(role: Role): Promise<TestUser>;
  /** Signs `user` in through the sign-in form and waits for the dashboard. */
  signIn(page: Page, user: Pick<TestUser, 'email' | 'password'>): Promise<void>;
}

export function usePanel(options: FixtureOptions = {}): PanelContext {
  const test = useTestApp(options);
  let browser: Browser | undefined;
  let origin = '';
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    origin = await test.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  afterAll(async () => {
    await browser?.close();
  });

  return {
    test,
    get origin() {
      return origin;
    },
    async open({ locale = 'en', width = 1280, height = 800, javaScript = true } = {}) {
      if (!browser) throw new Error('the browser is used before beforeAll ran');
      const context = await browser.newContext({
        locale: locale === 'de' ? 'de-DE' : 'en-GB',
        timezoneId: 'Europe/Berlin',
        viewport: { width, height },
        baseURL: origin,
        javaScriptEnabled: javaScript,
      });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return page;
    },
    user(role) {
      return makeUser(test.database, role);
    },
    async signIn(page, user) {
      await page.goto('/admin/login');
      await page.getByRole('textbox', { name: /e-mail/i }).fill(user.email);
      await page.getByLabel(/^(password|passwort)/i).fill(user.password);
      await page.getByRole('button', { name: /^(sign in|anmelden)$/i }).click();
      await page.waitForURL((url) => !url.pathname.endsWith('/login'));
    },
  };
}

/**
 * Waits until no finite animation or transition runs (a dialog fading in, a ripple): axe measures colours as they
 * are painted, and half-faded text fails contrast. Endless ones (progress indicators) are not waited for.
 */
async function settled(page: Page): Promise<void> {
  await page.evaluate(async () => {
    for (let round = 0; round < 5; round++) {
      const running = document
        .getAnimations()
        .filter((animation) => animation.playState === 'running')
        .filter((animation) => animation.effect?.getTiming().iterations !== Infinity);
      if (running.length === 0) return;
      await Promise.all(running.map((animation) => animation.finished.catch(() => undefined)));
    }
  });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

/**
 * Looks at the screen as it is: no violation of impact serious or critical (axe-core's WCAG rules), no message
 * key left untranslated, and (with PANEL_SCREENSHOTS) a screenshot named `name`.
 */
export async function look(page: Page, name: string): Promise<void> {
  await settled(page);
  if (SCREENSHOTS) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }
  // Evaluated through the DevTools protocol: the panel's CSP (script-src 'self') stays on and is tested too.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (context: Document, options: object) => Promise<unknown> } }
    ).axe;
    const result = (await axe.run(document, { resultTypes: ['violations'] })) as {
      violations: AxeViolation[];
    };
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map(({ id, impact, help, nodes }) => ({
        id,
        impact,
        help,
        nodes: nodes.slice(0, 3).map(({ target, html }) => ({ target, html: html.slice(0, 200) })),
      }));
  });
  expect(violations, `accessibility violations on ${name}`).toEqual([]);
  const missing = await page.evaluate(() => window.__missingTranslations ?? []);
  expect(missing, `untranslated message keys on ${name}`).toEqual([]);
}

declare global {
  interface Window {
    __missingTranslations?: string[];
  }
}
