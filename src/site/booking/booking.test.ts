import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../../test/fixture.ts';
import { WEEKDAYS_NINE_TO_FIVE } from '../../../test/helpers/factories.ts';
import { Html } from '../../../test/helpers/html.ts';

const PUBLIC_URL = 'https://voltaic.example';
// A Friday; with 24 hours' notice and weekends off, Monday 23 November is the first day with free times.
const t = useTestApp({ now: new Date('2026-11-20T00:00:00Z'), env: { PUBLIC_URL } });
let authorId: string;

function consultant(overrides: Record<string, unknown> = {}) {
  return t.factories.consultant(authorId, {
    first_name: 'Grete',
    last_name: 'Müller',
    title: 'AI strategist',
    timezone: 'Europe/Berlin',
    languages: ['de', 'en'],
    expertise: ['Machine learning', 'Data strategy'],
    working_hours: JSON.stringify(WEEKDAYS_NINE_TO_FIVE),
    holidays: JSON.stringify([]),
    is_accepting_bookings: true,
    ...overrides,
  });
}

async function get(url: string, cookie?: string) {
  return t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
}

/** The CSRF cookie a form's answer set, as a Cookie header. */
function cookieOf(response: LightMyRequestResponse): string {
  const header = response.headers['set-cookie'];
  const line = (Array.isArray(header) ? header : [header ?? '']).find((c) => c.startsWith('site_csrf='));
  return (line ?? '').split(';')[0] ?? '';
}

function csrfOf(body: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';
}

async function post(url: string, fields: Record<string, string>, cookie?: string) {
  return t.app.inject({
    method: 'POST',
    url,
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
  });
}

const MONDAY_NINE = '2026-11-23T08:00:00.000Z';

function stepUrl(lang: string, id: string, query: string) {
  return `/${lang}/consultants/${id}/book?${query}`;
}

/** The details step of Monday 09:00 Berlin: its cookie, token and page. */
async function detailsStep(id: string, lang = 'en', start = MONDAY_NINE) {
  const page = await get(stepUrl(lang, id, `duration=60&tz=Europe%2FBerlin&day=2026-11-23&start=${start}`));
  return { page, cookie: cookieOf(page), csrf: csrfOf(page.body) };
}

const person = {
  meeting_type: 'video',
  first_name: 'Ada',
  last_name: 'Lovelace',
  email: 'ada@example.com',
  phone: '',
  company: 'Analytical Engines',
  message: 'We want to automate our invoices.',
  consent: 'yes',
  website: '',
};

async function bookingsOf(consultantId: string) {
  return t.database.db.selectFrom('bookings').selectAll().where('consultant_id', '=', consultantId).execute();
}

beforeAll(async () => {
  authorId = (await t.factories.admin()).id;
});

