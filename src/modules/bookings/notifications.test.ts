import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import ICAL from 'ical.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeGoogleCalendar, serviceAccountKeys } from '../../../test/fakes/google-calendar.ts';
import { makeUser, request, signIn, type Session, type TestUser } from '../../../test/helpers/auth.ts';
import { useTestApp } from '../../../test/fixture.ts';
import { Factories } from '../../../test/helpers/factories.ts';
import type { Database } from '../../platform/db/connection.ts';
import { CONFIRM_QUEUE, REMINDER_QUEUE } from './notifications.ts';
import { feedbackUrl, manageToken } from './links.ts';
import type { BookingAnswer } from './schemas.ts';
import { setSetting } from '../../../test/helpers/settings.ts';

const SECRET = 'test-secret-that-is-at-least-32-characters';
const PUBLIC_URL = 'https://voltaic.example';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const allDay = [{ start: '06:00', end: '20:00' }];
const EVERY_DAY = {
  mon: allDay,
  tue: allDay,
  wed: allDay,
  thu: allDay,
  fri: allDay,
  sat: allDay,
  sun: allDay,
};

let database: Database;
let app: FastifyInstance;
let factories: Factories;
let authorId: string;
let staff: TestUser;
/**
 * pg-boss runs a job once the DATABASE clock passes its start_after, so the app's clock stays near real time
 * and bookings lie days ahead: no reminder comes due by itself during the run. A test brings a reminder's time
 * forward by moving the job's start_after to now() (and the app's clock to the reminder's time).
 */
const t = useTestApp({ now: new Date(), env: { PUBLIC_URL } });
const { clock } = t;

interface MailRow {
  template: string | null;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  language: string;
  attachments: { filename: string; content_type: string; content: string }[] | null;
}

/** A slot start `days` ahead at `hour`:00 UTC (10:00 or 11:00 in New York, inside the consultant's hours). */
function slot(days: number, hour = 15): Date {
  const d = new Date(Date.now() + days * DAY);
  d.setUTCHours(hour, 0, 0, 0);
  return d;
}

function consultant(overrides: { languages?: string[]; google_calendar_id?: string } = {}) {
  return factories.consultant(authorId, {
    first_name: 'Grete',
    last_name: 'Müller',
    timezone: 'America/New_York',
    languages: ['de', 'en'],
    working_hours: JSON.stringify(EVERY_DAY),
    holidays: JSON.stringify([]),
    ...overrides,
  });
}

type Booked = BookingAnswer & { email: string };

