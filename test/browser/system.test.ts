// Settings, the audit log and operations in Chromium: a setting edited through the form its type and schema
// build (and a sensitive one replaced without ever being shown), the audit trail showing a permission grant with
// its old and new values, and the jobs, integration log and outbox screens with data in them.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/modules/identity/permissions.ts';
import { seedEssentials } from '../../src/platform/seed.ts';
import type { TestUser } from '../helpers/auth.ts';
import { look, usePanel } from './harness.ts';

/** The background job the jobs screen shows failing, and then (retried once it is healthy) done. */
let healthy = false;
const panel = usePanel({
  // The settings catalogue, as `npm start` seeds it.
  before: async (database) => {
    await seedEssentials(database.db, { email: 'root@example.com', password: 'a long enough password' });
  },
  extend: (app) => {
    app.jobs.define({ name: 'test.panel_export', retryLimit: 0, retryDelay: 1 }, () => {
      if (!healthy) throw new Error('Odoo answered 502 Bad Gateway');
    });
  },
});

/** Looks at the screen once nothing loads any more. */
async function see(page: Page, name: string): Promise<void> {
  await page.waitForFunction(() => document.querySelectorAll('[role="progressbar"]').length === 0);
  // Dialogs fade in: their text is judged at full contrast, once the transition ended.
  await page.waitForFunction(() =>
    document.getAnimations().every((animation) => animation.playState !== 'running'),
  );
  await look(page, name);
}

async function userIn(role: Role, language: 'en' | 'de'): Promise<TestUser> {
  const user = await panel.user(role);
  await panel.test.database.db
    .updateTable('admin_users')
    .set({ language })
    .where('id', '=', user.id)
    .execute();
  return user;
}

async function signedIn(role: Role, language: 'en' | 'de', width?: number): Promise<Page> {
  const page = await panel.open({ locale: language, ...(width ? { width } : {}) });
  await panel.signIn(page, await userIn(role, language));
  return page;
}

interface SettingJson {
  value: unknown;
  is_set: boolean;
}

async function setting(key: string): Promise<SettingJson> {
  const { session } = await panel.test.as('admin');
  return (await panel.test.call(session, 'GET', `/api/v1/settings/${key}`)).json<SettingJson>();
}

