import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGoogleCalendar, serviceAccountKeys } from '../../../test/fakes/google-calendar.ts';
import { useTestApp } from '../../../test/fixture.ts';
import { Factories, WEEKDAYS_NINE_TO_FIVE } from '../../../test/helpers/factories.ts';
import type { Database } from '../../platform/db/connection.ts';
import { integrationConfigs } from '../../platform/integrations/config.ts';
import { eventIdFor } from '../../platform/integrations/google-calendar.ts';
import { SettingsService } from '../settings/service.ts';
import { CALENDAR_SWEEP_QUEUE, CALENDAR_SYNC_QUEUE, CalendarSync } from './calendar-sync.ts';
import { CONFIRM_QUEUE } from './notifications.ts';
import { manageToken } from './links.ts';
import type { BookingAnswer } from './schemas.ts';
import { setSetting } from '../../../test/helpers/settings.ts';

const SECRET = 'test-secret-that-is-at-least-32-characters';
const CLIENT_EMAIL = 'magnetiq@voltaic-test.iam.gserviceaccount.com';
const CALENDAR = 'grace@voltaic.systems';
const keys = serviceAccountKeys();
const UNAVAILABLE = {
  status: 503,
  body: { error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' } },
};

let database: Database;
let app: FastifyInstance;
let factories: Factories;
let google: FakeGoogleCalendar;
let settings: SettingsService;
let authorId: string;
const t = useTestApp({ now: new Date('2026-11-20T00:00:00Z') });
const { clock } = t;

function consultant(calendar: string | null = CALENDAR) {
  return factories.consultant(authorId, {
    timezone: 'Europe/Berlin',
    working_hours: JSON.stringify(WEEKDAYS_NINE_TO_FIVE),
    holidays: JSON.stringify([]),
    google_calendar_id: calendar,
  });
}

async function book(consultantId: string, overrides: Record<string, unknown> = {}) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/public/bookings',
    payload: {
      consultant_id: consultantId,
      start: '2026-12-01T08:00:00.000Z',
      duration: 60,
      meeting_type: 'video',
      client_first_name: 'Ada',
      client_last_name: 'Lovelace',
      client_email: 'ada@example.com',
      client_company: 'Analytical Engines Ltd',
      language: 'en',
      privacy_consent: true,
      timezone: 'Europe/Berlin',
      ...overrides,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<BookingAnswer>();
}

function manage(action: 'cancel' | 'reschedule', bookingId: string, body: Record<string, unknown> = {}) {
  return app.inject({
    method: 'POST',
    url: `/api/v1/public/bookings/manage/${action}`,
    payload: { token: manageToken(SECRET, bookingId), ...body },
  });
}

function row(id: string) {
  return database.db.selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** Polls until `check` answers something truthy (jobs run every half second in tests). */
async function until<T>(check: () => Promise<T>, what: string, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function synced(id: string, sequence: number) {
  return until(async () => {
    const b = await row(id);
    return b.calendar_synced_sequence === sequence ? b : null;
  }, `booking ${id} synced at sequence ${sequence}`);
}

function eventsOf(bookingId: string) {
  return google
    .eventsOf(CALENDAR)
    .filter(
      (e) =>
        (e.extendedProperties as { private?: Record<string, string> } | undefined)?.private
          ?.magnetiq_booking_id === bookingId,
    );
}

async function jobsOf(queue: string, bookingId: string) {
  const { rows } = await sql<{ state: string; retry_count: number; delayed: boolean }>`
    SELECT state::text AS state, retry_count, start_after > created_on + interval '1 minute' AS delayed
    FROM pgboss.job WHERE name = ${queue} AND data->>'booking_id' = ${bookingId}`.execute(database.db);
  return rows;
}

async function logsOf(bookingId: string) {
  return database.db
    .selectFrom('integration_logs')
    .select(['operation', 'status', 'attempt', 'error_code'])
    .where('related_table', '=', 'bookings')
    .where('related_id', '=', bookingId)
    .orderBy('started_at')
    .execute();
}

/** Runs the sweep now (as its schedule would) and waits for it to finish. */
async function sweep(): Promise<void> {
  const id = await app.jobs.send(CALENDAR_SWEEP_QUEUE, {});
  await until(async () => {
    const { rows } = await sql<{ state: string }>`
      SELECT state::text AS state FROM pgboss.job WHERE id = ${id}`.execute(database.db);
    if (rows[0]?.state === 'failed') throw new Error('the sweep failed');
    return rows[0]?.state === 'completed';
  }, 'the sweep');
}

beforeAll(async () => {
  database = t.database;
  factories = Factories.for(database);
  google = await FakeGoogleCalendar.start({ publicKey: keys.publicKey, clientEmail: CLIENT_EMAIL });
  google.busy.set(CALENDAR, []);
  app = t.app;
  authorId = (await factories.admin()).id;
  await setSetting(database, 'google.enabled', true);
  await setSetting(database, 'google.calendar_id', 'bookings@voltaic.systems');
  await setSetting(
    database,
    'google.credentials',
    {
      type: 'service_account',
      client_email: CLIENT_EMAIL,
      private_key: keys.privateKey,
      token_uri: google.tokenUri,
    },
    true,
  );
  await setSetting(database, 'google.api_base', google.url);
  settings = new SettingsService({ database, appSecret: SECRET });
  await settings.start();
});

afterAll(async () => {
  await settings.stop();
  await google.close();
});

describe(`Google Calendar sync of bookings on ${t.engine}`, () => {
  it('creates exactly one event for a booking, stores its Meet link and confirms with it', async () => {
    const c = await consultant();
    const booking = await book(c.id);
    // With the calendar connected the video link is Google's to give: none yet in the answer.
    expect(booking.meeting_url).toBeNull();
    const b = await synced(booking.id, 0);
    expect(b.google_calendar_event_id).toBe(eventIdFor(booking.id));
    const events = eventsOf(booking.id);
    expect(events).toHaveLength(1);
    const event = events[0];
    expect(event).toMatchObject({
      id: eventIdFor(booking.id),
      status: 'confirmed',
      start: { dateTime: '2026-12-01T08:00:00.000Z', timeZone: 'Europe/Berlin' },
      end: { dateTime: '2026-12-01T09:00:00.000Z', timeZone: 'Europe/Berlin' },
      attendees: [{ email: 'ada@example.com', displayName: 'Ada Lovelace' }],
    });
    expect(event?.summary).toContain(booking.reference);
    expect(event?.summary).toContain('Ada Lovelace');
    expect(event?.description).toContain(`Reference: ${booking.reference}`);
    // Google's conference link became the booking's link, and the event's text names it too.
    expect(event?.hangoutLink).toMatch(/^https:\/\/meet\.google\.com\//);
    const linked = await until(async () => (await row(booking.id)).meeting_url, 'the meeting link');
    expect(linked).toBe(event?.hangoutLink);
    expect(event?.description).toContain(linked);
    // Google sends no invitation of its own: the client's mails are ours.
    expect(google.callsOf('events.insert')[0]?.query.get('sendUpdates')).toBe('none');
    // The confirmation job goes out at once (beside the delayed fallback), and its mail carries the Meet link.
    const confirms = await jobsOf(CONFIRM_QUEUE, booking.id);
    expect(confirms.filter((j) => !j.delayed)).toHaveLength(1);
    const mail = await until(
      () =>
        database.db
          .selectFrom('mail_outbox')
          .select('text_body')
          .where('recipient', '=', 'ada@example.com')
          .where('template', '=', 'booking_confirmation')
          .where('text_body', 'like', `%${linked}%`)
          .executeTakeFirst(),
      'the confirmation with the Meet link',
    );
    expect(mail.text_body).toContain(linked);

    // Syncing again changes nothing: no second event, no second confirmation.
    const inserts = google.callsOf('events.insert').length;
    await app.jobs.send(CALENDAR_SYNC_QUEUE, { booking_id: booking.id });
    await sweep();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(google.callsOf('events.insert')).toHaveLength(inserts);
    expect(eventsOf(booking.id)).toHaveLength(1);
    expect((await jobsOf(CONFIRM_QUEUE, booking.id)).filter((j) => !j.delayed)).toHaveLength(1);
  });

  it('asks for no conference when the meeting is not a video call, and leaves unconnected consultants alone', async () => {
    const c = await consultant();
    const phone = await book(c.id, { meeting_type: 'phone', start: '2026-12-02T08:00:00.000Z' });
    await synced(phone.id, 0);
    const [event] = eventsOf(phone.id);
    expect(event?.hangoutLink).toBeUndefined();
    expect((await row(phone.id)).meeting_url).toBeNull();
    expect(await jobsOf(CONFIRM_QUEUE, phone.id)).toEqual([]);

    const plain = await consultant(null);
    const jitsi = await book(plain.id);
    expect(jitsi.meeting_url).toMatch(/^https:\/\/meet\.jit\.si\//);
    expect(await jobsOf(CALENDAR_SYNC_QUEUE, jitsi.id)).toEqual([]);
    expect((await row(jitsi.id)).calendar_synced_sequence).toBeNull();
  });

  it('moves the event with a reschedule and deletes it with a cancellation', async () => {
    const c = await consultant();
    const booking = await book(c.id, { start: '2026-12-03T08:00:00.000Z' });
    await synced(booking.id, 0);
    const moved = await manage('reschedule', booking.id, { start: '2026-12-04T13:00:00.000Z' });
    expect(moved.statusCode, moved.body).toBe(200);
    await synced(booking.id, 1);
    const events = eventsOf(booking.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      id: eventIdFor(booking.id),
      status: 'confirmed',
      start: { dateTime: '2026-12-04T13:00:00.000Z' },
      end: { dateTime: '2026-12-04T14:00:00.000Z' },
    });
    expect(google.callsOf('events.patch').some((call) => call.path.endsWith(eventIdFor(booking.id)))).toBe(
      true,
    );
    // Half an hour later, overlapping its own event: Google's busy time for that event does not block it.
    const nudged = await manage('reschedule', booking.id, { start: '2026-12-04T13:30:00.000Z' });
    expect(nudged.statusCode, nudged.body).toBe(200);
    await synced(booking.id, 2);
    expect(eventsOf(booking.id)[0]).toMatchObject({ start: { dateTime: '2026-12-04T13:30:00.000Z' } });

    const cancelled = await manage('cancel', booking.id);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await synced(booking.id, 3);
    expect(eventsOf(booking.id).map((e) => e.status)).toEqual(['cancelled']);
    expect(
      google.callsOf('events.delete').filter((call) => call.path.endsWith(eventIdFor(booking.id))),
    ).toHaveLength(1);
  });

  it('keeps a booking made while Google takes no events, and creates the event by retry once it is back', async () => {
    const c = await consultant();
    // Two whole job attempts fail (each tries three times), the third job attempt gets through.
    google.failNext('events.insert', UNAVAILABLE, 6);
    const booking = await book(c.id, { start: '2026-12-07T08:00:00.000Z' });
    expect((await row(booking.id)).status).toBe('confirmed');
    await synced(booking.id, 0);
    const logs = await logsOf(booking.id);
    const failed = logs.filter((l) => l.operation === 'events.insert' && l.status === 'error');
    expect(failed).toHaveLength(6);
    expect(failed.every((l) => l.error_code === 'UNAVAILABLE' || l.error_code === 'http_503')).toBe(true);
    expect(logs.filter((l) => l.operation === 'events.insert' && l.status === 'success')).toHaveLength(1);
    const [job] = await jobsOf(CALENDAR_SYNC_QUEUE, booking.id);
    expect(job).toMatchObject({ state: 'completed', retry_count: 2 });
    expect(eventsOf(booking.id)).toHaveLength(1);
    expect((await row(booking.id)).meeting_url).toBe(eventsOf(booking.id)[0]?.hangoutLink);
  });

  it('waits for a Meet link Google is still creating, and corrects an earlier attempt’s event', async () => {
    const c = await consultant();
    google.pendingConferences = 1;
    const booking = await book(c.id, { start: '2026-12-14T08:00:00.000Z' });
    // The first attempt gets no link yet and fails; the retry finds the event (409, then a read) with its link.
    const b = await synced(booking.id, 0);
    expect(google.pendingConferences).toBe(0);
    expect(b.meeting_url).toBe(eventsOf(booking.id)[0]?.hangoutLink);
    expect(b.meeting_url).toMatch(/^https:\/\/meet\.google\.com\//);
    expect(eventsOf(booking.id)).toHaveLength(1);
    const [job] = await jobsOf(CALENDAR_SYNC_QUEUE, booking.id);
    expect(job).toMatchObject({ state: 'completed', retry_count: 1 });

    // An insert that landed but whose id was never stored, and a booking moved since: the event follows.
    const moved = await factories.booking(c.id, {
      datetime: new Date('2026-12-15T09:00:00Z'),
      meeting_type: 'phone',
    });
    await app.jobs.send(CALENDAR_SYNC_QUEUE, { booking_id: moved.id });
    await synced(moved.id, 0);
    await database.db
      .updateTable('bookings')
      .set({ google_calendar_event_id: null, datetime: new Date('2026-12-16T10:00:00Z'), sequence: 1 })
      .where('id', '=', moved.id)
      .execute();
    await app.jobs.send(CALENDAR_SYNC_QUEUE, { booking_id: moved.id });
    await synced(moved.id, 1);
    expect(eventsOf(moved.id)).toHaveLength(1);
    expect(eventsOf(moved.id)[0]).toMatchObject({
      start: { dateTime: '2026-12-16T10:00:00.000Z' },
      end: { dateTime: '2026-12-16T11:00:00.000Z' },
    });
    expect((await row(moved.id)).google_calendar_event_id).toBe(eventIdFor(moved.id));
  });

  it('syncs through the sweep what no job is left for, and skips what needs nothing', async () => {
    const c = await consultant();
    // As a booking whose sync jobs were all used up (or made before the calendar was connected).
    const owed = await factories.booking(c.id, {
      datetime: new Date('2026-12-08T09:00:00Z'),
      meeting_type: 'phone',
    });
    // Cancelled before any event was made: marked synced, without a call.
    const cancelledEarly = await factories.booking(c.id, {
      datetime: new Date('2026-12-08T12:00:00Z'),
      status: 'cancelled',
      sequence: 1,
    });
    // Over for more than a day: left alone.
    const old = await factories.booking(c.id, { datetime: new Date('2026-11-17T09:00:00Z') });
    // A consultant without a calendar: left alone.
    const unconnected = await factories.booking((await consultant(null)).id, {
      datetime: new Date('2026-12-08T09:00:00Z'),
    });
    // A sync still waiting: no second job for it.
    const waiting = await factories.booking(c.id, { datetime: new Date('2026-12-09T09:00:00Z') });
    await app.jobs.send(CALENDAR_SYNC_QUEUE, { booking_id: waiting.id }, { startAfter: 3_600 });

    await sweep();
    await synced(owed.id, 0);
    expect(eventsOf(owed.id)).toHaveLength(1);
    expect(eventsOf(owed.id)[0]).toMatchObject({ start: { dateTime: '2026-12-08T09:00:00.000Z' } });
    expect((await row(cancelledEarly.id)).calendar_synced_sequence).toBe(1);
    expect(await logsOf(cancelledEarly.id)).toEqual([]);
    expect(await jobsOf(CALENDAR_SYNC_QUEUE, cancelledEarly.id)).toEqual([]);
    expect((await row(old.id)).calendar_synced_sequence).toBeNull();
    expect(await jobsOf(CALENDAR_SYNC_QUEUE, old.id)).toEqual([]);
    expect(await jobsOf(CALENDAR_SYNC_QUEUE, unconnected.id)).toEqual([]);
    expect(await jobsOf(CALENDAR_SYNC_QUEUE, waiting.id)).toHaveLength(1);
  });

  it('makes one event of concurrent syncs, and deletes an event whose insert finished after the cancellation', async () => {
    const c = await consultant();
    const sync = new CalendarSync({
      db: database.db,
      settings,
      configs: integrationConfigs((key) => settings.get(key)),
      jobs: app.jobs,
      clock: clock.now,
      queues: {
        confirm: { send: (data, options) => app.jobs.send(CONFIRM_QUEUE, data, options) },
        sync: { send: (data, options) => app.jobs.send(CALENDAR_SYNC_QUEUE, data, options) },
      },
    });
    const booking = await factories.booking(c.id, {
      datetime: new Date('2026-12-10T09:00:00Z'),
      meeting_type: 'video',
    });
    await Promise.all([sync.sync(booking.id), sync.sync(booking.id), sync.sync(booking.id)]);
    expect(eventsOf(booking.id)).toHaveLength(1);
    expect((await row(booking.id)).calendar_synced_sequence).toBe(0);
    expect((await jobsOf(CONFIRM_QUEUE, booking.id)).filter((j) => !j.delayed)).toHaveLength(1);

    // The insert reaches Google only after the cancellation's own job has run (and found no event to delete).
    const late = await factories.booking(c.id, {
      datetime: new Date('2026-12-11T09:00:00Z'),
      meeting_type: 'phone',
    });
    google.delayNext('events.insert', 4_000, { when: 'before' });
    const running = sync.sync(late.id);
    await until(
      () => Promise.resolve(google.callsOf('events.insert').some((call) => call.raw.includes(late.id))),
      'the insert',
    );
    expect((await manage('cancel', late.id)).statusCode).toBe(200);
    // The cancellation's job marks it synced: no event yet, no insert logged yet.
    await synced(late.id, 1);
    expect(eventsOf(late.id)).toEqual([]);
    await running;
    expect(eventsOf(late.id).map((e) => e.status)).toEqual(['cancelled']);
    expect(await row(late.id)).toMatchObject({
      calendar_synced_sequence: 1,
      google_calendar_event_id: eventIdFor(late.id),
    });
  });
});