async function book(consultantId: string, overrides: Record<string, unknown> = {}): Promise<Booked> {
  const email = `client-${randomUUID().slice(0, 8)}@example.com`;
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/public/bookings',
    payload: {
      consultant_id: consultantId,
      start: slot(3).toISOString(),
      duration: 60,
      meeting_type: 'video',
      client_first_name: 'Jürgen',
      client_last_name: 'Groß',
      client_email: email,
      language: 'de',
      privacy_consent: true,
      timezone: 'Europe/Berlin',
      ...overrides,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return { ...res.json<BookingAnswer>(), email };
}

async function manage(action: 'cancel' | 'reschedule', id: string, body: object) {
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/public/bookings/manage/${action}`,
    payload: { token: manageToken(SECRET, id), ...body },
  });
  expect(res.statusCode, res.body).toBe(200);
}

const booking = (id: string) =>
  database.db.selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

async function mailsTo(recipient: string, template?: string): Promise<MailRow[]> {
  const rows = await database.db
    .selectFrom('mail_outbox')
    .select(['template', 'recipient', 'subject', 'text_body', 'html_body', 'language', 'attachments'])
    .where('recipient', '=', recipient)
    .$if(template !== undefined, (q) => q.where('template', '=', template as string))
    .orderBy('created_at')
    .execute();
  return rows as MailRow[];
}

async function only(recipient: string, template: string): Promise<MailRow> {
  const rows = await mailsTo(recipient, template);
  expect(rows.map((r) => r.template)).toEqual([template]);
  return rows[0] as MailRow;
}

interface Parsed {
  ics: string;
  method: unknown;
  event: ICAL.Event;
}

/** The mail's one attachment: invite.ics, parsed by a real iCalendar parser into exactly one VEVENT. */
function invite(mail: MailRow, method: 'REQUEST' | 'CANCEL'): Parsed {
  expect(mail.attachments).toHaveLength(1);
  const [attachment] = mail.attachments ?? [];
  expect(attachment?.filename).toBe('invite.ics');
  expect(attachment?.content_type).toBe(`text/calendar; method=${method}; charset=UTF-8`);
  const ics = Buffer.from(attachment?.content ?? '', 'base64').toString('utf8');
  const calendar = new ICAL.Component(ICAL.parse(ics) as unknown[]);
  const vevents = calendar.getAllSubcomponents('vevent');
  expect(vevents).toHaveLength(1);
  return { ics, method: calendar.getFirstPropertyValue('method'), event: new ICAL.Event(vevents[0]) };
}

interface JobRow {
  state: string;
  start_after: Date;
  data: Record<string, unknown>;
}

async function job(id: string): Promise<JobRow> {
  const { rows } = await sql<JobRow>`
    SELECT state::text AS state, start_after, data FROM pgboss.job WHERE id = ${id}`.execute(database.db);
  expect(rows).toHaveLength(1);
  return rows[0] as JobRow;
}

async function jobsFor(queue: string, bookingId: string): Promise<JobRow[]> {
  const { rows } = await sql<JobRow>`
    SELECT state::text AS state, start_after, data FROM pgboss.job
    WHERE name = ${queue} AND data->>'booking_id' = ${bookingId}`.execute(database.db);
  return rows;
}

/** Its time has come: the job runs at the next poll. */
async function due(id: string): Promise<void> {
  await sql`UPDATE pgboss.job SET start_after = now() WHERE id = ${id}`.execute(database.db);
}

async function until(check: () => Promise<boolean>, ms = 15_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return check();
}

async function finished(id: string): Promise<void> {
  expect(await until(async () => (await job(id)).state === 'completed')).toBe(true);
}

function staffSession(): Promise<Session> {
  return signIn(app, staff);
}

function clockTime(date: Date, timeZone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
}

beforeAll(async () => {
  database = t.database;
  factories = Factories.for(database);
  app = t.app;
  authorId = (await factories.admin()).id;
  staff = await makeUser(database, 'admin');
});

beforeEach(() => {
  clock.set(new Date());
});

describe(`booking mails on ${t.engine}`, () => {
  it('confirms in German with an invite that parses, stamps the time, and tells the consultant', async () => {
    const c = await consultant();
    const b = await book(c.id);
    const start = new Date(b.start);
    const mail = await only(b.email, 'booking_confirmation');
    expect(mail.language).toBe('de');
    expect(mail.subject).toBe(`Ihr Termin mit Grete Müller ist bestätigt – ${b.reference}`);
    for (const body of [mail.text_body, mail.html_body ?? '']) {
      expect(body).toContain(b.reference);
      expect(body).toContain(`${clockTime(start, 'Europe/Berlin', 'de-DE')}–`);
      expect(body).toContain('Europe/Berlin)');
      expect(body).toMatch(/Mitteleuropäische (Normal|Sommer)zeit/);
      expect(body).toContain('Grete Müller');
      expect(body).toContain('Videogespräch');
      expect(body).toContain(b.meeting_url ?? 'no link');
      expect(body).toContain(b.manage_url);
    }
    expect(mail.html_body).toMatch(/^<!doctype html><html lang="de">/);
    // The manage link opens the website's page in the booking's language, not the JSON API.
    expect(b.manage_url).toBe(`${PUBLIC_URL}/de/bookings/manage?token=${manageToken(SECRET, b.id)}`);
    expect(mail.html_body).toContain(`<a href="${b.manage_url}">`);

    const { method, event, ics } = invite(mail, 'REQUEST');
    expect(method).toBe('REQUEST');
    expect(event.uid).toBe(`${b.id}@voltaic.example`);
    expect(event.sequence).toBe(0);
    expect(event.startDate.toJSDate().toISOString()).toBe(b.start);
    expect(event.endDate.toJSDate().toISOString()).toBe(b.end);
    expect(ics).toContain(`\r\nDTSTART:${b.start.replace(/[-:]|\.000/g, '')}\r\n`);
    expect(event.summary).toBe('Termin mit Grete Müller (voltAIc Systems)');
    expect(event.location).toBe(b.meeting_url);
    expect(event.description).toContain(b.manage_url);
    expect(event.description).toContain(b.reference);
    expect(event.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(event.organizer).toBe('mailto:no-reply@voltaic.systems');
    expect(event.attendees.map((a) => a.getFirstValue())).toEqual([`mailto:${b.email}`, `mailto:${c.email}`]);

    const row = await booking(b.id);
    expect(row.confirmation_sent_at).toEqual(clock.now());

    // The consultant: in German (first language), the time in New York.
    const notice = await only(c.email, 'booking_consultant_notice');
    expect(notice.language).toBe('de');
    expect(notice.subject).toContain(`Neue Buchung: Jürgen Groß am `);
    expect(notice.text_body).toContain(`${clockTime(start, 'America/New_York', 'de-DE')}–`);
    expect(notice.text_body).toContain('America/New_York)');
    expect(notice.text_body).toContain(b.email);
    expect(notice.text_body).not.toContain(b.manage_url);
    const consultantInvite = invite(notice, 'REQUEST');
    expect(consultantInvite.event.uid).toBe(`${b.id}@voltaic.example`);
    expect(consultantInvite.event.summary).toBe('Termin mit Jürgen Groß');
  });

  it('confirms in English; a consultant whose first language is English is told in English', async () => {
    const c = await consultant({ languages: ['en', 'de'] });
    const b = await book(c.id, {
      language: 'en',
      meeting_type: 'phone',
      client_phone: '+49 30 987654',
      timezone: 'Asia/Tokyo',
      start: slot(4).toISOString(),
    });
    const mail = await only(b.email, 'booking_confirmation');
    expect(mail.language).toBe('en');
    expect(mail.subject).toBe(`Your appointment with Grete Müller is confirmed – ${b.reference}`);
    expect(mail.text_body).toContain('Phone call');
    expect(mail.text_body).toContain('Grete Müller will call you at +49 30 987654');
    expect(mail.text_body).toContain(`${clockTime(new Date(b.start), 'Asia/Tokyo', 'en-GB')}–`);
    expect(mail.text_body).toContain('(Japan Standard Time, Asia/Tokyo)');
    expect(mail.text_body).toContain(b.manage_url);
    const { event } = invite(mail, 'REQUEST');
    expect(event.location).toBe('Grete Müller will call you at +49 30 987654');
    expect(event.summary).toBe('Appointment with Grete Müller (voltAIc Systems)');
    expect((await booking(b.id)).confirmation_sent_at).not.toBeNull();

    const notice = await only(c.email, 'booking_consultant_notice');
    expect(notice.language).toBe('en');
    expect(notice.subject).toContain('New booking: Jürgen Groß on ');
    expect(notice.text_body).toContain('Call Jürgen Groß at +49 30 987654');
  });

  it('reminds the client once, at start − 24 h, in their language', async () => {
    const c = await consultant();
    const b = await book(c.id, { language: 'en' });
    const start = new Date(b.start);
    const row = await booking(b.id);
    expect(row.reminder_job_id).not.toBeNull();
    const planned = await job(row.reminder_job_id ?? '');
    expect(planned.state).toBe('created');
    expect(planned.start_after.toISOString()).toBe(new Date(start.getTime() - DAY).toISOString());
    expect(planned.data).toEqual({ booking_id: b.id, sequence: 0 });
    expect(await mailsTo(b.email, 'booking_reminder')).toEqual([]);

    clock.set(new Date(start.getTime() - DAY + 60_000));
    await due(row.reminder_job_id ?? '');
    await finished(row.reminder_job_id ?? '');
    const reminder = await only(b.email, 'booking_reminder');
    expect(reminder.language).toBe('en');
    expect(reminder.subject).toContain(`Reminder: your appointment with Grete Müller on `);
    expect(reminder.text_body).toContain(b.reference);
    expect(reminder.text_body).toContain(b.manage_url);
    expect(reminder.text_body).toContain(b.meeting_url ?? 'no link');
    expect((await booking(b.id)).reminder_sent_at).toEqual(clock.now());

    // The same job once more (a retry, a duplicate): the claim holds, no second reminder.
    await finished(await app.jobs.send(REMINDER_QUEUE, { booking_id: b.id, sequence: 0 }));
    expect(await mailsTo(b.email, 'booking_reminder')).toHaveLength(1);
  }, 30_000);

  it('a reminder job that fires after the start sends nothing', async () => {
    const c = await consultant();
    const b = await book(c.id);
    const { reminder_job_id: id } = await booking(b.id);
    clock.set(new Date(new Date(b.start).getTime() + 60_000));
    await due(id ?? '');
    await finished(id ?? '');
    expect(await mailsTo(b.email, 'booking_reminder')).toEqual([]);
    expect((await booking(b.id)).reminder_sent_at).toBeNull();
  }, 30_000);

  it('a reschedule sends the moved invite and moves the reminder', async () => {
    const c = await consultant({ languages: ['en'] });
    const b = await book(c.id);
    const oldJob = (await booking(b.id)).reminder_job_id ?? '';
    const newStart = slot(5, 16);
    await manage('reschedule', b.id, { start: newStart.toISOString() });

    const moved = await booking(b.id);
    expect(moved.sequence).toBe(1);
    expect((await job(oldJob)).state).toBe('cancelled');
    expect(moved.reminder_job_id).not.toBeNull();
    expect(moved.reminder_job_id).not.toBe(oldJob);
    const planned = await job(moved.reminder_job_id ?? '');
    expect(planned.start_after.toISOString()).toBe(new Date(newStart.getTime() - DAY).toISOString());
    expect(planned.data).toEqual({ booking_id: b.id, sequence: 1 });

    const mail = await only(b.email, 'booking_rescheduled');
    expect(mail.subject).toBe(`Ihr Termin mit Grete Müller wurde verschoben – ${b.reference}`);
    expect(mail.text_body).toContain(`${clockTime(new Date(b.start), 'Europe/Berlin', 'de-DE')}–`);
    expect(mail.text_body).toContain(`${clockTime(newStart, 'Europe/Berlin', 'de-DE')}–`);
    expect(mail.text_body).toContain(b.manage_url);
    const { event, method } = invite(mail, 'REQUEST');
    expect(method).toBe('REQUEST');
    expect(event.uid).toBe(`${b.id}@voltaic.example`);
    expect(event.sequence).toBe(1);
    expect(event.startDate.toJSDate().toISOString()).toBe(newStart.toISOString());

    const notices = await mailsTo(c.email, 'booking_consultant_notice');
    expect(notices.map((n) => n.subject.split(':')[0])).toEqual(['New booking', 'Booking moved']);
    const movedNotice = notices[1] as MailRow;
    expect(movedNotice.text_body).toContain(`${clockTime(newStart, 'America/New_York', 'en-GB')}–`);
    expect(invite(movedNotice, 'REQUEST').event.sequence).toBe(1);

    // A job of the old plan that still fired would find another sequence: nothing.
    await finished(await app.jobs.send(REMINDER_QUEUE, { booking_id: b.id, sequence: 0 }));
    expect(await mailsTo(b.email, 'booking_reminder')).toEqual([]);
    // The new plan reminds once.
    clock.set(new Date(newStart.getTime() - DAY + 60_000));
    await due(moved.reminder_job_id ?? '');
    await finished(moved.reminder_job_id ?? '');
    expect(await mailsTo(b.email, 'booking_reminder')).toHaveLength(1);
  }, 30_000);

  it('a cancellation withdraws the invite and drops the reminder', async () => {
    const c = await consultant();
    const b = await book(c.id, { language: 'en' });
    const reminderJob = (await booking(b.id)).reminder_job_id ?? '';
    await manage('cancel', b.id, { reason: 'Found another date; sorry!' });

    const row = await booking(b.id);
    expect(row.reminder_job_id).toBeNull();
    expect((await job(reminderJob)).state).toBe('cancelled');

    const mail = await only(b.email, 'booking_cancelled');
    expect(mail.subject).toBe(`Your appointment with Grete Müller was cancelled – ${b.reference}`);
    expect(mail.text_body).toContain('As you asked, we cancelled your appointment.');
    // The client's own reason is not read back to them, and a cancelled booking has nothing to manage.
    expect(mail.text_body).not.toContain('Found another date');
    expect(mail.text_body).not.toContain(b.manage_url);
    const { event, method, ics } = invite(mail, 'CANCEL');
    expect(method).toBe('CANCEL');
    expect(event.uid).toBe(`${b.id}@voltaic.example`);
    expect(event.sequence).toBe(1);
    expect(event.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(ics).not.toContain(b.manage_url.slice(-20));

    const notice = (await mailsTo(c.email, 'booking_consultant_notice'))[1] as MailRow;
    expect(notice.subject).toContain('Buchung abgesagt: Jürgen Groß am ');
    expect(notice.text_body).toContain('Der Kunde bzw. die Kundin hat den Termin abgesagt.');
    expect(notice.text_body).toContain('Found another date; sorry!');
    expect(invite(notice, 'CANCEL').event.sequence).toBe(1);

    // Even a reminder job that fired anyway, past the original reminder time, sends nothing.
    clock.set(new Date(new Date(b.start).getTime() - DAY + 60_000));
    await finished(await app.jobs.send(REMINDER_QUEUE, { booking_id: b.id, sequence: 1 }));
    expect(await mailsTo(b.email, 'booking_reminder')).toEqual([]);
  }, 30_000);

  it('staff cancelling name their reason; a completed meeting asks for feedback', async () => {
    const c = await consultant();
    const cancelled = await book(c.id);
    const res = await request(app, await staffSession(), 'POST', `/api/v1/bookings/${cancelled.id}/cancel`, {
      reason: 'Beraterin erkrankt',
    });
    expect(res.statusCode, res.body).toBe(200);
    const mail = await only(cancelled.email, 'booking_cancelled');
    expect(mail.text_body).toContain('Leider mussten wir Ihren Termin absagen.');
    expect(mail.text_body).toMatch(/Grund:\s+Beraterin erkrankt/);

    const met = await book(c.id, { language: 'en', start: slot(4).toISOString() });
    clock.set(new Date(new Date(met.end).getTime() + 60_000));
    // Signed in at the app's (moved) time, so the access token is fresh then.
    const done = await request(app, await staffSession(), 'POST', `/api/v1/bookings/${met.id}/complete`, {
      version: (await booking(met.id)).version,
    });
    expect(done.statusCode, done.body).toBe(200);
    const feedback = await only(met.email, 'booking_feedback');
    expect(feedback.subject).toBe(`How was your meeting with Grete Müller? – ${met.reference}`);
    expect(feedbackUrl(PUBLIC_URL, SECRET, met.id, 'en')).toMatch(
      new RegExp(`^${PUBLIC_URL}/en/bookings/feedback\\?token=${met.id}\\.[\\w-]+$`),
    );
    expect(feedback.text_body).toContain(feedbackUrl(PUBLIC_URL, SECRET, met.id, 'en'));
    expect(feedback.attachments).toBeNull();
    expect((await booking(met.id)).reminder_job_id).toBeNull();
    expect((await booking(met.id)).feedback_requested_at).toEqual(clock.now());

    // An outcome corrected to no-show and back asks the client no second time.
    for (const outcome of ['no-show', 'complete']) {
      const corrected = await request(
        app,
        await staffSession(),
        'POST',
        `/api/v1/bookings/${met.id}/${outcome}`,
        {
          version: (await booking(met.id)).version,
        },
      );
      expect(corrected.statusCode, corrected.body).toBe(200);
    }
    expect((await booking(met.id)).status).toBe('completed');
    await only(met.email, 'booking_feedback');
  });
});

describe(`the confirmation waiting for the Meet link on ${t.engine}`, () => {
  const calendarId = 'grete@voltaic.systems';
  let google: FakeGoogleCalendar;

  // A connected calendar whose free/busy answers (so the slot is bookable) but which cannot take events: no
  // Meet link arrives by itself, and the test plays the calendar sync's part.
  beforeAll(async () => {
    const keys = serviceAccountKeys();
    const clientEmail = 'magnetiq@voltaic-test.iam.gserviceaccount.com';
    google = await FakeGoogleCalendar.start({ publicKey: keys.publicKey, clientEmail });
    google.busy.set(calendarId, []);
    const unavailable = {
      status: 503,
      body: { error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' } },
    };
    google.failNext('events.insert', unavailable, 10_000);
    google.failNext('events.patch', unavailable, 10_000);
    await setSetting(
      database,
      'google.credentials',
      {
        type: 'service_account',
        client_email: clientEmail,
        private_key: keys.privateKey,
        token_uri: google.tokenUri,
      },
      true,
    );
    await setSetting(database, 'google.api_base', google.url);
    await setSetting(database, 'google.calendar_id', 'bookings@voltaic.systems');
    await setSetting(database, 'google.enabled', true);
    // On a server the settings cache hears of the change a moment later: wait until slots ask the calendar.
    clock.set(new Date());
    const probe = await consultant({ google_calendar_id: calendarId });
    const day = slot(3).toISOString().slice(0, 10);
    const checked = await until(async () => {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/public/consultants/${probe.id}/slots?from=${day}&to=${day}&duration=60&tz=UTC`,
      });
      return res.statusCode === 200 && res.json<{ calendar_checked: boolean }>().calendar_checked;
    });
    expect(checked).toBe(true);
  });

  afterAll(async () => {
    await setSetting(database, 'google.enabled', false);
    await google.close();
  });

  async function waiting() {
    const c = await consultant({ google_calendar_id: calendarId });
    const b = await book(c.id);
    expect(b.meeting_url).toBeNull();
    return { c, b };
  }

  it('waits, then two bookings.confirm jobs send exactly one confirmation with the Meet link', async () => {
    const { c, b } = await waiting();
    expect(await mailsTo(b.email)).toEqual([]);
    expect((await booking(b.id)).confirmation_sent_at).toBeNull();
    // The consultant is told at once, without an invite: their Google Calendar gets the event (and the link).
    const notice = await only(c.email, 'booking_consultant_notice');
    expect(notice.attachments).toBeNull();
    expect(notice.text_body).toContain('folgt im Termin in Ihrem Google Kalender');
    const [fallback] = await jobsFor(CONFIRM_QUEUE, b.id);
    expect(fallback?.state).toBe('created');
    const { rows } = await sql<{ wait: number }>`
      SELECT extract(epoch FROM ${fallback?.start_after ?? null}::timestamptz - now())::int AS wait`.execute(
      database.db,
    );
    expect(rows[0]?.wait).toBeGreaterThan(9 * 60);
    expect(rows[0]?.wait).toBeLessThanOrEqual(10 * 60);

    // What the calendar sync does: store the Meet link, then send the job (here twice, as a race would).
    const meet = 'https://meet.google.com/abc-defg-hij';
    await database.db.updateTable('bookings').set({ meeting_url: meet }).where('id', '=', b.id).execute();
    const jobs = await Promise.all([
      app.jobs.send(CONFIRM_QUEUE, { booking_id: b.id }),
      app.jobs.send(CONFIRM_QUEUE, { booking_id: b.id }),
    ]);
    for (const id of jobs) await finished(id);
    const mail = await only(b.email, 'booking_confirmation');
    expect(mail.text_body).toContain(meet);
    expect(invite(mail, 'REQUEST').event.location).toBe(meet);
    expect((await booking(b.id)).confirmation_sent_at).toEqual(clock.now());
    expect((await booking(b.id)).meeting_url).toBe(meet);
  }, 30_000);

  it('the fallback sends the confirmation with a Jitsi room when no Meet link came', async () => {
    const { b } = await waiting();
    const [fallback] = await sql<{ id: string }>`
      SELECT id FROM pgboss.job WHERE name = ${CONFIRM_QUEUE} AND data->>'booking_id' = ${b.id}`
      .execute(database.db)
      .then((r) => r.rows);
    await due(fallback?.id ?? '');
    await finished(fallback?.id ?? '');
    const stored = (await booking(b.id)).meeting_url;
    expect(stored).toMatch(/^https:\/\/meet\.jit\.si\/Magnetiq-[0-9a-f]{24}$/);
    const mail = await only(b.email, 'booking_confirmation');
    expect(mail.text_body).toContain(stored ?? 'no link');
    // A late Meet job after the fallback sends nothing more.
    await finished(await app.jobs.send(CONFIRM_QUEUE, { booking_id: b.id }));
    expect(await mailsTo(b.email, 'booking_confirmation')).toHaveLength(1);
  }, 30_000);

  it('a booking cancelled before its link came gets no confirmation', async () => {
    const { b } = await waiting();
    await manage('cancel', b.id, {});
    await finished(await app.jobs.send(CONFIRM_QUEUE, { booking_id: b.id }));
    expect(await mailsTo(b.email, 'booking_confirmation')).toEqual([]);
    // No invite went out, so there is none to withdraw, and no link to wait for.
    const cancelled = await only(b.email, 'booking_cancelled');
    expect(cancelled.attachments).toBeNull();
    expect(cancelled.text_body).not.toMatch(/angehängt|Link zum Gespräch/);
    expect(cancelled.text_body).toContain('Einen neuen Termin können Sie jederzeit unter');
    expect((await booking(b.id)).confirmation_sent_at).toBeNull();
  }, 30_000);
});