describe(`consultant pages on ${t.engine}`, () => {
  it('lists consultants with expertise, languages and a Book button for those taking bookings', async () => {
    const grete = await consultant();
    const busy = await consultant({ first_name: 'Otto', last_name: 'Busy', is_accepting_bookings: false });
    const page = await get('/en/consultants');
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('public, max-age=60');
    const html = new Html(page.body);
    expect(html.text('h1')).toEqual(['Our consultants']);
    expect(page.body).toContain('Machine learning, Data strategy');
    expect(page.body).toContain('German, English');
    const links = html.all('a').map((el) => el.attribs['href']);
    expect(links).toContain(`/en/consultants/${grete.id}`);
    expect(links).toContain(`/en/consultants/${grete.id}/book`);
    expect(links).toContain(`/en/consultants/${busy.id}`);
    expect(links).not.toContain(`/en/consultants/${busy.id}/book`);

    const german = await get('/de/consultants');
    expect(german.body).toContain('<html lang="de">');
    expect(german.body).toContain('Deutsch, Englisch');
    expect(german.body).toContain('Beratung buchen');
  });

  it('shows a profile with its biography as Markdown, LinkedIn, JSON-LD Person and SEO head', async () => {
    const c = await consultant({
      biography: JSON.stringify({ en: 'I help **teams** ship <b>models</b>.', de: 'Ich helfe **Teams**.' }),
      linkedin_url: 'https://www.linkedin.com/in/grete',
    });
    const page = await get(`/en/consultants/${c.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Grete Müller</h1>');
    expect(page.body).toContain('<strong>teams</strong>');
    expect(page.body).toContain('&lt;b&gt;models&lt;/b&gt;');
    expect(page.body).toContain('href="https://www.linkedin.com/in/grete"');
    expect(page.body).toContain(`<link rel="canonical" href="${PUBLIC_URL}/en/consultants/${c.id}"/>`);
    expect(page.body).toContain(
      `hrefLang="de" href="${PUBLIC_URL}/de/consultants/${c.id}"`.replace('hrefLang', 'hreflang'),
    );
    const ld = [...page.body.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/g)].map(
      (m) => JSON.parse(m[1] ?? '{}') as Record<string, unknown>,
    );
    expect(ld.find((d) => d['@type'] === 'Person')).toMatchObject({
      name: 'Grete Müller',
      jobTitle: 'AI strategist',
      knowsAbout: ['Machine learning', 'Data strategy'],
      sameAs: ['https://www.linkedin.com/in/grete'],
    });
    expect((await get(`/de/consultants/${c.id}`)).body).toContain('<strong>Teams</strong>');
    expect((await get('/en/consultants/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await get('/en/consultants/not-an-id')).statusCode).toBe(404);
  });
});

describe(`booking without JavaScript on ${t.engine}`, () => {
  it('step 1 offers the durations and the time zones with Europe/Berlin chosen', async () => {
    const c = await consultant();
    const page = await get(`/en/consultants/${c.id}/book?duration=90`);
    expect(page.statusCode).toBe(200);
    const html = new Html(page.body);
    const durations = html.named('duration').map((el) => el.attribs['value']);
    expect(durations).toEqual(['30', '60', '90', '120']);
    expect(html.named('duration').find((el) => el.attribs['checked'] !== undefined)?.attribs['value']).toBe(
      '90',
    );
    expect(page.body).toContain('<option value="Europe/Berlin" selected>Europe/Berlin</option>');
    expect(page.body).toContain('<select id="field-tz" name="tz" autocomplete="off" data-time-zone ');
    expect(page.body).toContain('Step 1 of 4');
    // Every step may be indexed, each naming the first step (no choices) as canonical, with a description.
    expect(page.body).not.toContain('noindex');
    expect(page.body).toContain(`<link rel="canonical" href="${PUBLIC_URL}/en/consultants/${c.id}/book"/>`);
    expect(page.body).toMatch(
      /<meta name="description" content="Book a video call, a phone call or a meeting with /,
    );
  });

  it('step 2 lists the days with free times, in the visitor’s zone and language', async () => {
    const c = await consultant();
    const page = await get(stepUrl('en', c.id, 'step=day&duration=60&tz=Europe%2FBerlin'));
    expect(page.statusCode).toBe(200);
    const days = new Html(page.body).text('a').filter((text) => text.includes('free times'));
    // Monday to Friday of two weeks, the weekend off; 09:00–17:00 has 15 starts of an hour, half-hourly.
    expect(days[0]).toBe('Monday, 23 November 2026: 15 free times');
    expect(days).toHaveLength(9);
    expect(days.join()).not.toContain('Saturday');
    expect(page.body).toContain(
      `href="/en/consultants/${c.id}/book?step=time&amp;duration=60&amp;tz=Europe%2FBerlin&amp;from=2026-11-20&amp;day=2026-11-23"`,
    );
    const german = await get(stepUrl('de', c.id, 'step=day&duration=60&tz=Europe%2FBerlin'));
    expect(german.body).toContain('Montag, 23. November 2026');
    expect(german.body).toContain('15 freie Zeiten');
    expect(german.body).toContain('Spätere Tage');
  });

  it('step 3 shows the day’s times in the chosen zone, step 4 the form with a CSRF token and a honeypot', async () => {
    const c = await consultant();
    const berlin = await get(stepUrl('en', c.id, 'duration=60&tz=Europe%2FBerlin&day=2026-11-23'));
    const times = new Html(berlin.body).named('start');
    expect(times[0]?.attribs['value']).toBe(MONDAY_NINE);
    expect(berlin.body).toContain('09:00–10:00');
    const newYork = await get(stepUrl('en', c.id, 'duration=60&tz=America%2FNew_York&day=2026-11-23'));
    expect(newYork.body).toContain('03:00–04:00');
    expect(newYork.body).toContain('Times in America/New York.');

    const { page, cookie, csrf } = await detailsStep(c.id);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(cookie).toMatch(/^site_csrf=[\w-]{43}$/);
    expect(csrf).toMatch(/^[\w-]{43}$/);
    const html = new Html(page.body);
    for (const name of ['first_name', 'last_name', 'email', 'phone', 'company', 'message', 'consent']) {
      const field = html.named(name)[0];
      expect(field, name).toBeDefined();
      // Every field has a label.
      expect(html.all('label', { for: field?.attribs['id'] ?? '' })).toHaveLength(1);
    }
    const honeypot = html.named('website')[0];
    expect(honeypot?.attribs['tabindex']).toBe('-1');
    expect(honeypot?.attribs['autocomplete']).toBe('off');
    expect(page.body).toContain('<div class="hp" aria-hidden="true">');
    expect(page.body).toContain('Monday, 23 November 2026');
  });

  it('books through POST with the CSRF token: 303 to a confirmation with the reference and an ICS link', async () => {
    const c = await consultant();
    const { cookie, csrf } = await detailsStep(c.id);
    const sent = await post(
      `/en/consultants/${c.id}/book`,
      { _csrf: csrf, duration: '60', tz: 'Europe/Berlin', day: '2026-11-23', start: MONDAY_NINE, ...person },
      cookie,
    );
    expect(sent.statusCode, sent.body).toBe(303);
    const location = sent.headers.location ?? '';
    expect(location).toMatch(/^\/en\/bookings\/confirmed\?token=[0-9a-f-]{36}\.[\w-]+$/);
    const [booking] = await bookingsOf(c.id);
    expect(booking).toMatchObject({
      client_first_name: 'Ada',
      client_email: 'ada@example.com',
      client_company: 'Analytical Engines',
      client_phone: null,
      language: 'en',
      timezone: 'Europe/Berlin',
      duration: 60,
      meeting_type: 'video',
      status: 'confirmed',
    });
    expect(booking?.datetime.toISOString()).toBe(MONDAY_NINE);

    const confirmation = await get(location);
    expect(confirmation.statusCode).toBe(200);
    expect(confirmation.body).toContain(booking?.reference);
    expect(confirmation.body).toContain('Monday, 23 November 2026, 09:00–10:00');
    const token = location.split('token=')[1] ?? '';
    expect(confirmation.body).toContain(`href="/en/bookings/invite.ics?token=${token}"`);
    const ics = await get(`/en/bookings/invite.ics?token=${token}`);
    expect(ics.statusCode).toBe(200);
    expect(ics.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(ics.headers['content-disposition']).toBe(`attachment; filename="${booking?.reference}.ics"`);
    expect(ics.body).toContain(`UID:${booking?.id}@voltaic.example`);
    expect(ics.body).toContain('DTSTART:20261123T080000Z');

    // The confirmation mail's manage link opens the website's page.
    const mail = await t.database.db
      .selectFrom('mail_outbox')
      .select('text_body')
      .where('recipient', '=', 'ada@example.com')
      .where('template', '=', 'booking_confirmation')
      .executeTakeFirstOrThrow();
    expect(mail.text_body).toContain(`${PUBLIC_URL}/en/bookings/manage?token=${token}`);
    // Another token, or none at all, shows nothing of the booking.
    const wrong = await get(`/en/bookings/confirmed?token=${token.slice(0, -2)}xx`);
    expect(wrong.statusCode).toBe(404);
    expect(wrong.body).not.toContain(booking?.reference);
    expect((await get(`/en/bookings/invite.ics?token=${token.slice(0, -2)}xx`)).statusCode).toBe(404);
  });

  it('shows the form again with messages next to the fields and a summary, in the page’s language', async () => {
    const c = await consultant();
    const { cookie, csrf } = await detailsStep(c.id, 'de');
    const base = { _csrf: csrf, duration: '60', tz: 'Europe/Berlin', day: '2026-11-23', start: MONDAY_NINE };
    const sent = await post(
      `/de/consultants/${c.id}/book`,
      { ...base, ...person, first_name: '', email: 'not-an-address', consent: '', message: 'x'.repeat(5001) },
      cookie,
    );
    expect(sent.statusCode).toBe(422);
    expect(sent.headers['cache-control']).toBe('no-store');
    const html = new Html(sent.body);
    const first = html.one('input', { id: 'field-first-name' });
    expect(first.attribs['aria-invalid']).toBe('true');
    expect(first.attribs['aria-describedby']).toBe('field-first-name-error');
    expect(html.all('p', { id: 'field-first-name-error' }).length).toBe(1);
    expect(sent.body).toContain('Vorname: Bitte ausfüllen.');
    expect(sent.body).toContain('E-Mail-Adresse: Bitte eine E-Mail-Adresse wie name@example.com eingeben.');
    expect(sent.body).toContain('Bitte höchstens 5000 Zeichen verwenden (jetzt 5001)');
    expect(sent.body).toContain('Bitte stimmen Sie der Verwendung Ihrer Angaben zu');
    const summary = html.one('div', { class: 'error-summary' });
    expect(summary.attribs['role']).toBe('alert');
    const links = html.all('a').filter((a) => (a.attribs['href'] ?? '').startsWith('#field-'));
    expect(links.map((a) => a.attribs['href'])).toEqual([
      '#field-first-name',
      '#field-email',
      '#field-message',
      '#field-consent',
    ]);
    // What was typed is kept.
    expect(html.named('last_name')[0]?.attribs['value']).toBe('Lovelace');
    expect(await bookingsOf(c.id)).toHaveLength(0);

    const english = await post(
      `/en/consultants/${c.id}/book`,
      { ...base, ...person, meeting_type: 'phone' },
      cookie,
    );
    expect(english.statusCode).toBe(422);
    expect(english.body).toContain('Phone: please give the number the consultant should call.');
    expect(english.body).toContain('There is a problem');
  });

  it('refuses a POST without the CSRF cookie or with a token that does not match it', async () => {
    const c = await consultant();
    const { cookie, csrf } = await detailsStep(c.id);
    const base = { duration: '60', tz: 'Europe/Berlin', day: '2026-11-23', start: MONDAY_NINE, ...person };
    const missing = await post(`/en/consultants/${c.id}/book`, base, cookie);
    expect(missing.statusCode).toBe(403);
    expect(missing.body).toContain('this form could not be verified');
    // The form comes back filled in, with a token that works.
    expect(new Html(missing.body).named('first_name')[0]?.attribs['value']).toBe('Ada');
    expect(csrfOf(missing.body)).toBe(csrf);
    const noCookie = await post(`/en/consultants/${c.id}/book`, { ...base, _csrf: csrf });
    expect(noCookie.statusCode).toBe(403);
    const otherCookie = await post(
      `/en/consultants/${c.id}/book`,
      { ...base, _csrf: csrf },
      `site_csrf=${'a'.repeat(43)}`,
    );
    expect(otherCookie.statusCode).toBe(403);
    expect(await bookingsOf(c.id)).toHaveLength(0);
    const retried = await post(
      `/en/consultants/${c.id}/book`,
      { ...base, _csrf: csrfOf(missing.body) },
      cookie,
    );
    expect(retried.statusCode).toBe(303);
    expect(await bookingsOf(c.id)).toHaveLength(1);
  });

  it('answers a filled honeypot as a success and books nothing', async () => {
    const c = await consultant();
    const { cookie, csrf } = await detailsStep(c.id);
    const sent = await post(
      `/en/consultants/${c.id}/book`,
      {
        _csrf: csrf,
        duration: '60',
        tz: 'Europe/Berlin',
        start: MONDAY_NINE,
        ...person,
        website: 'https://spam.example',
      },
      cookie,
    );
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe('/en/bookings/confirmed');
    expect(await bookingsOf(c.id)).toHaveLength(0);
    const page = await get('/en/bookings/confirmed');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Your request has been received');
  });

  it('sends the visitor back to the time step with a message when the time was taken meanwhile', async () => {
    const c = await consultant();
    const { cookie, csrf } = await detailsStep(c.id);
    await t.factories.booking(c.id, { datetime: new Date(MONDAY_NINE), duration: 60, status: 'confirmed' });
    const sent = await post(
      `/en/consultants/${c.id}/book`,
      { _csrf: csrf, duration: '60', tz: 'Europe/Berlin', day: '2026-11-23', start: MONDAY_NINE, ...person },
      cookie,
    );
    expect(sent.statusCode).toBe(303);
    const location = sent.headers.location ?? '';
    expect(location).toContain('step=time');
    expect(location).toContain('problem=taken');
    const step = await get(location);
    expect(step.statusCode).toBe(200);
    expect(step.body).toContain('Sorry, this time has just been booked by someone else');
    expect(step.body).not.toContain(`value="${MONDAY_NINE}"`);
    expect(await bookingsOf(c.id)).toHaveLength(1);
    // The details step of a time no longer offered goes back to the times too.
    const stale = await get(
      stepUrl('en', c.id, `duration=60&tz=Europe%2FBerlin&day=2026-11-23&start=${MONDAY_NINE}`),
    );
    expect(stale.body).toContain('This time can no longer be booked');
  });

  it('refuses JSON and form posts where they do not belong: the API keeps answering 415 to forms', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/public/bookings',
      payload: 'consultant_id=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.statusCode).toBe(415);
  });
});
