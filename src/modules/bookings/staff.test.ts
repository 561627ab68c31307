import { randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Insertable } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeUser, request, signIn, type Session, type TestUser } from '../../../test/helpers/auth.ts';
import { useTestApp } from '../../../test/fixture.ts';
import { Factories, WEEKDAYS_NINE_TO_FIVE } from '../../../test/helpers/factories.ts';
import type { Database } from '../../platform/db/connection.ts';
import type { Bookings } from '../../platform/db/schema.ts';
import type { SlotsAnswer } from '../availability/index.ts';
import { manageUrl } from './links.ts';
import type { StaffBooking, Week } from './schemas.ts';

const SECRET = 'test-secret-that-is-at-least-32-characters';
const PUBLIC_URL = 'https://voltaic.example';

interface ErrorJson {
  error: { code: string; message: string; details: { field?: string; code: string; message: string }[] };
}
interface Page<T> {
  items: T[];
  total: number;
  page: number;
  per_page: number;
}

let database: Database;
let app: FastifyInstance;
let factories: Factories;
let authorId: string;
let admin: TestUser;
let viewer: TestUser;
let editor: TestUser;
let adminS: Session;
let viewerS: Session;
let editorS: Session;
let references = 0;
const t = useTestApp({ now: new Date('2026-11-20T00:00:00Z'), env: { PUBLIC_URL } });
const { clock } = t;

beforeAll(async () => {
  database = t.database;
  factories = Factories.for(database);
  app = t.app;
  authorId = (await factories.admin()).id;
  [admin, viewer, editor] = await Promise.all([
    makeUser(database, 'admin'),
    makeUser(database, 'viewer'),
    makeUser(database, 'editor'),
  ]);
  [adminS, viewerS, editorS] = await Promise.all([
    signIn(app, admin),
    signIn(app, viewer),
    signIn(app, editor),
  ]);
  // No request warms the settings copy first: a booking change must not read settings inside its transaction
  // (on PGlite such a read would wait for the one connection the transaction holds).
});

function call(
  session: Pick<Session, 'access_token'> | undefined,
  method: InjectOptions['method'],
  url: string,
  payload?: object,
): Promise<LightMyRequestResponse> {
  return request(app, session, method, url, payload);
}

/** Moves the clock and signs in again: access tokens live 15 minutes of the app's clock. */
async function setClock(iso: string): Promise<void> {
  clock.set(new Date(iso));
  [adminS, viewerS, editorS] = await Promise.all([
    signIn(app, admin),
    signIn(app, viewer),
    signIn(app, editor),
  ]);
}

const code = (res: LightMyRequestResponse) => res.json<ErrorJson>().error.code;

function consultant(first: string, last: string) {
  return factories.consultant(authorId, {
    first_name: first,
    last_name: last,
    timezone: 'Europe/Berlin',
    working_hours: JSON.stringify(WEEKDAYS_NINE_TO_FIVE),
    holidays: JSON.stringify([]),
  });
}

/** A booking row at `start` (UTC) with a reference unique in this file. */
function booking(consultantId: string, start: string, overrides: Partial<Insertable<Bookings>> = {}) {
  references += 1;
  const date = start.slice(0, 10).replaceAll('-', '');
  return factories.booking(consultantId, {
    reference: `VLT-${date}-${references.toString(36).toUpperCase().padStart(4, 'Q')}`,
    datetime: new Date(start),
    ...overrides,
  });
}

async function get<T>(url: string, session: Session = adminS): Promise<T> {
  const res = await call(session, 'GET', url);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<T>();
}

const refs = (page: Page<StaffBooking>) => page.items.map((b) => b.reference);
const list = async (query: string) => refs(await get<Page<StaffBooking>>(`/api/v1/bookings?${query}`));

