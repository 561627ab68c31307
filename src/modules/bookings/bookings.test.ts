import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/helpers/app.ts';
import { useTestApp } from '../../../test/fixture.ts';
import { Factories, WEEKDAYS_NINE_TO_FIVE } from '../../../test/helpers/factories.ts';
import type { Database } from '../../platform/db/connection.ts';
import { sign } from '../../platform/security/tokens.ts';
import type { BookingAnswer } from './schemas.ts';

const SECRET = 'test-secret-that-is-at-least-32-characters';

let database: Database;
let app: FastifyInstance;
let factories: Factories;
let authorId: string;
const t = useTestApp({
  now: new Date('2026-11-20T00:00:00Z'),
  env: { PUBLIC_URL: 'https://voltaic.example' },
});
const { clock } = t;

function consultant() {
  return factories.consultant(authorId, {
    timezone: 'Europe/Berlin',
    working_hours: JSON.stringify(WEEKDAYS_NINE_TO_FIVE),
    holidays: JSON.stringify([]),
  });
}

function body(consultantId: string, overrides: Record<string, unknown> = {}) {
  return {
    consultant_id: consultantId,
    // 09:00 in Berlin on a Tuesday.
    start: '2026-12-01T08:00:00.000Z',
    duration: 60,
    meeting_type: 'video',
    client_first_name: 'Ada',
    client_last_name: 'Lovelace',
    client_email: 'ada@example.com',
    client_company: 'Analytical Engines Ltd',
    language: 'de',
    privacy_consent: true,
    timezone: 'Europe/Berlin',
    ...overrides,
  };
}

type Answer = BookingAnswer & { error: { code: string; message: string } };

async function book(payload: object, headers: Record<string, string> = {}) {
  const res: LightMyRequestResponse = await app.inject({
    method: 'POST',
    url: '/api/v1/public/bookings',
    payload,
    headers,
  });
  return { status: res.statusCode, body: res.json<Answer>() };
}

beforeAll(async () => {
  database = t.database;
  factories = Factories.for(database);
  app = t.app;
  authorId = (await factories.admin()).id;
});

