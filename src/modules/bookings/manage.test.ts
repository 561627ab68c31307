import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { useTestApp } from '../../../test/fixture.ts';
import { Factories, WEEKDAYS_NINE_TO_FIVE } from '../../../test/helpers/factories.ts';
import type { Database } from '../../platform/db/connection.ts';
import { feedbackToken, manageToken } from './links.ts';
import type { BookingAnswer } from './schemas.ts';
import { setSetting } from '../../../test/helpers/settings.ts';

const SECRET = 'test-secret-that-is-at-least-32-characters';
const NOW = new Date('2026-11-20T00:00:00Z');
// 09:00 in Berlin on Tuesday 1 December 2026; the cut-off (24 h) is the day before at the same time.
const START = '2026-12-01T08:00:00.000Z';
const DEADLINE = '2026-11-30T08:00:00.000Z';
/** The deadline as the error message names it, in the client's zone. */
const DEADLINE_LOCAL = '2026-11-30 09:00 (Europe/Berlin)';

let database: Database;
let app: FastifyInstance;
let factories: Factories;
let authorId: string;
const t = useTestApp({ now: NOW, env: { PUBLIC_URL: 'https://voltaic.example' } });
const { clock } = t;

interface ErrorAnswer {
  error: { code: string; message: string };
}

interface View {
  reference: string;
  status: string;
  consultant: Record<string, unknown>;
  start: string;
  end: string;
  start_local: string;
  end_local: string;
  duration: number;
  timezone: string;
  meeting_type: string;
  meeting_url: string | null;
  language: string;
  client_first_name: string;
  client_last_name: string;
  client_email: string;
  can_change: boolean;
  change_deadline: string;
  cancelled_at: string | null;
  cancelled_by: string | null;
}

type Answer<T> = T & ErrorAnswer;

function consultant() {
  return factories.consultant(authorId, {
    title: 'Dr.',
    phone: '+49 30 1234567',
    timezone: 'Europe/Berlin',
    working_hours: JSON.stringify(WEEKDAYS_NINE_TO_FIVE),
    holidays: JSON.stringify([]),
  });
}

/** Books through the public API, as a client does; answers the booking and its manage token. */
async function book(consultantId: string, overrides: Record<string, unknown> = {}) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/public/bookings',
    payload: {
      consultant_id: consultantId,
      start: START,
      duration: 60,
      meeting_type: 'video',
      client_first_name: 'Ada',
      client_last_name: 'Lovelace',
      client_email: 'ada@example.com',
      language: 'en',
      privacy_consent: true,
      timezone: 'Europe/Berlin',
      ...overrides,
    },
  });
  expect(res.statusCode).toBe(201);
  const booking = res.json<BookingAnswer>();
  const token = new URL(booking.manage_url).searchParams.get('token');
  if (!token) throw new Error('manage_url without token');
  return { booking, token };
}

async function view(token: string) {
  const res = await app.inject({
    method: 'GET',
    url: `/api/v1/public/bookings/manage?token=${encodeURIComponent(token)}`,
  });
  return { status: res.statusCode, body: res.json<Answer<View>>(), headers: res.headers };
}

async function post<T = View>(path: string, payload: object) {
  const res = await app.inject({ method: 'POST', url: `/api/v1/public/bookings/${path}`, payload });
  return { status: res.statusCode, body: res.json<Answer<T>>(), headers: res.headers };
}

async function offered(consultantId: string, day: string, duration = 60): Promise<string[]> {
  const res = await app.inject({
    method: 'GET',
    url: `/api/v1/public/consultants/${consultantId}/slots?from=${day}&to=${day}&duration=${String(duration)}&tz=UTC`,
  });
  expect(res.statusCode).toBe(200);
  return res.json<{ slots: { start_utc: string }[] }>().slots.map((s) => s.start_utc);
}

