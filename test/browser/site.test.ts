// The public website in Chromium, with JavaScript off and on: a visitor reads a German page with English
// fallbacks, follows the menu and the language switch, and meets the 404 page; every page is axe-scanned.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { look, usePanel } from './harness.ts';

const panel = usePanel();
const PAST = new Date(Date.now() - 86_400_000);
const json = (value: unknown) => JSON.stringify(value);

beforeAll(async () => {
  const { factories } = panel.test;
  const author = (await factories.admin()).id;
  const page = (overrides: Parameters<typeof factories.page>[1]) =>
    factories.page(author, { status: 'published', published_at: PAST, ...overrides });
  await page({
    slug: 'home',
    title: json({ en: 'Home', de: 'Start' }),
    blocks: json([
      {
        type: 'hero',
        heading: { en: 'AI that works', de: 'KI, die funktioniert' },
        cta: { label: { en: 'Our services', de: 'Unsere Leistungen' }, href: '/services' },
      },
    ]),
  });
  const services = await page({
    slug: 'services',
    sort_order: 1,
    title: json({ en: 'Services', de: 'Leistungen' }),
    content: json({ en: 'What we do.', de: 'Was wir tun.' }),
  });
  await page({
    slug: 'ai-audit',
    parent_id: services.id,
    title: json({ en: 'AI audit', de: 'KI-Audit' }),
    content: json({ en: 'We audit **AI** systems.', de: 'Wir prüfen **KI**-Systeme.' }),
    blocks: json([
      {
        type: 'faq',
        heading: { en: 'Questions' },
        items: [{ question: { en: 'How long?' }, answer: { en: 'Two weeks.' } }],
      },
    ]),
  });
});

async function readGermanPage(page: Page): Promise<void> {
  await page.goto('/');
  // Accept-Language de-DE sends the visitor to German.
  expect(new URL(page.url()).pathname).toBe('/de/');
  await expect.poll(() => page.locator('h1').textContent()).toBe('KI, die funktioniert');
  await page.getByRole('link', { name: 'Unsere Leistungen' }).click();
  expect(new URL(page.url()).pathname).toBe('/de/services');
  await page
    .getByRole('navigation', { name: 'In diesem Bereich' })
    .getByRole('link', { name: 'KI-Audit' })
    .click();
  expect(new URL(page.url()).pathname).toBe('/de/services/ai-audit');
  expect(await page.locator('h1').textContent()).toBe('KI-Audit');
  // The FAQ has no German: shown in English, marked as English, and the page says so.
  expect(await page.locator('.block-faq').getAttribute('lang')).toBe('en');
  await expect.poll(() => page.locator('.notice').textContent()).toContain('noch nicht auf Deutsch');
  // The FAQ opens with the keyboard (a details element: no script needed).
  await page.getByText('How long?').focus();
  await page.keyboard.press('Enter');
  expect(await page.getByText('Two weeks.').isVisible()).toBe(true);
  // The language switch goes to the twin and is remembered for the next visit to /.
  await page.getByRole('link', { name: 'This page in English' }).click();
  expect(new URL(page.url()).pathname).toBe('/en/services/ai-audit');
  expect(await page.locator('h1').textContent()).toBe('AI audit');
  await page.goto('/');
  expect(new URL(page.url()).pathname).toBe('/en/');
  // An unknown address: the 404 page in the language of the address, with a way home.
  const missing = await page.goto('/de/gibt-es-nicht');
  expect(missing?.status()).toBe(404);
  expect(await page.locator('h1').textContent()).toBe('Seite nicht gefunden');
  await page.getByRole('link', { name: 'Zur Startseite' }).click();
  expect(new URL(page.url()).pathname).toBe('/de/');
}

describe('the page preview in the admin panel', () => {
  it('shows unsaved changes as the site renders them, in either language, and makes a link for others', async () => {
    const author = (await panel.test.factories.admin()).id;
    const draft = await panel.test.factories.page(author, {
      slug: 'preview-draft',
      status: 'draft',
      title: json({ en: 'Draft', de: 'Entwurf' }),
    });
    const editor = await panel.user('editor');
    const page = await panel.open({ locale: 'de' });
    await panel.signIn(page, editor);
    await page.goto(`/admin/pages/${draft.id}`);
    // The panel speaks the editor's profile language (English); the preview shows either language.
    const german = page.getByRole('textbox', { name: /^Title \(Deutsch\)/ });
    await expect.poll(() => german.inputValue()).toBe('Entwurf');
    await german.fill('Ungespeicherter Titel');
    await page.getByRole('tab', { name: 'Preview' }).click();
    await page.getByRole('button', { name: 'Deutsch' }).click();
    const frame = page.frameLocator('iframe[title="Preview of the page in German"]');
    await expect.poll(() => frame.locator('h1').textContent()).toBe('Ungespeicherter Titel');
    await expect.poll(() => frame.locator('.preview').textContent()).toContain('Vorschau');
    await look(page, 'admin-page-preview');
    await page.getByRole('button', { name: 'English' }).click();
    const english = page.frameLocator('iframe[title="Preview of the page in English"]');
    await expect.poll(() => english.locator('h1').textContent()).toBe('Draft');
    // A link for someone without an account shows the saved page.
    await page.getByRole('button', { name: 'Link for others' }).click();
    const link = await page.getByRole('textbox', { name: /^Preview link/ }).inputValue();
    expect(link).toMatch(/\/preview\/[\w.-]+\?lang=en$/);
    const visitor = await panel.open();
    await visitor.goto(new URL(link).pathname + new URL(link).search);
    expect(await visitor.locator('h1').textContent()).toBe('Draft');
  });
});

describe('the website in Chromium', () => {
  it('reads a German page with English fallbacks without JavaScript', async () => {
    const page = await panel.open({ locale: 'de', javaScript: false });
    await readGermanPage(page);
  });

  it('reads the same with JavaScript on', async () => {
    const page = await panel.open({ locale: 'de' });
    await readGermanPage(page);
  });

  it('has no serious accessibility violation on home, a content page and 404, in both languages, keyboard first', async () => {
    const page = await panel.open({ locale: 'de' });
    for (const lang of ['de', 'en']) {
      await page.goto(`/${lang}/`);
      // The first Tab reaches the skip link, which moves focus to the content.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe('#main');
      await look(page, `site-home-${lang}`);
      await page.goto(`/${lang}/services/ai-audit`);
      await look(page, `site-content-${lang}`);
      await page.goto(`/${lang}/nope`);
      await look(page, `site-404-${lang}`);
    }
    // sitemap.xml is well-formed XML to a browser's strict parser.
    await page.goto('/de/');
    const sitemap = await page.evaluate(async () => {
      const text = await (await fetch('/sitemap.xml')).text();
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      return {
        error: doc.getElementsByTagName('parsererror').length,
        urls: doc.getElementsByTagNameNS('http://www.sitemaps.org/schemas/sitemap/0.9', 'url').length,
      };
    });
    expect(sitemap.error).toBe(0);
    expect(sitemap.urls).toBeGreaterThanOrEqual(6);
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto('/de/services/ai-audit');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await look(page, 'site-content-de-phone');
  });
});
