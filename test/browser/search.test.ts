// The website's search page in Chromium, with JavaScript off and on: a visitor searches from the header in German,
// pages through the results and follows one; the states of the page are axe-scanned in both languages.
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
  const services = await page({ slug: 'services', title: json({ en: 'Services', de: 'Leistungen' }) });
  await page({
    slug: 'real-estate',
    parent_id: services.id,
    title: json({ en: 'Real estate', de: 'Immobilien' }),
    content: json({ en: 'We advise on **buildings**.', de: 'Wir beraten beim Kauf von **Häusern**.' }),
  });
  // Twelve more pages with the word: two pages of results.
  for (let i = 1; i <= 12; i++) {
    await page({
      slug: `haus-${String(i)}`,
      title: json({ en: `House ${String(i)}`, de: `Haus ${String(i)}` }),
      blocks: json([{ type: 'hero', heading: { en: 'A house', de: 'Ein Haus am See' } }]),
    });
  }
});

async function search(page: Page): Promise<void> {
  await page.goto('/de/');
  const header = page.getByRole('banner');
  await header.getByRole('searchbox', { name: 'Die Website durchsuchen' }).fill('Häuser');
  await header.getByRole('button', { name: 'Suchen' }).click();
  await page.waitForURL(/\/de\/search\?q=H%C3%A4user$/);
  expect(await page.locator('h1').textContent()).toBe('Suche');
  expect(await page.getByRole('searchbox', { name: 'Die Website durchsuchen' }).last().inputValue()).toBe(
    'Häuser',
  );
  expect(await page.locator('.search-count').textContent()).toBe(
    'Ergebnisse für „Häuser“: 13 Seiten gefunden',
  );
  expect(await page.locator('.results li').count()).toBe(10);
  const pager = page.getByRole('navigation', { name: 'Ergebnisseiten' });
  expect(await pager.textContent()).toContain('Seite 1 von 2');
  await pager.getByRole('link', { name: 'Weiter' }).click();
  await page.waitForURL(/page=2$/);
  expect(await page.locator('.results li').count()).toBe(3);
  await page.getByRole('link', { name: 'Immobilien' }).click();
  expect(new URL(page.url()).pathname).toBe('/de/services/real-estate');
  expect(await page.locator('h1').textContent()).toBe('Immobilien');
}

describe('the search page in Chromium', () => {
  it('finds, pages and leads to a German page without JavaScript', async () => {
    await search(await panel.open({ locale: 'de', javaScript: false }));
  });

  it('does the same with JavaScript on', async () => {
    await search(await panel.open({ locale: 'de' }));
  });

  it('has no serious accessibility violation in any of its states, in both languages', async () => {
    const page = await panel.open({ locale: 'de' });
    for (const [lang, word] of [
      ['de', 'Häuser'],
      ['en', 'houses'],
    ] as const) {
      await page.goto(`/${lang}/search?q=${encodeURIComponent(word)}`);
      await expect.poll(() => page.locator('mark').count()).toBeGreaterThan(0);
      await look(page, `search-results-${lang}`);
      await page.goto(`/${lang}/search`);
      await look(page, `search-empty-${lang}`);
      await page.goto(`/${lang}/search?q=zeppelin`);
      await look(page, `search-none-${lang}`);
      const long = await page.goto(`/${lang}/search?q=${'x'.repeat(201)}`);
      expect(long?.status()).toBe(400);
      expect(await page.getByRole('searchbox').last().getAttribute('aria-invalid')).toBe('true');
      await look(page, `search-too-long-${lang}`);
    }
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto('/de/search?q=Haus');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await look(page, 'search-results-de-phone');
  });
});
