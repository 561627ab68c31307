// The dashboard: for an administrator every card has something to show (bookings ahead, scheduled and draft
// pages, a failed job, mail waiting and failed, an integration error, who is signed in now); a viewer sees only
// the cards their permissions allow.
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Role } from '../../src/modules/identity/permissions.ts';
import { look, usePanel } from './harness.ts';

const panel = usePanel({
  extend: (app) => {
    app.jobs.define({ name: 'test.dashboard', retryLimit: 0, retryDelay: 1 }, () => {
      throw new Error('Odoo answered 502');
    });
  },
});

const HOUR = 3_600_000;

async function openAs(role: Role, language: 'en' | 'de', width = 1280): Promise<Page> {
  const user = await panel.user(role);
  await panel.test.database.db
    .updateTable('admin_users')
    .set({ timezone: 'Europe/Berlin', language })
    .where('id', '=', user.id)
    .execute();
  const page = await panel.open({ locale: language, width });
  await panel.signIn(page, user);
  return page;
}

/** The card (a region named by its heading). */
const card = (page: Page, title: string) => page.getByRole('region', { name: title });

beforeAll(async () => {
  const { factories, database, app } = panel.test;
  const author = (await factories.admin()).id;
  const consultant = await factories.consultant(author, { first_name: 'Ada', last_name: 'Lovelace' });
  await factories.booking(consultant.id, {
    datetime: new Date(Date.now() + 48 * HOUR),
    client_first_name: 'Clara',
    client_last_name: 'Schumann',
  });
  await factories.page(author, {
    status: 'scheduled',
    scheduled_at: new Date(Date.now() + 72 * HOUR),
    title: JSON.stringify({ en: 'Spring offer', de: 'Frühlingsangebot' }),
  });
  await factories.page(author, {
    status: 'draft',
    title: JSON.stringify({ en: 'Pricing draft', de: 'Preisentwurf' }),
  });
  await database.db
    .insertInto('mail_outbox')
    .values([
      {
        recipient: 'waiting@example.com',
        subject: 'Your booking is confirmed',
        text_body: 'See you soon',
        status: 'queued',
      },
      {
        recipient: 'bounced@example.com',
        subject: 'Your appointment tomorrow',
        text_body: 'Reminder',
        status: 'failed',
        error: '550 mailbox unavailable',
      },
    ])
    .execute();
  await database.db
    .insertInto('integration_logs')
    .values({
      integration_name: 'odoo',
      operation: 'crm.lead.create',
      direction: 'outbound',
      status: 'error',
      error_message: 'Odoo answered 502 Bad Gateway',
      started_at: new Date(Date.now() - 2 * HOUR),
    })
    .execute();
  // Signed in on two devices: listed once, with both sessions; a deactivated user's live session lists nobody.
  const grace = await factories.admin({ first_name: 'Grace', last_name: 'Hopper', role: 'editor' });
  const ghost = await factories.admin({ first_name: 'Ghost', last_name: 'Writer', is_active: false });
  for (const userId of [grace.id, grace.id, ghost.id]) {
    await database.db
      .insertInto('admin_sessions')
      .values({
        user_id: userId,
        session_token: randomBytes(32).toString('hex'),
        expires_at: new Date(Date.now() + 24 * HOUR),
        access_expires_at: new Date(Date.now() + HOUR),
        last_activity_at: new Date(Date.now() - 0.05 * HOUR),
      })
      .execute();
  }
  await app.jobs.send('test.dashboard', { lead: 'x' });
  const { session } = await panel.test.as('admin');
  await vi.waitFor(
    async () => {
      const failed = await panel.test.call(session, 'GET', '/api/v1/jobs/failed?queue=test.dashboard');
      expect(failed.json<{ total: number }>().total).toBe(1);
    },
    { timeout: 30_000, interval: 250 },
  );
});

