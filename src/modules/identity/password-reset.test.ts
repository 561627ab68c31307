import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { as, makeUser, signIn, type Session, type TestUser } from '../../../test/helpers/auth.ts';
import { useTestApp } from '../../../test/fixture.ts';
import { addMinutes } from '../../platform/clock.ts';
import { tokenDigest } from '../../platform/security/tokens.ts';
import { currentCode } from './totp.ts';

const NEW_PASSWORD = 'a brand new passphrase 2024';
const PUBLIC_URL = 'http://backoffice.example.test';

const t = useTestApp({ now: new Date('2030-03-04T09:00:00.000Z'), env: { PUBLIC_URL } });
const { clock } = t;
let superAdmin: TestUser;
let admin: TestUser;
/** Language 'en' (the default). */
let english: TestUser;
/** Language 'de'. */
let german: TestUser;

interface MailRow {
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  language: string;
  template: string | null;
  status: string;
}

function mailsTo(email: string): Promise<MailRow[]> {
  return t.database.db
    .selectFrom('mail_outbox')
    .select(['recipient', 'subject', 'text_body', 'html_body', 'language', 'template', 'status'])
    .where('recipient', '=', email)
    .orderBy('created_at')
    .execute();
}

/** The token of the reset link in a mail's text. */
function tokenOf(mail: MailRow): string {
  const match = /\/admin\/reset-password\?token=([A-Za-z0-9_-]+)/.exec(mail.text_body);
  if (!match?.[1]) throw new Error(`no reset link in: ${mail.text_body}`);
  return match[1];
}

function requestReset(email: string) {
  return t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/request', payload: { email } });
}

function confirmReset(token: string, password: string) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/password-reset/confirm',
    payload: { token, password },
  });
}

function errorCode(response: LightMyRequestResponse): string {
  return response.json<{ error: { code: string } }>().error.code;
}

/** The value, or a failed test when there is none. */
function defined<T>(value: T | null | undefined, what = 'value'): T {
  if (value === null || value === undefined) throw new Error(`expected a ${what}`);
  return value;
}

