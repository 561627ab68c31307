import { describe, expect, it } from 'vitest';
import { currentCode } from '../../src/modules/identity/totp.ts';
import { as, signIn } from '../helpers/auth.ts';
import { look, usePanel } from './harness.ts';

const panel = usePanel();

/** Enrols `user` in two-factor authentication through the API; answers the TOTP secret. */
async function enrol(user: { email: string; password: string }): Promise<string> {
  const session = await signIn(panel.test.app, user);
  const setup = await panel.test.app.inject(
    as(session, { method: 'POST', url: '/api/v1/auth/2fa/setup', payload: { password: user.password } }),
  );
  const { secret } = setup.json<{ secret: string }>();
  const confirm = await panel.test.app.inject(
    as(session, {
      method: 'POST',
      url: '/api/v1/auth/2fa/confirm',
      payload: { code: currentCode(secret, new Date()) },
    }),
  );
  expect(confirm.statusCode).toBe(200);
  return secret;
}

describe('the shell', { timeout: 60_000 }, () => {
  it('serves the panel at /admin: the app for any screen, assets immutable, the entry never cached', async () => {
    const entry = await fetch(`${panel.origin}/admin/pages/123`);
    expect(entry.status).toBe(200);
    expect(entry.headers.get('cache-control')).toBe('no-cache');
    const html = await entry.text();
    const asset = /src="(\/admin\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const script = await fetch(`${panel.origin}${asset ?? ''}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(script.status).toBe(200);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.headers.get('content-encoding')).toBe('gzip');
    const missing = await fetch(`${panel.origin}/admin/assets/gone-123.js`);
    expect(missing.status).toBe(404);
  });

  it('signs in with password and authenticator code, and shows the API’s answer to a wrong code', async () => {
    const user = await panel.user('editor');
    const secret = await enrol(user);
    const page = await panel.open();
    await page.goto('/admin/login');
    await look(page, 'sign-in-en');
    await page.getByRole('textbox', { name: /e-mail/i }).fill(user.email);
    await page.getByLabel(/^password/i).fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    const code = page.getByRole('textbox', { name: /authenticator/i });
    await code.waitFor();
    await look(page, 'sign-in-totp-en');
    await code.fill('000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/code is wrong/i);

    // Enrolment used this step's code, and a code works once: the next step's (one step of drift is allowed).
    await code.fill(currentCode(secret, new Date(Date.now() + 30_000)));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.endsWith('/login'));
    // The session lives in HttpOnly cookies: nothing readable by the page holds a token.
    const readable = await page.evaluate(() => document.cookie);
    expect(readable).not.toMatch(/mq_access|mq_refresh/);
    const stored = await page.evaluate(
      () => JSON.stringify(Object.entries(localStorage)) + JSON.stringify(Object.entries(sessionStorage)),
    );
    expect(stored).not.toMatch(/eyJ|refresh/);
  });

  it('tells a wrong password in the chosen language', async () => {
    const user = await panel.user('editor');
    const page = await panel.open({ locale: 'de' });
    await page.goto('/admin/login');
    await look(page, 'sign-in-de');
    await page.getByRole('textbox', { name: /e-mail/i }).fill(user.email);
    await page.getByLabel(/^passwort/i).fill('not the password');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Passwort ist falsch/);
  });

  it('switches to German in the app bar and keeps it in the profile', async () => {
    const user = await panel.user('admin');
    const page = await panel.open();
    await panel.signIn(page, user);
    await page.getByRole('button', { name: 'Language' }).click();
    await page.getByRole('menuitem', { name: 'Deutsch' }).click();
    await page.getByRole('button', { name: 'Sprache' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
    const me = await panel.test.call(await signIn(panel.test.app, user), 'GET', '/api/v1/auth/me');
    expect(me.json<{ user: { language: string } }>().user.language).toBe('de');
  });

  it('refreshes an expired access cookie without leaving the screen', async () => {
    const user = await panel.user('admin');
    const page = await panel.open();
    await panel.signIn(page, user);
    const before = page.url();
    // The access cookie ran out (the browser drops it at its expiry); the refresh cookie is still there.
    await page.context().clearCookies({ name: 'mq_access' });
    await page.getByRole('button', { name: 'Language' }).click();
    await page.getByRole('menuitem', { name: 'Deutsch' }).click();
    const session = await signIn(panel.test.app, user);
    await expect
      .poll(async () => {
        const me = await panel.test.call(session, 'GET', '/api/v1/auth/me');
        return me.json<{ user: { language: string } }>().user.language;
      })
      .toBe('de');
    expect(page.url()).toBe(before);
    const cookies = await page.context().cookies();
    expect(cookies.map((cookie) => cookie.name)).toContain('mq_access');
  });

  it('asks for a reset link without a session', async () => {
    const page = await panel.open();
    await page.goto('/admin/login');
    await page.getByRole('link', { name: /forgot/i }).click();
    await page.getByRole('textbox', { name: /e-mail/i }).fill('nobody@example.com');
    await page.getByRole('button', { name: /send the link/i }).click();
    await page.getByText(/a link is on its way/i).waitFor();
    await look(page, 'forgot-password-en');
  });
});