describe('the dashboard', { timeout: 60_000 }, () => {
  it('shows an administrator what needs attention, in English', async () => {
    const page = await openAs('admin', 'en');
    await card(page, 'Upcoming bookings')
      .getByText(/Clara Schumann/)
      .waitFor();
    await card(page, 'Scheduled pages').getByText('Spring offer').waitFor();
    await card(page, 'Drafts').getByText('Pricing draft').waitFor();
    await card(page, 'Failed background jobs').getByText('test.dashboard', { exact: true }).waitFor();
    await card(page, 'Mail waiting to be sent').getByText('1 waiting, 1 failed').waitFor();
    await card(page, 'Mail waiting to be sent').getByText('Your appointment tomorrow').waitFor();
    await card(page, 'Integration errors (24 hours)')
      .getByText(/Odoo answered 502 Bad Gateway/)
      .waitFor();
    const active = card(page, 'Who is active');
    await active.getByText('Signed in now').waitFor();
    await active.getByText('Test admin').first().waitFor();
    const grace = active.getByRole('listitem').filter({ hasText: 'Grace Hopper' });
    await grace.getByText('2 sessions').waitFor();
    await grace.getByText(/^Editor · last active /).waitFor();
    expect(await active.getByText('Ghost Writer').count()).toBe(0);
    await active.getByText('This device').waitFor();
    await look(page, 'dashboard-admin-en');

    await card(page, 'Upcoming bookings')
      .getByRole('link', { name: /Clara Schumann/ })
      .click();
    await page.waitForURL(/\/admin\/bookings\/[0-9a-f-]+\/show$/);
  });

  it('shows an administrator the same in German, at 1024 px', async () => {
    const page = await openAs('admin', 'de', 1024);
    await card(page, 'Anstehende Buchungen')
      .getByText(/Clara Schumann/)
      .waitFor();
    await card(page, 'Geplante Seiten').getByText('Frühlingsangebot').waitFor();
    await card(page, 'Entwürfe').getByText('Preisentwurf').waitFor();
    await card(page, 'Fehlgeschlagene Hintergrundaufgaben')
      .getByText('test.dashboard', { exact: true })
      .waitFor();
    await card(page, 'Ausstehende E-Mails').getByText('1 wartend, 1 fehlgeschlagen').waitFor();
    await card(page, 'Fehler bei Integrationen (24 Stunden)')
      .getByText(/Odoo answered 502/)
      .waitFor();
    const active = card(page, 'Wer ist aktiv');
    await active.getByText('Jetzt angemeldet').waitFor();
    const grace = active.getByRole('listitem').filter({ hasText: 'Grace Hopper' });
    await grace.getByText('2 Sitzungen').waitFor();
    await grace.getByText(/^Redakteur · zuletzt aktiv /).waitFor();
    await active.getByText('Dieses Gerät').waitFor();
    await look(page, 'dashboard-admin-de-1024');
  });

  it('shows a viewer only the cards their permissions allow', async () => {
    for (const language of ['en', 'de'] as const) {
      const page = await openAs('viewer', language);
      const [bookings, drafts, active, jobs, mail, errors] =
        language === 'en'
          ? [
              'Upcoming bookings',
              'Drafts',
              'Who is active',
              'Failed background jobs',
              'Mail waiting to be sent',
              'Integration errors (24 hours)',
            ]
          : [
              'Anstehende Buchungen',
              'Entwürfe',
              'Wer ist aktiv',
              'Fehlgeschlagene Hintergrundaufgaben',
              'Ausstehende E-Mails',
              'Fehler bei Integrationen (24 Stunden)',
            ];
      await card(page, bookings)
        .getByText(/Clara Schumann/)
        .waitFor();
      await card(page, drafts)
        .getByText(language === 'en' ? 'Pricing draft' : 'Preisentwurf')
        .waitFor();
      await card(page, active)
        .getByText(language === 'en' ? 'This device' : 'Dieses Gerät')
        .waitFor();
      for (const hidden of [jobs, mail, errors]) expect(await card(page, hidden).count()).toBe(0);
      expect(await card(page, active).getByText('Grace Hopper').count()).toBe(0);
      // Without users.read: the user's own sessions, not the list of who is signed in.
      expect(await card(page, active).getByRole('heading', { level: 3 }).count()).toBe(1);
      await look(page, `dashboard-viewer-${language}`);
    }
  });
});
