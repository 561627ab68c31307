import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { as, makeUser, signIn, type Session, type TestUser } from '../../../test/helpers/auth.ts';
import { useTestApp } from '../../../test/fixture.ts';
import { tokenDigest } from '../../platform/security/tokens.ts';
import { keyedDigest } from './keyed.ts';
import { currentCode } from './totp.ts';
import { setSetting } from '../../../test/helpers/settings.ts';

const t = useTestApp({ now: new Date('2030-05-06T07:08:15.000Z') });
// In the middle of a 30-second step, so moving by 30 s lands in the middle of the next one.
const { clock } = t;
let superAdmin: TestUser;
let admin: TestUser;
let user: TestUser;

/** Everything the audit trail holds about a user, as one string. */
const sealedValues: string[] = [];
const secrets: string[] = [];

function errorCode(response: LightMyRequestResponse): string {
  return response.json<{ error: { code: string } }>().error.code;
}

/** The value, or a failed test when there is none. */
function defined<T>(value: T | null | undefined, what = 'value'): T {
  if (value === null || value === undefined) throw new Error(`expected a ${what}`);
  return value;
}

/** A six-digit code that is valid neither now nor one step either side. */
function wrongCode(secret: string): string {
  const now = clock.now().getTime();
  const valid = new Set([-30_000, 0, 30_000].map((d) => currentCode(secret, new Date(now + d))));
  for (let n = 0; ; n++) {
    const code = String((Number(currentCode(secret, new Date(now))) + 1 + n) % 1_000_000).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}

function login(who: TestUser, totpCode?: string) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: who.email, password: who.password, ...(totpCode ? { totp_code: totpCode } : {}) },
  });
}

