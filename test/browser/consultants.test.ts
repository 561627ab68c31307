// Consultants in Chromium: the list and its filters; the editor's weekly working hours (a range added on a
// weekday from the keyboard, an overlap refused before saving, the week stored as the API and the slots engine
// read it), time off, the photo chosen from the media library in the picker, the calendar connection shown as the
// API reports it; a consultant created, moved to the trash and restored; every screen in English and German.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { as, signIn, type Session, type TestUser } from '../helpers/auth.ts';
import { look, usePanel } from './harness.ts';

const panel = usePanel({
  env: { DATA_DIR: path.join(mkdtempSync(path.join(tmpdir(), 'magnetiq-consultants-')), 'data') },
});

interface Consultant {
  id: string;
  phone: string | null;
  first_name: string;
  last_name: string;
  photo_url: string | null;
  working_hours: Record<string, { start: string; end: string }[]> | null;
  holidays: { from: string; to: string; note?: string }[] | null;
  deleted_at: string | null;
  version: number;
}

let counter = 0;
const unique = (base: string) => {
  counter += 1;
  return `${base}-${String(counter)}-${Math.random().toString(36).slice(2, 7)}`;
};

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

async function createConsultant(session: Session, body: Record<string, unknown>): Promise<Consultant> {
  const response = await panel.test.call(session, 'POST', '/api/v1/consultants', {
    email: `${unique('consultant')}@example.com`,
    timezone: 'Europe/Berlin',
    ...body,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Consultant>();
}

async function getConsultant(session: Session, id: string): Promise<Consultant> {
  const response = await panel.test.call(session, 'GET', `/api/v1/consultants/${id}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Consultant>();
}

/** A real PNG uploaded through the API (multipart, as a browser sends it). */
async function uploadImage(session: Session, name: string): Promise<{ id: string }> {
  counter += 1;
  const bytes = await sharp({
    create: { width: 480, height: 480, channels: 3, background: { r: 200, g: (counter * 41) % 256, b: 80 } },
  })
    .png()
    .toBuffer();
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
  return response.json<{ id: string }>();
}

describe('consultants', { timeout: 90_000 }, () => {
  it('edits the weekly hours (a range added from the keyboard, an overlap refused), time off and the photo', async () => {
    const { page, session } = await signedIn('en');
    const photo = await uploadImage(session, 'ada-portrait.png');
    const ada = await createConsultant(session, {
      first_name: 'Ada',
      last_name: 'Lovelace',
      title: 'Principal Consultant',
      languages: ['en', 'de'],
      working_hours: { mon: [{ start: '09:00', end: '17:00' }] },
      google_calendar_id: 'ada@group.calendar.google.com',
    });

    await page.goto('/admin/consultants');
    await page.getByRole('cell', { name: /Ada Lovelace/ }).waitFor();
    await look(page, 'consultants-list-en');
    await page.getByLabel('Search').fill('no such person');
    await page.getByText('No consultant matches these filters.').waitFor();
    await page.getByLabel('Search').fill('Lovelace');
    // Opened from the keyboard: the name is a link.
    await page.getByRole('link', { name: 'Ada Lovelace' }).focus();
    await page.keyboard.press('Enter');

    await page.getByRole('group', { name: 'Working hours' }).waitFor();
    // The calendar connection as the API reports it.
    await page.getByText('Google Calendar connected').waitFor();
    await page.getByText('Bookings are entered in the calendar ada@group.calendar.google.com.').waitFor();

    // Tuesday: a range added from the keyboard (09:00–17:00 by default), then narrowed.
    const tuesday = page.getByRole('group', { name: 'Tuesday' });
    await tuesday.getByText('Not working').waitFor();
    await tuesday.getByRole('button', { name: 'Add time range on Tuesday' }).focus();
    await page.keyboard.press('Enter');
    const start1 = tuesday.getByLabel('Tuesday, time range 1: from');
    await expect.poll(() => start1.inputValue()).toBe('09:00');
    await start1.fill('10:00');
    await tuesday.getByLabel('Tuesday, time range 1: until').fill('12:30');
    // A second range that overlaps the first is refused before anything is sent.
    await tuesday.getByRole('button', { name: 'Add time range on Tuesday' }).click();
    const start2 = tuesday.getByLabel('Tuesday, time range 2: from');
    await start2.fill('12:00');
    await tuesday.getByLabel('Tuesday, time range 2: until').fill('16:00');
    await tuesday.getByText('Overlaps 10:00–12:30').waitFor();
    await look(page, 'consultant-hours-invalid-en');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Correct the working hours marked in red').first().waitFor();
    expect((await getConsultant(session, ada.id)).version).toBe(ada.version);
    await start2.fill('13:00');
    await expect.poll(() => tuesday.getByText(/^Overlaps/).count()).toBe(0);

    // Time off over Christmas.
    await page.getByRole('button', { name: 'Add time off' }).click();
    await page.getByLabel('Time off 1: first day').fill('2026-12-24');
    await page.getByLabel('Time off 1: last day').fill('2026-12-26');
    await page.getByLabel('Time off 1: note').fill('Christmas');

    // The photo, chosen from the media library.
    await page.getByRole('button', { name: 'Choose from the library' }).click();
    const picker = page.getByRole('dialog', { name: 'Choose a photo' });
    const choice = picker.getByRole('button', { name: 'Choose ada-portrait.png' });
    await choice.waitFor();
    await look(page, 'consultant-photo-picker-en');
    await choice.click();
    await picker.waitFor({ state: 'hidden' });
    await page.getByTestId('consultant-photo-name').getByText('ada-portrait.png').waitFor();
    await look(page, 'consultant-edit-en');

    // Someone else saves the profile meanwhile: the save is refused, nothing is overwritten, the edits stay, and
    // they go on top of the newer version.
    const other = await panel.test.call(session, 'PATCH', `/api/v1/consultants/${ada.id}`, {
      version: ada.version,
      phone: '+49 30 1234567',
    });
    expect(other.statusCode, other.body).toBe(200);
    await page.getByRole('button', { name: 'Save' }).click();
    const stale = page.getByRole('alert').filter({ hasText: 'Someone else saved this in the meantime' });
    await stale.waitFor();
    await look(page, 'consultant-conflict-en');
    expect((await getConsultant(session, ada.id)).working_hours).toEqual({
      mon: [{ start: '09:00', end: '17:00' }],
    });
    await stale.getByRole('button', { name: 'Load the current version, keep my changes' }).click();
    await stale.waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByLabel('Phone').inputValue()).toBe('+49 30 1234567');
    expect(await tuesday.getByLabel('Tuesday, time range 2: from').inputValue()).toBe('13:00');
    await page.getByTestId('consultant-photo-name').getByText('ada-portrait.png').waitFor();

    await page.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(async () => (await getConsultant(session, ada.id)).working_hours)
      .toEqual({
        mon: [{ start: '09:00', end: '17:00' }],
        tue: [
          { start: '10:00', end: '12:30' },
          { start: '13:00', end: '16:00' },
        ],
      });
    const stored = await getConsultant(session, ada.id);
    expect(stored.holidays).toEqual([{ from: '2026-12-24', to: '2026-12-26', note: 'Christmas' }]);
    expect(stored.photo_url).toBe(`/api/v1/media/${photo.id}/file`);
    expect(stored).toMatchObject({ phone: '+49 30 1234567', version: ada.version + 2 });

    // The media library now lists the consultant where the image is used.
    const usage = await panel.test.call(session, 'GET', `/api/v1/media/${photo.id}/usage`);
    expect(usage.json<{ items: { kind: string; id: string }[] }>().items).toEqual([
      expect.objectContaining({ kind: 'consultant', id: ada.id }),
    ]);
  });

  it('works in German: creates a consultant, copies Monday to the week, moves them to the trash and back', async () => {
    const { page, session } = await signedIn('de');
    await createConsultant(session, {
      first_name: 'Mary',
      last_name: 'Jackson',
      is_accepting_bookings: false,
    });
    await page.goto('/admin/consultants');
    await page
      .getByRole('cell', { name: /Mary Jackson/ })
      .first()
      .waitFor();
    await look(page, 'consultants-list-de');

    await page.getByRole('link', { name: 'Erstellen' }).click();
    await page.getByLabel('Vorname').fill('Grace');
    await page.getByLabel('Nachname').fill('Hopper');
    const email = `${unique('grace')}@example.com`;
    await page.getByLabel('E-Mail').fill(email);
    await page.getByLabel('Biografie (English)').fill('Pioneer of compilers.');
    const monday = page.getByRole('group', { name: 'Montag' });
    await monday.getByRole('button', { name: 'Zeitraum hinzufügen (Montag)' }).click();
    await monday.getByLabel('Montag, Zeitraum 1: von').fill('08:30');
    await monday.getByLabel('Montag, Zeitraum 1: bis').fill('00:00');
    await page.getByRole('button', { name: 'Zeiten vom Montag für Dienstag bis Freitag übernehmen' }).click();
    await page.getByRole('group', { name: 'Freitag' }).getByLabel('Freitag, Zeitraum 1: von').waitFor();
    await page.getByText('Nicht übersetzt').first().waitFor();
    await look(page, 'consultant-create-de');
    await page.getByRole('button', { name: 'Speichern' }).click();

    await page.getByText('Kein Kalender verbunden').waitFor();
    const id = new URL(page.url()).pathname.split('/').pop() ?? '';
    const created = await getConsultant(session, id);
    const day = [{ start: '08:30', end: '24:00' }];
    expect(created).toMatchObject({
      first_name: 'Grace',
      last_name: 'Hopper',
      working_hours: { mon: day, tue: day, wed: day, thu: day, fri: day },
      biography: { en: 'Pioneer of compilers.' },
    });
    await look(page, 'consultant-edit-de');

    // Into the trash (asked first), found there, and restored.
    await page.getByRole('button', { name: 'Löschen' }).click();
    const confirm = page.getByRole('dialog', { name: 'Grace Hopper in den Papierkorb verschieben?' });
    await look(page, 'consultant-delete-de');
    await confirm.getByRole('button', { name: 'Bestätigen' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/consultants');
    expect((await getConsultant(session, id)).deleted_at).not.toBeNull();
    await page.getByLabel('Papierkorb', { exact: true }).check();
    await page.getByRole('button', { name: 'Grace Hopper wiederherstellen' }).waitFor();
    await look(page, 'consultants-trash-de');
    await page.getByRole('button', { name: 'Grace Hopper wiederherstellen' }).click();
    await page.getByText('Grace Hopper ist wiederhergestellt').waitFor();
    expect((await getConsultant(session, id)).deleted_at).toBeNull();
  });

  it('is usable at 1024 px in English: the editor and its hours', async () => {
    const user = await editor('en');
    const c = await createConsultant(user.session, {
      first_name: 'Katherine',
      last_name: 'Johnson',
      working_hours: {
        mon: [
          { start: '08:00', end: '12:00' },
          { start: '13:00', end: '17:00' },
        ],
      },
      holidays: [{ from: '2026-08-01', to: '2026-08-14', note: 'Summer' }],
    });
    const page = await panel.open({ width: 1024 });
    await panel.signIn(page, user);
    await page.goto(`/admin/consultants/${c.id}`);
    await page.getByRole('group', { name: 'Monday' }).getByLabel('Monday, time range 2: until').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await look(page, 'consultant-edit-1024-en');
  });
});