describe(`public bookings on ${t.engine}`, () => {
  it('books an offered slot with no sign-in: reference, Jitsi link, signed manage link', async () => {
    const c = await consultant();
    const { status, body: b } = await book(body(c.id));
    expect(status).toBe(201);
    expect(b.reference).toMatch(/^VLT-20261201-[A-HJ-KM-NP-Z2-9]{4}$/);
    expect(b).toMatchObject({
      consultant_id: c.id,
      start: '2026-12-01T08:00:00.000Z',
      end: '2026-12-01T09:00:00.000Z',
      duration: 60,
      meeting_type: 'video',
      language: 'de',
      status: 'confirmed',
      timezone: 'Europe/Berlin',
    });
    expect(b.meeting_url).toMatch(/^https:\/\/meet\.jit\.si\/Magnetiq-[0-9a-f]{24}$/);
    const token = `${b.id}.${sign(SECRET, `booking-manage:${b.id}`)}`;
    expect(b.manage_url).toBe(`https://voltaic.example/de/bookings/manage?token=${token}`);

    const row = await database.db
      .selectFrom('bookings')
      .selectAll()
      .where('id', '=', b.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ client_email: 'ada@example.com', language: 'de', booking_source: 'website' });
    expect(row.privacy_consent_at).toEqual(clock.now());
    // The slot is gone from the offer.
    const slots = await app.inject({
      method: 'GET',
      url: `/api/v1/public/consultants/${c.id}/slots?from=2026-12-01&to=2026-12-01&duration=60&tz=UTC`,
    });
    expect(slots.json<{ slots: { start_utc: string }[] }>().slots.map((s) => s.start_utc)).not.toContain(
      '2026-12-01T08:00:00.000Z',
    );
  });

  it('gives phone and in-person meetings no link, and takes every duration', async () => {
    const c = await consultant();
    const phone = await book(body(c.id, { meeting_type: 'phone', duration: 30 }));
    expect(phone.status).toBe(201);
    expect(phone.body.meeting_url).toBeNull();
    const inPerson = await book(
      body(c.id, { meeting_type: 'in_person', duration: 120, start: '2026-12-02T08:00:00.000Z' }),
    );
    expect(inPerson.status).toBe(201);
    expect(inPerson.body.end).toBe('2026-12-02T10:00:00.000Z');
    const ninety = await book(body(c.id, { duration: 90, start: '2026-12-03T08:00:00.000Z' }));
    expect(ninety.status).toBe(201);
    expect((await book(body(c.id, { duration: 45 }))).status).toBe(400);
    expect((await book(body(c.id, { meeting_type: 'carrier_pigeon' }))).status).toBe(400);
    expect((await book(body(c.id, { language: 'fr' }))).status).toBe(400);
  });

  it('requires privacy consent, answering in the request language', async () => {
    const c = await consultant();
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/public/bookings',
      payload: body(c.id, { privacy_consent: false }),
      headers: { 'accept-language': 'de' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json<Answer>().error.code).toBe('bookings.privacy_consent_required');
    expect(res.json<Answer>().error.message).toContain('Datenschutzerklärung');
    const missing = body(c.id) as Record<string, unknown>;
    delete missing['privacy_consent'];
    expect((await book(missing)).status).toBe(400);
  });

  it('refuses a start the availability engine does not offer', async () => {
    const c = await consultant();
    const night = await book(body(c.id, { start: '2026-12-01T02:00:00.000Z' }));
    expect(night.status).toBe(409);
    expect(night.body.error.code).toBe('bookings.slot_unavailable');
    const offGrid = await book(body(c.id, { start: '2026-12-01T08:07:00.000Z' }));
    expect(offGrid.body.error.code).toBe('bookings.slot_unavailable');
    const tooSoon = await book(body(c.id, { start: '2026-11-20T10:00:00.000Z' }));
    expect(tooSoon.body.error.code).toBe('bookings.slot_unavailable');
    const unknown = await book(body('00000000-0000-4000-8000-000000000000'));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('bookings.consultant_not_found');
    expect((await book(body(c.id, { timezone: 'Mars/Olympus' }))).status).toBe(400);
  });

  it('answers 409 bookings.slot_taken for a slot already booked, also when overlapping', async () => {
    const c = await consultant();
    expect((await book(body(c.id))).status).toBe(201);
    const again = await book(body(c.id, { client_email: 'other@example.com' }));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('bookings.slot_taken');
    const overlapping = await book(body(c.id, { start: '2026-12-01T07:30:00.000Z', duration: 60 }));
    expect(overlapping.status).toBe(409);
    expect(overlapping.body.error.code).toBe('bookings.slot_taken');
    // Right after it, inside the 15-minute buffer: taken by that booking, not a time never offered.
    const adjoining = await book(body(c.id, { start: '2026-12-01T09:00:00.000Z', duration: 30 }));
    expect([adjoining.status, adjoining.body.error.code]).toEqual([409, 'bookings.slot_taken']);
  });

  it('gives exactly one booking to 50 concurrent requests for the same slot', async () => {
    const c = await consultant();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => book(body(c.id, { client_email: `client${i}@example.com` }))),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(new Set(answers.filter((a) => a.status === 409).map((a) => a.body.error.code))).toEqual(
      new Set(['bookings.slot_taken']),
    );
    const rows = await database.db
      .selectFrom('bookings')
      .select('id')
      .where('consultant_id', '=', c.id)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('keeps the buffer between bookings made at the same moment for back-to-back times', async () => {
    const c = await consultant();
    // 09:00 and 10:00 in Berlin on five weekdays: touching meetings, but 10:00 lies in 09:00's 15-minute buffer.
    const days = ['2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-07'];
    const starts = days.flatMap((d) => [`${d}T08:00:00.000Z`, `${d}T09:00:00.000Z`]);
    const answers = await Promise.all(
      [...starts, ...starts, ...starts].map((start, i) =>
        book(body(c.id, { start, client_email: `buffer${i}@example.com` })),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(days.length);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(answers.length - days.length);
    const rows = await database.db
      .selectFrom('bookings')
      .select('datetime')
      .where('consultant_id', '=', c.id)
      .orderBy('datetime')
      .execute();
    expect(rows.map((r) => r.datetime.toISOString().slice(0, 10))).toEqual(days);
  });

  it('replays the first answer for a retry with the same Idempotency-Key', async () => {
    const c = await consultant();
    const headers = { 'idempotency-key': 'retry-1234' };
    const first = await book(body(c.id), headers);
    expect(first.status).toBe(201);
    // Key order does not matter; the answer is the same booking.
    const reordered = Object.fromEntries(Object.entries(body(c.id)).reverse());
    const second = await book(reordered, headers);
    expect(second).toEqual(first);
    const other = await book(body(c.id, { start: '2026-12-01T10:00:00.000Z' }), headers);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('bookings.idempotency_key_reused');
    // Concurrent retries with one key: one booking, the same answer to all.
    const key = { 'idempotency-key': 'burst-5678' };
    const burst = await Promise.all(
      Array.from({ length: 10 }, () => book(body(c.id, { start: '2026-12-02T12:00:00.000Z' }), key)),
    );
    expect(burst.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(new Set(burst.map((a) => a.body.id)).size).toBe(1);
    const rows = await database.db
      .selectFrom('bookings')
      .select('id')
      .where('consultant_id', '=', c.id)
      .execute();
    expect(rows).toHaveLength(2);
    // Only digests are stored.
    const stored = await database.db.selectFrom('booking_idempotency_keys').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain('retry-1234');
    // A failed booking keeps no key: a retry is tried afresh.
    const failed = await book(body(c.id, { start: '2026-12-01T02:00:00.000Z' }), {
      'idempotency-key': 'k-9',
    });
    expect(failed.status).toBe(409);
    const fresh = await book(body(c.id, { start: '2026-12-01T02:00:00.000Z' }), { 'idempotency-key': 'k-9' });
    expect(fresh.status).toBe(409);
  });

  it('limits public booking changes and slot queries per client IP with 429 rate.limited', async () => {
    const limited = await buildTestApp(database, {
      clock: clock.now,
      env: { BOOKING_RATE_LIMIT: '2', SLOTS_RATE_LIMIT: '3' },
    });
    try {
      const c = await consultant();
      const attempt = (remoteAddress: string) =>
        limited.inject({
          method: 'POST',
          url: '/api/v1/public/bookings',
          payload: body(c.id, { privacy_consent: false }),
          remoteAddress,
        });
      for (let i = 0; i < 2; i++) expect((await attempt('198.51.100.1')).statusCode).toBe(422);
      const third = await attempt('198.51.100.1');
      expect(third.statusCode).toBe(429);
      expect(third.json<Answer>().error.code).toBe('rate.limited');
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
      expect((await attempt('198.51.100.2')).statusCode).toBe(422);
      // The manage link's changes count on their own route, slots on theirs.
      const cancel = await limited.inject({
        method: 'POST',
        url: '/api/v1/public/bookings/manage/cancel',
        payload: { token: 'not-a-token' },
        remoteAddress: '198.51.100.1',
      });
      expect(cancel.statusCode).toBe(404);
      const slots = () =>
        limited.inject({
          url: `/api/v1/public/consultants/${c.id}/slots?from=2026-12-01&to=2026-12-01&duration=60&tz=UTC`,
          remoteAddress: '198.51.100.1',
        });
      for (let i = 0; i < 3; i++) expect((await slots()).statusCode).toBe(200);
      expect((await slots()).statusCode).toBe(429);
    } finally {
      await limited.close();
    }
  });
});
