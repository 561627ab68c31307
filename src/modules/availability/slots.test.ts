import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FakeGoogleCalendar, serviceAccountKeys } from '../../../test/fakes/google-calendar.ts';
import { useTestApp } from '../../../test/fixture.ts';
import { Factories, WEEKDAYS_NINE_TO_FIVE } from '../../../test/helpers/factories.ts';
import type { Database } from '../../platform/db/connection.ts';
import type { SlotsAnswer } from './schemas.ts';
import { setSetting } from '../../../test/helpers/settings.ts';

const CLIENT_EMAIL = 'magnetiq@voltaic-test.iam.gserviceaccount.com';
const keys = serviceAccountKeys();

let database: Database;
let app: FastifyInstance;
let factories: Factories;
let google: FakeGoogleCalendar;
let authorId: string;
const t = useTestApp({ now: new Date('2026-11-20T00:00:00Z') });
const { clock } = t;

function consultant(overrides: Parameters<Factories['consultant']>[1] = {}) {
  return factories.consultant(authorId, {
    timezone: 'Europe/Berlin',
    working_hours: JSON.stringify(WEEKDAYS_NINE_TO_FIVE),
    holidays: JSON.stringify([]),
    ...overrides,
  });
}

async function slots(id: string, query: string) {
  const res = await app.inject({ method: 'GET', url: `/api/v1/public/consultants/${id}/slots?${query}` });
  return {
    status: res.statusCode,
    body: res.json<SlotsAnswer & { error: { code: string; message: string } }>(),
  };
}

const berlin = (from: string, to = from, duration = 60) =>
  `from=${from}&to=${to}&duration=${duration}&tz=Europe/Berlin`;

beforeAll(async () => {
  database = t.database;
  app = t.app;
  factories = t.factories;
  google = await FakeGoogleCalendar.start({ publicKey: keys.publicKey, clientEmail: CLIENT_EMAIL });
  authorId = (await factories.admin()).id;
});

afterAll(async () => {
  await google.close();
});

