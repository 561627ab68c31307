import type { LightMyRequestResponse } from 'fastify';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { makeUser, PASSWORD, type TestUser } from '../../../test/helpers/auth.ts';
import { setSetting } from '../../../test/helpers/settings.ts';
import { useTestApp } from '../../../test/fixture.ts';
import { tokenDigest } from '../../platform/security/tokens.ts';
import { keyedDigest } from './keyed.ts';

/*
 * The lockout answers alike whether an address has an account or not: the same sequence of wrong passwords
 * at a known and at an unknown address gives the same statuses and the same bodies, with a password
 * verification behind each answer that a known address would have paid for. Every verification is recorded.
 */

const verified = vi.hoisted(() => ({ calls: [] as { hash: string; password: string }[] }));

vi.mock('../../platform/security/passwords.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../platform/security/passwords.ts')>();
  return {
    ...real,
    verifyPassword(hash: string, password: string): Promise<boolean> {
      verified.calls.push({ hash, password });
      return real.verifyPassword(hash, password);
    },
  };
});

const t = useTestApp({ now: new Date('2031-02-03T10:00:00.000Z') });
const { clock } = t;

let counter = 0;
/** An address no account has, new for each test. */
function unknownAddress(): string {
  counter += 1;
  return `nobody-${counter}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

function login(email: string, password: string) {
  return t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
}

interface Answer {
  status: number;
  body: string;
  type: string | undefined;
  /** How many password verifications the answer cost. */
  verifications: number;
}

async function attempt(email: string, password: string): Promise<Answer> {
  const before = verified.calls.length;
  const res: LightMyRequestResponse = await login(email, password);
  return {
    status: res.statusCode,
    body: res.body,
    type: res.headers['content-type']?.toString(),
    verifications: verified.calls.length - before,
  };
}

/** The same wrong passwords, one after the other, at one address. */
async function wrongPasswords(email: string, from: number, count: number): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = from; i < from + count; i++) answers.push(await attempt(email, `wrong password ${i}`));
  return answers;
}

function unknownRows() {
  return t.database.db
    .selectFrom('unknown_login_attempts')
    .select(['address_digest', 'attempts', 'locked_until', 'last_failed_at'])
    .execute();
}

function digestOf(email: string): string {
  return keyedDigest(t.app.config.appSecret ?? '', 'login-address', email);
}

async function unknownRow(email: string) {
  return (await unknownRows()).find((r) => r.address_digest === digestOf(email));
}

async function accountCount(user: TestUser) {
  return t.database.db
    .selectFrom('admin_users')
    .select(['login_attempts', 'locked_until'])
    .where('id', '=', user.id)
    .executeTakeFirstOrThrow();
}

/** Sets the lockout settings and waits until the app reads them (on a server the news comes by NOTIFY). */
async function setLockout(max: number, minutes: number): Promise<void> {
  await setSetting(t.database, 'security.max_login_attempts', max);
  await setSetting(t.database, 'security.lockout_minutes', minutes);
  const deadline = Date.now() + 5_000;
  while (
    (await t.app.settings.get('security.max_login_attempts')) !== max ||
    (await t.app.settings.get('security.lockout_minutes')) !== minutes
  ) {
    if (Date.now() > deadline) throw new Error('the app did not see the new settings within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe(`the lockout at known and unknown addresses on ${t.engine}`, () => {
  let user: TestUser;

  // Failures are counted per account or address, so a fresh one per test keeps the tests apart.
  beforeEach(async () => {
    user = await makeUser(t.database, 'editor');
  });

  it('answers the same sequence of wrong passwords with the same statuses and bodies', async () => {
    const ghost = unknownAddress();
    const known = await wrongPasswords(user.email, 0, 7);
    const unknown = await wrongPasswords(ghost, 0, 7);

    expect(known.map((a) => a.status)).toEqual([401, 401, 401, 401, 423, 423, 423]);
    expect(unknown).toEqual(known);
    expect(JSON.parse(known[0]?.body ?? '')).toMatchObject({ error: { code: 'auth.invalid_credentials' } });
    const locked = JSON.parse(known[4]?.body ?? '') as { error: { code: string; message: string } };
    expect(locked.error.code).toBe('auth.locked');
    expect(locked.error.message).toContain('15 min.');

    // Each counted failure paid one password verification, at the unknown address against a dummy hash with
    // the password sent; a locked address is refused before any (at both alike).
    expect(known.map((a) => a.verifications)).toEqual([1, 1, 1, 1, 1, 0, 0]);
    const calls = verified.calls.filter((c) => c.password.startsWith('wrong password')).slice(-10);
    const [account, dummy] = [calls.slice(0, 5), calls.slice(5)];
    const sent = [0, 1, 2, 3, 4].map((i) => `wrong password ${i}`);
    expect(account.map((c) => c.password)).toEqual(sent);
    expect(dummy.map((c) => c.password)).toEqual(sent);
    expect(new Set(dummy.map((c) => c.hash)).size).toBe(1);
    expect(dummy[0]?.hash).toMatch(/^\$argon2id\$/);
    expect(dummy[0]?.hash).not.toBe(account[0]?.hash);

    // The right password does not open the locked account, and says so exactly as the unknown address does.
    const right = await attempt(user.email, PASSWORD);
    const rightUnknown = await attempt(ghost, PASSWORD);
    expect(right).toEqual(rightUnknown);
    expect(right).toMatchObject({ status: 423, verifications: 0 });

    const row = await unknownRow(ghost);
    expect(row).toMatchObject({ attempts: 5, last_failed_at: clock.now() });
    expect(row?.locked_until).toEqual(new Date(clock.now().getTime() + 15 * 60_000));
    expect((await accountCount(user)).locked_until).toEqual(row?.locked_until);
    // Counting is bookkeeping: the account's version stays, and the row-change trail has only its creation.
    const stored = await t.database.db
      .selectFrom('admin_users')
      .select(['version', 'last_failed_login_at'])
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ version: 1, last_failed_login_at: clock.now() });
    const changes = await t.database.db
      .selectFrom('audit_logs')
      .select('event_type')
      .where('table_name', '=', 'admin_users')
      .where('record_id', '=', user.id)
      .where('event_type', 'in', ['INSERT', 'UPDATE'])
      .execute();
    expect(changes.map((c) => c.event_type)).toEqual(['INSERT']);
  });

  it('lets both locks run out after the same minutes and counts again from one', async () => {
    const ghost = unknownAddress();
    await wrongPasswords(user.email, 0, 5);
    await wrongPasswords(ghost, 0, 5);
    clock.advance(14.5);
    const stillKnown = await attempt(user.email, 'wrong again');
    expect(stillKnown.status).toBe(423);
    expect(await attempt(ghost, 'wrong again')).toEqual(stillKnown);

    clock.advance(1);
    const known = await wrongPasswords(user.email, 10, 5);
    const unknown = await wrongPasswords(ghost, 10, 5);
    expect(known.map((a) => a.status)).toEqual([401, 401, 401, 401, 423]);
    expect(unknown).toEqual(known);
  });

  it('takes the numbers from the same settings', async () => {
    const ghost = unknownAddress();
    await setLockout(3, 2);
    try {
      const known = await wrongPasswords(user.email, 0, 4);
      const unknown = await wrongPasswords(ghost, 0, 4);
      expect(known.map((a) => a.status)).toEqual([401, 401, 423, 423]);
      expect(unknown).toEqual(known);
      const locked = JSON.parse(known[2]?.body ?? '') as { error: { message: string } };
      expect(locked.error.message).toContain('2 min.');
      expect((await unknownRow(ghost))?.locked_until).toEqual(new Date(clock.now().getTime() + 2 * 60_000));
    } finally {
      await setLockout(5, 15);
    }
  });

  it('counts every failure of a burst sent at once, at both alike', async () => {
    const ghost = unknownAddress();
    const burst = (email: string) =>
      Promise.all(Array.from({ length: 7 }, (_, i) => login(email, `burst guess ${i}`)));
    const known = (await burst(user.email)).map((r) => r.statusCode).sort();
    const unknown = (await burst(ghost)).map((r) => r.statusCode).sort();
    expect(known).toEqual([401, 401, 401, 401, 423, 423, 423]);
    expect(unknown).toEqual(known);
    expect((await unknownRow(ghost))?.locked_until).not.toBeNull();
  });

  it('counts an address whatever its case, under a keyed digest, never the address', async () => {
    const ghost = unknownAddress();
    await wrongPasswords(ghost.toUpperCase(), 0, 2);
    await wrongPasswords(ghost, 2, 2);
    const row = await unknownRow(ghost);
    expect(row?.attempts).toBe(4);
    expect(row?.address_digest).toMatch(/^[0-9a-f]{64}$/);
    // Not a plain digest anyone could check guessed addresses against.
    expect(row?.address_digest).not.toBe(tokenDigest(ghost));
    const dump = JSON.stringify(await unknownRows());
    expect(dump).not.toContain(ghost);
    expect(dump).not.toContain(ghost.split('@')[0]);
  });

  it('forgets a run of failures a day after its last one, at both alike; housekeeping drops the unknown row', async () => {
    const ghost = unknownAddress();
    const longAgo = unknownAddress();
    await wrongPasswords(user.email, 0, 4);
    await wrongPasswords(ghost, 0, 4);
    await wrongPasswords(longAgo, 0, 2);

    // A day later the four earlier failures no longer count, for the account as for the address.
    clock.advance(24 * 60);
    const known = await wrongPasswords(user.email, 4, 5);
    const unknown = await wrongPasswords(ghost, 4, 5);
    expect(known.map((a) => a.status)).toEqual([401, 401, 401, 401, 423]);
    expect(unknown).toEqual(known);

    // The housekeeping job deletes the rows that no longer count, and keeps the rest.
    expect(await unknownRow(longAgo)).toBeDefined();
    clock.advance(1);
    await t.app.jobs.send('maintenance.sessions', {});
    const deadline = Date.now() + 20_000;
    while ((await unknownRow(longAgo)) !== undefined) {
      if (Date.now() > deadline) throw new Error('the housekeeping job did not run within 20 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await unknownRow(ghost)).toMatchObject({ attempts: 5 });
    // Without its row, the address starts counting at one, as the account would after a day.
    expect((await attempt(longAgo, 'wrong once more')).status).toBe(401);
    expect((await unknownRow(longAgo))?.attempts).toBe(1);
  });
});