describe('settings', { timeout: 120_000 }, () => {
  it('edits a number through its form, refuses one out of range, and replaces a secret without showing it', async () => {
    const page = await signedIn('admin', 'en');
    await page.goto('/admin/settings');
    await page.getByRole('tab', { name: /^General/ }).waitFor();
    await see(page, 'settings-en');

    await page.getByRole('tab', { name: /^Bookings/ }).click();
    await page.getByRole('button', { name: /^Edit: How many hours ahead/ }).click();
    const dialog = page.getByRole('dialog');
    const input = dialog.getByRole('spinbutton', { name: 'Value' });
    expect(await input.inputValue()).toBe('24');
    expect([await input.getAttribute('min'), await input.getAttribute('max')]).toEqual(['0', '720']);
    await input.fill('800');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('At most 720').waitFor();
    await see(page, 'setting-number-invalid-en');
    await input.fill('48');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText(/^Saved: How many hours ahead/).waitFor();
    expect((await setting('booking.min_notice_hours')).value).toBe(48);

    // A boolean is a switch.
    await page.getByRole('tab', { name: /^Odoo/ }).click();
    await page.getByRole('button', { name: /^Edit: Send leads, bookings/ }).click();
    await page.getByRole('dialog').getByRole('switch').check();
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect((await setting('odoo.enabled')).value).toBe(true);

    // A string with an enum is a select of its values.
    await page.getByRole('button', { name: /^Edit: Odoo API/ }).click();
    await page.getByRole('dialog').getByRole('combobox', { name: 'Value' }).click();
    expect(await page.getByRole('option').allTextContents()).toEqual(['jsonrpc', 'json2']);
    await page.getByRole('option', { name: 'json2' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect((await setting('odoo.protocol')).value).toBe('json2');

    // A sensitive one: masked, replaced through an empty password input, never shown.
    await page.getByRole('button', { name: /^Replace: API key of that Odoo user/ }).click();
    const secret = page.getByRole('dialog').getByLabel('New value');
    expect([await secret.inputValue(), await secret.getAttribute('type')]).toEqual(['', 'password']);
    await see(page, 'setting-secret-en');
    await secret.fill('odoo-key-123');
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.getByText('Set (hidden)').waitFor();
    expect(await page.content()).not.toContain('odoo-key-123');
    expect((await setting('odoo.api_key')).value).toBe('••••');
  });

  it('checks JSON as it is typed, and edits in German (at 1024 px)', async () => {
    const page = await signedIn('admin', 'de', 1024);
    await page.goto('/admin/settings');
    await page.getByRole('tab', { name: /^Allgemein/ }).waitFor();
    await see(page, 'settings-de');
    await page.getByRole('button', { name: /^Bearbeiten: Titel der Website/ }).click();
    const text = page.getByRole('dialog').getByRole('textbox', { name: 'Wert' });
    expect(JSON.parse(await text.inputValue())).toEqual({ en: 'voltAIc Systems', de: 'voltAIc Systems' });
    await text.fill('{"en": "Magnetiq", "de": "Magnetiq",}');
    await page
      .getByRole('dialog')
      .getByText(/kein gültiges JSON/)
      .waitFor();
    await see(page, 'setting-json-invalid-de');
    await text.fill('{"en": "Magnetiq", "de": "Magnetiq DE"}');
    await page.getByRole('dialog').getByRole('button', { name: 'Speichern' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect((await setting('site_title')).value).toEqual({ en: 'Magnetiq', de: 'Magnetiq DE' });

    // Supported languages: check boxes of the allowed values; none checked is refused before the API.
    await page.getByRole('tab', { name: /^Sprachen/ }).click();
    await page.getByRole('button', { name: /^Bearbeiten: Unterstützte Sprachen/ }).click();
    await page.getByRole('dialog').getByRole('checkbox', { name: 'de' }).uncheck();
    await page.getByRole('dialog').getByRole('checkbox', { name: 'en' }).uncheck();
    await page.getByRole('dialog').getByRole('button', { name: 'Speichern' }).click();
    await page
      .getByRole('dialog')
      .getByText(/mindestens eine/i)
      .waitFor();
    await page.getByRole('dialog').getByRole('checkbox', { name: 'en' }).check();
    await page.getByRole('dialog').getByRole('button', { name: 'Speichern' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect((await setting('languages')).value).toEqual(['en']);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
  });
});

describe('the audit log', { timeout: 120_000 }, () => {
  it('shows a permission grant with its new values, filtered by table, in English and German', async () => {
    const { session } = await panel.test.as('admin');
    const grantee = await panel.user('editor');
    const granted = await panel.test.call(session, 'POST', `/api/v1/users/${grantee.id}/permissions`, {
      permission: 'audit.read',
    });
    expect(granted.statusCode).toBe(200);

    for (const language of ['en', 'de'] as const) {
      const page = await signedIn('admin', language);
      await page.goto('/admin/audit-logs');
      const words =
        language === 'en'
          ? {
              table: 'Table',
              grants: 'Permission grants',
              users: 'Users',
              created: 'Created',
              after: 'After',
            }
          : {
              table: 'Tabelle',
              grants: 'Berechtigungsvergaben',
              users: 'Benutzer',
              created: 'Angelegt',
              after: 'Nachher',
            };
      await page.getByRole('columnheader', { name: words.table }).waitFor();
      await see(page, `audit-list-${language}`);
      await page.getByRole('combobox', { name: words.table }).click();
      await page.getByRole('option', { name: words.grants }).click();
      await page.waitForURL((url) => (url.searchParams.get('filter') ?? '').includes('user_permissions'));
      // The sign-ins (table: users) are gone once the filtered page is in.
      await page.getByRole('cell', { name: words.users, exact: true }).first().waitFor({ state: 'detached' });
      const row = page.getByRole('row').filter({ hasText: 'audit.read' }).first();
      await row.getByText(words.created).waitFor();
      await row.click();
      const detail = page.getByRole('table', { name: language === 'en' ? 'Changes' : 'Änderungen' });
      await detail.getByRole('columnheader', { name: words.after }).waitFor();
      await detail
        .getByRole('row')
        .filter({ hasText: 'permission' })
        .filter({ hasText: 'audit.read' })
        .waitFor();
      await detail.getByRole('row').filter({ hasText: 'user_id' }).filter({ hasText: grantee.id }).waitFor();
      await see(page, `audit-detail-${language}`);
    }
  });

  it('shows an update as old and new values side by side', async () => {
    const { session } = await panel.test.as('admin');
    const current = (await panel.test.call(session, 'GET', '/api/v1/settings/booking.horizon_days')).json<{
      version: number;
    }>();
    const put = await panel.test.call(session, 'PUT', '/api/v1/settings/booking.horizon_days', {
      value: 90,
      version: current.version,
    });
    expect(put.statusCode).toBe(200);
    const page = await signedIn('admin', 'en', 1024);
    await page.goto('/admin/audit-logs');
    await page.getByRole('combobox', { name: 'Table' }).click();
    await page.getByRole('option', { name: 'Settings' }).click();
    await page.getByRole('cell', { name: 'Users', exact: true }).first().waitFor({ state: 'detached' });
    const row = page.getByRole('row').filter({ hasText: 'booking.horizon_days: value' }).first();
    await row.click();
    const change = page
      .getByRole('table', { name: 'Changes' })
      .getByRole('row')
      .filter({ hasText: /^value/ });
    await change.waitFor();
    expect((await change.getByRole('cell').allTextContents()).map((text) => text.trim())).toEqual([
      'value',
      '60',
      '90',
    ]);
    // All fields: the unchanged ones too, the changed ones marked.
    await page.getByRole('button', { name: /^Show all fields/ }).click();
    const key = page.getByRole('table', { name: 'Changes' }).getByRole('row').filter({ hasText: /^key/ });
    expect((await key.getByRole('cell').allTextContents()).map((text) => text.trim())).toEqual([
      'key',
      'booking.horizon_days',
      'booking.horizon_days',
    ]);
    await change.getByText('changed').waitFor();
    await see(page, 'audit-update-1024');
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
  });
});

describe('operations', { timeout: 120_000 }, () => {
  it('shows the queues and a failed job with its error, and retries it', async () => {
    healthy = false;
    const id = await panel.test.app.jobs.send('test.panel_export', { lead: 'lead-42' });
    const { session } = await panel.test.as('admin');
    await expect
      .poll(
        async () =>
          (await panel.test.call(session, 'GET', '/api/v1/jobs/failed?queue=test.panel_export')).json<{
            total: number;
          }>().total,
        { timeout: 20_000 },
      )
      .toBe(1);

    for (const language of ['de', 'en'] as const) {
      const page = await signedIn('admin', language);
      await page.goto('/admin/jobs');
      await page
        .getByRole('cell', { name: /test\.panel_export/ })
        .first()
        .waitFor();
      await page.getByRole('row').filter({ hasText: 'Odoo answered 502' }).waitFor();
      await see(page, `jobs-${language}`);
      if (language === 'de') continue;
      await page.getByRole('row').filter({ hasText: 'Odoo answered 502' }).click();
      await page
        .getByRole('region', { name: 'Data' })
        .or(page.getByLabel('Data'))
        .getByText(/lead-42/)
        .waitFor();
      await see(page, 'jobs-failed-detail-en');
      healthy = true;
      await page.getByRole('button', { name: 'Retry' }).click();
      await page.getByText('The job is queued again.').waitFor();
      await expect
        .poll(
          async () =>
            (await panel.test.call(session, 'GET', '/api/v1/jobs/failed?queue=test.panel_export')).json<{
              total: number;
            }>().total,
          { timeout: 20_000 },
        )
        .toBe(0);
      await page.reload();
      await page.getByText('No job has failed.').waitFor();
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('lists integration calls, shows one’s request and response, and shows why a retry failed', async () => {
    const failed = await panel.test.database.db
      .insertInto('integration_logs')
      .values({
        integration_name: 'odoo',
        operation: 'crm.lead.write',
        direction: 'outbound',
        endpoint: 'https://odoo.example.com/json/2/crm.lead/write',
        request_data: JSON.stringify({
          method: 'POST',
          body: { ids: [7], vals: { name: 'Lead from the panel test' } },
        }),
        response_data: JSON.stringify({ status: 502, body: 'Bad Gateway' }),
        status: 'error',
        error_message: 'Odoo answered 502 Bad Gateway',
        error_code: 'http_502',
        completed_at: new Date(),
        duration_ms: 1234,
        retry_context: JSON.stringify({
          operation: 'write',
          input: { model: 'crm.lead', ids: [7], values: { name: 'Lead from the panel test' } },
        }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await panel.test.database.db
      .insertInto('integration_logs')
      .values({
        integration_name: 'google_calendar',
        operation: 'events.insert',
        direction: 'outbound',
        request_data: JSON.stringify({ method: 'POST' }),
        response_data: JSON.stringify({ status: 200, body: { id: 'evt-1' } }),
        status: 'success',
        completed_at: new Date(),
        duration_ms: 87,
      })
      .execute();

    for (const language of ['en', 'de'] as const) {
      const page = await signedIn('admin', language);
      await page.goto('/admin/integration-logs');
      await page.getByRole('row').filter({ hasText: 'crm.lead.write' }).waitFor();
      await page.getByRole('row').filter({ hasText: 'events.insert' }).waitFor();
      await see(page, `integration-logs-${language}`);
      await page.goto(`/admin/integration-logs/${failed.id}/show`);
      await page
        .getByText(/Lead from the panel test/)
        .first()
        .waitFor();
      await page
        .getByText(/Bad Gateway/)
        .first()
        .waitFor();
      await see(page, `integration-log-${language}`);
    }

    // No Odoo connection is set up: the retry answers why, in words, on the screen.
    const page = await signedIn('admin', 'en');
    await page.goto(`/admin/integration-logs/${failed.id}/show`);
    await page.getByRole('button', { name: 'Retry' }).click();
    await page
      .locator('#main-content')
      .getByRole('alert')
      .filter({ hasText: /odoo integration is not/i })
      .waitFor();
    await see(page, 'integration-log-retry-failed-en');

    // The status filter.
    await page.goto('/admin/integration-logs');
    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Succeeded' }).click();
    await page.getByRole('row').filter({ hasText: 'crm.lead.write' }).waitFor({ state: 'detached' });
    await page.getByRole('row').filter({ hasText: 'events.insert' }).waitFor();
  });

  it('shows a mail of the outbox as HTML in a sandboxed frame and as text', async () => {
    const recipient = await panel.user('editor');
    const requested = await panel.test.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset/request',
      payload: { email: recipient.email },
    });
    expect(requested.statusCode).toBe(202);

    for (const language of ['en', 'de'] as const) {
      const page = await signedIn('admin', language);
      await page.goto('/admin/outbox');
      const row = page.getByRole('row').filter({ hasText: recipient.email });
      await row.waitFor();
      await see(page, `outbox-${language}`);
      await row.getByRole('button', { name: language === 'en' ? 'Show' : 'Anzeigen' }).click();
      const frame = page.getByRole('dialog').locator('iframe');
      await frame.waitFor();
      expect(await frame.getAttribute('sandbox')).toBe('');
      expect(await frame.getAttribute('srcdoc')).toMatch(/<html|<p|<a/i);
      await see(page, `outbox-mail-html-${language}`);
      await page.getByRole('tab', { name: 'Text' }).click();
      const text = page.getByRole('tabpanel').locator('pre');
      await text.waitFor();
      expect(await text.textContent()).toContain(recipient.email.split('@')[0] === '' ? '' : 'Test');
      await see(page, `outbox-mail-text-${language}`);
    }

    // Filtered by recipient.
    const page = await signedIn('admin', 'en', 1024);
    await page.goto('/admin/outbox');
    await page.getByRole('textbox', { name: 'Recipient' }).fill('nobody-here@example.com');
    await page.getByText('No mail matches these filters.').waitFor();
    await see(page, 'outbox-none-matching-1024');
  });
});
