// Bookings in the browser: the list and its filters, the week calendar, the detail with notes, and the actions
// (reschedule through the slot picker, cancel, completed), each checked through the API afterwards.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/modules/identity/permissions.ts';
import { signIn, type TestUser } from '../helpers/auth.ts';
import { WEEKDAYS_NINE_TO_FIVE } from '../helpers/factories.ts';
import { look, usePanel } from './harness.ts';

const panel = usePanel();
const TZ = 'Europe/Berlin';
const DAY = 86_400_000;

interface StaffBooking {
  id: string;
  start: string;
  status: string;
  version: number;
  cancellation_reason: string | null;
  preparation_notes: string | null;
  consultant_notes: string | null;
}
interface Slots {
  slots: { start_utc: string }[];
}

/** The local date in Berlin `days` from now. */
function berlinDate(days: number, from = Date.now()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date(from + days * DAY));
}

/** The first weekday (Mon–Fri) at least `days` ahead, as a date. */
function weekdayAhead(days: number): string {
  for (let d = days; ; d += 1) {
    const date = berlinDate(d);
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) return date;
  }
}

/** The Monday of the week of `date`. */
function mondayOf(date: string): string {
  const day = new Date(`${date}T12:00:00Z`);
  const back = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - back * DAY).toISOString().slice(0, 10);
}

let author: string;
let ada: string;
let alan: string;

/** Staff in Berlin time, reading the panel in `language`. */
async function staff(role: Role, language: 'en' | 'de' = 'en'): Promise<TestUser> {
  const user = await panel.user(role);
  await panel.test.database.db
    .updateTable('admin_users')
    .set({ timezone: TZ, language })
    .where('id', '=', user.id)
    .execute();
  return user;
}

async function openAs(role: Role, language: 'en' | 'de' = 'en', width = 1280): Promise<Page> {
  const page = await panel.open({ locale: language, width });
  await panel.signIn(page, await staff(role, language));
  return page;
}

function booking(consultantId: string, start: string, client: [string, string], extra: object = {}) {
  return panel.test.factories.booking(consultantId, {
    datetime: new Date(start),
    client_first_name: client[0],
    client_last_name: client[1],
    client_email: `${client[0].toLowerCase()}@example.com`,
    meeting_type: 'video',
    language: 'en',
    ...extra,
  });
}

async function read(id: string): Promise<StaffBooking> {
  const { session } = await panel.test.as('admin');
  const answer = await panel.test.call(session, 'GET', `/api/v1/bookings/${id}`);
  expect(answer.statusCode).toBe(200);
  return answer.json<StaffBooking>();
}

beforeAll(async () => {
  author = (await panel.test.factories.admin()).id;
  const consultant = async (first: string, last: string) =>
    (
      await panel.test.factories.consultant(author, {
        first_name: first,
        last_name: last,
        timezone: TZ,
        working_hours: JSON.stringify(WEEKDAYS_NINE_TO_FIVE),
        holidays: JSON.stringify([]),
      })
    ).id;
  ada = await consultant('Ada', 'Lovelace');
  alan = await consultant('Alan', 'Turing');
});

