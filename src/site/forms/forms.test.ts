import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../../test/fixture.ts';

// Two changes a minute per client IP and route, as BOOKING_RATE_LIMIT would allow.
const t = useTestApp({ env: { BOOKING_RATE_LIMIT: '2' } });

function send(url: string, payload: string, type = 'application/x-www-form-urlencoded') {
  return t.app.inject({ method: 'POST', url, payload, headers: { 'content-type': type } });
}

describe(`the website's forms on ${t.engine}`, () => {
  it('limits each form route per IP like the booking API, answering with a page in the URL’s language', async () => {
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await send('/de/bookings/feedback', 'token=x&rating=4'));
    // A form that reaches its handler: the link is not valid.
    expect(answers[0]?.statusCode).toBe(404);
    const limited = answers[2];
    expect(limited?.statusCode).toBe(429);
    expect(limited?.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(limited?.headers['retry-after']).toBeDefined();
    expect(limited?.body).toContain('<h1>Zu viele Versuche</h1>');
    // Another route counts on its own.
    expect((await send('/en/bookings/manage/cancel', 'token=x')).statusCode).toBe(404);
  });

  it('answers a body too large or of another type with a page, not the JSON API’s error', async () => {
    const large = await send('/en/bookings/manage/move', `token=${'a'.repeat(70 * 1024)}`);
    expect(large.statusCode).toBe(413);
    expect(large.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(large.body).toContain('This form could not be read');
    const json = await send('/en/bookings/manage/move', '{"token":"x"}', 'application/json');
    expect(json.statusCode).toBe(404);
    const text = await send('/de/bookings/manage/cancel', '<token/>', 'application/xml');
    expect(text.statusCode).toBe(415);
    expect(text.body).toContain('<h1>Dieses Formular konnte nicht gelesen werden</h1>');
  });

  it('keeps the JSON API closed to form posts (415), so no other site can post a form to it', async () => {
    const response = await send('/api/v1/public/bookings/manage/cancel', 'token=x');
    expect(response.statusCode).toBe(415);
    expect(response.json<{ error: { code: string } }>().error.code).toBe('request.unsupported_media_type');
  });
});
