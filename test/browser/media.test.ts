// The media library in Chromium: images (real PNGs made with sharp) uploaded through the file button and dropped
// on the drop zone, each with its own answer (uploaded, already in the library, the API's refusal of a type it
// does not allow); the grid's WebP thumbnail; the German alt text edited and stored; an image used as a
// consultant's photo deleted only after a dialog that names the consultant, which then loses the photo; every
// screen looked at in English and German.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { as, signIn, type Session, type TestUser } from '../helpers/auth.ts';
import { look, usePanel } from './harness.ts';

const panel = usePanel({
  env: { DATA_DIR: path.join(mkdtempSync(path.join(tmpdir(), 'magnetiq-media-')), 'data') },
});

interface Item {
  id: string;
  original_filename: string;
  alt_text: { en?: string; de?: string } | null;
  variants: { width: number; url: string }[];
  deleted_at: string | null;
  version: number;
}

let shade = 0;
/** A real PNG, a different colour each call (so the bytes differ: the library dedupes equal bytes). */
async function png(width = 640, height = 480): Promise<Buffer> {
  shade += 37;
  return sharp({
    create: { width, height, channels: 3, background: { r: shade % 256, g: 90, b: 160 } },
  })
    .png()
    .toBuffer();
}

/** An editor whose profile language is `language` (the panel follows the profile once signed in). */
async function editor(language: 'en' | 'de'): Promise<TestUser & { session: Session }> {
  const made = await panel.user('editor');
  const session = await signIn(panel.test.app, made);
  if (language === 'de') {
    const me = await panel.test.call(session, 'GET', '/api/v1/auth/me');
    const version = me.json<{ user: { version: number } }>().user.version;
    const changed = await panel.test.call(session, 'PATCH', '/api/v1/auth/me', { language, version });
    expect(changed.statusCode, changed.body).toBe(200);
  }
  return { ...made, session };
}

async function signedIn(language: 'en' | 'de'): Promise<{ page: Page; session: Session }> {
  const user = await editor(language);
  const page = await panel.open({ locale: language });
  await panel.signIn(page, user);
  return { page, session: user.session };
}

/** Uploads through the API (multipart, as a browser sends it). */
async function uploadViaApi(session: Session, name: string, bytes: Buffer): Promise<Item> {
  const boundary = `----magnetiq${String(Date.now())}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
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
  return response.json<Item>();
}

async function getItem(session: Session, id: string): Promise<Item> {
  const response = await panel.test.call(session, 'GET', `/api/v1/media/${id}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Item>();
}

/** Drops files on the drop zone as a browser does (a DataTransfer with File objects). */
async function drop(page: Page, files: { name: string; mimeType: string; bytes: Buffer }[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    (list) => {
      const transfer = new DataTransfer();
      for (const file of list) {
        const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
        transfer.items.add(new File([bytes], file.name, { type: file.mimeType }));
      }
      return transfer;
    },
    files.map((file) => ({
      name: file.name,
      mimeType: file.mimeType,
      base64: file.bytes.toString('base64'),
    })),
  );
  const zone = page.getByTestId('media-drop-zone');
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
}

/** The grid card of a file (a link named by its thumbnail's alt text and its file name). */
const card = (page: Page, name: string) =>
  page.getByRole('link', { name: new RegExp(name.replace('.', '\\.')) });

/** Waits until the card shows its 320 px WebP thumbnail, loaded. */
async function thumbnailShown(page: Page, name: string): Promise<void> {
  const image = card(page, name).locator('img');
  await expect
    .poll(() => image.getAttribute('src').catch(() => null), { timeout: 30_000, interval: 250 })
    .toMatch(/\/api\/v1\/media\/[0-9a-f-]{36}\/variants\/320$/);
  await expect
    .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), {
      timeout: 10_000,
    })
    .toBe(320);
  expect(await image.getAttribute('loading')).toBe('lazy');
}