async function row(id: string) {
  return database.db.selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** Staff would mark the meeting completed; only the feedback route is under test here. */
async function complete(id: string) {
  await sql`UPDATE bookings SET status = 'completed' WHERE id = ${id}`.execute(database.db);
}

beforeAll(async () => {
  database = t.database;
  factories = Factories.for(database);
  app = t.app;
  authorId = (await factories.admin()).id;
});

afterEach(() => {
  clock.set(NOW);
});

describe(`the client's manage link on ${t.engine}`, () => {
  it('shows the booking in its own zone, with the consultant named but not their contact data', async () => {
    const c = await consultant();
    const { booking, token } = await book(c.id, { timezone: 'America/New_York' });
    const { status, body, headers } = await view(token);
    expect(status).toBe(200);
    expect(headers['cache-control']).toBe('no-store');
    expect(body).toEqual({
      reference: booking.reference,
      status: 'confirmed',
      consultant: { id: c.id, first_name: 'Grace', last_name: 'Hopper', title: 'Dr.' },
      start: START,
      end: '2026-12-01T09:00:00.000Z',
      start_local: '2026-12-01T03:00:00-05:00',
      end_local: '2026-12-01T04:00:00-05:00',
      duration: 60,
      timezone: 'America/New_York',
      meeting_type: 'video',
      meeting_url: booking.meeting_url,
      language: 'en',
      client_first_name: 'Ada',
      client_last_name: 'Lovelace',
      client_email: 'ada@example.com',
      can_change: true,
      change_deadline: DEADLINE,
      cancelled_at: null,
      cancelled_by: null,
    });
    expect(body.meeting_url).toMatch(/^https:\/\/meet\.jit\.si\//);
    const text = JSON.stringify(body);
    expect(text).not.toContain(c.email);
    expect(text).not.toContain('1234567');

    // Berlin in winter: +01:00.
    const berlin = await book(c.id, { start: '2026-12-02T08:00:00.000Z' });
    expect((await view(berlin.token)).body.start_local).toBe('2026-12-02T09:00:00+01:00');
  });

  it('answers 404 bookings.invalid_link to any token that is not this booking’s manage token', async () => {
    const c = await consultant();
    const { booking, token } = await book(c.id);
    const other = await book(c.id, { start: '2026-12-02T08:00:00.000Z' });
    const signature = token.slice(token.indexOf('.') + 1);
    const last = signature.at(-1) === 'A' ? 'B' : 'A';
    const tampered = [
      `${booking.id}.${signature.slice(0, -1)}${last}`,
      `${other.booking.id}.${signature}`,
      'garbage',
      `${booking.id}.`,
      `not-a-uuid.${signature}`,
      feedbackToken(SECRET, booking.id),
      // Signed with another secret.
      manageToken('another-secret-that-is-at-least-32-chars', booking.id),
    ];
    for (const bad of tampered) {
      const res = await view(bad);
      expect(res.status, bad).toBe(404);
      expect(res.body.error.code).toBe('bookings.invalid_link');
    }
    const cancel = await post('manage/cancel', { token: tampered[0] });
    expect(cancel.status).toBe(404);
    expect(cancel.body.error.code).toBe('bookings.invalid_link');
    const move = await post('manage/reschedule', { token: tampered[1], start: '2026-12-03T08:00:00.000Z' });
    expect(move.status).toBe(404);
    // Nothing changed by the refused attempts.
    expect((await row(booking.id)).status).toBe('confirmed');
    expect((await row(other.booking.id)).datetime.toISOString()).toBe('2026-12-02T08:00:00.000Z');
    // A booking deleted since is gone from its link too.
    await database.db
      .updateTable('bookings')
      .set({ deleted_at: NOW })
      .where('id', '=', other.booking.id)
      .execute();
    expect((await view(other.token)).status).toBe(404);
  });

  it('cancels: cancelled by the client with the reason, sequence 1, the slot offered again', async () => {
    const c = await consultant();
    const { booking, token } = await book(c.id);
    expect(await offered(c.id, '2026-12-01')).not.toContain(START);
    clock.set(new Date('2026-11-25T12:00:00Z'));
    const res = await post('manage/cancel', { token, reason: 'Something came up' });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({
      reference: booking.reference,
      status: 'cancelled',
      cancelled_by: 'client',
      cancelled_at: '2026-11-25T12:00:00.000Z',
      can_change: false,
      meeting_url: null,
    });
    const stored = await row(booking.id);
    expect(stored).toMatchObject({
      status: 'cancelled',
      cancelled_by: 'client',
      cancellation_reason: 'Something came up',
      sequence: 1,
    });
    expect(await offered(c.id, '2026-12-01')).toContain(START);
    expect((await view(token)).body.status).toBe('cancelled');

    const again = await post('manage/cancel', { token });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('bookings.not_confirmed');
    expect((await row(booking.id)).sequence).toBe(1);
    const move = await post('manage/reschedule', { token, start: '2026-12-02T08:00:00.000Z' });
    expect(move.body.error.code).toBe('bookings.not_confirmed');
  });

  it('refuses changes from the cut-off on with 409 bookings.cutoff_passed naming the deadline', async () => {
    const c = await consultant();
    const { booking, token } = await book(c.id);
    clock.set(new Date(new Date(DEADLINE).getTime() - 1_000));
    expect((await view(token)).body).toMatchObject({ can_change: true, change_deadline: DEADLINE });

    clock.set(new Date(DEADLINE));
    expect((await view(token)).body).toMatchObject({ can_change: false, status: 'confirmed' });
    const cancel = await post('manage/cancel', { token });
    expect(cancel.status).toBe(409);
    expect(cancel.body.error.code).toBe('bookings.cutoff_passed');
    expect(cancel.body.error.message).toContain(DEADLINE_LOCAL);
    const move = await post('manage/reschedule', { token, start: '2026-12-03T08:00:00.000Z' });
    expect(move.status).toBe(409);
    expect(move.body.error.code).toBe('bookings.cutoff_passed');
    expect(move.body.error.message).toContain(DEADLINE_LOCAL);
    expect(await row(booking.id)).toMatchObject({ status: 'confirmed', sequence: 0 });

    // A shorter cut-off from the settings moves the deadline.
    await setSetting(database, 'booking.cancellation_cutoff_hours', 2);
    try {
      // On a server the settings cache drops its copy on NOTIFY, a few milliseconds later.
      await vi.waitFor(async () => {
        expect((await view(token)).body.change_deadline).toBe('2026-12-01T06:00:00.000Z');
      });
      const late = await post('manage/cancel', { token });
      expect(late.status).toBe(200);
      expect(late.body.status).toBe('cancelled');
    } finally {
      await setSetting(database, 'booking.cancellation_cutoff_hours', 24);
      await vi.waitFor(async () => {
        expect((await view(token)).body.change_deadline).toBe(DEADLINE);
      });
    }
  });

  it('moves a booking to a free offered slot: new start, sequence grows, old slot free, new one taken', async () => {
    const c = await consultant();
    const { booking, token } = await book(c.id);
    const to = '2026-12-02T10:00:00.000Z';
    expect(await offered(c.id, '2026-12-02')).toContain(to);
    const res = await post('manage/reschedule', { token, start: to });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({
      reference: booking.reference,
      status: 'confirmed',
      start: to,
      end: '2026-12-02T11:00:00.000Z',
      start_local: '2026-12-02T11:00:00+01:00',
      duration: 60,
      can_change: true,
      change_deadline: '2026-12-01T10:00:00.000Z',
      meeting_url: booking.meeting_url,
    });
    expect((await row(booking.id)).sequence).toBe(1);
    expect(await offered(c.id, '2026-12-01')).toContain(START);
    expect(await offered(c.id, '2026-12-02')).not.toContain(to);

    const back = await post('manage/reschedule', { token, start: START });
    expect(back.status).toBe(200);
    expect((await row(booking.id)).sequence).toBe(2);
  });

  it('moves a booking onto a time overlapping its own old one', async () => {
    const c = await consultant();
    const { booking, token } = await book(c.id);
    const later = '2026-12-01T08:30:00.000Z';
    const res = await post('manage/reschedule', { token, start: later });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ start: later, end: '2026-12-01T09:30:00.000Z' });
    expect((await row(booking.id)).datetime.toISOString()).toBe(later);
  });

  it('refuses a taken, a never offered and the same time', async () => {
    const c = await consultant();
    const first = await book(c.id);
    const second = await book(c.id, { start: '2026-12-01T12:00:00.000Z' });

    const taken = await post('manage/reschedule', { token: second.token, start: START });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('bookings.slot_taken');
    const overlapping = await post('manage/reschedule', {
      token: second.token,
      start: '2026-12-01T07:30:00.000Z',
    });
    expect(overlapping.body.error.code).toBe('bookings.slot_taken');

    for (const never of [
      '2026-12-01T02:00:00.000Z',
      '2026-12-01T12:07:00.000Z',
      '2026-12-05T09:00:00.000Z',
    ]) {
      const res = await post('manage/reschedule', { token: second.token, start: never });
      expect(res.status, never).toBe(409);
      expect(res.body.error.code).toBe('bookings.slot_unavailable');
    }

    const same = await post('manage/reschedule', { token: first.token, start: START });
    expect(same.status).toBe(409);
    expect(same.body.error.code).toBe('bookings.same_time');
    expect(await row(first.booking.id)).toMatchObject({ sequence: 0, status: 'confirmed' });
    expect((await row(second.booking.id)).datetime.toISOString()).toBe('2026-12-01T12:00:00.000Z');
  });

  it('answers 400 to malformed requests', async () => {
    const c = await consultant();
    const { token } = await book(c.id);
    const get = async (url: string) => (await app.inject({ method: 'GET', url })).statusCode;
    expect(await get('/api/v1/public/bookings/manage')).toBe(400);
    expect(await get('/api/v1/public/bookings/manage?token=')).toBe(400);
    expect(await get(`/api/v1/public/bookings/manage?token=${'a'.repeat(201)}`)).toBe(400);
    expect(await get('/api/v1/public/bookings/feedback')).toBe(400);

    const bad: [string, object][] = [
      ['manage/cancel', {}],
      ['manage/cancel', { token: 42 }],
      ['manage/cancel', { token, reason: 'x'.repeat(2001) }],
      ['manage/cancel', { token, by: 'staff' }],
      ['manage/reschedule', { token }],
      ['manage/reschedule', { token, start: 'tomorrow' }],
      ['manage/reschedule', { token, start: START, duration: 30 }],
    ];
    for (const [path, payload] of bad) {
      const res = await post(path, payload);
      expect(res.status, `${path} ${JSON.stringify(payload)}`).toBe(400);
    }
    const stored = await database.db
      .selectFrom('bookings')
      .select(['status', 'sequence'])
      .where('consultant_id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: 'confirmed', sequence: 0 });
    expect((await post('manage/cancel', { token, reason: 'x'.repeat(2000) })).status).toBe(200);
  });
});

describe(`the client's feedback link on ${t.engine}`, () => {
  /** The figures the bookings keep on the consultant. */
  function consultantStats(consultantId: string) {
    return database.db
      .selectFrom('consultants')
      .select(['average_rating', 'total_bookings'])
      .where('id', '=', consultantId)
      .executeTakeFirstOrThrow();
  }

  async function completedBooking(consultantId: string, start: string) {
    const { booking } = await book(consultantId, { start });
    return { booking, token: feedbackToken(SECRET, booking.id) };
  }

  async function feedbackView(token: string) {
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/public/bookings/feedback?token=${encodeURIComponent(token)}`,
    });
    return {
      status: res.statusCode,
      body: res.json<Answer<Record<string, unknown>>>(),
      headers: res.headers,
    };
  }

  it('takes one rating per completed meeting and keeps the consultant’s average', async () => {
    const c = await consultant();
    const one = await completedBooking(c.id, START);
    const two = await completedBooking(c.id, '2026-12-02T08:00:00.000Z');

    // Before the meeting took place.
    const early = await feedbackView(one.token);
    expect(early.status).toBe(200);
    expect(early.body).toMatchObject({ status: 'confirmed', can_rate: false, rating: null });
    const notOpen = await post('feedback', { token: one.token, rating: 5 });
    expect(notOpen.status).toBe(409);
    expect(notOpen.body.error.code).toBe('bookings.feedback_not_open');

    clock.set(new Date('2026-12-02T12:00:00Z'));
    await complete(one.booking.id);
    await complete(two.booking.id);
    const open = await feedbackView(one.token);
    expect(open.headers['cache-control']).toBe('no-store');
    expect(open.body).toEqual({
      reference: one.booking.reference,
      consultant: { id: c.id, first_name: 'Grace', last_name: 'Hopper', title: 'Dr.' },
      start: START,
      start_local: '2026-12-01T09:00:00+01:00',
      timezone: 'Europe/Berlin',
      status: 'completed',
      can_rate: true,
      rating: null,
    });

    const rated = await post('feedback', { token: one.token, rating: 4, text: 'Very helpful' });
    expect(rated.status).toBe(200);
    expect(rated.headers['cache-control']).toBe('no-store');
    expect(rated.body).toEqual({ reference: one.booking.reference, rating: 4, text: 'Very helpful' });
    expect(await row(one.booking.id)).toMatchObject({ client_rating: 4, client_feedback: 'Very helpful' });
    expect((await row(one.booking.id)).feedback_at).toEqual(new Date('2026-12-02T12:00:00Z'));
    expect((await feedbackView(one.token)).body).toMatchObject({ can_rate: false, rating: 4 });

    const rated2 = await post('feedback', { token: two.token, rating: 5 });
    expect(rated2.body).toEqual({ reference: two.booking.reference, rating: 5, text: null });
    const stats = await consultantStats(c.id);
    expect(Number(stats.average_rating)).toBe(4.5);
    expect(stats.total_bookings).toBe(2);

    const again = await post('feedback', { token: one.token, rating: 1 });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('bookings.feedback_given');
    expect((await row(one.booking.id)).client_rating).toBe(4);
  });

  it('accepts only the feedback token, and only a whole rating from 1 to 5', async () => {
    const c = await consultant();
    const { booking, token: manage } = await book(c.id);
    const token = feedbackToken(SECRET, booking.id);
    clock.set(new Date('2026-12-01T10:00:00Z'));
    await complete(booking.id);

    expect((await feedbackView(manage)).status).toBe(404);
    const withManage = await post('feedback', { token: manage, rating: 5 });
    expect(withManage.status).toBe(404);
    expect(withManage.body.error.code).toBe('bookings.invalid_link');
    const tampered = `${token.slice(0, -1)}${token.at(-1) === 'A' ? 'B' : 'A'}`;
    expect((await post('feedback', { token: tampered, rating: 5 })).status).toBe(404);

    const bad: object[] = [
      { token, rating: 0 },
      { token, rating: 6 },
      { token, rating: 2.5 },
      { token, rating: '5' },
      { token },
      { rating: 5 },
      { token, rating: 5, text: 'x'.repeat(2001) },
      { token, rating: 5, stars: 5 },
    ];
    for (const payload of bad) {
      const res = await post('feedback', payload);
      expect(res.status, JSON.stringify(payload)).toBe(400);
    }
    expect((await row(booking.id)).feedback_at).toBeNull();
    expect((await post('feedback', { token, rating: 1 })).status).toBe(200);
  });

  it('gives two concurrent ratings of one meeting one 200 and one 409', async () => {
    const c = await consultant();
    const { booking, token } = await completedBooking(c.id, START);
    clock.set(new Date('2026-12-01T10:00:00Z'));
    await complete(booking.id);
    const answers = await Promise.all([
      post('feedback', { token, rating: 2 }),
      post('feedback', { token, rating: 5 }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const winner = answers.find((a) => a.status === 200);
    const loser = answers.find((a) => a.status === 409);
    expect(loser?.body.error.code).toBe('bookings.feedback_given');
    const stored = await row(booking.id);
    expect(stored.client_rating).toBe((winner?.body as { rating: number } | undefined)?.rating);
    const stats = await consultantStats(c.id);
    expect(Number(stats.average_rating)).toBe(stored.client_rating);
  });

  it('counts every rating when clients of one consultant rate at the same moment', async () => {
    const c = await consultant();
    const days = ['2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-07', '2026-12-08'];
    const meetings = [];
    for (const day of days) meetings.push(await completedBooking(c.id, `${day}T08:00:00.000Z`));
    clock.set(new Date('2026-12-09T00:00:00Z'));
    for (const m of meetings) await complete(m.booking.id);
    const ratings = [1, 2, 3, 4, 5, 5];
    const answers = await Promise.all(
      meetings.map((m, i) => post('feedback', { token: m.token, rating: ratings[i] })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(days.length).fill(200));
    const stats = await consultantStats(c.id);
    expect(Number(stats.average_rating)).toBe(3.33);
    expect(stats.total_bookings).toBe(days.length);
  });
});