describe('bookings', { timeout: 60_000 }, () => {
  it('lists bookings and filters them by search, consultant and status, in English and German', async () => {
    const day = weekdayAhead(3);
    await booking(ada, `${day}T09:00:00Z`, ['Max', 'Mustermann']);
    await booking(alan, `${day}T13:00:00Z`, ['Erika', 'Musterfrau'], { client_company: 'Muster GmbH' });
    await booking(ada, `${day}T15:00:00Z`, ['Otto', 'Normalverbraucher'], { status: 'cancelled' });

    const page = await openAs('admin');
    await page.goto('/admin/bookings');
    const row = (name: string) => page.getByRole('row').filter({ hasText: name });
    await row('Max Mustermann').waitFor();
    await row('Erika Musterfrau').waitFor();
    await look(page, 'bookings-list-en');

    await page.getByRole('textbox', { name: 'Search' }).fill('Erika');
    await expect.poll(() => row('Max Mustermann').count()).toBe(0);
    await row('Erika Musterfrau').waitFor();
    await page.getByRole('textbox', { name: 'Search' }).fill('');
    await row('Max Mustermann').waitFor();

    await page.getByRole('combobox', { name: 'Consultant' }).click();
    await page.getByRole('option', { name: 'Ada Lovelace' }).click();
    await expect.poll(() => row('Erika Musterfrau').count()).toBe(0);
    await row('Otto Normalverbraucher').waitFor();

    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Cancelled' }).click();
    await page.keyboard.press('Escape');
    await expect.poll(() => row('Max Mustermann').count()).toBe(0);
    await row('Otto Normalverbraucher').waitFor();
    await look(page, 'bookings-list-filtered-en');

    const german = await openAs('viewer', 'de', 1024);
    await german.goto('/admin/bookings');
    await german.getByRole('row').filter({ hasText: 'Erika Musterfrau' }).waitFor();
    await german.getByRole('columnheader', { name: 'Berater' }).waitFor();
    await look(german, 'bookings-list-de-1024');
  });

  it('shows a booking in the week calendar and opens it from there by keyboard', async () => {
    const day = weekdayAhead(3);
    const placed = await booking(ada, `${day}T10:00:00Z`, ['Wilhelmine', 'Weekly']);
    await booking(ada, `${day}T12:00:00Z`, ['Walter', 'Weekly']);
    const page = await openAs('admin');
    await page.goto(`/admin/bookings/week?start=${mondayOf(day)}`);
    // Read out in full: the time in the user's zone (Berlin: 11:00 in winter, 12:00 in summer), client, consultant.
    const link = page.getByRole('link', {
      name: /^(11|12):00–(12|13):00, Wilhelmine Weekly, with Ada Lovelace, Confirmed$/,
    });
    await link.waitFor();
    await look(page, 'bookings-week-en');

    await page.getByRole('combobox', { name: 'Consultant' }).click();
    await page.getByRole('option', { name: 'Alan Turing' }).click();
    await expect.poll(() => link.count()).toBe(0);
    // Each step lands in the URL before the next one starts (a click during the previous change could act on the
    // week before it).
    const nextMonday = new Date(new Date(`${mondayOf(day)}T12:00:00Z`).getTime() + 7 * DAY)
      .toISOString()
      .slice(0, 10);
    await page.getByRole('button', { name: 'Next week' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('start')).toBe(nextMonday);
    await page.getByRole('button', { name: 'Previous week' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('start')).toBe(mondayOf(day));
    await page.getByRole('combobox', { name: 'Consultant' }).click();
    await page.getByRole('option', { name: 'Ada Lovelace' }).click();
    // The arrow keys go from booking to booking in time order; Enter opens one.
    await link.focus();
    await page.keyboard.press('ArrowRight');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent ?? ''))
      .toMatch(/Walter Weekly, with Ada Lovelace/);
    await page.keyboard.press('ArrowLeft');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent ?? ''))
      .toMatch(/Wilhelmine Weekly, with Ada Lovelace/);
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/admin/bookings/${placed.id}/show`);
    await page.getByText('Wilhelmine Weekly').first().waitFor();

    const german = await openAs('viewer', 'de', 1024);
    await german.goto(`/admin/bookings/week?start=${mondayOf(day)}`);
    await german.getByRole('link', { name: /Wilhelmine Weekly, bei Ada Lovelace, Bestätigt/ }).waitFor();
    await look(german, 'bookings-week-de-1024');
  });

  it('reschedules a booking through the slot picker, half an hour later: its own time does not block it', async () => {
    const day = weekdayAhead(4);
    const moved = await booking(ada, `${day}T14:00:00Z`, ['Rita', 'Rescheduled'], { duration: 60 });
    const target = new Date(`${day}T14:30:00Z`);
    const from = berlinDate(0);
    const to = berlinDate(6);
    // The public slots do not offer a time the booking overlaps; the picker (GET /bookings/:id/slots) does.
    const offered = await panel.test.call(
      undefined,
      'GET',
      `/api/v1/public/consultants/${ada}/slots?from=${from}&to=${to}&duration=60&tz=${encodeURIComponent(TZ)}`,
    );
    expect(offered.json<Slots>().slots.map((slot) => slot.start_utc)).not.toContain(target.toISOString());

    const page = await openAs('admin');
    await page.goto(`/admin/bookings/${moved.id}/show`);
    await page.getByRole('heading', { name: 'Appointment' }).waitFor();
    await look(page, 'booking-show-en');
    await page.getByRole('button', { name: 'Reschedule' }).click();
    const dialog = page.getByRole('dialog');
    // The slot's name: its local date as the picker writes it (en-GB, full), then its local start.
    const date = new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeZone: 'UTC' }).format(
      new Date(`${day}T12:00:00Z`),
    );
    const clock = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', minute: '2-digit' });
    const at = (utc: Date) => new RegExp(`^${date}.*${clock.format(utc)} to \\d\\d:\\d\\d$`);
    await dialog.getByRole('button', { name: at(target) }).click();
    // Its current time is no time to move to.
    expect(await dialog.getByRole('button', { name: at(new Date(`${day}T14:00:00Z`)) }).count()).toBe(0);
    await dialog.getByText(/^New time:/).waitFor();
    await look(page, 'booking-reschedule-en');
    await dialog.getByRole('button', { name: 'Move to this time' }).click();
    await page.getByText(/The booking was moved/).waitFor();

    const after = await read(moved.id);
    expect(after.start).toBe(target.toISOString());
    expect(after.status).toBe('confirmed');
  });

  it('cancels a booking with a reason, in German', async () => {
    const day = weekdayAhead(5);
    const cancelled = await booking(alan, `${day}T10:00:00Z`, ['Carla', 'Cancel']);
    const page = await openAs('admin', 'de');
    await page.goto(`/admin/bookings/${cancelled.id}/show`);
    await page.getByRole('heading', { name: 'Termin' }).waitFor();
    await look(page, 'booking-show-de');
    await page.getByRole('button', { name: 'Buchung stornieren' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: /Grund/ }).fill('Kunde ist krank');
    await look(page, 'booking-cancel-de');
    await dialog.getByRole('button', { name: 'Buchung stornieren' }).click();
    await page.getByText('Die Buchung wurde storniert.').waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Verschieben' }).count()).toBe(0);

    const after = await read(cancelled.id);
    expect(after.status).toBe('cancelled');
    expect(after.cancellation_reason).toBe('Kunde ist krank');
  });

  it('keeps notes and records that a past meeting took place', async () => {
    const yesterday = berlinDate(-1);
    const past = await booking(ada, `${yesterday}T08:00:00Z`, ['Paula', 'Past']);
    const page = await openAs('admin');
    await page.goto(`/admin/bookings/${past.id}/show`);
    await page.getByRole('heading', { name: 'Appointment' }).waitFor();
    // Over: it can no longer be moved or cancelled, only its outcome recorded.
    expect(await page.getByRole('button', { name: 'Reschedule' }).count()).toBe(0);

    await page.getByRole('textbox', { name: 'Preparation notes' }).fill('Bring the audit report');
    await page.getByRole('button', { name: 'Save notes' }).click();
    await page.getByText('Notes saved').waitFor();
    expect((await read(past.id)).preparation_notes).toBe('Bring the audit report');

    await page.getByRole('button', { name: 'Mark as completed' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Mark as completed' }).click();
    await page.getByText('Marked as completed.').waitFor();
    expect((await read(past.id)).status).toBe('completed');
    await page.getByRole('button', { name: 'Mark as no-show' }).waitFor();
    await look(page, 'booking-completed-en');
  });

  it('keeps the user’s notes when someone else saved notes meanwhile', async () => {
    const day = weekdayAhead(6);
    const noted = await booking(alan, `${day}T09:00:00Z`, ['Nora', 'Notes']);
    const page = await openAs('admin');
    await page.goto(`/admin/bookings/${noted.id}/show`);
    const mine = page.getByRole('textbox', { name: 'Consultant’s notes' });
    await mine.waitFor();

    const { session } = await panel.test.as('admin');
    const theirs = await panel.test.call(session, 'PATCH', `/api/v1/bookings/${noted.id}`, {
      version: noted.version,
      consultant_notes: 'Their notes',
    });
    expect(theirs.statusCode).toBe(200);

    await mine.fill('My notes');
    await page.getByRole('button', { name: 'Save notes' }).click();
    await page.getByText(/Someone else saved these notes in the meantime/).waitFor();
    await page.getByText('Their notes').waitFor();
    expect(await mine.inputValue()).toBe('My notes');
    await look(page, 'booking-notes-conflict-en');
    await page.getByRole('button', { name: 'Keep my text' }).click();
    await page.getByRole('button', { name: 'Save notes' }).click();
    await page.getByText('Notes saved').waitFor();
    expect((await read(noted.id)).consultant_notes).toBe('My notes');
  });

  it('shows a viewer the booking without the actions', async () => {
    const day = weekdayAhead(3);
    const seen = await booking(alan, `${day}T11:00:00Z`, ['Vera', 'Viewer']);
    const viewer = await staff('viewer');
    const session = await signIn(panel.test.app, viewer);
    expect((await panel.test.call(session, 'GET', `/api/v1/bookings/${seen.id}`)).statusCode).toBe(200);
    const page = await panel.open();
    await panel.signIn(page, viewer);
    await page.goto(`/admin/bookings/${seen.id}/show`);
    await page.getByRole('heading', { name: 'Appointment' }).waitFor();
    expect(await page.getByRole('button', { name: 'Reschedule' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Cancel booking' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save notes' }).count()).toBe(0);
    await look(page, 'booking-show-viewer-en');
  });
});
