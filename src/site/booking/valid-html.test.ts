import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../../test/fixture.ts';
import { WEEKDAYS_NINE_TO_FIVE } from '../../../test/helpers/factories.ts';
import { checkHtml } from '../../../test/helpers/vnu.ts';
import { sign } from '../../platform/security/tokens.ts';

const SECRET = 'test-secret-that-is-at-least-32-characters';
const t = useTestApp({ now: new Date('2026-11-20T00:00:00Z'), env: { BOOKING_RATE_LIMIT: '1' } });
let authorId: string;

async function get(url: string) {
  return t.app.inject({ method: 'GET', url });
}

function cookieOf(response: LightMyRequestResponse): string {
  const header = response.headers['set-cookie'];
  const line = (Array.isArray(header) ? header : [header ?? '']).find((c) => c.startsWith('site_csrf='));
  return (line ?? '').split(';')[0] ?? '';
}

async function post(url: string, fields: Record<string, string>, cookie = '') {
  return t.app.inject({
    method: 'POST',
    url,
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
  });
}

beforeAll(async () => {
  authorId = (await t.factories.admin()).id;
});

describe(`the booking pages' HTML on ${t.engine}`, () => {
  it('passes the W3C Nu Html Checker on every kind of page, in both languages', async () => {
    const photo = await t.database.db
      .insertInto('media_files')
      .values({
        filename: `${randomUUID()}.png`,
        original_filename: 'grete.png',
        file_path: `media/${randomUUID()}.png`,
        file_size: 100,
        mime_type: 'image/png',
        width: 800,
        height: 800,
        alt_text: JSON.stringify({ en: 'Grete' }),
        variants: JSON.stringify([{ width: 320, height: 320, size: 10, path: 'v/320.webp' }]),
        uploaded_by: authorId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const c = await t.factories.consultant(authorId, {
      first_name: 'Grete',
      last_name: 'Müller',
      title: 'AI strategist',
      timezone: 'Europe/Berlin',
      languages: ['de', 'en'],
      expertise: ['Machine learning'],
      photo_url: `/api/v1/media/${photo.id}/file`,
      linkedin_url: 'https://www.linkedin.com/in/grete',
      biography: JSON.stringify({ en: '## Background\n\nI help **teams**.' }),
      working_hours: JSON.stringify(WEEKDAYS_NINE_TO_FIVE),
      holidays: JSON.stringify([]),
    });
    const off = await t.factories.consultant(authorId, { is_accepting_bookings: false });
    const b = await t.factories.booking(c.id, {
      datetime: new Date('2026-11-24T09:00:00Z'),
      status: 'confirmed',
      language: 'de',
    });
    const met = await t.factories.booking(c.id, {
      datetime: new Date('2026-11-10T09:00:00Z'),
      status: 'completed',
    });
    const cancelled = await t.factories.booking(c.id, {
      datetime: new Date('2026-11-26T09:00:00Z'),
      status: 'cancelled',
    });
    const manage = (id: string) => `${id}.${sign(SECRET, `booking-manage:${id}`)}`;
    const token = manage(b.id);
    const rate = `${met.id}.${sign(SECRET, `booking-feedback:${met.id}`)}`;
    const book = `/consultants/${c.id}/book`;
    const start = '2026-11-23T08:00:00.000Z';

    const documents: Record<string, string> = {};
    for (const lang of ['en', 'de']) {
      const pages: Record<string, string> = {
        list: '/consultants',
        profile: `/consultants/${c.id}`,
        'profile not booking': `/consultants/${off.id}`,
        'not booking': `/consultants/${off.id}/book`,
        duration: book,
        day: `${book}?step=day&duration=60&tz=Europe%2FBerlin`,
        'day later': `${book}?step=day&duration=60&tz=Europe%2FBerlin&from=2026-12-04`,
        time: `${book}?duration=60&tz=America%2FNew_York&day=2026-11-23&problem=taken`,
        'time none': `${book}?duration=60&tz=Europe%2FBerlin&day=2026-11-22`,
        details: `${book}?duration=60&tz=Europe%2FBerlin&day=2026-11-23&start=${start}`,
        confirmed: `/bookings/confirmed?token=${token}`,
        received: '/bookings/confirmed',
        manage: `/bookings/manage?token=${token}&done=moved`,
        'manage cancelled': `/bookings/manage?token=${manage(cancelled.id)}&done=cancelled`,
        cancel: `/bookings/manage/cancel?token=${token}`,
        'move day': `/bookings/manage/move?token=${token}`,
        'move time': `/bookings/manage/move?token=${token}&tz=Europe%2FBerlin&day=2026-11-25&problem=same`,
        'move confirm': `/bookings/manage/move?token=${token}&tz=Europe%2FBerlin&day=2026-11-25&start=2026-11-25T13:00:00.000Z`,
        feedback: `/bookings/feedback?token=${rate}`,
        'invalid link': '/bookings/manage?token=nothing',
      };
      for (const [name, path] of Object.entries(pages)) {
        const response = await get(`/${lang}${path}`);
        expect(response.headers['content-type'], `${lang} ${name}`).toBe('text/html; charset=utf-8');
        documents[`${lang} ${name}`] = response.body;
      }
      // Forms shown again with every kind of message.
      const details = await get(
        `/${lang}${book}?duration=60&tz=Europe%2FBerlin&day=2026-11-23&start=${start}`,
      );
      const cookie = cookieOf(details);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(details.body)?.[1] ?? '';
      documents[`${lang} details refused`] = (
        await post(
          `/${lang}${book}`,
          { _csrf: csrf, duration: '60', tz: 'Europe/Berlin', start, email: 'x', meeting_type: 'phone' },
          cookie,
        )
      ).body;
      documents[`${lang} cancel refused`] = (
        await post(`/${lang}/bookings/manage/cancel`, { token, reason: 'x'.repeat(2001) }, cookie)
      ).body;
      documents[`${lang} feedback refused`] = (
        await post(`/${lang}/bookings/feedback`, { _csrf: csrf, token: rate }, cookie)
      ).body;
      // The limit is one POST a minute here: the second to a route is refused.
      documents[`${lang} too many`] = (await post(`/${lang}/bookings/feedback`, { token: rate })).body;
    }
    expect(documents['de too many']).toContain('Zu viele Versuche');
    expect(documents['en details refused']).toContain('There is a problem');
    const errors = await checkHtml(documents);
    expect(errors).toEqual([]);
  }, 120_000);
});