describe(`staff bookings on ${t.engine}`, () => {
  it('lists live bookings by start with every filter, sort and pages', async () => {
    const ada = await consultant('Alan', 'Kay');
    const bob = await consultant('Barbara', 'Liskov');
    const a1 = await booking(ada.id, '2030-12-01T08:00:00Z', {
      client_first_name: 'Ada',
      client_last_name: 'Lovelace',
      client_email: 'ada@Analytical.test',
    });
    const a2 = await booking(ada.id, '2030-12-02T08:00:00Z', { status: 'cancelled' });
    const a3 = await booking(ada.id, '2030-12-03T08:00:00Z', {
      status: 'completed',
      client_first_name: 'Charles',
      client_last_name: 'Babbage',
      client_email: 'charles@engines.test',
    });
    await booking(ada.id, '2030-12-04T08:00:00Z', { deleted_at: new Date() });
    const b1 = await booking(bob.id, '2030-12-01T10:00:00Z', {
      status: 'no_show',
      client_email: 'grace_h@navy.test',
    });
    const range = 'from=2030-01-01T00:00:00Z&to=2031-01-01T00:00:00Z';

    const all = await get<Page<StaffBooking>>(`/api/v1/bookings?${range}`);
    expect(refs(all)).toEqual([a1.reference, b1.reference, a2.reference, a3.reference]);
    expect(all.total).toBe(4);
    expect(all.items[0]).toMatchObject({
      id: a1.id,
      consultant_id: ada.id,
      consultant_name: 'Alan Kay',
      start: '2030-12-01T08:00:00.000Z',
      end: '2030-12-01T09:00:00.000Z',
      status: 'confirmed',
      client_email: 'ada@Analytical.test',
      manage_url: manageUrl(PUBLIC_URL, SECRET, a1.id, 'en'),
    });
    const desc = await get<Page<StaffBooking>>(`/api/v1/bookings?${range}&sort=-datetime`);
    expect(refs(desc)).toEqual(refs(all).reverse());

    expect(await list(`consultant_id=${bob.id}`)).toEqual([b1.reference]);
    expect(await list(`${range}&status=confirmed&status=completed`)).toEqual([a1.reference, a3.reference]);
    expect(await list(`${range}&status=no_show`)).toEqual([b1.reference]);
    expect(
      await list(`from=2030-12-02T08:00:00Z&to=2030-12-03T08:00:00Z`),
      'from inclusive, to exclusive',
    ).toEqual([a2.reference]);
    expect(await list(`${range}&client_email=ANALYTICAL.T`)).toEqual([a1.reference]);
    // The pattern characters are taken literally.
    expect(await list(`${range}&client_email=grace_h`)).toEqual([b1.reference]);
    expect(await list(`${range}&client_email=ada%25`)).toEqual([]);
    expect(await list(`${range}&client_email=ada_`)).toEqual([]);
    expect(await list(`${range}&q=charles%20bab`)).toEqual([a3.reference]);
    expect(await list(`q=${b1.reference.toLowerCase()}`)).toEqual([b1.reference]);

    const page2 = await get<Page<StaffBooking>>(`/api/v1/bookings?${range}&per_page=2&page=2`);
    expect(page2).toMatchObject({ total: 4, page: 2, per_page: 2 });
    expect(refs(page2)).toEqual([a2.reference, a3.reference]);

    for (const bad of [
      'status=confirmed,completed',
      'status=open',
      'consultant_id=nope',
      'from=yesterday',
      'per_page=101',
    ]) {
      const res = await call(adminS, 'GET', `/api/v1/bookings?${bad}`);
      expect(res.statusCode, bad).toBe(400);
    }
  });

  it('shows one booking with everything staff see; 404 for unknown and deleted ones', async () => {
    const c = await consultant('Edsger', 'Dijkstra');
    const b = await booking(c.id, '2030-11-05T09:00:00Z', {
      client_phone: '+49 30 1234567',
      client_company: 'Analytical Engines Ltd',
      message: 'About our data platform',
      meeting_url: 'https://meet.jit.si/Magnetiq-abc',
      preparation_notes: 'Read their RFP',
      google_calendar_event_id: 'evt-1',
      calendar_synced_sequence: 0,
    });
    const view = await get<StaffBooking>(`/api/v1/bookings/${b.id}`);
    expect(view).toMatchObject({
      id: b.id,
      reference: b.reference,
      consultant_name: 'Edsger Dijkstra',
      client_first_name: 'Max',
      client_last_name: 'Mustermann',
      client_phone: '+49 30 1234567',
      client_company: 'Analytical Engines Ltd',
      message: 'About our data platform',
      meeting_url: 'https://meet.jit.si/Magnetiq-abc',
      preparation_notes: 'Read their RFP',
      consultant_notes: null,
      status: 'confirmed',
      sequence: 0,
      version: 1,
      cancelled_at: null,
      cancelled_by: null,
      client_rating: null,
      feedback_requested_at: null,
      confirmation_sent_at: null,
      reminder_sent_at: null,
      google_calendar_event_id: 'evt-1',
      calendar_synced_sequence: 0,
      manage_url: manageUrl(PUBLIC_URL, SECRET, b.id, 'en'),
    });

    const unknown = await call(adminS, 'GET', '/api/v1/bookings/00000000-0000-4000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);
    expect(code(unknown)).toBe('bookings.not_found');
    const gone = await booking(c.id, '2030-11-06T09:00:00Z', { deleted_at: new Date() });
    expect((await call(adminS, 'GET', `/api/v1/bookings/${gone.id}`)).statusCode).toBe(404);
    expect((await call(adminS, 'GET', '/api/v1/bookings/not-a-uuid')).statusCode).toBe(400);
  });

  it('lays out the DST week of 2026-10-25 in Berlin in local days, the 25-hour Sunday included', async () => {
    const c = await consultant('Ada', 'Goldberg');
    // 23:30 on Sunday 18 October (CEST): the week before.
    await booking(c.id, '2026-10-18T21:30:00Z');
    // 00:30 on Monday 19 October (CEST): the first day.
    const monday = await booking(c.id, '2026-10-18T22:30:00Z');
    // 00:30 on Sunday 25 October, still CEST.
    const early = await booking(c.id, '2026-10-24T22:30:00Z', { client_company: 'Early Birds GmbH' });
    // 23:30 on Sunday 25 October, CET since 03:00: 22:30 UTC.
    const late = await booking(c.id, '2026-10-25T22:30:00Z', { duration: 30 });
    const cancelled = await booking(c.id, '2026-10-21T10:00:00Z', { status: 'cancelled' });
    // 00:30 on Monday 26 October (CET): the week after.
    await booking(c.id, '2026-10-25T23:30:00Z');

    const week = await get<Week>(
      `/api/v1/bookings/week?start=2026-10-19&tz=Europe/Berlin&consultant_id=${c.id}`,
    );
    expect(week.tz).toBe('Europe/Berlin');
    expect(week.days.map((d) => d.date)).toEqual([
      '2026-10-19',
      '2026-10-20',
      '2026-10-21',
      '2026-10-22',
      '2026-10-23',
      '2026-10-24',
      '2026-10-25',
    ]);
    const sunday = week.days[6];
    expect(sunday).toMatchObject({
      start_utc: '2026-10-24T22:00:00.000Z',
      end_utc: '2026-10-25T23:00:00.000Z',
    });
    const hours = (d: Week['days'][number]) => (Date.parse(d.end_utc) - Date.parse(d.start_utc)) / 3_600_000;
    expect(week.days.map(hours)).toEqual([24, 24, 24, 24, 24, 24, 25]);
    expect(week.days[0]?.bookings.map((b) => b.id)).toEqual([monday.id]);
    expect(sunday?.bookings.map((b) => b.id)).toEqual([early.id, late.id]);
    expect(sunday?.bookings[0]).toMatchObject({
      reference: early.reference,
      consultant_id: c.id,
      consultant_name: 'Ada Goldberg',
      start_local: '2026-10-25T00:30:00+02:00',
      client_name: 'Max Mustermann',
      client_company: 'Early Birds GmbH',
      status: 'confirmed',
      meeting_type: 'video',
    });
    expect(sunday?.bookings[1]).toMatchObject({
      start_utc: '2026-10-25T22:30:00.000Z',
      end_utc: '2026-10-25T23:00:00.000Z',
      start_local: '2026-10-25T23:30:00+01:00',
      end_local: '2026-10-26T00:00:00+01:00',
    });
    expect(week.days.flatMap((d) => d.bookings).map((b) => b.id)).not.toContain(cancelled.id);

    const withCancelled = await get<Week>(
      `/api/v1/bookings/week?start=2026-10-19&tz=Europe/Berlin&consultant_id=${c.id}&include_cancelled=true`,
    );
    expect(withCancelled.days[2]?.bookings.map((b) => [b.id, b.status])).toEqual([
      [cancelled.id, 'cancelled'],
    ]);

    // Without start and tz: the Monday of this week in the setting `timezone` (Europe/Berlin).
    await setClock('2026-10-25T22:45:00Z');
    const current = await get<Week>(`/api/v1/bookings/week?consultant_id=${c.id}`);
    expect(current.start).toBe('2026-10-19');
    expect(current.tz).toBe('Europe/Berlin');
    expect(current.days[6]?.bookings.map((b) => b.id)).toEqual([early.id, late.id]);
    await setClock('2026-10-26T00:30:00Z');
    expect((await get<Week>(`/api/v1/bookings/week?consultant_id=${c.id}`)).start).toBe('2026-10-26');
    await setClock('2026-11-20T00:00:00Z');
  });

  it('moves a late-evening Berlin booking to the next day in Tokyo', async () => {
    const c = await consultant('Yukihiro', 'Matsumoto');
    // 21:00 in Berlin on Tuesday 1 December is 05:00 in Tokyo on Wednesday 2 December.
    const b = await booking(c.id, '2026-12-01T20:00:00Z');
    const berlin = await get<Week>(
      `/api/v1/bookings/week?start=2026-11-30&tz=Europe/Berlin&consultant_id=${c.id}`,
    );
    expect(berlin.days[1]).toMatchObject({ date: '2026-12-01' });
    expect(berlin.days[1]?.bookings[0]).toMatchObject({ id: b.id, start_local: '2026-12-01T21:00:00+01:00' });
    const tokyo = await get<Week>(
      `/api/v1/bookings/week?start=2026-11-30&tz=Asia/Tokyo&consultant_id=${c.id}`,
    );
    expect(tokyo.days[1]?.bookings).toEqual([]);
    expect(tokyo.days[2]).toMatchObject({ date: '2026-12-02', start_utc: '2026-12-01T15:00:00.000Z' });
    expect(tokyo.days[2]?.bookings[0]).toMatchObject({ id: b.id, start_local: '2026-12-02T05:00:00+09:00' });

    const badZone = await call(adminS, 'GET', '/api/v1/bookings/week?start=2026-11-30&tz=Mars/Olympus');
    expect(badZone.statusCode).toBe(400);
    expect(code(badZone)).toBe('availability.invalid_timezone');
    expect((await call(adminS, 'GET', '/api/v1/bookings/week?start=2026-02-30')).statusCode).toBe(400);
    expect((await call(adminS, 'GET', '/api/v1/bookings/week?start=30.11.2026')).statusCode).toBe(400);
  });

  it('changes the notes under optimistic locking, and the audit trail names the staff user', async () => {
    const c = await consultant('Frances', 'Allen');
    const b = await booking(c.id, '2030-10-01T09:00:00Z', { preparation_notes: 'old' });
    const url = `/api/v1/bookings/${b.id}`;
    const res = await call(adminS, 'PATCH', url, { version: 1, consultant_notes: 'Wants a pilot in Q1' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<StaffBooking>()).toMatchObject({
      consultant_notes: 'Wants a pilot in Q1',
      preparation_notes: 'old',
      version: 2,
    });

    const stale = await call(adminS, 'PATCH', url, { version: 1, preparation_notes: 'new' });
    expect(stale.statusCode).toBe(409);
    expect(code(stale)).toBe('conflict.stale_version');
    const cleared = await call(adminS, 'PATCH', url, { version: 2, preparation_notes: null });
    expect(cleared.json<StaffBooking>()).toMatchObject({ preparation_notes: null, version: 3 });
    const max = await call(adminS, 'PATCH', url, { version: 3, consultant_notes: 'x'.repeat(10_000) });
    expect(max.statusCode).toBe(200);

    for (const body of [
      { version: 4, consultant_notes: 'x'.repeat(10_001) },
      { version: 4, status: 'completed' },
      { version: 4, client_email: 'other@example.com' },
      { version: 4, consultant_notes: 5 },
      { version: '4', consultant_notes: 'typed' },
      { consultant_notes: 'no version' },
    ]) {
      const bad = await call(adminS, 'PATCH', url, body);
      expect(bad.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    const unchanged = await get<StaffBooking>(url);
    expect(unchanged).toMatchObject({ version: 4, status: 'confirmed', client_email: 'max@example.com' });

    const audit = await get<
      Page<{ event_type: string; user_id: string | null; changed_fields: string[] | null }>
    >(`/api/v1/audit-logs?table_name=bookings&record_id=${b.id}`);
    const notesChange = audit.items.find((e) => e.changed_fields?.includes('consultant_notes'));
    expect(notesChange?.user_id).toBe(admin.id);
    expect(audit.items.filter((e) => e.event_type === 'UPDATE')).toHaveLength(3);
  });

  it('lets viewers read but not change; editors do not manage bookings; no token is 401', async () => {
    const c = await consultant('Niklaus', 'Wirth');
    const b = await booking(c.id, '2030-09-01T09:00:00Z');
    expect((await call(viewerS, 'GET', '/api/v1/bookings')).statusCode).toBe(200);
    expect((await call(viewerS, 'GET', `/api/v1/bookings/${b.id}`)).statusCode).toBe(200);
    expect((await call(viewerS, 'GET', '/api/v1/bookings/week?start=2030-09-01')).statusCode).toBe(200);
    const writes: [string, object][] = [
      [`/api/v1/bookings/${b.id}/cancel`, { version: 1 }],
      [`/api/v1/bookings/${b.id}/reschedule`, { version: 1, start: '2030-09-02T09:00:00Z' }],
      [`/api/v1/bookings/${b.id}/complete`, { version: 1 }],
      [`/api/v1/bookings/${b.id}/no-show`, { version: 1 }],
    ];
    for (const session of [viewerS, editorS]) {
      const patch = await call(session, 'PATCH', `/api/v1/bookings/${b.id}`, {
        version: 1,
        consultant_notes: 'x',
      });
      expect(patch.statusCode).toBe(403);
      expect(code(patch)).toBe('auth.forbidden');
      for (const [url, body] of writes)
        expect((await call(session, 'POST', url, body)).statusCode, url).toBe(403);
    }
    for (const url of ['/api/v1/bookings', `/api/v1/bookings/${b.id}`, '/api/v1/bookings/week']) {
      expect((await call(undefined, 'GET', url)).statusCode, url).toBe(401);
    }
    expect((await call(undefined, 'PATCH', `/api/v1/bookings/${b.id}`, { version: 1 })).statusCode).toBe(401);
    expect(await get<StaffBooking>(`/api/v1/bookings/${b.id}`)).toMatchObject({
      version: 1,
      status: 'confirmed',
    });
  });

  it('records completion and no-show only after the meeting ended, and counts completed meetings', async () => {
    await setClock('2026-11-20T00:00:00Z');
    const c = await consultant('Barbara', 'Liskov');
    const done = await booking(c.id, '2026-11-23T09:00:00Z');
    const absent = await booking(c.id, '2026-11-23T11:00:00Z', { duration: 30 });
    const early = await call(adminS, 'POST', `/api/v1/bookings/${done.id}/complete`, { version: 1 });
    expect(early.statusCode).toBe(409);
    expect(code(early)).toBe('bookings.not_ended');
    await setClock('2026-11-23T09:59:59Z');
    expect(code(await call(adminS, 'POST', `/api/v1/bookings/${done.id}/complete`, { version: 1 }))).toBe(
      'bookings.not_ended',
    );

    await setClock('2026-11-23T10:00:00Z');
    const stale = await call(adminS, 'POST', `/api/v1/bookings/${done.id}/complete`, { version: 7 });
    expect(code(stale)).toBe('conflict.stale_version');
    const completed = await call(adminS, 'POST', `/api/v1/bookings/${done.id}/complete`, { version: 1 });
    expect(completed.statusCode, completed.body).toBe(200);
    expect(completed.json<StaffBooking>()).toMatchObject({ status: 'completed', version: 2 });
    const stats = await get<{ total_bookings: number; version: number }>(`/api/v1/consultants/${c.id}`);
    expect(stats.total_bookings).toBe(1);

    expect(code(await call(adminS, 'POST', `/api/v1/bookings/${absent.id}/no-show`, { version: 1 }))).toBe(
      'bookings.not_ended',
    );
    await setClock('2026-11-23T11:30:00Z');
    const noShow = await call(adminS, 'POST', `/api/v1/bookings/${absent.id}/no-show`, { version: 1 });
    expect(noShow.statusCode, noShow.body).toBe(200);
    expect(noShow.json<StaffBooking>().status).toBe('no_show');
    expect((await get<{ total_bookings: number }>(`/api/v1/consultants/${c.id}`)).total_bookings).toBe(1);

    const cancelled = await booking(c.id, '2026-11-23T08:00:00Z', { status: 'cancelled' });
    const onCancelled = await call(adminS, 'POST', `/api/v1/bookings/${cancelled.id}/complete`, {
      version: 1,
    });
    expect(onCancelled.statusCode).toBe(409);
    expect(code(onCancelled)).toBe('bookings.not_confirmed');
    expect((await call(adminS, 'POST', `/api/v1/bookings/${done.id}/complete`, {})).statusCode).toBe(400);
  });

  it('cancels after the client cut-off as staff, with the reason', async () => {
    await setClock('2026-11-20T00:00:00Z');
    const c = await consultant('Tony', 'Hoare');
    // Two hours ahead: far inside the client's 24-hour cut-off.
    const b = await booking(c.id, '2026-11-20T02:00:00Z');
    const url = `/api/v1/bookings/${b.id}/cancel`;
    expect((await call(adminS, 'POST', url, { reason: 'x'.repeat(2001) })).statusCode).toBe(400);
    expect(code(await call(adminS, 'POST', url, { version: 2 }))).toBe('conflict.stale_version');
    const res = await call(adminS, 'POST', url, { version: 1, reason: 'Consultant is ill' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<StaffBooking>()).toMatchObject({
      status: 'cancelled',
      cancelled_by: 'staff',
      cancellation_reason: 'Consultant is ill',
      cancelled_at: '2026-11-20T00:00:00.000Z',
      sequence: 1,
      version: 2,
    });
    const again = await call(adminS, 'POST', url, {});
    expect(again.statusCode).toBe(409);
    expect(code(again)).toBe('bookings.not_confirmed');

    // Without a version or reason, until the meeting ends; not after.
    const other = await booking(c.id, '2026-11-20T04:00:00Z');
    await setClock('2026-11-20T04:30:00Z');
    const running = await call(adminS, 'POST', `/api/v1/bookings/${other.id}/cancel`, {});
    expect(running.json<StaffBooking>()).toMatchObject({ cancelled_by: 'staff', cancellation_reason: null });
    const over = await booking(c.id, '2026-11-20T02:30:00Z', { duration: 30 });
    expect(code(await call(adminS, 'POST', `/api/v1/bookings/${over.id}/cancel`, {}))).toBe(
      'bookings.already_over',
    );
  });

  it('offers where a booking can move: its own time free, others still blocking; bookings.manage only', async () => {
    await setClock('2026-11-20T00:00:00Z');
    const c = await consultant('Barbara', 'Liskov');
    // Wednesday 25 November, 10:00 and 13:00 in Berlin (UTC+1).
    const b = await booking(c.id, '2026-11-25T09:00:00Z', { duration: 60 });
    await booking(c.id, '2026-11-25T12:00:00Z', { duration: 60 });
    const query = 'from=2026-11-25&to=2026-11-25&tz=Europe%2FBerlin';
    const starts = (answer: SlotsAnswer) => answer.slots.map((slot) => slot.start_utc);

    const movable = await call(adminS, 'GET', `/api/v1/bookings/${b.id}/slots?${query}`);
    expect(movable.statusCode, movable.body).toBe(200);
    expect(movable.headers['cache-control']).toBe('no-store');
    const own = starts(movable.json<SlotsAnswer>());
    // Its own time and half an hour either side; not the other booking's hour and its buffer.
    expect(own).toEqual(
      expect.arrayContaining([
        '2026-11-25T08:30:00.000Z',
        '2026-11-25T09:00:00.000Z',
        '2026-11-25T09:30:00.000Z',
      ]),
    );
    expect(own).not.toContain('2026-11-25T12:00:00.000Z');
    expect(own).not.toContain('2026-11-25T11:30:00.000Z');
    // The public slots do not offer the booked hour.
    const open = await call(
      undefined,
      'GET',
      `/api/v1/public/consultants/${c.id}/slots?${query}&duration=60`,
    );
    expect(starts(open.json<SlotsAnswer>())).not.toContain('2026-11-25T09:00:00.000Z');

    expect((await call(viewerS, 'GET', `/api/v1/bookings/${b.id}/slots?${query}`)).statusCode).toBe(403);
    expect((await call(editorS, 'GET', `/api/v1/bookings/${b.id}/slots?${query}`)).statusCode).toBe(403);
    expect((await call(undefined, 'GET', `/api/v1/bookings/${b.id}/slots?${query}`)).statusCode).toBe(401);
    const unknown = await call(adminS, 'GET', `/api/v1/bookings/${randomUUID()}/slots?${query}`);
    expect([unknown.statusCode, code(unknown)]).toEqual([404, 'bookings.not_found']);
    for (const bad of ['from=2026-11-25&tz=Europe%2FBerlin', 'from=25.11.2026&to=2026-11-25&tz=UTC']) {
      const res = await call(adminS, 'GET', `/api/v1/bookings/${b.id}/slots?${bad}`);
      expect(res.statusCode, bad).toBe(400);
    }
    const zone = await call(
      adminS,
      'GET',
      `/api/v1/bookings/${b.id}/slots?from=2026-11-25&to=2026-11-25&tz=Mars%2FOlympus`,
    );
    expect([zone.statusCode, code(zone)]).toEqual([400, 'availability.invalid_timezone']);
  });

  it('reschedules as staff inside the client cut-off, to offered times only', async () => {
    // Twelve hours before the meeting (09:00 Berlin on Tuesday 1 December): the client could no longer move it.
    await setClock('2026-11-30T20:00:00Z');
    const c = await consultant('Grace', 'Hopper');
    const b = await booking(c.id, '2026-12-01T08:00:00Z');
    const url = `/api/v1/bookings/${b.id}/reschedule`;
    const night = await call(adminS, 'POST', url, { version: 1, start: '2026-12-02T02:00:00Z' });
    expect(code(night)).toBe('bookings.slot_unavailable');
    const same = await call(adminS, 'POST', url, { version: 1, start: '2026-12-01T08:00:00Z' });
    expect(code(same)).toBe('bookings.same_time');
    expect((await call(adminS, 'POST', url, { start: '2026-12-02T10:00:00Z' })).statusCode).toBe(400);
    const res = await call(adminS, 'POST', url, { version: 1, start: '2026-12-02T10:00:00Z' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<StaffBooking>()).toMatchObject({
      start: '2026-12-02T10:00:00.000Z',
      end: '2026-12-02T11:00:00.000Z',
      status: 'confirmed',
      sequence: 1,
    });
    const stale = await call(adminS, 'POST', url, { version: 1, start: '2026-12-02T12:00:00Z' });
    expect(code(stale)).toBe('conflict.stale_version');
    // The answer's version is the current one: the next change with it goes through.
    const { version } = res.json<StaffBooking>();
    expect(version).toBeGreaterThan(1);
    const back = await call(adminS, 'POST', url, { version, start: '2026-12-02T13:00:00Z' });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json<StaffBooking>()).toMatchObject({ start: '2026-12-02T13:00:00.000Z', sequence: 2 });
  });
});
