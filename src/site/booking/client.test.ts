import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../../test/fixture.ts';
import { WEEKDAYS_NINE_TO_FIVE } from '../../../test/helpers/factories.ts';
import { sign } from '../../platform/security/tokens.ts';

const SECRET = 'test-secret-that-is-at-least-32-characters';
// A Friday: bookings in the week after can still be changed (24 hours' cut-off).
const t = useTestApp({ now: new Date('2026-11-20T00:00:00Z') });
let authorId: string;

const manageToken = (id: string) => `${id}.${sign(SECRET, `booking-manage:${id}`)}`;
const feedbackToken = (id: string) => `${id}.${sign(SECRET, `booking-feedback:${id}`)}`;

async function get(url: string, cookie?: string) {
  return t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
}

function cookieOf(response: LightMyRequestResponse): string {
  const header = response.headers['set-cookie'];
  const line = (Array.isArray(header) ? header : [header ?? '']).find((c) => c.startsWith('site_csrf='));
  return (line ?? '').split(';')[0] ?? '';
}

const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';

async function post(url: string, fields: Record<string, string>, cookie: string) {
  return t.app.inject({
    method: 'POST',
    url,
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
  });
}

/** A form page's cookie and token. */
async function form(url: string) {
  const page = await get(url);
  expect(page.statusCode, page.body.slice(0, 200)).toBe(200);
  return { page, cookie: cookieOf(page), csrf: csrfOf(page.body) };
}

async function booking(overrides: Record<string, unknown> = {}) {
  const c = await t.factories.consultant(authorId, {
    first_name: 'Grete',
    last_name: 'Müller',
    timezone: 'Europe/Berlin',
    working_hours: JSON.stringify(WEEKDAYS_NINE_TO_FIVE),
    holidays: JSON.stringify([]),
  });
  // Tuesday 24 November 2026, 10:00–11:00 in Berlin.
  const b = await t.factories.booking(c.id, {
    datetime: new Date('2026-11-24T09:00:00Z'),
    duration: 60,
    status: 'confirmed',
    language: 'de',
    client_email: 'ada@example.com',
    ...overrides,
  });
  return { consultant: c, booking: b };
}

