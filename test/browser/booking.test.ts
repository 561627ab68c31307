// Booking a consultation on the website in Chromium, with JavaScript off and on: the consultant list, the
// profile, the four steps, the form, the confirmation with its reference, then the manage link from the mail
// the client got, and cancelling there. Every page on the way is axe-scanned.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { WEEKDAYS_NINE_TO_FIVE } from '../helpers/factories.ts';
import { look, usePanel } from './harness.ts';

const panel = usePanel();
let consultantId = '';

beforeAll(async () => {
  const { factories } = panel.test;
  const author = (await factories.admin()).id;
  const consultant = await factories.consultant(author, {
    first_name: 'Grete',
    last_name: 'Müller',
    title: 'AI strategist',
    timezone: 'Europe/Berlin',
    languages: ['de', 'en'],
    expertise: ['Machine learning'],
    biography: JSON.stringify({ en: 'Ten years of **AI** projects.', de: 'Zehn Jahre **KI**-Projekte.' }),
    working_hours: JSON.stringify(WEEKDAYS_NINE_TO_FIVE),
    holidays: JSON.stringify([]),
    is_accepting_bookings: true,
  });
  consultantId = consultant.id;
});

/** The link to the client's manage page in the last mail to `email` (its path and query). */
async function mailedManageLink(email: string): Promise<string> {
  const mail = await panel.test.database.db
    .selectFrom('mail_outbox')
    .select(['text_body'])
    .where('recipient', '=', email)
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  const url = /https?:\/\/\S+\/bookings\/manage\?token=[\w.-]+/.exec(mail.text_body)?.[0];
  if (!url) throw new Error(`no manage link in the mail to ${email}:\n${mail.text_body}`);
  const { pathname, search } = new URL(url);
  return pathname + search;
}

const WORDS = {
  de: {
    list: 'Unsere Beraterinnen und Berater',
    book: 'Beratung buchen',
    next: 'Weiter',
    times: 'Zeiten anzeigen',
    first: 'Vorname',
    last: 'Nachname',
    email: 'E-Mail-Adresse',
    submit: 'Termin verbindlich buchen',
    booked: 'Ihr Termin ist gebucht',
    reference: 'Buchungsnummer',
    cancel: 'Termin absagen',
    confirm: 'Ja, diesen Termin absagen',
    cancelled: 'Ihr Termin wurde abgesagt',
  },
  en: {
    list: 'Our consultants',
    book: 'Book a consultation',
    next: 'Continue',
    times: 'Show times',
    first: 'First name',
    last: 'Last name',
    email: 'E-mail address',
    submit: 'Book the appointment',
    booked: 'Your appointment is booked',
    reference: 'Reference',
    cancel: 'Cancel the appointment',
    confirm: 'Yes, cancel this appointment',
    cancelled: 'Your appointment has been cancelled',
  },
} as const;

async function bookAndCancel(page: Page, lang: 'de' | 'en', email: string, scan: boolean): Promise<void> {
  const w = WORDS[lang];
  const check = async (name: string) => {
    if (scan) await look(page, `site-booking-${name}-${lang}`);
  };
  await page.goto(`/${lang}/consultants`);
  expect(await page.locator('h1').textContent()).toBe(w.list);
  await check('list');
  await page.getByRole('link', { name: 'Grete Müller', exact: true }).click();
  expect(new URL(page.url()).pathname).toBe(`/${lang}/consultants/${consultantId}`);
  await check('profile');
  await page
    .getByRole('link', { name: new RegExp(`^${w.book}`) })
    .first()
    .click();
  // 1: duration and time zone (Europe/Berlin preselected; with JavaScript the browser's zone, also Berlin here).
  expect(await page.getByRole('combobox').inputValue()).toBe('Europe/Berlin');
  await check('duration');
  await page.getByRole('button', { name: w.next }).click();
  // 2: a day: the first with free times.
  await check('day');
  await page.locator('ul.days a').first().click();
  // 3: a time: the first free one.
  await check('time');
  await page.locator('input[name="start"]').first().check();
  await page.getByRole('button', { name: w.next }).click();
  // 4: the details, consent and the honeypot left alone.
  await check('details');
  await page.getByRole('radio').first().check();
  await page.getByLabel(w.first).fill('Ada');
  await page.getByLabel(w.last).fill('Lovelace');
  await page.getByLabel(w.email).fill(email);
  await page.getByRole('checkbox').check();
  await page.getByRole('button', { name: w.submit }).click();
  // Redirected after the POST to the confirmation, with the reference.
  await page.waitForURL((url) => url.pathname === `/${lang}/bookings/confirmed`);
  expect(await page.locator('h1').textContent()).toBe(w.booked);
  expect(await page.getByText(w.reference).count()).toBeGreaterThan(0);
  await check('confirmed');
  const rows = await panel.test.database.db
    .selectFrom('bookings')
    .select(['status', 'client_email'])
    .where('client_email', '=', email)
    .execute();
  expect(rows).toEqual([{ status: 'confirmed', client_email: email }]);
  // The mail's manage link opens the site's page; cancel there.
  await page.goto(await mailedManageLink(email));
  await check('manage');
  await page.getByRole('link', { name: w.cancel }).click();
  // Asked once more: the box says so, the button cancels.
  await page.getByRole('checkbox', { name: w.confirm }).check();
  await page.getByRole('button', { name: w.cancel }).click();
  await expect.poll(() => page.locator('main').textContent()).toContain(w.cancelled);
  const after = await panel.test.database.db
    .selectFrom('bookings')
    .select('status')
    .where('client_email', '=', email)
    .executeTakeFirstOrThrow();
  expect(after.status).toBe('cancelled');
}

describe('booking a consultation on the website', () => {
  it('works without JavaScript, in German, through to cancelling with the mailed link', async () => {
    const page = await panel.open({ locale: 'de', javaScript: false, width: 390 });
    await bookAndCancel(page, 'de', 'ada.nojs@example.com', false);
  });

  it('works with JavaScript, in English, and no page on the way has a serious accessibility problem', async () => {
    const page = await panel.open({ locale: 'en' });
    await bookAndCancel(page, 'en', 'ada.js@example.com', true);
  });
});