function userRow(id: string) {
  return t.database.db
    .selectFrom('admin_users')
    .select(['totp_secret', 'totp_enabled_at', 'totp_last_step', 'login_attempts'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

interface Me {
  two_factor: { enabled: boolean; enrolment_required: boolean; recovery_codes_left: number };
}

async function me(session: Session): Promise<Me> {
  const response = await t.app.inject(as(session, { url: '/api/v1/auth/me' }));
  expect(response.statusCode).toBe(200);
  return response.json<Me>();
}

/** Starts enrolment with the password. */
function setup(session: Session, password: string) {
  return t.app.inject(as(session, { method: 'POST', url: '/api/v1/auth/2fa/setup', payload: { password } }));
}

/** Setup and confirm for a signed-in user; returns the secret and the recovery codes. */
async function enrol(session: Session, who: TestUser): Promise<{ secret: string; codes: string[] }> {
  const started = await setup(session, who.password);
  expect(started.statusCode).toBe(200);
  const { secret } = started.json<{ secret: string }>();
  secrets.push(secret);
  const confirm = await t.app.inject(
    as(session, {
      method: 'POST',
      url: '/api/v1/auth/2fa/confirm',
      payload: { code: currentCode(secret, clock.now()) },
    }),
  );
  expect(confirm.statusCode).toBe(200);
  return { secret, codes: confirm.json<{ recovery_codes: string[] }>().recovery_codes };
}

beforeAll(async () => {
  [superAdmin, admin, user] = await Promise.all([
    makeUser(t.database, 'super_admin'),
    makeUser(t.database, 'admin'),
    makeUser(t.database, 'editor'),
  ]);
});

describe(`two-factor authentication on ${t.engine}`, () => {
  describe('enrolment and sign-in', () => {
    let session: Session;
    let secret: string;
    let codes: string[];

    beforeAll(async () => {
      session = await signIn(t.app, user);
    });

    it('starts only with the password; a wrong one counts as a failed attempt and stores nothing', async () => {
      const none = await t.app.inject(as(session, { method: 'POST', url: '/api/v1/auth/2fa/setup' }));
      expect(none.statusCode).toBe(400);
      expect(errorCode(none)).toBe('validation.failed');

      const before = (await userRow(user.id)).login_attempts;
      const wrong = await setup(session, 'not the password at all');
      expect(wrong.statusCode).toBe(403);
      expect(errorCode(wrong)).toBe('auth.password_incorrect');
      expect(await userRow(user.id)).toMatchObject({
        totp_secret: null,
        totp_enabled_at: null,
        login_attempts: before + 1,
      });
      const failed = await t.database.db
        .selectFrom('audit_logs')
        .select('metadata')
        .where('event_type', '=', 'LOGIN_FAILED')
        .where('record_id', '=', user.id)
        .execute();
      expect(failed.map((e) => e.metadata)).toContainEqual({
        reason: 'current_password',
        attempts: before + 1,
      });
    });

    it('starts with a secret, an otpauth URI and a QR code; the stored secret is sealed', async () => {
      const response = await setup(session, user.password);
      expect(response.statusCode).toBe(200);
      // The right password ends the run of failures, as a sign-in does.
      expect((await userRow(user.id)).login_attempts).toBe(0);
      const body = response.json<{ secret: string; otpauth_uri: string; qr_svg: string }>();
      secret = body.secret;
      secrets.push(secret);
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(body.otpauth_uri).toMatch(/^otpauth:\/\/totp\//);
      expect(body.otpauth_uri).toContain('issuer=voltAIc');
      expect(body.otpauth_uri).toContain(`secret=${secret}`);
      expect(body.otpauth_uri).toContain(encodeURIComponent(user.email));
      expect(body.qr_svg).toContain('<svg');

      const row = await userRow(user.id);
      expect(row.totp_secret).toBeTruthy();
      expect(row.totp_secret).not.toBe(secret);
      expect(row.totp_secret).not.toContain(secret);
      expect(row.totp_enabled_at).toBeNull();
      sealedValues.push(defined(row.totp_secret, 'sealed secret'));
      expect((await me(session)).two_factor).toEqual({
        enabled: false,
        enrolment_required: false,
        recovery_codes_left: 0,
      });
      // Not enrolled yet: signing in needs no code.
      expect((await login(user)).statusCode).toBe(200);
    });

    it('confirms only with a valid code, and answers ten recovery codes', async () => {
      const wrong = await t.app.inject(
        as(session, {
          method: 'POST',
          url: '/api/v1/auth/2fa/confirm',
          payload: { code: wrongCode(secret) },
        }),
      );
      expect(wrong.statusCode).toBe(400);
      expect(errorCode(wrong)).toBe('auth.totp_invalid');
      expect((await userRow(user.id)).totp_enabled_at).toBeNull();

      const right = await t.app.inject(
        as(session, {
          method: 'POST',
          url: '/api/v1/auth/2fa/confirm',
          payload: { code: currentCode(secret, clock.now()) },
        }),
      );
      expect(right.statusCode).toBe(200);
      codes = right.json<{ recovery_codes: string[] }>().recovery_codes;
      expect(codes).toHaveLength(10);
      expect(new Set(codes).size).toBe(10);
      for (const code of codes) expect(code).toMatch(/^[a-z0-9]{5}-[a-z0-9]{5}$/);

      const row = await userRow(user.id);
      expect(row.totp_enabled_at).toEqual(clock.now());
      expect(row.totp_secret).toBe(sealedValues.at(-1));
      const stored = await t.database.db
        .selectFrom('admin_recovery_codes')
        .select('code_hash')
        .where('user_id', '=', user.id)
        .execute();
      expect(stored).toHaveLength(10);
      for (const { code_hash } of stored) expect(codes).not.toContain(code_hash);
      // Keyed with the app's secret: not the plain SHA-256 of a code, as typed or normalised.
      const hashes = stored.map((r) => r.code_hash);
      for (const code of codes) {
        const normalised = code.replace('-', '');
        expect(hashes).not.toContain(tokenDigest(code));
        expect(hashes).not.toContain(tokenDigest(normalised));
        expect(hashes).toContain(keyedDigest(t.app.config.appSecret ?? '', 'recovery-code', normalised));
      }

      expect((await me(session)).two_factor).toMatchObject({ enabled: true, recovery_codes_left: 10 });
      const again = await setup(session, user.password);
      expect(again.statusCode).toBe(409);
      expect(errorCode(again)).toBe('auth.totp_already_enabled');
    });

    it('asks for the code at sign-in and counts a wrong one as a failed attempt', async () => {
      const without = await login(user);
      expect(without.statusCode).toBe(401);
      expect(errorCode(without)).toBe('auth.totp_required');

      const before = (await userRow(user.id)).login_attempts;
      const wrong = await login(user, wrongCode(secret));
      expect(wrong.statusCode).toBe(401);
      expect(errorCode(wrong)).toBe('auth.totp_invalid');
      expect((await userRow(user.id)).login_attempts).toBe(before + 1);

      // The code used for the confirmation is spent.
      const confirmed = await login(user, currentCode(secret, clock.now()));
      expect(confirmed.statusCode).toBe(401);
      expect(errorCode(confirmed)).toBe('auth.totp_invalid');
      expect((await userRow(user.id)).login_attempts).toBe(before + 2);
    });

    it('accepts each time step once: a replay is refused, the next step works', async () => {
      clock.advance(0.5);
      const code = currentCode(secret, clock.now());
      const first = await login(user, code);
      expect(first.statusCode).toBe(200);
      expect((await userRow(user.id)).login_attempts).toBe(0);

      const replay = await login(user, code);
      expect(replay.statusCode).toBe(401);
      expect(errorCode(replay)).toBe('auth.totp_invalid');

      clock.advance(0.5);
      const next = currentCode(secret, clock.now());
      expect(next).not.toBe(code);
      // The previous step's code is still within the drift window, but it was used.
      expect((await login(user, code)).statusCode).toBe(401);
      expect((await login(user, next)).statusCode).toBe(200);
    });

    it('accepts a recovery code once', async () => {
      const first = await login(user, codes[0]);
      expect(first.statusCode).toBe(200);
      const second = await login(user, codes[0]);
      expect(second.statusCode).toBe(401);
      expect(errorCode(second)).toBe('auth.totp_invalid');

      const used = await t.database.db
        .selectFrom('audit_logs')
        .select('event_type')
        .where('event_type', '=', 'RECOVERY_CODE_USED')
        .where('record_id', '=', user.id)
        .execute();
      expect(used).toHaveLength(1);
      expect((await me(session)).two_factor).toEqual({
        enabled: true,
        enrolment_required: false,
        recovery_codes_left: 9,
      });
    });

    it('replaces the recovery codes with the password', async () => {
      const wrong = await t.app.inject(
        as(session, {
          method: 'POST',
          url: '/api/v1/auth/2fa/recovery-codes',
          payload: { password: 'not the password at all' },
        }),
      );
      expect(wrong.statusCode).toBe(403);
      expect(errorCode(wrong)).toBe('auth.password_incorrect');

      const response = await t.app.inject(
        as(session, {
          method: 'POST',
          url: '/api/v1/auth/2fa/recovery-codes',
          payload: { password: user.password },
        }),
      );
      expect(response.statusCode).toBe(200);
      const fresh = response.json<{ recovery_codes: string[] }>().recovery_codes;
      expect(fresh).toHaveLength(10);
      expect(fresh.some((c) => codes.includes(c))).toBe(false);
      expect((await me(session)).two_factor.recovery_codes_left).toBe(10);

      expect((await login(user, codes[1])).statusCode).toBe(401);
      // Recovery codes are compared without regard to case and dash.
      expect((await login(user, defined(fresh[0]).toUpperCase().replace('-', ''))).statusCode).toBe(200);
      expect((await me(session)).two_factor.recovery_codes_left).toBe(9);
      codes = fresh;
    });

    it('turns off only with the password; then sign-in needs no code', async () => {
      const wrong = await t.app.inject(
        as(session, {
          method: 'POST',
          url: '/api/v1/auth/2fa/disable',
          payload: { password: 'not the password at all' },
        }),
      );
      expect(wrong.statusCode).toBe(403);
      expect(errorCode(wrong)).toBe('auth.password_incorrect');
      expect((await userRow(user.id)).totp_enabled_at).not.toBeNull();

      const right = await t.app.inject(
        as(session, {
          method: 'POST',
          url: '/api/v1/auth/2fa/disable',
          payload: { password: user.password },
        }),
      );
      expect(right.statusCode).toBe(204);
      const row = await userRow(user.id);
      expect(row.totp_enabled_at).toBeNull();
      expect(row.totp_secret).toBeNull();
      expect(
        await t.database.db
          .selectFrom('admin_recovery_codes')
          .select('id')
          .where('user_id', '=', user.id)
          .execute(),
      ).toEqual([]);
      expect((await me(session)).two_factor).toEqual({
        enabled: false,
        enrolment_required: false,
        recovery_codes_left: 0,
      });
      expect((await login(user)).statusCode).toBe(200);

      const twice = await t.app.inject(
        as(session, {
          method: 'POST',
          url: '/api/v1/auth/2fa/disable',
          payload: { password: user.password },
        }),
      );
      expect(twice.statusCode).toBe(409);
    });
  });

  it("lets an admin turn off a user's two-factor authentication", async () => {
    const session = await signIn(t.app, user);
    await enrol(session, user);
    sealedValues.push(defined((await userRow(user.id)).totp_secret, 'sealed secret'));
    expect((await login(user)).statusCode).toBe(401);

    const editorTry = await t.app.inject(
      as(session, { method: 'DELETE', url: `/api/v1/users/${user.id}/2fa` }),
    );
    expect(editorTry.statusCode).toBe(403);

    const adminSession = await signIn(t.app, admin);
    const response = await t.app.inject(
      as(adminSession, { method: 'DELETE', url: `/api/v1/users/${user.id}/2fa` }),
    );
    expect(response.statusCode).toBe(200);
    expect(response.json<{ id: string; two_factor_enabled: boolean }>()).toMatchObject({
      id: user.id,
      two_factor_enabled: false,
    });
    expect((await userRow(user.id)).totp_secret).toBeNull();
    expect((await login(user)).statusCode).toBe(200);

    const disabled = await t.database.db
      .selectFrom('audit_logs')
      .select(['user_id', 'metadata'])
      .where('event_type', '=', 'TWO_FACTOR_DISABLED')
      .where('record_id', '=', user.id)
      .execute();
    expect(disabled).toHaveLength(2);
    expect(disabled.filter((e) => e.user_id === admin.id)).toEqual([
      { user_id: admin.id, metadata: { by_admin: true } },
    ]);
  });

  it("lets a super admin turn off another super admin's two-factor authentication; an admin may not", async () => {
    const target = await makeUser(t.database, 'super_admin');
    await enrol(await signIn(t.app, target), target);
    sealedValues.push(defined((await userRow(target.id)).totp_secret, 'sealed secret'));
    expect(errorCode(await login(target))).toBe('auth.totp_required');

    const adminSession = await signIn(t.app, admin);
    const refused = await t.app.inject(
      as(adminSession, { method: 'DELETE', url: `/api/v1/users/${target.id}/2fa` }),
    );
    expect([refused.statusCode, errorCode(refused)]).toEqual([403, 'users.super_admin_protected']);
    expect((await userRow(target.id)).totp_enabled_at).not.toBeNull();

    const helper = await makeUser(t.database, 'super_admin');
    const response = await t.app.inject(
      as(await signIn(t.app, helper), { method: 'DELETE', url: `/api/v1/users/${target.id}/2fa` }),
    );
    expect(response.statusCode).toBe(200);
    expect(response.json<{ two_factor_enabled: boolean }>().two_factor_enabled).toBe(false);
    expect(await userRow(target.id)).toMatchObject({ totp_secret: null, totp_enabled_at: null });
    const codes = await t.database.db
      .selectFrom('admin_recovery_codes')
      .select('id')
      .where('user_id', '=', target.id)
      .execute();
    expect(codes).toEqual([]);
    expect((await login(target)).statusCode).toBe(200);
    const disabled = await t.database.db
      .selectFrom('audit_logs')
      .select(['user_id', 'metadata'])
      .where('event_type', '=', 'TWO_FACTOR_DISABLED')
      .where('record_id', '=', target.id)
      .execute();
    expect(disabled).toEqual([{ user_id: helper.id, metadata: { by_admin: true } }]);
  });

  it('an admin cannot turn off their own second factor through the users API, without the password', async () => {
    const self = await makeUser(t.database, 'admin');
    const session = await signIn(t.app, self);
    await enrol(session, self);
    sealedValues.push(defined((await userRow(self.id)).totp_secret, 'sealed secret'));

    const response = await t.app.inject(
      as(session, { method: 'DELETE', url: `/api/v1/users/${self.id}/2fa` }),
    );
    expect([response.statusCode, errorCode(response)]).toEqual([409, 'users.not_yourself']);
    expect((await userRow(self.id)).totp_enabled_at).not.toBeNull();
    expect((await me(session)).two_factor.enabled).toBe(true);
  });

  it('holds a super admin without 2FA to enrolment when the setting asks for it', async () => {
    await setSetting(t.database, 'security.require_2fa_for_super_admins', true);
    try {
      const session = await signIn(t.app, superAdmin);
      const users = await t.app.inject(as(session, { url: '/api/v1/users' }));
      expect(users.statusCode).toBe(403);
      expect(errorCode(users)).toBe('auth.two_factor_enrolment_required');
      expect((await me(session)).two_factor).toEqual({
        enabled: false,
        enrolment_required: true,
        recovery_codes_left: 0,
      });

      // An admin is not held.
      const adminSession = await signIn(t.app, admin);
      expect((await t.app.inject(as(adminSession, { url: '/api/v1/users' }))).statusCode).toBe(200);

      const { secret } = await enrol(session, superAdmin);
      sealedValues.push(defined((await userRow(superAdmin.id)).totp_secret, 'sealed secret'));
      expect((await t.app.inject(as(session, { url: '/api/v1/users' }))).statusCode).toBe(200);
      expect((await me(session)).two_factor).toMatchObject({ enabled: true, enrolment_required: false });

      clock.advance(0.5);
      expect((await login(superAdmin, currentCode(secret, clock.now()))).statusCode).toBe(200);
    } finally {
      await setSetting(t.database, 'security.require_2fa_for_super_admins', false);
    }
  });

  it('never writes a secret into the audit trail', async () => {
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    expect(sealedValues.length).toBeGreaterThanOrEqual(3);
    const rows = await t.database.db
      .selectFrom('audit_logs')
      .select(['event_type', 'old_values', 'new_values', 'metadata', 'changed_fields'])
      .execute();
    const changes = rows.filter((r) => r.old_values !== null || r.new_values !== null);
    expect(changes.length).toBeGreaterThan(0);
    const trail = JSON.stringify(rows);
    for (const value of [...secrets, ...sealedValues]) expect(trail).not.toContain(value);
    for (const row of rows) {
      expect(Object.keys(row.old_values ?? {})).not.toContain('totp_secret');
      expect(Object.keys(row.new_values ?? {})).not.toContain('totp_secret');
    }
    const events = new Set(rows.map((r) => r.event_type));
    expect(events).toContain('TWO_FACTOR_ENABLED');
    expect(events).toContain('TWO_FACTOR_DISABLED');
  });
});