async function row(id: string) {
  return t.database.db.selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

beforeAll(async () => {
  authorId = (await t.factories.admin()).id;
});

describe(`the client's pages on ${t.engine}`, () => {
  it('shows the booking behind the manage link in its language, and nothing for a tampered link', async () => {
    const { booking: b } = await booking();
    const token = manageToken(b.id);
    const page = await get(`/de/bookings/manage?token=${token}`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('<html lang="de">');
    expect(page.body).toContain(b.reference);
    expect(page.body).toContain('Dienstag, 24. November 2026, 10:00–11:00');
    expect(page.body).toContain('Grete Müller');
    // Until 24 hours before the start (booking.cancellation_cutoff_hours), in the booking's zone.
    expect(page.body).toContain(
      'bis Montag, 23. November 2026, 10:00 (Europe/Berlin) verschieben oder absagen',
    );
    expect(page.body).toContain(`href="/de/bookings/manage/cancel?token=${token}"`);
    expect(page.body).toContain(`href="/de/bookings/manage/move?token=${token}"`);
    const english = await get(`/en/bookings/manage?token=${token}`);
    expect(english.body).toContain('Tuesday, 24 November 2026, 10:00–11:00');

    const tampered = await get(`/de/bookings/manage?token=${token.slice(0, -3)}abc`);
    expect(tampered.statusCode).toBe(404);
    expect(tampered.body).not.toContain(b.reference);
    expect(tampered.body).toContain('Dieser Link ist ungültig');
    // The feedback token is no manage token.
    expect((await get(`/de/bookings/manage?token=${feedbackToken(b.id)}`)).statusCode).toBe(404);
    expect((await get('/de/bookings/manage')).statusCode).toBe(404);
  });

  it('cancels after a confirmation, with a reason; without the tick it asks again', async () => {
    const { booking: b } = await booking();
    const token = manageToken(b.id);
    const { page, cookie, csrf } = await form(`/de/bookings/manage/cancel?token=${token}`);
    expect(page.body).toContain('Termin absagen?');
    const unticked = await post(
      '/de/bookings/manage/cancel',
      { _csrf: csrf, token, reason: 'Krank' },
      cookie,
    );
    expect(unticked.statusCode).toBe(422);
    expect(unticked.body).toContain('Bitte bestätigen Sie mit dem Häkchen');
    expect(unticked.body).toContain('>Krank</textarea>');
    expect((await row(b.id)).status).toBe('confirmed');

    const forged = await post('/de/bookings/manage/cancel', { token, confirm: 'yes' }, cookie);
    expect(forged.statusCode).toBe(403);
    expect((await row(b.id)).status).toBe('confirmed');

    const done = await post(
      '/de/bookings/manage/cancel',
      { _csrf: csrf, token, reason: 'Krank', confirm: 'yes', website: '' },
      cookie,
    );
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/de/bookings/manage?token=${token}&done=cancelled`);
    const cancelled = await row(b.id);
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      cancelled_by: 'client',
      cancellation_reason: 'Krank',
    });
    const after = await get(done.headers.location ?? '');
    expect(after.body).toContain('Ihr Termin wurde abgesagt');
    expect(after.body).not.toContain('/bookings/manage/cancel?');
  });

  it('moves the booking through the day and time steps to a confirmation', async () => {
    const { booking: b } = await booking({ language: 'en' });
    const token = manageToken(b.id);
    const days = await get(`/en/bookings/manage/move?token=${token}`);
    expect(days.statusCode).toBe(200);
    expect(days.body).toContain('Wednesday, 25 November 2026');
    // Its own day still offers its own time: the booking does not block itself.
    const times = await get(`/en/bookings/manage/move?token=${token}&day=2026-11-24&tz=Europe%2FBerlin`);
    expect(times.body).toContain('value="2026-11-24T09:00:00.000Z"');
    const { page, cookie, csrf } = await form(
      `/en/bookings/manage/move?token=${token}&tz=Europe%2FBerlin&day=2026-11-25&start=2026-11-25T13:00:00.000Z`,
    );
    expect(page.body).toContain('Move your appointment to this time?');
    expect(page.body).toContain('Wednesday, 25 November 2026, 14:00–15:00');
    const moved = await post(
      '/en/bookings/manage/move',
      { _csrf: csrf, token, tz: 'Europe/Berlin', day: '2026-11-25', start: '2026-11-25T13:00:00.000Z' },
      cookie,
    );
    expect(moved.statusCode).toBe(303);
    expect(moved.headers.location).toBe(`/en/bookings/manage?token=${token}&done=moved`);
    expect((await row(b.id)).datetime.toISOString()).toBe('2026-11-25T13:00:00.000Z');
    expect((await get(moved.headers.location ?? '')).body).toContain('Your appointment has been moved');

    // Its own time again: back to the times, saying why.
    const same = await post(
      '/en/bookings/manage/move',
      { _csrf: csrf, token, tz: 'Europe/Berlin', day: '2026-11-25', start: '2026-11-25T13:00:00.000Z' },
      cookie,
    );
    expect(same.headers.location).toContain('problem=same');
    expect((await get(same.headers.location ?? '')).body).toContain('The booking is already at this time.');
  });

  it('offers no changes after the cut-off', async () => {
    // Starts within 24 hours of now.
    const { booking: b } = await booking({ datetime: new Date('2026-11-20T10:00:00Z'), language: 'en' });
    const token = manageToken(b.id);
    const page = await get(`/en/bookings/manage?token=${token}`);
    expect(page.body).toContain('It can no longer be changed online');
    expect(page.body).not.toContain('/bookings/manage/cancel?');
    const cancel = await get(`/en/bookings/manage/cancel?token=${token}`);
    expect(cancel.statusCode).toBe(303);
  });

  it('stores a rating of a completed meeting once, with words', async () => {
    const { booking: b } = await booking({ status: 'completed', datetime: new Date('2026-11-10T09:00:00Z') });
    const token = feedbackToken(b.id);
    const { page, cookie, csrf } = await form(`/de/bookings/feedback?token=${token}`);
    expect(page.body).toContain('Wie war Ihr Termin?');
    expect(page.body).toContain('5 – Ausgezeichnet');
    const missing = await post('/de/bookings/feedback', { _csrf: csrf, token, text: 'Gut' }, cookie);
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('Bitte wählen Sie eine Bewertung von 1 bis 5.');
    const tooLong = await post(
      '/de/bookings/feedback',
      { _csrf: csrf, token, rating: '4', text: 'x'.repeat(2001) },
      cookie,
    );
    expect(tooLong.statusCode).toBe(422);
    const sent = await post(
      '/de/bookings/feedback',
      { _csrf: csrf, token, rating: '4', text: 'Sehr hilfreich' },
      cookie,
    );
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`/de/bookings/feedback?token=${token}&thanks=1`);
    expect(await row(b.id)).toMatchObject({ client_rating: 4, client_feedback: 'Sehr hilfreich' });
    const thanks = await get(sent.headers.location ?? '');
    expect(thanks.body).toContain('Vielen Dank für Ihre Bewertung!');
    expect(thanks.body).toContain('Sie haben diesen Termin mit 4 von 5 bewertet.');
    expect(thanks.body).not.toContain('name="rating"');
    const again = await post('/de/bookings/feedback', { _csrf: csrf, token, rating: '1' }, cookie);
    expect(again.statusCode).toBe(409);
    expect((await row(b.id)).client_rating).toBe(4);
    // A manage token opens no feedback page.
    expect((await get(`/de/bookings/feedback?token=${manageToken(b.id)}`)).statusCode).toBe(404);
  });
});