describe('the media library', { timeout: 90_000 }, () => {
  it('uploads through the file button with per-file answers, shows the WebP thumbnail, and stores the German alt text', async () => {
    const { page, session } = await signedIn('en');
    await page.goto('/admin/media');
    await page.getByRole('heading', { name: 'Drop files here to upload them' }).waitFor();
    await look(page, 'media-list-en');

    // Two files at once: an image, and a text file the library does not take (the API's words are shown).
    const image = await png();
    await page.locator('input[type="file"]').setInputFiles([
      { name: 'harbour.png', mimeType: 'image/png', buffer: image },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') },
    ]);
    const uploads = page.getByRole('list', { name: 'Uploads' });
    await uploads.getByText('Uploaded.').waitFor();
    await uploads.getByText(/This type of file is not allowed in the media library/).waitFor();
    await thumbnailShown(page, 'harbour.png');
    await look(page, 'media-uploaded-en');

    // Dropping the same bytes again: the library answers with the item it already has.
    await drop(page, [{ name: 'harbour-copy.png', mimeType: 'image/png', bytes: image }]);
    await uploads.getByText('Already in the library as “harbour.png”.').waitFor();
    const existing = uploads.getByRole('link', { name: 'Open the existing file' });
    const href = await existing.getAttribute('href');
    expect(href).toMatch(/^\/admin\/media\/[0-9a-f-]{36}$/);
    await look(page, 'media-duplicate-en');

    await existing.click();
    const id = href?.split('/').pop() ?? '';
    await page.getByRole('heading', { name: 'Where it is used' }).waitFor();
    await page.getByText('Not used on any page or profile.').waitFor();
    await page.getByLabel('Alt text (English)').fill('The harbour at dusk');
    await page.getByText('Not translated').first().waitFor();
    await look(page, 'media-edit-untranslated-en');
    await page.getByLabel('Alt text (Deutsch)').fill('Der Hafen in der Abenddämmerung');
    await page.getByLabel('Folder').fill('places/harbour');
    await look(page, 'media-edit-en');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(async () => (await getItem(session, id)).alt_text)
      .toEqual({ en: 'The harbour at dusk', de: 'Der Hafen in der Abenddämmerung' });

    // The folder filter finds it; an unknown tag finds nothing (the filtered empty state).
    await page.goto('/admin/media');
    await page.getByLabel('Folder').fill('places/harbour');
    await thumbnailShown(page, 'harbour.png');
    await page.getByLabel('Tag').fill('no-such-tag');
    await page.getByText('No file matches these filters.').waitFor();
  });

  it('deletes an image used as a consultant’s photo only after naming the consultant, who then loses the photo', async () => {
    const { page, session } = await signedIn('en');
    const item = await uploadViaApi(session, 'portrait.png', await png(500, 500));
    const consultant = await panel.test.call(session, 'POST', '/api/v1/consultants', {
      first_name: 'Grace',
      last_name: 'Hopper',
      email: `grace-${String(Date.now())}@example.com`,
      photo_media_id: item.id,
    });
    expect(consultant.statusCode, consultant.body).toBe(201);
    const consultantId = consultant.json<{ id: string }>().id;

    await page.goto(`/admin/media/${item.id}`);
    const usage = page.getByRole('region', { name: 'Where it is used' });
    await usage.getByRole('link', { name: 'Grace Hopper' }).waitFor();
    await usage.getByText('Profile photo · Active').waitFor();
    expect(await usage.getByRole('link', { name: 'Grace Hopper' }).getAttribute('href')).toBe(
      `/admin/consultants/${consultantId}`,
    );

    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete “portrait.png”?' });
    await dialog.getByText('This file is used in one place:').waitFor();
    await dialog.getByRole('link', { name: 'Grace Hopper' }).waitFor();
    await dialog.getByText('The consultants listed lose this profile photo.').waitFor();
    await look(page, 'media-delete-used-en');
    // Cancelling changes nothing.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await getItem(session, item.id)).deleted_at).toBeNull();

    await page.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByRole('button', { name: 'Delete anyway' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/media');
    expect((await getItem(session, item.id)).deleted_at).not.toBeNull();
    const after = await panel.test.call(session, 'GET', `/api/v1/consultants/${consultantId}`);
    expect(after.json<{ photo_url: string | null }>().photo_url).toBeNull();

    // It is in the trash now, shown without inputs.
    await page.getByLabel('Trash', { exact: true }).check();
    await card(page, 'portrait.png').click();
    await page.getByText(/This file was deleted on/).waitFor();
    await look(page, 'media-deleted-en');

    // And back: served again and editable; the consultant's photo stays cleared.
    await page.getByRole('button', { name: 'Restore' }).click();
    await page.getByText('portrait.png is back from the trash and served again').waitFor();
    await page.getByRole('button', { name: 'Delete' }).waitFor();
    expect((await getItem(session, item.id)).deleted_at).toBeNull();
    expect((await panel.test.call(undefined, 'GET', `/api/v1/media/${item.id}/file`)).statusCode).toBe(200);
    const still = await panel.test.call(session, 'GET', `/api/v1/consultants/${consultantId}`);
    expect(still.json<{ photo_url: string | null }>().photo_url).toBeNull();
  });

  it('works in German: upload by drop, the duplicate answer, the edit screen and the delete dialog', async () => {
    const { page, session } = await signedIn('de');
    await page.goto('/admin/media');
    await page.getByRole('heading', { name: 'Dateien hierher ziehen, um sie hochzuladen' }).waitFor();
    await look(page, 'media-list-de');

    const image = await png(800, 600);
    await drop(page, [{ name: 'büro.png', mimeType: 'image/png', bytes: image }]);
    const uploads = page.getByRole('list', { name: 'Uploads' });
    await uploads.getByText('Hochgeladen.').waitFor();
    await thumbnailShown(page, 'büro.png');
    await page.locator('input[type="file"]').setInputFiles([
      { name: 'büro-kopie.png', mimeType: 'image/png', buffer: image },
      { name: 'liste.txt', mimeType: 'text/plain', buffer: Buffer.from('kein Bild') },
    ]);
    await uploads.getByText('Bereits in der Mediathek als „büro.png“.').waitFor();
    await uploads.getByText(/Dieser Dateityp ist in der Mediathek nicht erlaubt/).waitFor();
    await look(page, 'media-uploaded-de');

    await uploads.getByRole('link', { name: 'Vorhandene Datei öffnen' }).click();
    await page.getByRole('heading', { name: 'Wo die Datei verwendet wird' }).waitFor();
    const id = new URL(page.url()).pathname.split('/').pop() ?? '';
    await page.getByLabel('Alternativtext (Deutsch)').fill('Unser Büro in Berlin');
    await look(page, 'media-edit-de');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await expect
      .poll(async () => (await getItem(session, id)).alt_text)
      .toEqual({ de: 'Unser Büro in Berlin' });

    await page.getByRole('button', { name: 'Löschen' }).click();
    const dialog = page.getByRole('dialog', { name: '„büro.png“ löschen?' });
    await dialog.getByText(/wird nirgends verwendet/).waitFor();
    await look(page, 'media-delete-de');
    await dialog.getByRole('button', { name: 'Löschen' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/media');
    expect((await getItem(session, id)).deleted_at).not.toBeNull();
    await page.getByText('„büro.png“ wurde gelöscht').waitFor();

    await page.getByLabel('Papierkorb', { exact: true }).check();
    await card(page, 'büro.png').click();
    await page.getByText(/Diese Datei wurde am .* gelöscht/).waitFor();
    await look(page, 'media-deleted-de');
    await page.getByRole('button', { name: 'Wiederherstellen' }).click();
    await page.getByText('büro.png ist wiederhergestellt und wird wieder ausgeliefert').waitFor();
    expect((await getItem(session, id)).deleted_at).toBeNull();
  });

  it('fits 1024 px: the grid and an item’s screen in German', async () => {
    const user = await editor('de');
    const item = await uploadViaApi(user.session, 'weites-bild.png', await png(1200, 400));
    const page = await panel.open({ locale: 'de', width: 1024 });
    await panel.signIn(page, user);
    await page.goto('/admin/media');
    await thumbnailShown(page, 'weites-bild.png');
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await look(page, 'media-list-1024-de');
    await card(page, 'weites-bild.png').click();
    await page.getByRole('heading', { name: 'Wo die Datei verwendet wird' }).waitFor();
    await page.getByText('Vorschaubilder').waitFor();
    expect(await page.locator('figure img').getAttribute('src')).toMatch(/variants\/768$/);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await look(page, 'media-edit-1024-de');
    expect(item.original_filename).toBe('weites-bild.png');
  });
});
