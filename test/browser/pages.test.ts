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

/**
 * A user of `role` whose profile has `language` (the panel follows the profile once signed in) and, if given,
 * `timezone`.
 */
async function user(
  role: Role,
  language: 'en' | 'de' = 'en',
  timezone?: string,
): Promise<TestUser & { session: Session }> {
  const made = await panel.user(role);
  const session = await signIn(panel.test.app, made);
  if (language !== 'en' || timezone) {
    const me = await panel.test.call(session, 'GET', '/api/v1/auth/me');
    const version = me.json<{ user: { version: number } }>().user.version;
    const changed = await panel.test.call(session, 'PATCH', '/api/v1/auth/me', {
      language,
      ...(timezone ? { timezone } : {}),
      version,
    });
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

async function pageAction(session: Session, id: string, action: string, body: Record<string, unknown> = {}) {
  const current = await getPage(session, id);
  const response = await panel.test.call(session, 'POST', `/api/v1/pages/${id}/${action}`, {
    version: current.version,
    ...body,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<PageJson>();
}

async function getPage(session: Session, id: string): Promise<PageJson> {
  const response = await panel.test.call(session, 'GET', `/api/v1/pages/${id}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<PageJson>();
}

/** expect.poll with the patience of the page's own waits (the list's search waits for typing to pause). */
function poll<T>(probe: () => T | Promise<T>) {
  return expect.poll(probe, { timeout: 15_000 });
}

/** Waits for the screen's transitions (a dialog fading in) to end: axe measures contrast as it is drawn. */
async function settled(page: Page): Promise<void> {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((animation) => animation.effect?.getComputedTiming().iterations !== Infinity)
        .map((animation) => animation.finished.catch(() => undefined)),
    ),
  );
}

/** Looks at the screen once it stands still. */
async function lookAt(page: Page, name: string): Promise<void> {
  await settled(page);
  await look(page, name);
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
  if (screenshot) await lookAt(page, screenshot);
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
    await lookAt(page, 'page-create-en');

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
    await lookAt(page, 'page-blocks-en');

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
    await lookAt(page, 'page-seo-en');

    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/admin\/pages\/[0-9a-f-]{36}$/);
    const id = /\/admin\/pages\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText(/^Published on /).waitFor();
    await lookAt(page, 'page-edit-en');

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
    await poll(() => title.en.inputValue()).toBe('Team');
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
    await lookAt(page, 'page-conflict-de');

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
    await poll(() => bilingual(page, 'Kurzbeschreibung').de.inputValue()).toBe('Wer hier arbeitet');
    expect(await title.de.inputValue()).toBe('Unser Team');
    // Re-applied by language: their English title stays, the user's German goes on top.
    expect(await title.en.inputValue()).toBe('Our people');
    expect((await getPage(editor.session, created.id)).title).toEqual({ en: 'Our people', de: 'Team' });

    // Leaving the unsaved form through a link asks first; declined, the edit stays.
    const question = new Promise<string>((resolve) => {
      page.once('dialog', (dialog) => {
        resolve(dialog.message());
        void dialog.dismiss();
      });
    });
    await page.getByRole('link', { name: 'Seitenbaum' }).click();
    expect(await question).toMatch(/nicht gespeichert|ungespeichert/i);
    expect(page.url()).toMatch(new RegExp(`/admin/pages/${created.id}$`));
    expect(await title.de.inputValue()).toBe('Unser Team');

    await page.getByRole('button', { name: 'Speichern' }).click();
    await poll(async () => (await getPage(editor.session, created.id)).title.de).toBe('Unser Team');
    const saved = await getPage(editor.session, created.id);
    expect(saved.title).toEqual({ en: 'Our people', de: 'Unser Team' });
    expect(saved.version).toBe(created.version + 2);
  });

  it('finds pages by search and status, moves one to the trash and back, and deletes one for good', async () => {
    const admin = await user('super_admin');
    const token = `zq${Date.now().toString(36)}`;
    const alpha = await createPage(admin.session, {
      slug: slug('alpha'),
      title: { en: `Alpha ${token}`, de: `Alfa ${token}` },
    });
    const beta = await createPage(admin.session, {
      slug: slug('beta'),
      title: { en: `Beta ${token}` },
      excerpt: { en: 'Read by the editor, not by the list' },
    });
    const other = `yk${Math.random().toString(36).slice(2, 9)}`;
    const gamma = await createPage(admin.session, { slug: slug('gamma'), title: { en: `Gamma ${other}` } });
    await pageAction(admin.session, alpha.id, 'publish');

    const page = await panel.open();
    await panel.signIn(page, admin);
    await page.goto('/admin/pages');
    const rows = page.getByRole('row');
    await page.getByRole('link', { name: `Gamma ${other}` }).waitFor();
    await lookAt(page, 'pages-list-en');

    await page.getByRole('textbox', { name: 'Search pages' }).fill(token);
    await poll(() => page.getByRole('link', { name: `Gamma ${other}` }).count()).toBe(0);
    expect(await rows.filter({ hasText: token }).count()).toBe(2);
    await page.getByRole('link', { name: `Beta ${token}` }).waitFor();

    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Published' }).click();
    await poll(() => rows.filter({ hasText: token }).count()).toBe(1);
    await rows
      .filter({ hasText: `Alpha ${token}` })
      .getByText('Published')
      .waitFor();
    await lookAt(page, 'pages-list-filtered-en');
    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option').filter({ hasText: 'Any status' }).click();
    await poll(() => rows.filter({ hasText: token }).count()).toBe(2);

    // Beta into the trash from its editor, and back from the trash.
    await page.getByRole('link', { name: `Beta ${token}` }).click();
    await page.waitForURL(`**/admin/pages/${beta.id}`);
    // The list answers summaries: the editor shows the whole page, fetched for it.
    await poll(() => bilingual(page, 'Excerpt').en.inputValue()).toBe('Read by the editor, not by the list');
    await page.getByRole('button', { name: 'Move to trash' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await page.waitForURL(/\/admin\/pages(\?.*)?$/);
    await poll(async () => (await getPage(admin.session, beta.id)).status).toBe('draft');
    expect(
      (await panel.test.call(admin.session, 'GET', `/api/v1/pages/${beta.id}`)).json<{
        deleted_at: string | null;
      }>().deleted_at,
    ).not.toBeNull();

    await page.getByRole('tab', { name: 'Trash' }).click();
    await page.getByRole('textbox', { name: 'Search pages' }).fill(token);
    const betaRow = rows.filter({ hasText: `Beta ${token}` });
    await betaRow.waitFor();
    await lookAt(page, 'pages-trash-en');
    await betaRow.getByRole('button', { name: 'Restore' }).click();
    await page.getByText('The page is back from the trash.').waitFor();
    await poll(() => betaRow.count()).toBe(0);
    expect(
      (await panel.test.call(admin.session, 'GET', `/api/v1/pages/${beta.id}`)).json<{
        deleted_at: string | null;
      }>().deleted_at,
    ).toBeNull();

    // Gamma, trashed meanwhile, deleted for good.
    const trashed = await panel.test.call(
      admin.session,
      'DELETE',
      `/api/v1/pages/${gamma.id}?version=${String(gamma.version)}`,
    );
    expect(trashed.statusCode, trashed.body).toBe(204);
    await page.getByRole('textbox', { name: 'Search pages' }).fill(other);
    const gammaRow = rows.filter({ hasText: `Gamma ${other}` });
    await gammaRow.getByRole('button', { name: 'Delete for good' }).click();
    const confirm = page.getByRole('dialog');
    await confirm.getByText(`Delete “Gamma ${other}” for good?`).waitFor();
    await confirm.getByRole('button', { name: 'Delete for good' }).click();
    await page.getByText('The page is deleted for good.').waitFor();
    await poll(() => gammaRow.count()).toBe(0);
    expect((await panel.test.call(admin.session, 'GET', `/api/v1/pages/${gamma.id}`)).statusCode).toBe(404);
  });

  it('reorders the tree from the keyboard and saves the new order', async () => {
    const editor = await user('editor', 'de');
    const root = await createPage(editor.session, {
      slug: slug('tree-root'),
      title: { en: 'Root', de: 'Wurzel' },
    });
    const under = (name: string, order: number) =>
      createPage(editor.session, {
        slug: slug(`tree-${name.toLowerCase()}`),
        title: { en: `Page ${name}`, de: `Seite ${name}` },
        parent_id: root.id,
        sort_order: order,
      });
    const a = await under('A', 10);
    const b = await under('B', 20);
    const c = await under('C', 30);

    const page = await panel.open({ locale: 'de' });
    await panel.signIn(page, editor);
    await page.goto('/admin/pages');
    await page.getByRole('link', { name: 'Seitenbaum' }).click();
    await page.waitForURL('**/admin/pages/tree');
    await page.getByRole('link', { name: 'Seite C' }).waitFor();
    await lookAt(page, 'pages-tree-de');

    // C up (before B), then under the page above it (A): buttons reached and pressed from the keyboard.
    await page.getByRole('button', { name: '„Seite C“ nach oben verschieben' }).focus();
    await page.keyboard.press('Enter');
    await page
      .getByText('Seite C steht jetzt an Position 2 von 3 unter Wurzel.')
      .waitFor({ state: 'attached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      '„Seite C“ nach oben verschieben',
    );
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      '„Seite C“ unter die Seite darüber verschieben',
    );
    await page.keyboard.press('Enter');
    await page
      .getByText('Seite C steht jetzt an Position 1 von 1 unter Seite A.')
      .waitFor({ state: 'attached' });
    await page.getByText(/Seiten erhalten einen neuen Platz/).waitFor();
    await lookAt(page, 'pages-tree-moved-de');

    await page.getByRole('button', { name: 'Reihenfolge speichern' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Die Reihenfolge der Seiten ist gespeichert.').waitFor();
    const [afterA, afterB, afterC] = await Promise.all([a, b, c].map((p) => getPage(editor.session, p.id)));
    expect(afterC?.parent_id).toBe(a.id);
    expect(afterA?.parent_id).toBe(root.id);
    expect(afterB?.parent_id).toBe(root.id);
    expect(afterA?.sort_order).toBeLessThan(afterB?.sort_order ?? 0);

    // And with the mouse: B dragged onto the upper edge of A goes before it.
    const rowA = page.getByTestId(`tree-row-${a.slug}`);
    await page.getByTestId(`tree-row-${b.slug}`).dragTo(rowA, { targetPosition: { x: 60, y: 2 } });
    await page
      .getByText('Seite B steht jetzt an Position 1 von 2 unter Wurzel.')
      .waitFor({ state: 'attached' });
    await page.getByRole('button', { name: 'Reihenfolge speichern' }).click();
    await poll(async () => {
      const [nowA, nowB] = await Promise.all([getPage(editor.session, a.id), getPage(editor.session, b.id)]);
      return nowB.sort_order < nowA.sort_order && nowB.parent_id === root.id;
    }).toBe(true);
  });

  it('schedules in the user’s time zone, cancels the schedule, and restores an earlier version from the history', async () => {
    const editor = await user('editor', 'en', 'America/New_York');
    const created = await createPage(editor.session, {
      slug: slug('pricing'),
      title: { en: 'Pricing', de: 'Preise' },
    });
    const renamed = await panel.test.call(editor.session, 'PATCH', `/api/v1/pages/${created.id}`, {
      version: created.version,
      title: { en: 'Prices', de: 'Preise' },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);

    const page = await panel.open();
    await panel.signIn(page, editor);
    await page.goto(`/admin/pages/${created.id}`);
    await page.getByRole('button', { name: 'Schedule' }).click();
    const dialog = page.getByRole('dialog', { name: 'Schedule the publication' });
    await dialog.getByText(/Time zone America\/New_York/).waitFor();
    const year = new Date().getFullYear() + 1;
    await dialog.getByLabel('Publish at').fill(`${String(year)}-01-15T10:00`);
    await lookAt(page, 'page-schedule-en');
    await dialog.getByRole('button', { name: 'Schedule' }).click();
    await page.getByText(/^Publication scheduled for /).waitFor();
    const scheduled = await panel.test.call(editor.session, 'GET', `/api/v1/pages/${created.id}`);
    expect(scheduled.json<{ status: string; scheduled_at: string }>()).toMatchObject({
      status: 'scheduled',
      // 10:00 in New York in January is 15:00 UTC.
      scheduled_at: `${String(year)}-01-15T15:00:00.000Z`,
    });
    await page.getByRole('button', { name: 'Cancel schedule' }).click();
    await page.getByText('The schedule is cancelled; the page is a draft again.').waitFor();
    expect((await getPage(editor.session, created.id)).status).toBe('draft');

    await page.getByRole('tab', { name: 'History' }).click();
    const change = page.getByRole('button', { name: /^Changed .*Title/ });
    await change.click();
    const diff = page.getByRole('table', { name: 'What changed' });
    await diff.getByRole('row', { name: /Title/ }).getByText('Pricing').waitFor();
    await diff.getByRole('row', { name: /Title/ }).getByText('Prices').waitFor();
    await lookAt(page, 'page-history-en');
    await page.getByRole('button', { name: 'Restore the content as before this change' }).click();
    await page
      .getByRole('dialog', { name: 'Restore this version?' })
      .getByRole('button', { name: 'Restore' })
      .click();
    await page.getByText('The earlier content is restored as a new version.').waitFor();
    await poll(async () => (await getPage(editor.session, created.id)).title.en).toBe('Pricing');
    await page.getByRole('tab', { name: 'Content' }).click();
    await poll(() => bilingual(page, 'Title').en.inputValue()).toBe('Pricing');
  });

  const WORDS = {
    en: {
      trash: 'Trash',
      tree: 'Page tree',
      create: 'Create',
      blocks: 'Blocks',
      seo: 'SEO',
      history: 'History',
      content: 'Content',
      addBlock: 'Add block',
      choose: 'Choose from library',
      schedule: 'Schedule',
      cancel: 'Cancel',
      save: 'Save',
      title: 'Title',
      conflict: 'Someone else saved this page meanwhile',
    },
    de: {
      trash: 'Papierkorb',
      tree: 'Seitenbaum',
      create: 'Erstellen',
      blocks: 'Blöcke',
      seo: 'SEO',
      history: 'Verlauf',
      content: 'Inhalt',
      addBlock: 'Block hinzufügen',
      choose: 'Aus der Mediathek wählen',
      schedule: 'Planen',
      cancel: 'Abbrechen',
      save: 'Speichern',
      title: 'Titel',
      conflict: 'Jemand anderes hat diese Seite inzwischen gespeichert',
    },
  } as const;

  it.each([
    { locale: 'en', width: 1280 },
    { locale: 'de', width: 1024 },
  ] as const)(
    'shows every pages screen in $locale at $width px',
    { timeout: 240_000 },
    async ({ locale, width }) => {
      const words = WORDS[locale];
      const tag = `${locale}-${String(width)}`;
      const admin = await user('super_admin', locale);
      await uploadImage(admin.session, `tour-${tag}.png`);
      const parent = await createPage(admin.session, {
        slug: slug('services'),
        title: { en: 'Services', de: 'Leistungen' },
        excerpt: { en: 'What we offer' },
      });
      const child = await createPage(admin.session, {
        slug: slug('ai-audit'),
        title: { en: 'AI audit', de: 'KI-Audit' },
        parent_id: parent.id,
      });
      const trashed = await createPage(admin.session, { slug: slug('old'), title: { en: 'Old offer' } });
      await panel.test.call(
        admin.session,
        'DELETE',
        `/api/v1/pages/${trashed.id}?version=${String(trashed.version)}`,
      );
      await pageAction(admin.session, child.id, 'publish');

      const page = await panel.open({ locale, width });
      await panel.signIn(page, admin);
      await page.goto('/admin/pages');
      await page
        .getByRole('link', { name: locale === 'de' ? 'Leistungen' : 'Services' })
        .first()
        .waitFor();
      await lookAt(page, `tour-list-${tag}`);
      await page.getByRole('tab', { name: words.trash }).click();
      await page
        .getByRole('link', { name: /Old offer/ })
        .first()
        .waitFor();
      await lookAt(page, `tour-trash-${tag}`);

      await page.getByRole('link', { name: words.tree }).click();
      await page.waitForURL('**/admin/pages/tree');
      await page
        .getByRole('link', { name: locale === 'de' ? 'KI-Audit' : 'AI audit' })
        .first()
        .waitFor();
      await lookAt(page, `tour-tree-${tag}`);

      // A new page with one block of every type.
      await page.getByRole('link', { name: words.create }).click();
      await page.waitForURL('**/admin/pages/create');
      await lookAt(page, `tour-create-${tag}`);
      await page.getByRole('tab', { name: words.blocks }).click();
      const types = await (async () => {
        await page.getByRole('button', { name: words.addBlock }).click();
        const count = await page.getByRole('menuitem').count();
        await page.keyboard.press('Escape');
        return count;
      })();
      expect(types).toBe(17);
      for (let index = 0; index < types; index++) {
        await page.getByRole('button', { name: words.addBlock }).click();
        await page.getByRole('menuitem').nth(index).click();
        await page.getByRole('region', { name: new RegExp(`^${String(index + 1)}\\. `) }).waitFor();
      }
      await lookAt(page, `tour-all-blocks-${tag}`);
      await page.getByRole('button', { name: words.choose }).first().click();
      await page.getByRole('dialog').getByRole('img').first().waitFor();
      await lookAt(page, `tour-media-dialog-${tag}`);
      await page.keyboard.press('Escape');
      await page.getByRole('tab', { name: words.seo }).click();
      await lookAt(page, `tour-seo-${tag}`);

      // An existing page: status, schedule, history, and a conflict.
      await page.goto(`/admin/pages/${parent.id}`);
      await poll(() => bilingual(page, words.title).en.inputValue()).toBe('Services');
      await lookAt(page, `tour-edit-${tag}`);
      await page.getByRole('button', { name: words.schedule }).click();
      await page.getByRole('dialog').waitFor();
      await lookAt(page, `tour-schedule-${tag}`);
      await page.getByRole('dialog').getByRole('button', { name: words.cancel }).click();
      await page.getByRole('tab', { name: words.history }).click();
      await page.getByRole('tabpanel').getByRole('button').first().click();
      await page.getByRole('tabpanel').getByRole('table').first().waitFor();
      await lookAt(page, `tour-history-${tag}`);
      await page.getByRole('tab', { name: words.content }).click();
      await bilingual(page, words.title).de.fill('Unsere Leistungen');
      const current = await getPage(admin.session, parent.id);
      await panel.test.call(admin.session, 'PATCH', `/api/v1/pages/${parent.id}`, {
        version: current.version,
        excerpt: { en: 'What we offer you', de: 'Was wir Ihnen bieten' },
      });
      await page.getByRole('button', { name: words.save }).click();
      await page.getByRole('dialog', { name: words.conflict }).waitFor();
      await lookAt(page, `tour-conflict-${tag}`);
    },
  );
});