function resetState(id: string) {
  return t.database.db
    .selectFrom('admin_users')
    .select(['password_reset_token', 'password_reset_expires_at', 'password_changed_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

function events(type: string, userId: string) {
  return t.database.db
    .selectFrom('audit_logs')
    .select(['event_type', 'user_id', 'record_id'])
    .where('event_type', '=', type)
    .where('record_id', '=', userId)
    .execute();
}

beforeAll(async () => {
  [superAdmin, admin, english, german] = await Promise.all([
    makeUser(t.database, 'super_admin'),
    makeUser(t.database, 'admin'),
    makeUser(t.database, 'editor'),
    makeUser(t.database, 'viewer'),
  ]);
  await t.database.db
    .updateTable('admin_users')
    .set({ language: 'de' })
    .where('id', '=', german.id)
    .execute();
});

describe(`password reset on ${t.engine}`, () => {
  it('answers 202 for an unknown address as well, and sends nothing', async () => {
    const before = await t.database.db
      .selectFrom('mail_outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const response = await requestReset('nobody-here@example.com');
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ status: 'accepted' });
    const after = await t.database.db
      .selectFrom('mail_outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect(await mailsTo('nobody-here@example.com')).toEqual([]);
  });

  it('mails an English link to an English user, keeping only the digest of the token', async () => {
    // Any spelling of the address finds the account.
    const response = await requestReset(english.email.toUpperCase());
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ status: 'accepted' });

    const mails = await mailsTo(english.email);
    expect(mails).toHaveLength(1);
    const mail = defined(mails[0], 'mail');
    expect(mail).toMatchObject({
      status: 'outbox',
      language: 'en',
      template: 'password_reset',
      subject: 'Reset your voltAIc Systems password',
    });
    expect(mail.text_body).toContain(`${PUBLIC_URL}/admin/reset-password?token=`);
    const token = tokenOf(mail);
    expect(mail.html_body).toContain(`href="${PUBLIC_URL}/admin/reset-password?token=${token}"`);
    expect(mail.html_body).toContain('<html lang="en">');

    const state = await resetState(english.id);
    expect(state.password_reset_token).toMatch(/^[0-9a-f]{64}$/);
    expect(state.password_reset_token).not.toBe(token);
    expect(state.password_reset_token).not.toContain(token);
    expect(state.password_reset_token).toBe(tokenDigest(token));
    expect(state.password_reset_expires_at).toEqual(addMinutes(clock.now(), 60));

    expect(await events('PASSWORD_RESET_REQUESTED', english.id)).toHaveLength(1);
  });

  it('sends no second mail within a minute', async () => {
    const first = await resetState(english.id);
    clock.advance(0.5);
    const response = await requestReset(english.email);
    expect(response.statusCode).toBe(202);
    expect(await mailsTo(english.email)).toHaveLength(1);
    // The first link stays the one that works.
    expect((await resetState(english.id)).password_reset_token).toBe(first.password_reset_token);
    expect(await events('PASSWORD_RESET_REQUESTED', english.id)).toHaveLength(1);
  });

  it('mails a German user in German', async () => {
    expect((await requestReset(german.email)).statusCode).toBe(202);
    const mails = await mailsTo(german.email);
    expect(mails).toHaveLength(1);
    const mail = defined(mails[0], 'mail');
    expect(mail).toMatchObject({
      status: 'outbox',
      language: 'de',
      subject: 'Ihr Passwort bei voltAIc Systems zurücksetzen',
    });
    expect(mail.text_body).toContain('Hallo Test,');
    expect(mail.text_body).toContain('Neues Passwort wählen: ');
    expect(mail.html_body).toContain('<html lang="de">');
    expect((await resetState(german.id)).password_reset_token).toBe(tokenDigest(tokenOf(mail)));
  });

  describe('confirming', () => {
    let token: string;
    let live: Session;

    beforeAll(async () => {
      token = tokenOf(defined((await mailsTo(english.email))[0], 'mail'));
      live = await signIn(t.app, english);
    });

    it('refuses a password that breaks the policy, and the token stays usable', async () => {
      const short = await confirmReset(token, 'x'.repeat(11));
      expect(short.statusCode).toBe(400);

      const email = await confirmReset(token, english.email);
      expect(email.statusCode).toBe(400);
      expect(errorCode(email)).toBe('auth.password_policy');

      const localPart = await confirmReset(token, defined(english.email.split('@')[0]));
      expect(localPart.statusCode).toBe(400);
      expect(errorCode(localPart)).toBe('auth.password_policy');
      expect((await resetState(english.id)).password_reset_token).toBe(tokenDigest(token));
    });

    it('sets the new password, ends every session and can be used only once', async () => {
      expect((await t.app.inject(as(live, { url: '/api/v1/auth/me' }))).statusCode).toBe(200);

      const response = await confirmReset(token, NEW_PASSWORD);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ two_factor_enabled: false });

      const me = await t.app.inject(as(live, { url: '/api/v1/auth/me' }));
      expect(me.statusCode).toBe(401);

      const old = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: english.email, password: english.password },
      });
      expect(old.statusCode).toBe(401);
      expect(errorCode(old)).toBe('auth.invalid_credentials');
      await signIn(t.app, { email: english.email, password: NEW_PASSWORD });

      const state = await resetState(english.id);
      expect(state.password_changed_at).toEqual(clock.now());
      expect(state.password_reset_token).toBeNull();
      expect(state.password_reset_expires_at).toBeNull();

      const session = await t.database.db
        .selectFrom('admin_sessions')
        .select(['invalidated_at', 'invalidated_reason'])
        .where('id', '=', await sessionIdOf(live))
        .executeTakeFirstOrThrow();
      expect(session.invalidated_reason).toBe('password_reset');

      const again = await confirmReset(token, 'yet another passphrase 99');
      expect(again.statusCode).toBe(400);
      expect(errorCode(again)).toBe('auth.reset_token_invalid');

      const reset = await t.database.db
        .selectFrom('audit_logs')
        .select(['user_id', 'metadata'])
        .where('event_type', '=', 'PASSWORD_RESET')
        .where('record_id', '=', english.id)
        .execute();
      expect(reset).toHaveLength(1);
      expect(reset[0]?.user_id).toBe(english.id);
      expect(reset[0]?.metadata).toMatchObject({ sessions_ended: 1 });

      // The owner is told, in their language; the notice carries no link.
      const notices = (await mailsTo(english.email)).filter((m) => m.template === 'password_changed');
      expect(notices).toHaveLength(1);
      const notice = defined(notices[0], 'notice');
      expect(notice).toMatchObject({
        status: 'outbox',
        language: 'en',
        subject: 'Your voltAIc Systems password was changed',
      });
      expect(notice.text_body).toContain('Hello Test,');
      expect(notice.text_body).toMatch(/Two-factor authentication:\s+off/);
      expect(notice.text_body).toMatch(/Changed:\s+4 Mar 2030, 09:\d\d UTC/);
      expect(notice.text_body).not.toContain('stays on');
      expect(notice.text_body).not.toContain('token=');
      expect(notice.html_body).toContain('<html lang="en">');
    });

    it('refuses a token nobody was sent', async () => {
      const response = await confirmReset('not-a-token-anyone-got', NEW_PASSWORD);
      expect(response.statusCode).toBe(400);
      expect(errorCode(response)).toBe('auth.reset_token_invalid');
    });
  });

  it('refuses a token after one hour; a new request after a minute mails a new link', async () => {
    const token = tokenOf(defined((await mailsTo(german.email))[0], 'mail'));
    clock.advance(61);
    const late = await confirmReset(token, NEW_PASSWORD);
    expect(late.statusCode).toBe(400);
    expect(errorCode(late)).toBe('auth.reset_token_invalid');
    await signIn(t.app, german);

    expect((await requestReset(german.email)).statusCode).toBe(202);
    const mails = await mailsTo(german.email);
    expect(mails).toHaveLength(2);
    const fresh = mails.map(tokenOf).find((t) => t !== token);
    expect(fresh).toBeDefined();
    expect((await confirmReset(token, NEW_PASSWORD)).statusCode).toBe(400);
    expect((await confirmReset(defined(fresh, 'new token'), NEW_PASSWORD)).statusCode).toBe(200);
    await signIn(t.app, { email: german.email, password: NEW_PASSWORD });
    expect(await events('PASSWORD_RESET_REQUESTED', german.id)).toHaveLength(2);
    expect(await events('PASSWORD_RESET', german.id)).toHaveLength(1);
  });

  it('leaves two-factor authentication on and says so, in the answer and in the notice (German)', async () => {
    const user = await makeUser(t.database, 'editor');
    await t.database.db
      .updateTable('admin_users')
      .set({ language: 'de' })
      .where('id', '=', user.id)
      .execute();
    const session = await signIn(t.app, user);
    const setup = await t.app.inject(
      as(session, { method: 'POST', url: '/api/v1/auth/2fa/setup', payload: { password: user.password } }),
    );
    expect(setup.statusCode).toBe(200);
    const { secret } = setup.json<{ secret: string }>();
    const confirm = await t.app.inject(
      as(session, {
        method: 'POST',
        url: '/api/v1/auth/2fa/confirm',
        payload: { code: currentCode(secret, clock.now()) },
      }),
    );
    expect(confirm.statusCode).toBe(200);

    clock.advance(2);
    expect((await requestReset(user.email)).statusCode).toBe(202);
    const token = tokenOf(defined((await mailsTo(user.email)).at(-1), 'reset mail'));
    const response = await confirmReset(token, NEW_PASSWORD);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ two_factor_enabled: true });

    // The new password alone does not sign in: the second factor is still asked for, and works.
    const login = (totp_code?: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: user.email, password: NEW_PASSWORD, ...(totp_code ? { totp_code } : {}) },
      });
    const without = await login();
    expect([without.statusCode, errorCode(without)]).toEqual([401, 'auth.totp_required']);
    clock.advance(1);
    expect((await login(currentCode(secret, clock.now()))).statusCode).toBe(200);

    const notice = defined(
      (await mailsTo(user.email)).find((m) => m.template === 'password_changed'),
      'notice',
    );
    expect(notice).toMatchObject({
      language: 'de',
      subject: 'Ihr Passwort bei voltAIc Systems wurde geändert',
    });
    expect(notice.text_body).toMatch(/Zwei-Faktor-Authentifizierung:\s+aktiv \(unverändert\)/);
    expect(notice.text_body).toContain('Die Zwei-Faktor-Authentifizierung bleibt aktiv');
    expect(notice.html_body).toContain('Die Zwei-Faktor-Authentifizierung bleibt aktiv');
  });

  it('mails a reset link to an invited user whose invitation is still open', async () => {
    const adminSession = await signIn(t.app, admin);
    const email = `invited-${Date.now()}@example.com`;
    const created = await t.app.inject(
      as(adminSession, {
        method: 'POST',
        url: '/api/v1/users',
        payload: { email, first_name: 'Ina', last_name: 'Vited', role: 'editor' },
      }),
    );
    expect(created.statusCode).toBe(201);
    const [invitation] = await mailsTo(email);
    expect(invitation?.template).toBe('invitation');

    // The invitation mail got lost; ten minutes later the user asks for a reset instead.
    clock.advance(10);
    expect((await requestReset(email)).statusCode).toBe(202);
    const mails = await mailsTo(email);
    expect(mails.map((m) => m.template)).toEqual(['invitation', 'password_reset']);
    const token = tokenOf(defined(mails[1], 'reset mail'));
    expect((await confirmReset(token, NEW_PASSWORD)).statusCode).toBe(200);
    await signIn(t.app, { email, password: NEW_PASSWORD });

    // The one-a-minute limit still holds for the reset mails themselves.
    expect((await requestReset(email)).statusCode).toBe(202);
    clock.advance(0.5);
    expect((await requestReset(email)).statusCode).toBe(202);
    expect((await mailsTo(email)).map((m) => m.template)).toEqual([
      'invitation',
      'password_reset',
      'password_changed',
      'password_reset',
    ]);
  });

  it('shows the link in the outbox to a super admin and redacts it for an admin', async () => {
    const [superSession, adminSession] = [await signIn(t.app, superAdmin), await signIn(t.app, admin)];
    const list = (session: Session) =>
      t.app.inject(
        as(session, { url: `/api/v1/outbox?recipient=${encodeURIComponent(english.email.toUpperCase())}` }),
      );

    const full = await list(superSession);
    expect(full.statusCode).toBe(200);
    const fullBody = full.json<{ items: MailRow[]; total: number }>();
    // The reset link, and the notice that the password was changed with it.
    expect(fullBody.items.map((m) => m.template).sort()).toEqual(['password_changed', 'password_reset']);
    const resetMail = (items: MailRow[]) =>
      defined(
        items.find((m) => m.template === 'password_reset'),
        'outbox entry',
      );
    const token = tokenOf(resetMail(fullBody.items));
    expect(resetMail(fullBody.items).html_body).toContain(`token=${token}`);

    const redacted = await list(adminSession);
    expect(redacted.statusCode).toBe(200);
    const item = resetMail(redacted.json<{ items: MailRow[] }>().items);
    expect(item.subject).toBe('Reset your voltAIc Systems password');
    expect(item.text_body).toContain('/admin/reset-password?token=[redacted]');
    expect(item.html_body).toContain('/admin/reset-password?token=[redacted]');
    expect(redacted.body).not.toContain(token);
  });
});

/** The id of the session behind an access token. */
async function sessionIdOf(session: Session): Promise<string> {
  const row = await t.database.db
    .selectFrom('admin_sessions')
    .select('id')
    .where('session_token', '=', tokenDigest(session.access_token))
    .executeTakeFirstOrThrow();
  return row.id;
}
