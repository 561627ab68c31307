// Users and permissions, and one's own profile, in Chromium: the list, an invitation, a user's account and
// state, permission grants (and the grantee's menu following them on the next navigation), and the profile's
// details, password, sessions and two-factor enrolment with the QR code and the recovery codes.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { currentCode } from '../../src/modules/identity/totp.ts';
import type { Role } from '../../src/modules/identity/permissions.ts';
import { signIn, type TestUser } from '../helpers/auth.ts';
import { look, usePanel } from './harness.ts';

const panel = usePanel();

/**
 * Looks at the screen once nothing loads any more (the app bar's loading indicator has no accessible name while
 * it spins, and a screen half loaded is not the one to judge).
 */
async function see(page: Page, name: string): Promise<void> {
  await page.waitForFunction(() => document.querySelectorAll('[role="progressbar"]').length === 0);
  // Dialogs fade in: their text is judged at full contrast, once the transition ended.
  await page.waitForFunction(() =>
    document.getAnimations().every((animation) => animation.playState !== 'running'),
  );
  await look(page, name);
}

interface MeJson {
  user: { language: string; timezone: string; first_name: string; two_factor_enabled: boolean };
  permissions: string[];
  two_factor: { enabled: boolean };
}

/** A user whose profile says German (the panel follows the profile's language once signed in). */
async function germanUser(role: Role): Promise<TestUser> {
  const user = await panel.user(role);
  await panel.test.database.db
    .updateTable('admin_users')
    .set({ language: 'de' })
    .where('id', '=', user.id)
    .execute();
  return user;
}

async function meOf(user: { email: string; password: string }): Promise<MeJson> {
  const response = await panel.test.call(await signIn(panel.test.app, user), 'GET', '/api/v1/auth/me');
  return response.json<MeJson>();
}

/** Opens a user's edit screen from the list, found by e-mail. */
async function openUser(page: Page, email: string): Promise<void> {
  await page.goto('/admin/users');
  await page.getByRole('textbox', { name: /search|suche/i }).fill(email);
  // The search is applied (and put in the address) after a pause; a click before would be undone by it.
  await page.waitForURL((url) => (url.searchParams.get('filter') ?? '').includes(email));
  await page.getByRole('cell', { name: email }).click();
  await page.waitForURL(/\/admin\/users\/[0-9a-f-]{36}$/);
  await page.getByRole('tab', { name: /account|konto/i }).waitFor();
}