describe(`consultant slots on ${t.engine}`, () => {
  it('answers working hours in UTC and in the requested zone, with no sign-in', async () => {
    const c = await consultant();
    const { status, body } = await slots(c.id, berlin('2026-12-01'));
    expect(status).toBe(200);
    expect(body.slots).toHaveLength(15);
    expect(body.slots[0]).toEqual({
      date: '2026-12-01',
      start_utc: '2026-12-01T08:00:00.000Z',
      end_utc: '2026-12-01T09:00:00.000Z',
      start_local: '2026-12-01T09:00:00+01:00',
      end_local: '2026-12-01T10:00:00+01:00',
    });
    expect(body.calendar_checked).toBe(false);
    // Weekends offer nothing; a New York client sees the same instants in its own zone.
    expect((await slots(c.id, berlin('2026-12-05', '2026-12-06'))).body.slots).toEqual([]);
    const ny = await slots(c.id, 'from=2026-12-01&to=2026-12-01&duration=60&tz=America/New_York');
    expect(ny.body.slots[0]?.start_local).toBe('2026-12-01T03:00:00-05:00');
  });

  it('is right across daylight-saving changes and zones', async () => {
    const everyDay = JSON.stringify({
      ...WEEKDAYS_NINE_TO_FIVE,
      sat: WEEKDAYS_NINE_TO_FIVE.mon,
      sun: WEEKDAYS_NINE_TO_FIVE.mon,
    });
    const c = await consultant({ working_hours: everyDay });
    clock.set(new Date('2026-03-01T00:00:00Z'));
    try {
      const spring = await slots(c.id, berlin('2026-03-28', '2026-03-29'));
      const byDay = (d: string) => spring.body.slots.filter((s) => s.date === d);
      expect(byDay('2026-03-28')[0]?.start_utc).toBe('2026-03-28T08:00:00.000Z');
      expect(byDay('2026-03-29')[0]?.start_utc).toBe('2026-03-29T07:00:00.000Z');
      expect(byDay('2026-03-29')[0]?.start_local).toBe('2026-03-29T09:00:00+02:00');
      expect(byDay('2026-03-29')).toHaveLength(15);
      const ny = await consultant({ timezone: 'America/New_York', working_hours: everyDay });
      const march = await slots(ny.id, berlin('2026-03-10'));
      expect(march.body.slots[0]?.start_local).toBe('2026-03-10T14:00:00+01:00');
      clock.set(new Date('2026-10-01T00:00:00Z'));
      const autumn = await slots(c.id, berlin('2026-10-25'));
      expect(autumn.body.slots[0]?.start_utc).toBe('2026-10-25T08:00:00.000Z');
      expect(autumn.body.slots).toHaveLength(15);
      const october = await slots(ny.id, berlin('2026-10-27'));
      expect(october.body.slots[0]?.start_local).toBe('2026-10-27T14:00:00+01:00');
      expect(october.body.slots.at(-1)?.end_local).toBe('2026-10-27T22:00:00+01:00');
      clock.set(new Date('2026-11-20T00:00:00Z'));
      const december = await slots(ny.id, berlin('2026-12-01'));
      expect(december.body.slots[0]?.start_local).toBe('2026-12-01T15:00:00+01:00');
      expect(december.body.slots.at(-1)?.end_local).toBe('2026-12-01T23:00:00+01:00');
    } finally {
      clock.set(new Date('2026-11-20T00:00:00Z'));
    }
  });

  it('leaves out holidays, and confirmed bookings widened by the buffer', async () => {
    const c = await consultant({
      holidays: JSON.stringify([{ from: '2026-12-02', to: '2026-12-02', note: 'x' }]),
    });
    await factories.booking(c.id, { datetime: new Date('2026-12-01T09:00:00Z'), duration: 60 });
    // Neither a cancelled nor a deleted booking blocks.
    await factories.booking(c.id, {
      datetime: new Date('2026-12-01T13:00:00Z'),
      duration: 60,
      status: 'cancelled',
    });
    await factories.booking(c.id, {
      datetime: new Date('2026-12-01T14:00:00Z'),
      duration: 60,
      deleted_at: new Date(),
    });
    const { body } = await slots(c.id, berlin('2026-12-01', '2026-12-02'));
    expect(body.slots.map((s) => s.date)).not.toContain('2026-12-02');
    // Busy 08:45Z–10:15Z (buffer 15): the first start is 10:30Z, then every 30 minutes to 15:00Z.
    expect(body.slots[0]?.start_utc).toBe('2026-12-01T10:30:00.000Z');
    expect(body.slots).toHaveLength(10);
  });

  it('applies minimum notice, horizon, slot interval and the per-day limit from the settings', async () => {
    const c = await consultant();
    clock.set(new Date('2026-11-30T10:10:00Z'));
    try {
      const notice = await slots(c.id, berlin('2026-12-01'));
      expect(notice.body.slots[0]?.start_utc).toBe('2026-12-01T10:30:00.000Z');
      await setSetting(database, 'booking.horizon_days', 2);
      // On a server the settings cache drops its copy on NOTIFY, a few milliseconds later.
      await vi.waitFor(async () => {
        const horizon = await slots(c.id, berlin('2026-12-01', '2026-12-02'));
        expect(new Set(horizon.body.slots.map((s) => s.date))).toEqual(new Set(['2026-12-01', '2026-12-02']));
        expect(horizon.body.slots.at(-1)?.start_utc).toBe('2026-12-02T10:00:00.000Z');
      });
      const tooLong = await slots(c.id, berlin('2026-12-01', '2026-12-03'));
      expect([tooLong.status, tooLong.body.error.code]).toEqual([400, 'availability.range_too_long']);
      await setSetting(database, 'booking.horizon_days', 60);
      await setSetting(database, 'booking.slot_interval_minutes', 60);
      await vi.waitFor(async () => {
        expect((await slots(c.id, berlin('2026-12-03'))).body.slots).toHaveLength(8);
      });
      await setSetting(database, 'booking.max_per_day', 1);
      await factories.booking(c.id, { datetime: new Date('2026-12-03T15:00:00Z'), duration: 30 });
      await vi.waitFor(async () => {
        expect((await slots(c.id, berlin('2026-12-03'))).body.slots).toEqual([]);
      });
      expect((await slots(c.id, berlin('2026-12-04'))).body.slots).toHaveLength(8);
    } finally {
      await setSetting(database, 'booking.horizon_days', 60);
      await setSetting(database, 'booking.slot_interval_minutes', 30);
      await setSetting(database, 'booking.max_per_day', 8);
      clock.set(new Date('2026-11-20T00:00:00Z'));
    }
  });

  it('refuses bad queries, unknown or deleted consultants and those not taking bookings', async () => {
    const c = await consultant();
    const bad = [
      [berlin('2026-12-02', '2026-12-01'), 'availability.invalid_range'],
      [berlin('2026-02-30'), 'availability.invalid_range'],
      ['from=2026-12-01&to=2026-12-01&duration=60&tz=Mars/Olympus', 'availability.invalid_timezone'],
      [berlin('2026-12-01', '2026-12-01', 45), 'validation.failed'],
      ['from=2026-12-01&duration=60&tz=Europe/Berlin', 'validation.failed'],
      [berlin('2026-12-01', '2027-03-01'), 'availability.range_too_long'],
    ] as const;
    for (const [query, code] of bad) {
      const res = await slots(c.id, query);
      expect([res.status, res.body.error.code], query).toEqual([400, code]);
    }
    const gone = await consultant({ deleted_at: new Date() });
    const closed = await consultant({ is_accepting_bookings: false });
    expect((await slots(gone.id, berlin('2026-12-01'))).status).toBe(404);
    expect((await slots('00000000-0000-4000-8000-000000000000', berlin('2026-12-01'))).body.error.code).toBe(
      'availability.consultant_not_found',
    );
    const refused = await slots(closed.id, berlin('2026-12-01'));
    expect([refused.status, refused.body.error.code]).toEqual([409, 'availability.not_accepting']);
  });

  describe('with Google Calendar connected', () => {
    const CALENDAR = 'grace@voltaic.systems';

    beforeAll(async () => {
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
      google.busy.set(CALENDAR, [{ start: '2026-12-01T12:00:00Z', end: '2026-12-01T16:00:00Z' }]);
    });

    afterAll(async () => {
      await setSetting(database, 'google.enabled', false);
    });

    it('leaves out busy times', async () => {
      const c = await consultant({ google_calendar_id: CALENDAR });
      const { status, body } = await slots(c.id, berlin('2026-12-01'));
      expect(status).toBe(200);
      expect(body.calendar_checked).toBe(true);
      expect(body.slots.map((s) => s.start_utc)).toEqual([
        '2026-12-01T08:00:00.000Z',
        '2026-12-01T08:30:00.000Z',
        '2026-12-01T09:00:00.000Z',
        '2026-12-01T09:30:00.000Z',
        '2026-12-01T10:00:00.000Z',
        '2026-12-01T10:30:00.000Z',
        '2026-12-01T11:00:00.000Z',
      ]);
      // A consultant without a calendar is not asked about.
      const plain = await consultant();
      expect((await slots(plain.id, berlin('2026-12-01'))).body.calendar_checked).toBe(false);
    });

    it('offers nothing, with a clear error, when the calendar cannot be read', async () => {
      // A calendar Google does not know is no "all free".
      const unknown = await consultant({ google_calendar_id: 'nobody@voltaic.systems' });
      const missing = await slots(unknown.id, berlin('2026-12-01'));
      expect([missing.status, missing.body.error.code]).toEqual([503, 'availability.calendar_unavailable']);
      // Google down (every attempt fails).
      const c = await consultant({ google_calendar_id: CALENDAR });
      google.failNext(
        'freeBusy.query',
        { status: 500, body: { error: { code: 500, message: 'Backend Error', status: 'INTERNAL' } } },
        6,
      );
      const down = await slots(c.id, berlin('2026-12-01'));
      expect([down.status, down.body.error.code]).toEqual([503, 'availability.calendar_unavailable']);
      expect(down.body.slots).toBeUndefined();
      const de = await app.inject({
        method: 'GET',
        url: `/api/v1/public/consultants/${c.id}/slots?${berlin('2026-12-01')}`,
        headers: { 'accept-language': 'de' },
      });
      expect(de.statusCode).toBe(503);
      expect(de.json<{ error: { message: string } }>().error.message).toContain('Kalender');
    });
  });
});
