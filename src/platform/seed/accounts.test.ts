import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { errorCode, useTestApp } from '../../../test/fixture.ts';
import { makeUser, PASSWORD, signIn, type TestUser } from '../../../test/helpers/auth.ts';
import { currentCode } from '../../modules/identity/totp.ts';
import { resetAdminPassword, unlockAdmin } from '../seed.ts';

// `magnetiq unlock` and `magnetiq reset-password` run these, in-process here, on the engine of the run (PGlite,
// or the PostgreSQL server of TEST_DATABASE_URL); test/process.test.ts runs the commands themselves once.
const t = useTestApp();
const NEW_PASSWORD = 'a brand new passphrase';

const login = (email: string, password: string) =>
  t.call(undefined, 'POST', '/api/v1/auth/login', { email, password });

/** Wrong passwords until the account is locked (423). */
async function lockOut(user: TestUser): Promise<void> {
  let response: LightMyRequestResponse | undefined;
  for (let attempt = 0; attempt < 20 && response?.statusCode !== 423; attempt++) {
    response = await login(user.email, 'not the password at all');
  }
  expect(response && errorCode(response)).toBe('auth.locked');
}

async function passwordResets(userId: string) {
  const { session } = await t.as('super_admin');
  const response = await t.call(
    session,
    'GET',
    `/api/v1/audit-logs?table_name=admin_users&record_id=${userId}&event_type=PASSWORD_RESET`,
  );
  expect(response.statusCode).toBe(200);
  return response.json<{ items: { user_id: string | null; metadata: Record<string, unknown> | null }[] }>()
    .items;
}

describe(`magnetiq unlock on ${t.engine}`, () => {
  it('clears the lock and the failed attempts, so the right password signs in again', async () => {
    const user = await makeUser(t.database, 'editor');
    await lockOut(user);
    expect((await login(user.email, PASSWORD)).statusCode).toBe(423);

    const report = await unlockAdmin(t.database.db, user.email.toUpperCase());
    expect(report).toMatchObject({
      email: user.email,
      isActive: true,
      lockedUntil: expect.any(Date) as unknown,
    });
    expect(report?.failedAttempts).toBeGreaterThan(0);
    expect((await login(user.email, PASSWORD)).statusCode).toBe(200);

    expect(await unlockAdmin(t.database.db, user.email)).toEqual({
      email: user.email,
      lockedUntil: null,
      failedAttempts: 0,
      isActive: true,
    });
  });

  it('knows no unknown or deleted account', async () => {
    expect(await unlockAdmin(t.database.db, 'nobody@example.com')).toBeUndefined();
    const user = await makeUser(t.database, 'viewer');
    const { session } = await t.as('super_admin');
    const version = (await t.call(session, 'GET', `/api/v1/users/${user.id}`)).json<{ version: number }>()
      .version;
    expect(
      (await t.call(session, 'DELETE', `/api/v1/users/${user.id}?version=${String(version)}`)).statusCode,
    ).toBe(204);
    expect(await unlockAdmin(t.database.db, user.email)).toBeUndefined();
  });
});

describe(`magnetiq reset-password on ${t.engine}`, () => {
  it('sets the password, unlocks the account, ends every session and records who did it', async () => {
    const user = await makeUser(t.database, 'admin');
    const stolen = await signIn(t.app, user);
    await lockOut(user);

    const report = await resetAdminPassword(t.database.db, user.email, NEW_PASSWORD);
    expect(report).toEqual({
      email: user.email,
      sessionsEnded: 1,
      wasLocked: true,
      twoFactorEnabled: false,
      isActive: true,
    });

    // The stolen session is dead, access and refresh token alike.
    expect((await t.call(stolen, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
    const refresh = await t.call(undefined, 'POST', '/api/v1/auth/refresh', {
      refresh_token: stolen.refresh_token,
    });
    expect(refresh.statusCode).toBe(401);
    expect(errorCode(await login(user.email, PASSWORD))).toBe('auth.invalid_credentials');
    expect((await login(user.email, NEW_PASSWORD)).statusCode).toBe(200);

    expect(await passwordResets(user.id)).toEqual([
      expect.objectContaining({ user_id: null, metadata: { sessions_ended: 1, generated: false } }),
    ]);
  });

  it('generates a password when none is given, and returns it to be shown once', async () => {
    const user = await makeUser(t.database, 'viewer');
    const report = await resetAdminPassword(t.database.db, user.email, undefined);
    expect(report?.generatedPassword).toMatch(/^[A-Za-z2-9]{24}$/);
    expect(report).toMatchObject({ sessionsEnded: 0, wasLocked: false });
    expect((await login(user.email, report?.generatedPassword ?? '')).statusCode).toBe(200);
    expect(await passwordResets(user.id)).toEqual([
      expect.objectContaining({ metadata: { sessions_ended: 0, generated: true } }),
    ]);
  });

  it('leaves two-factor authentication on, and says so', async () => {
    const user = await makeUser(t.database, 'editor');
    const session = await signIn(t.app, user);
    const setup = await t.call(session, 'POST', '/api/v1/auth/2fa/setup', { password: user.password });
    expect(setup.statusCode).toBe(200);
    const { secret } = setup.json<{ secret: string }>();
    const confirm = await t.call(session, 'POST', '/api/v1/auth/2fa/confirm', {
      code: currentCode(secret, t.clock.now()),
    });
    expect(confirm.statusCode).toBe(200);

    const report = await resetAdminPassword(t.database.db, user.email, NEW_PASSWORD);
    expect(report).toMatchObject({ twoFactorEnabled: true, sessionsEnded: 1 });
    expect(errorCode(await login(user.email, NEW_PASSWORD))).toBe('auth.totp_required');
  });

  it('writes nothing for an unknown address', async () => {
    expect(await resetAdminPassword(t.database.db, 'nobody@example.com', NEW_PASSWORD)).toBeUndefined();
  });
});