describe('users and permissions', { timeout: 120_000 }, () => {
  it('grants a permission, and the grantee’s menu shows the new area on their next navigation', async () => {
    const admin = await panel.user('admin');
    const editor = await panel.user('editor');

    // The editor is signed in somewhere else all along.
    const editorPage = await panel.open();
    await panel.signIn(editorPage, editor);
    const menu = editorPage.getByRole('navigation').or(editorPage.locator('.RaSidebar-fixed'));
    await expect.poll(() => menu.getByRole('menuitem', { name: 'Audit log' }).count()).toBe(0);

    const page = await panel.open();
    await panel.signIn(page, admin);
    await page.goto('/admin/users');
    await page.getByRole('cell', { name: editor.email }).waitFor();
    await see(page, 'users-list-en');
    await openUser(page, editor.email);
    await see(page, 'user-edit-en');

    await page.getByRole('tab', { name: 'Permissions' }).click();
    await page.getByText(/no further permissions/i).waitFor();
    await see(page, 'user-permissions-en');
    await page.getByRole('button', { name: 'Grant a permission' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('combobox', { name: /permission/i }).click();
    await page.getByRole('option', { name: /read the audit log/i }).click();
    await see(page, 'user-grant-dialog-en');
    await dialog.getByRole('button', { name: 'Grant', exact: true }).click();
    await page.getByRole('cell', { name: /^read the audit log audit\.read/i }).waitFor();
    await see(page, 'user-permissions-granted-en');
    expect((await meOf(editor)).permissions).toContain('audit.read');

    // The editor navigates (to their profile, through the app bar's user menu): the panel loads /auth/me again
    // on the way, and the menu shows the audit log.
    const reloaded = editorPage.waitForResponse(
      (response) => response.url().endsWith('/api/v1/auth/me') && response.request().method() === 'GET',
    );
    await editorPage.getByRole('button', { name: /profile|test editor/i }).click();
    await editorPage.getByRole('menuitem', { name: 'My profile' }).click();
    await editorPage.waitForURL(/\/admin\/profile$/);
    expect((await reloaded).status()).toBe(200);
    const auditEntry = editorPage.getByRole('menuitem', { name: 'Audit log' });
    await auditEntry.waitFor();
    await auditEntry.click();
    await editorPage.waitForURL(/\/admin\/audit-logs/);
    await editorPage.getByRole('columnheader', { name: 'Event' }).waitFor();

    // Withdrawn again: gone from the menu on the next navigation.
    await page.getByRole('button', { name: /^remove: read the audit log/i }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /confirm/i })
      .click();
    await page.getByText(/no further permissions/i).waitFor();
    await editorPage.getByRole('button', { name: /profile|test editor/i }).click();
    await editorPage.getByRole('menuitem', { name: 'My profile' }).click();
    await expect.poll(() => editorPage.getByRole('menuitem', { name: 'Audit log' }).count()).toBe(0);
  });

  it('grants a permission on one page until a time, found by the page’s title; a reader of users sees without changing', async () => {
    const admin = await panel.user('admin');
    const viewer = await panel.user('viewer');
    const page = await panel.test.factories.page(admin.id, {
      title: JSON.stringify({ en: 'Services for grants', de: 'Leistungen für Vergaben' }),
    });
    const browser = await panel.open();
    await panel.signIn(browser, admin);
    await openUser(browser, viewer.email);
    await browser.getByRole('tab', { name: 'Permissions' }).click();
    await browser.getByRole('button', { name: 'Grant a permission' }).click();
    const dialog = browser.getByRole('dialog');
    await dialog.getByRole('combobox', { name: /permission/i }).click();
    // Included in the viewer's role already: offered, but not to be chosen.
    expect(
      await browser
        .getByRole('option', { name: /^read pages, drafts included/i })
        .getAttribute('aria-disabled'),
    ).toBe('true');
    await browser.getByRole('option', { name: /^create and edit pages/i }).click();
    await dialog.getByRole('radio', { name: 'Only one item' }).check();
    await dialog.getByRole('combobox', { name: 'Page' }).fill('Services');
    await browser.getByRole('option', { name: /Services for grants/ }).click();
    // In the user's time zone (UTC here, the profile's default).
    await dialog.getByLabel('Expires').fill('2099-06-30T18:00');
    await see(browser, 'user-grant-scoped-en');
    await dialog.getByRole('button', { name: 'Grant', exact: true }).click();
    await browser.getByRole('cell', { name: /^create and edit pages/i }).waitFor();
    await browser.getByRole('cell', { name: 'Page: Services for grants' }).waitFor();
    const { session } = await panel.test.as('super_admin');
    const grants = (await panel.test.call(session, 'GET', `/api/v1/users/${viewer.id}/permissions`)).json<{
      items: { permission: string; resource: string | null; expires_at: string | null }[];
    }>().items;
    expect(grants.map(({ permission, resource }) => ({ permission, resource }))).toEqual([
      { permission: 'pages.write', resource: `page:${page.id}` },
    ]);
    expect(new Date(grants[0]?.expires_at ?? '').toISOString()).toBe('2099-06-30T18:00:00.000Z');

    // users.read alone: the list and a user's account and permissions, nothing to change.
    await browser.getByRole('button', { name: 'Grant a permission' }).click();
    await dialog.getByRole('combobox', { name: /permission/i }).click();
    await browser.getByRole('option', { name: /^read the user list/i }).click();
    await dialog.getByRole('button', { name: 'Grant', exact: true }).click();
    await browser.getByRole('cell', { name: /^read the user list/i }).waitFor();
    const reader = await panel.open();
    await panel.signIn(reader, viewer);
    await reader.getByRole('menuitem', { name: 'Users' }).click();
    expect(await reader.getByRole('link', { name: 'Invite' }).count()).toBe(0);
    await reader.getByRole('cell', { name: viewer.email }).click();
    await reader.getByRole('tab', { name: 'Permissions' }).click();
    await reader.getByRole('cell', { name: /^create and edit pages/i }).waitFor();
    expect(await reader.getByRole('button', { name: /grant a permission|remove/i }).count()).toBe(0);
    await reader.getByRole('tab', { name: 'Account' }).click();
    expect(await reader.getByRole('textbox').count()).toBe(0);
    await see(reader, 'user-show-reader-en');
  });

  it('invites a user, changes the role, deactivates, activates, deletes and restores them (in German)', async () => {
    const admin = await germanUser('admin');
    const page = await panel.open({ locale: 'de' });
    await panel.signIn(page, admin);
    await page.goto('/admin/users');
    await page.getByRole('cell', { name: admin.email }).waitFor();
    await see(page, 'users-list-de');
    await page.getByRole('link', { name: 'Einladen' }).click();
    await page.getByRole('textbox', { name: 'E-Mail' }).waitFor();
    await see(page, 'user-invite-de');
    const email = `invited-${Date.now()}@example.com`;
    await page.getByRole('textbox', { name: 'E-Mail' }).fill(email);
    await page.getByRole('textbox', { name: 'Vorname' }).fill('Ina');
    await page.getByRole('textbox', { name: 'Nachname' }).fill('Neu');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.getByText(`Einladung an ${email} gesendet`).waitFor();
    await page.waitForURL(/\/admin\/users\/[0-9a-f-]{36}$/);
    await page.getByRole('tab', { name: 'Konto' }).waitFor();
    const id = /\/admin\/users\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';

    // The invitation went out by mail (kept in the outbox: the test has no mail server).
    const { session } = await panel.test.as('super_admin');
    const outbox = await panel.test.call(
      session,
      'GET',
      `/api/v1/outbox?recipient=${encodeURIComponent(email)}`,
    );
    expect(outbox.json<{ total: number }>().total).toBe(1);

    await see(page, 'user-edit-de');
    await page.getByRole('tab', { name: 'Berechtigungen' }).click();
    await page.getByText(/keine weiteren Berechtigungen/i).waitFor();
    await see(page, 'user-permissions-de');
    await page.getByRole('button', { name: 'Berechtigung vergeben' }).click();
    await page
      .getByRole('dialog')
      .getByRole('combobox', { name: /berechtigung/i })
      .waitFor();
    await see(page, 'user-grant-dialog-de');
    await page.getByRole('dialog').getByRole('button', { name: 'Abbrechen' }).click();
    await page.getByRole('tab', { name: 'Konto' }).click();
    await page.getByRole('combobox', { name: 'Rolle' }).click();
    await page.getByRole('option', { name: 'Betrachter' }).click();
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page
      .getByText(/aktualisiert|gespeichert/i)
      .first()
      .waitFor();
    const read = async () =>
      (await panel.test.call(session, 'GET', `/api/v1/users/${id}`)).json<{
        role: string;
        is_active: boolean;
        deleted_at: string | null;
      }>();
    await expect.poll(async () => (await read()).role).toBe('viewer');

    await page.getByRole('button', { name: 'Deaktivieren' }).click();
    await see(page, 'user-deactivate-confirm-de');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /bestätigen/i })
      .click();
    await page.getByRole('button', { name: 'Aktivieren' }).waitFor();
    expect((await read()).is_active).toBe(false);
    await page.getByRole('button', { name: 'Aktivieren' }).click();
    await page.getByRole('button', { name: 'Deaktivieren' }).waitFor();
    expect((await read()).is_active).toBe(true);

    await page.getByRole('button', { name: 'Löschen' }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /bestätigen/i })
      .click();
    await page.waitForURL(/\/admin\/users$/);
    expect((await read()).deleted_at).not.toBeNull();
    await page
      .getByRole('combobox', { name: 'Gelöschte Benutzer' })
      .or(page.getByRole('button', { name: /filter/i }))
      .first()
      .waitFor();
    await page.goto(`/admin/users/${id}`);
    await page.getByText(/dieser benutzer ist gelöscht/i).waitFor();
    await see(page, 'user-deleted-de');
    await page.getByRole('button', { name: 'Wiederherstellen' }).click();
    await page.getByRole('button', { name: 'Deaktivieren' }).waitFor();
    expect((await read()).deleted_at).toBeNull();
  });

  it('enrols in two-factor authentication from the profile: QR code, code, recovery codes; then turns it off', async () => {
    const user = await panel.user('editor');
    const page = await panel.open();
    await panel.signIn(page, user);
    await page.goto('/admin/profile');
    await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
    await see(page, 'profile-en');

    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    await page
      .getByRole('dialog')
      .getByLabel(/current password/i)
      .fill(user.password);
    await page.getByRole('dialog').getByRole('button', { name: 'Continue' }).click();
    const qr = page.getByRole('img', { name: /qr code/i });
    await qr.waitFor();
    // The QR code is an image of the SVG (a data: URL), never markup put into the page.
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect(await page.locator('[role="dialog"] svg[shape-rendering]').count()).toBe(0);
    await see(page, 'profile-2fa-qr-en');

    const secret = (await page.getByTestId('totp-secret').textContent())?.replace(/\s/g, '') ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await page
      .getByRole('textbox', { name: /code from your authenticator/i })
      .fill(currentCode(secret, new Date()));
    await page.getByRole('button', { name: 'Turn on' }).click();
    const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    await expect.poll(() => codes.count()).toBe(10);
    await see(page, 'profile-2fa-codes-en');
    await page.getByRole('button', { name: 'I have stored them' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.getByText(/signing in needs a code from your authenticator app/i).waitFor();
    await page.getByText('10 recovery codes left.').waitFor();
    const { session } = await panel.test.as('super_admin');
    const stored = await panel.test.call(session, 'GET', `/api/v1/users/${user.id}`);
    expect(stored.json<{ two_factor_enabled: boolean }>().two_factor_enabled).toBe(true);

    await page.getByRole('button', { name: 'Turn off' }).click();
    await page
      .getByRole('dialog')
      .getByLabel(/current password/i)
      .fill(user.password);
    await page.getByRole('dialog').getByRole('button', { name: 'Turn off' }).click();
    await page
      .getByText(/two-factor authentication is off/i)
      .first()
      .waitFor();
    expect((await meOf(user)).two_factor.enabled).toBe(false);
  });

  it('changes names, language and time zone, the password, and ends other sessions (in German)', async () => {
    const user = await germanUser('editor');
    // A session on another device.
    await signIn(panel.test.app, user);
    const page = await panel.open({ locale: 'de' });
    await panel.signIn(page, user);
    await page.goto('/admin/profile');
    await page.getByRole('heading', { name: 'Sitzungen' }).waitFor();
    await expect.poll(() => page.getByRole('button', { name: /^abmelden/i }).count()).toBe(1);
    await see(page, 'profile-de');

    await page.getByRole('textbox', { name: 'Vorname' }).fill('Erika');
    await page.getByRole('combobox', { name: 'Zeitzone' }).fill('America/New');
    await page.getByRole('option', { name: 'America/New York' }).click();
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.getByText('Ihr Profil ist gespeichert.').waitFor();
    const me = await meOf(user);
    expect([me.user.first_name, me.user.timezone]).toEqual(['Erika', 'America/New_York']);

    await page.getByRole('button', { name: 'Alle anderen Sitzungen abmelden' }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /bestätigen/i })
      .click();
    // The API sign-ins of this test count too: one or more ended.
    await page.getByText(/(Eine andere Sitzung wurde|\d+ andere Sitzungen wurden) beendet\./).waitFor();
    await page.getByText('Sie sind nur auf diesem Gerät angemeldet.').waitFor();

    const next = `${user.password} und mehr`;
    await page.getByLabel('Aktuelles Passwort').fill('falsch falsch falsch');
    await page.getByLabel(/^Neues Passwort\s*\*?$/).fill(next);
    await page.getByLabel('Neues Passwort wiederholen').fill(next);
    await page.getByRole('button', { name: 'Passwort ändern' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /passwort/i })
      .waitFor();
    await see(page, 'profile-password-error-de');
    await page.getByLabel('Aktuelles Passwort').fill(user.password);
    await page.getByRole('button', { name: 'Passwort ändern' }).click();
    await page.getByText(/Ihr Passwort ist geändert/).waitFor();
    await signIn(panel.test.app, { email: user.email, password: next });

    // The language: the panel switches at once.
    await page.getByRole('combobox', { name: 'Sprache' }).click();
    await page.getByRole('option', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.getByRole('heading', { name: 'Sessions' }).waitFor();
    await see(page, 'profile-after-language-en');
  });

  it('works at 1024 px wide', async () => {
    const admin = await panel.user('admin');
    const page = await panel.open({ width: 1024 });
    await panel.signIn(page, admin);
    await openUser(page, admin.email);
    await see(page, 'user-edit-self-1024');
    await page.goto('/admin/profile');
    await page.getByRole('heading', { name: 'Sessions' }).waitFor();
    await see(page, 'profile-1024');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
