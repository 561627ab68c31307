import bcrypt from 'bcryptjs';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, TestClock } from '../../../test/helpers/app.ts';
import { as, makeUser, PASSWORD, type TestUser } from '../../../test/helpers/auth.ts';
import { useTestApp } from '../../../test/fixture.ts';
import { tokenDigest } from '../../platform/security/tokens.ts';
import { setSetting } from '../../../test/helpers/settings.ts';

/*
 * Sign-in and sessions through the HTTP API: login, lockout, token expiry and refresh rotation, session
 * management, password change, cookie sessions with CSRF, the auth rate limit, and that no secret leaves the
 * server. One database for the file; the main app runs on a clock the tests move.
 */

const ctx = useTestApp({ now: new Date() });
const { clock } = ctx;

/** Users shared by tests that do not change them in a lasting way (argon2 makes each one cost). */
let alice: TestUser;

/** Every response body of the file, checked at the end for secrets. */
const bodies: string[] = [];
/** Every raw access and refresh token the server handed out, checked against the session table. */
const rawTokens = new Set<string>();

interface ErrorJson {
  error: { code: string; message: string; details: { field: string; code: string }[] };
}
interface TokenJson {
  token_type: string;
  access_token?: string;
  refresh_token?: string;
  expires_in: number;
  csrf_token?: string;
  user?: { id: string; email: string; role: string } & Record<string, unknown>;
}
interface Tokens {
  access_token: string;
  refresh_token: string;
}

async function call(target: FastifyInstance, options: InjectOptions): Promise<LightMyRequestResponse> {
  const res = await target.inject(options);
  bodies.push(res.body);
  if (res.headers['content-type']?.toString().includes('json') && res.body) {
    const json = res.json<Partial<TokenJson>>();
    if (typeof json.access_token === 'string') rawTokens.add(json.access_token);
    if (typeof json.refresh_token === 'string') rawTokens.add(json.refresh_token);
  }
  for (const c of res.cookies as { name: string; value: string }[]) {
    if ((c.name === 'mq_access' || c.name === 'mq_refresh') && c.value) rawTokens.add(c.value);
  }
  return res;
}

function defined<T>(value: T | null | undefined): T {
  if (value === undefined || value === null) throw new Error('expected a value');
  return value;
}

function codeOf(res: LightMyRequestResponse): string {
  return res.json<ErrorJson>().error.code;
}

function login(
  target: FastifyInstance,
  email: string,
  password: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return call(target, {
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password, ...extra },
    headers,
  });
}

/** Signs in with a bearer session; fails the test otherwise. */
async function session(
  user: Pick<TestUser, 'email' | 'password'>,
  target = ctx.app,
  headers: Record<string, string> = {},
): Promise<Tokens> {
  const res = await login(target, user.email, user.password, {}, headers);
  expect(res.statusCode, res.body).toBe(200);
  const json = res.json<TokenJson>();
  return { access_token: defined(json.access_token), refresh_token: defined(json.refresh_token) };
}

function me(tokens: Pick<Tokens, 'access_token'>, target = ctx.app) {
  return call(target, as(tokens, { method: 'GET', url: '/api/v1/auth/me' }));
}

function refresh(refreshToken: string, target = ctx.app) {
  return call(target, {
    method: 'POST',
    url: '/api/v1/auth/refresh',
    payload: { refresh_token: refreshToken },
  });
}

async function sessionIdOf(accessToken: string): Promise<string> {
  const row = await ctx.database.db
    .selectFrom('admin_sessions')
    .select('id')
    .where('session_token', '=', tokenDigest(accessToken))
    .executeTakeFirstOrThrow();
  return row.id;
}

async function userRow(id: string) {
  return ctx.database.db
    .selectFrom('admin_users')
    .select(['login_attempts', 'locked_until', 'hashed_password', 'is_active'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function auditEvents(userId: string): Promise<{ event_type: string; metadata: unknown }[]> {
  return ctx.database.db
    .selectFrom('audit_logs')
    .select(['event_type', 'metadata'])
    .where('record_id', '=', userId)
    .where('event_type', 'in', ['LOGIN', 'LOGIN_FAILED', 'LOCKOUT', 'TOKEN_REFRESH_REUSE', 'LOGOUT'])
    .orderBy('created_at')
    .execute();
}

beforeAll(async () => {
  alice = await makeUser(ctx.database, 'editor');
});

/** Sets the refresh grace window and waits until the app reads it (on a server the news comes by NOTIFY). */
async function setGrace(seconds: number): Promise<void> {
  await setSetting(ctx.database, 'security.refresh_grace_seconds', seconds);
  const deadline = Date.now() + 5_000;
  while ((await ctx.app.settings.get('security.refresh_grace_seconds')) !== seconds) {
    if (Date.now() > deadline) throw new Error('the app did not see the new setting within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe(`login on ${ctx.engine}`, () => {
  it('answers 200 with a token pair, its lifetime and the user', async () => {
    const res = await login(ctx.app, alice.email, PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json<TokenJson>();
    expect(body.token_type).toBe('Bearer');
    expect(body.access_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.access_token).not.toBe(body.refresh_token);
    expect(body.expires_in).toBe(15 * 60);
    expect(body.user).toMatchObject({ id: alice.id, email: alice.email, role: 'editor' });
    expect(body.csrf_token).toBeUndefined();
    expect((await me({ access_token: defined(body.access_token) })).statusCode).toBe(200);
  });

  it('treats the e-mail case-insensitively', async () => {
    const res = await login(ctx.app, alice.email.toUpperCase(), PASSWORD);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<TokenJson>().user?.id).toBe(alice.id);
  });

  it('answers a wrong password and an unknown e-mail alike: 401 auth.invalid_credentials', async () => {
    const wrong = await login(ctx.app, alice.email, 'not the password at all');
    const unknown = await login(ctx.app, 'nobody-here@example.com', 'not the password at all');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(codeOf(wrong)).toBe('auth.invalid_credentials');
    expect(unknown.body).toBe(wrong.body);
    expect(unknown.headers['content-type']).toBe(wrong.headers['content-type']);
    await sql`UPDATE admin_users SET login_attempts = 0 WHERE id = ${alice.id}`.execute(ctx.database.db);
  });

  it('verifies a hash for an unknown e-mail too, so it takes about as long as a wrong password', async () => {
    const timed = async (email: string) => {
      const start = performance.now();
      const res = await login(ctx.app, email, 'wrong password for timing');
      expect(res.statusCode).toBe(401);
      return performance.now() - start;
    };
    // Warm both paths (the dummy hash is made on first use).
    await timed('ghost@example.com');
    await timed(alice.email);
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 3; i++) {
      unknown.push(await timed(`ghost-${i}@example.com`));
      wrong.push(await timed(alice.email));
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // A skipped hash answers in a few milliseconds against ~50–300 ms for argon2.
    expect(mean(unknown)).toBeGreaterThanOrEqual(0.3 * mean(wrong));
    await sql`UPDATE admin_users SET login_attempts = 0 WHERE id = ${alice.id}`.execute(ctx.database.db);
  });

  it('accepts a bcrypt hash of the spec format and replaces it with argon2id after success', async () => {
    const user = await makeUser(ctx.database, 'viewer');
    const legacy = bcrypt.hashSync(PASSWORD, bcrypt.genSaltSync(10));
    expect(legacy).toMatch(/^\$2b\$10\$/);
    await ctx.database.db
      .updateTable('admin_users')
      .set({ hashed_password: legacy })
      .where('id', '=', user.id)
      .execute();

    const wrong = await login(ctx.app, user.email, 'definitely wrong');
    expect(codeOf(wrong)).toBe('auth.invalid_credentials');
    expect((await userRow(user.id)).hashed_password).toBe(legacy);

    const res = await login(ctx.app, user.email, PASSWORD);
    expect(res.statusCode, res.body).toBe(200);
    const after = await userRow(user.id);
    expect(after.hashed_password).toMatch(/^\$argon2id\$/);
    expect(after.login_attempts).toBe(0);
    // The new hash works, and the rehash is recorded.
    expect((await login(ctx.app, user.email, PASSWORD)).statusCode).toBe(200);
    const events = await auditEvents(user.id);
    expect(events.filter((e) => e.event_type === 'LOGIN').map((e) => e.metadata)).toEqual([
      expect.objectContaining({ rehashed: true }),
      expect.objectContaining({ rehashed: false }),
    ]);
  });

  it('refuses a deactivated user with the right password: 403 auth.account_disabled', async () => {
    const user = await makeUser(ctx.database, 'viewer');
    await ctx.database.db
      .updateTable('admin_users')
      .set({ is_active: false })
      .where('id', '=', user.id)
      .execute();
    const right = await login(ctx.app, user.email, PASSWORD);
    expect(right.statusCode).toBe(403);
    expect(codeOf(right)).toBe('auth.account_disabled');
    // A wrong password reveals nothing about the account's state.
    const wrong = await login(ctx.app, user.email, 'wrong password');
    expect(wrong.statusCode).toBe(401);
    expect(codeOf(wrong)).toBe('auth.invalid_credentials');
  });

  it.each([
    ['a missing password', { email: 'a@example.com' }, 'password'],
    ['a wrong type', { email: 5, password: 'x' }, 'email'],
    ['a too long e-mail', { email: `${'a'.repeat(250)}@example.com`, password: 'x' }, 'email'],
    ['an unknown field', { email: 'a@example.com', password: 'x', role: 'super_admin' }, ''],
    ['an unknown session mode', { email: 'a@example.com', password: 'x', session: 'jwt' }, 'session'],
  ])('refuses %s with 400 validation.failed', async (_label, payload, field) => {
    const res = await call(ctx.app, { method: 'POST', url: '/api/v1/auth/login', payload });
    expect(res.statusCode).toBe(400);
    const body = res.json<ErrorJson>();
    expect(body.error.code).toBe('validation.failed');
    expect(body.error.details.length).toBeGreaterThan(0);
    expect(body.error.details.map((d) => d.field).join(' ')).toContain(field);
  });
});

describe(`lockout on ${ctx.engine}`, () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await makeUser(ctx.database, 'viewer');
  });

  async function fail(times: number): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 0; i < times; i++)
      statuses.push((await login(ctx.app, user.email, `wrong-${i}`)).statusCode);
    return statuses;
  }

  it('locks after 5 failures in a row for 15 minutes, then lets the right password in', async () => {
    expect(await fail(4)).toEqual([401, 401, 401, 401]);
    expect((await userRow(user.id)).login_attempts).toBe(4);
    const fifth = await login(ctx.app, user.email, 'wrong-5');
    expect(fifth.statusCode).toBe(423);
    expect(codeOf(fifth)).toBe('auth.locked');
    expect(fifth.json<ErrorJson>().error.message).toContain('15');

    const locked = await userRow(user.id);
    expect(locked.login_attempts).toBe(5);
    expect(locked.locked_until?.getTime()).toBe(clock.now().getTime() + 15 * 60_000);

    // The right password does not open a locked account.
    const right = await login(ctx.app, user.email, PASSWORD);
    expect(right.statusCode).toBe(423);
    expect(codeOf(right)).toBe('auth.locked');
    clock.advance(14.9);
    expect((await login(ctx.app, user.email, PASSWORD)).statusCode).toBe(423);

    clock.advance(0.2);
    const open = await login(ctx.app, user.email, PASSWORD);
    expect(open.statusCode, open.body).toBe(200);
    const after = await userRow(user.id);
    expect(after.login_attempts).toBe(0);
    expect(after.locked_until).toBeNull();
  });

  it('starts counting again after a lock has run out', async () => {
    // The state five failures leave behind, with the lock run out a minute ago.
    await ctx.database.db
      .updateTable('admin_users')
      .set({ login_attempts: 5, locked_until: new Date(clock.now().getTime() - 60_000) })
      .where('id', '=', user.id)
      .execute();
    // One more failure is the first of a new count, not a new lock.
    expect(await fail(1)).toEqual([401]);
    const row = await userRow(user.id);
    expect(row.login_attempts).toBe(1);
    expect(row.locked_until).toBeNull();
  });

  it('is reset by a successful login in between', async () => {
    await sql`UPDATE admin_users SET login_attempts = 0 WHERE id = ${user.id}`.execute(ctx.database.db);
    expect(await fail(4)).toEqual([401, 401, 401, 401]);
    expect((await login(ctx.app, user.email, PASSWORD)).statusCode).toBe(200);
    expect((await userRow(user.id)).login_attempts).toBe(0);
    // Eight failures, but never five in a row: no lock.
    expect(await fail(4)).toEqual([401, 401, 401, 401]);
    expect((await userRow(user.id)).login_attempts).toBe(4);
    await sql`UPDATE admin_users SET login_attempts = 0 WHERE id = ${user.id}`.execute(ctx.database.db);
  });

  it('takes its numbers from system_settings', async () => {
    await setSetting(ctx.database, 'security.max_login_attempts', 3);
    await setSetting(ctx.database, 'security.lockout_minutes', 2);
    try {
      expect(await fail(3)).toEqual([401, 401, 423]);
      const locked = await userRow(user.id);
      expect(locked.login_attempts).toBe(3);
      expect(locked.locked_until?.getTime()).toBe(clock.now().getTime() + 2 * 60_000);
      clock.advance(1.5);
      expect((await login(ctx.app, user.email, PASSWORD)).statusCode).toBe(423);
      clock.advance(0.6);
      expect((await login(ctx.app, user.email, PASSWORD)).statusCode).toBe(200);
    } finally {
      await setSetting(ctx.database, 'security.max_login_attempts', 5);
      await setSetting(ctx.database, 'security.lockout_minutes', 15);
    }
  });

  it('records LOGIN_FAILED and LOCKOUT events for the user', async () => {
    const events = await auditEvents(user.id);
    const types = events.map((e) => e.event_type);
    // Two lockouts (after 5 failures, and after 3 with the changed setting); 5 + 1 + 8 + 3 wrong passwords;
    // 2 + 1 right passwords while locked.
    expect(types.filter((t) => t === 'LOCKOUT')).toHaveLength(2);
    expect(types.filter((t) => t === 'LOGIN_FAILED')).toHaveLength(17 + 3);
    expect(events).toContainEqual({
      event_type: 'LOGIN_FAILED',
      metadata: { reason: 'password', attempts: 1 },
    });
    expect(events).toContainEqual({ event_type: 'LOGIN_FAILED', metadata: { reason: 'locked' } });
    expect(events.find((e) => e.event_type === 'LOCKOUT')?.metadata).toMatchObject({ attempts: 5 });
  });
});

describe(`sessions on ${ctx.engine}`, () => {
  it('serves /me to a bearer token and refuses a missing or malformed one', async () => {
    const tokens = await session(alice);
    const res = await me(tokens);
    expect(res.statusCode).toBe(200);
    const body = res.json<{ user: { id: string; email: string }; permissions: string[] }>();
    expect(body.user).toMatchObject({ id: alice.id, email: alice.email });
    expect(body.permissions.length).toBeGreaterThan(0);

    const none = await call(ctx.app, { method: 'GET', url: '/api/v1/auth/me' });
    expect(none.statusCode).toBe(401);
    expect(codeOf(none)).toBe('auth.required');
    const bogus = await me({ access_token: 'x'.repeat(43) });
    expect(bogus.statusCode).toBe(401);
    expect(codeOf(bogus)).toBe('auth.invalid_token');
    const malformed = await call(ctx.app, {
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: 'Basic abc' },
    });
    expect(codeOf(malformed)).toBe('auth.invalid_token');
  });

  it('expires the access token after 15 minutes; a refresh rotates both tokens', async () => {
    const first = await session(alice);
    clock.advance(14.9);
    expect((await me(first)).statusCode).toBe(200);
    clock.advance(0.2);
    const expired = await me(first);
    expect(expired.statusCode).toBe(401);
    expect(codeOf(expired)).toBe('auth.token_expired');

    const res = await refresh(first.refresh_token);
    expect(res.statusCode, res.body).toBe(200);
    const second = res.json<TokenJson>();
    expect(second.expires_in).toBe(900);
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await me({ access_token: defined(second.access_token) })).statusCode).toBe(200);
    const old = await me(first);
    expect(old.statusCode).toBe(401);
    expect(codeOf(old)).toBe('auth.invalid_token');
    // The same session goes on.
    expect(await sessionIdOf(defined(second.access_token))).toBeDefined();

    // And the new refresh token rotates again.
    const third = await refresh(defined(second.refresh_token));
    expect(third.statusCode).toBe(200);
    expect((await me({ access_token: defined(third.json<TokenJson>().access_token) })).statusCode).toBe(200);
  });

  it('ends the whole session when an already-rotated refresh token comes back after the grace window', async () => {
    const first = await session(alice);
    const sessionId = await sessionIdOf(first.access_token);
    const rotated = (await refresh(first.refresh_token)).json<TokenJson>();
    expect((await me({ access_token: defined(rotated.access_token) })).statusCode).toBe(200);

    // security.refresh_grace_seconds is 10.
    clock.advance(10.5 / 60);
    const replay = await refresh(first.refresh_token);
    expect(replay.statusCode).toBe(401);
    expect(codeOf(replay)).toBe('auth.refresh_reused');

    // Both holders are out: the new access token and the new refresh token stop working.
    const live = await me({ access_token: defined(rotated.access_token) });
    expect(live.statusCode).toBe(401);
    expect(codeOf(live)).toBe('auth.invalid_token');
    const next = await refresh(defined(rotated.refresh_token));
    expect(next.statusCode).toBe(401);

    const row = await ctx.database.db
      .selectFrom('admin_sessions')
      .select(['invalidated_at', 'invalidated_reason'])
      .where('id', '=', sessionId)
      .executeTakeFirstOrThrow();
    expect(row.invalidated_at).not.toBeNull();
    expect(row.invalidated_reason).toBe('refresh_reuse');
    const events = await auditEvents(alice.id);
    expect(events).toContainEqual({
      event_type: 'TOKEN_REFRESH_REUSE',
      metadata: { session_id: sessionId },
    });

    // An unknown refresh token is just invalid.
    const unknown = await refresh('y'.repeat(43));
    expect(codeOf(unknown)).toBe('auth.invalid_token');
  });

  it('answers a refresh token presented again within 10 s with the same pair: the session goes on', async () => {
    const first = await session(alice);
    const sessionId = await sessionIdOf(first.access_token);
    const res = await refresh(first.refresh_token);
    expect(res.statusCode).toBe(200);
    const pair = res.json<TokenJson>();

    clock.advance(9 / 60);
    const again = await refresh(first.refresh_token);
    expect(again.statusCode, again.body).toBe(200);
    const second = again.json<TokenJson>();
    expect(second.access_token).toBe(pair.access_token);
    expect(second.refresh_token).toBe(pair.refresh_token);
    expect(await sessionIdOf(defined(second.access_token))).toBe(sessionId);
    expect((await me({ access_token: defined(second.access_token) })).statusCode).toBe(200);

    // Nothing was ended or rotated by the second answer, and the pair refreshes on as usual.
    const row = await ctx.database.db
      .selectFrom('admin_sessions')
      .select(['invalidated_at', 'refresh_token'])
      .where('id', '=', sessionId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ invalidated_at: null, refresh_token: tokenDigest(defined(pair.refresh_token)) });
    const exchanged = await ctx.database.db
      .selectFrom('admin_session_rotated_tokens')
      .select(['token_hash', 'successor_nonce'])
      .where('session_id', '=', sessionId)
      .execute();
    expect(exchanged).toEqual([
      {
        token_hash: tokenDigest(first.refresh_token),
        successor_nonce: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      },
    ]);
    const next = await refresh(defined(pair.refresh_token));
    expect(next.statusCode).toBe(200);
    expect(next.json<TokenJson>().refresh_token).not.toBe(pair.refresh_token);
    const reuses = (await auditEvents(alice.id)).filter((e) => e.event_type === 'TOKEN_REFRESH_REUSE');
    expect(reuses).not.toContainEqual({
      event_type: 'TOKEN_REFRESH_REUSE',
      metadata: { session_id: sessionId },
    });
  });

  it('answers within the window once per exchanged token: a third copy is reuse and ends the session', async () => {
    const first = await session(alice);
    const pair = (await refresh(first.refresh_token)).json<TokenJson>();
    clock.advance(2 / 60);
    expect((await refresh(first.refresh_token)).statusCode).toBe(200);
    clock.advance(2 / 60);
    const third = await refresh(first.refresh_token);
    expect([third.statusCode, codeOf(third)]).toEqual([401, 'auth.refresh_reused']);
    expect((await me({ access_token: defined(pair.access_token) })).statusCode).toBe(401);
  });

  it('gives no grace to a refresh token two exchanges old: the session ends', async () => {
    const first = await session(alice);
    const second = (await refresh(first.refresh_token)).json<TokenJson>();
    const third = (await refresh(defined(second.refresh_token))).json<TokenJson>();
    expect(third.access_token).toBeDefined();
    const replay = await refresh(first.refresh_token);
    expect([replay.statusCode, codeOf(replay)]).toEqual([401, 'auth.refresh_reused']);
    expect((await me({ access_token: defined(third.access_token) })).statusCode).toBe(401);
    expect(codeOf(await refresh(defined(third.refresh_token)))).toBe('auth.invalid_token');
  });

  it('gives no grace when security.refresh_grace_seconds is 0', async () => {
    await setGrace(0);
    try {
      const first = await session(alice);
      const rotated = (await refresh(first.refresh_token)).json<TokenJson>();
      const replay = await refresh(first.refresh_token);
      expect([replay.statusCode, codeOf(replay)]).toEqual([401, 'auth.refresh_reused']);
      expect((await me({ access_token: defined(rotated.access_token) })).statusCode).toBe(401);
    } finally {
      await setGrace(10);
    }
  });

  it('ends the session at logout', async () => {
    const tokens = await session(alice);
    const out = await call(ctx.app, as(tokens, { method: 'POST', url: '/api/v1/auth/logout' }));
    expect(out.statusCode).toBe(204);
    expect(out.body).toBe('');
    const after = await me(tokens);
    expect(after.statusCode).toBe(401);
    expect(codeOf(after)).toBe('auth.invalid_token');
    expect(codeOf(await refresh(tokens.refresh_token))).toBe('auth.invalid_token');
    const row = await ctx.database.db
      .selectFrom('admin_sessions')
      .select('invalidated_reason')
      .where('session_token', '=', tokenDigest(tokens.access_token))
      .executeTakeFirstOrThrow();
    expect(row.invalidated_reason).toBe('logout');
  });

  it('lists, ends one, and ends all other sessions', async () => {
    const user = await makeUser(ctx.database, 'viewer');
    const edge =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 ' +
      'Safari/537.36 Edg/126.0.0.0';
    const android =
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 ' +
      'Mobile Safari/537.36';
    const a = await session(user, ctx.app, { 'user-agent': edge });
    const b = await session(user, ctx.app, { 'user-agent': android });
    const aId = await sessionIdOf(a.access_token);
    const bId = await sessionIdOf(b.access_token);

    type List = {
      items: { id: string; current: boolean; user_agent: string | null; device_info: unknown }[];
    };
    const listA = await call(ctx.app, as(a, { method: 'GET', url: '/api/v1/auth/sessions' }));
    expect(listA.statusCode).toBe(200);
    const itemsA = listA.json<List>().items;
    expect(itemsA.map((s) => s.id).sort()).toEqual([aId, bId].sort());
    expect(itemsA.filter((s) => s.current).map((s) => s.id)).toEqual([aId]);
    expect(itemsA.find((s) => s.id === aId)).toMatchObject({
      user_agent: edge,
      device_info: { browser: 'Edge', os: 'Windows' },
    });
    expect(itemsA.find((s) => s.id === bId)?.device_info).toEqual({ browser: 'Chrome', os: 'Android' });
    const itemsB = (await call(ctx.app, as(b, { method: 'GET', url: '/api/v1/auth/sessions' }))).json<List>()
      .items;
    expect(itemsB.filter((s) => s.current).map((s) => s.id)).toEqual([bId]);

    // Someone else's session is not found, however it is asked for.
    const other = await session(alice);
    const otherId = await sessionIdOf(other.access_token);
    const foreign = await call(ctx.app, as(a, { method: 'DELETE', url: `/api/v1/auth/sessions/${otherId}` }));
    expect(foreign.statusCode).toBe(404);
    expect(codeOf(foreign)).toBe('auth.session_not_found');
    expect((await me(other)).statusCode).toBe(200);
    const notUuid = await call(ctx.app, as(a, { method: 'DELETE', url: '/api/v1/auth/sessions/nope' }));
    expect(notUuid.statusCode).toBe(400);

    const endB = await call(ctx.app, as(a, { method: 'DELETE', url: `/api/v1/auth/sessions/${bId}` }));
    expect(endB.statusCode).toBe(204);
    expect((await me(b)).statusCode).toBe(401);
    expect((await me(a)).statusCode).toBe(200);
    const again = await call(ctx.app, as(a, { method: 'DELETE', url: `/api/v1/auth/sessions/${bId}` }));
    expect(again.statusCode).toBe(404);
    const listed = (await call(ctx.app, as(a, { method: 'GET', url: '/api/v1/auth/sessions' }))).json<List>();
    expect(listed.items.map((s) => s.id)).toEqual([aId]);

    const c = await session(user);
    const d = await session(user);
    const all = await call(ctx.app, as(a, { method: 'DELETE', url: '/api/v1/auth/sessions' }));
    expect(all.statusCode).toBe(200);
    expect(all.json()).toEqual({ revoked: 2 });
    expect((await me(c)).statusCode).toBe(401);
    expect((await me(d)).statusCode).toBe(401);
    expect((await me(a)).statusCode).toBe(200);
    expect((await me(other)).statusCode).toBe(200);
    const reasons = await ctx.database.db
      .selectFrom('admin_sessions')
      .select(['id', 'invalidated_reason'])
      .where('user_id', '=', user.id)
      .execute();
    expect(reasons.filter((r) => r.invalidated_reason === 'revoked')).toHaveLength(3);
    expect(reasons.find((r) => r.id === aId)?.invalidated_reason).toBeNull();
  });

  it('changes the password: the current one is checked, other sessions end, the old password is refused', async () => {
    const user = await makeUser(ctx.database, 'viewer');
    const mine = await session(user);
    const other = await session(user);
    const change = (payload: Record<string, unknown>) =>
      call(ctx.app, as(mine, { method: 'POST', url: '/api/v1/auth/password', payload }));
    const newPassword = 'a brand new passphrase 42';

    const wrong = await change({ current_password: 'not my password', new_password: newPassword });
    expect(wrong.statusCode).toBe(403);
    expect(codeOf(wrong)).toBe('auth.password_incorrect');
    const short = await change({ current_password: PASSWORD, new_password: 'short' });
    expect(short.statusCode).toBe(400);
    expect(
      short
        .json<ErrorJson>()
        .error.details.map((d) => d.field)
        .join(' '),
    ).toContain('new_password');
    const asEmail = await change({ current_password: PASSWORD, new_password: user.email });
    expect(asEmail.statusCode).toBe(400);
    expect(codeOf(asEmail)).toBe('auth.password_policy');
    // None of the refusals ended anything.
    expect((await me(other)).statusCode).toBe(200);

    const ok = await change({ current_password: PASSWORD, new_password: newPassword });
    expect(ok.statusCode).toBe(204);
    expect((await me(mine)).statusCode).toBe(200);
    const ended = await me(other);
    expect(ended.statusCode).toBe(401);
    expect(codeOf(await refresh(other.refresh_token))).toBe('auth.invalid_token');
    const reason = await ctx.database.db
      .selectFrom('admin_sessions')
      .select('invalidated_reason')
      .where('session_token', '=', tokenDigest(other.access_token))
      .executeTakeFirstOrThrow();
    expect(reason.invalidated_reason).toBe('password_changed');

    const old = await login(ctx.app, user.email, PASSWORD);
    expect(old.statusCode).toBe(401);
    expect(codeOf(old)).toBe('auth.invalid_credentials');
    expect((await login(ctx.app, user.email, newPassword)).statusCode).toBe(200);
    expect((await userRow(user.id)).hashed_password).toMatch(/^\$argon2id\$/);
  });

  it('counts wrong current passwords as failures: a stolen session cannot guess the password freely', async () => {
    const user = await makeUser(ctx.database, 'viewer');
    const mine = await session(user);
    const newPassword = 'a brand new passphrase 43';
    const attempts: [string, Record<string, unknown>][] = [
      ['/api/v1/auth/password', { current_password: 'guess one', new_password: newPassword }],
      ['/api/v1/auth/2fa/disable', { password: 'guess two' }],
      ['/api/v1/auth/2fa/recovery-codes', { password: 'guess three' }],
      ['/api/v1/auth/2fa/setup', { password: 'guess four' }],
    ];
    for (const [url, payload] of attempts) {
      const res = await call(ctx.app, as(mine, { method: 'POST', url, payload }));
      expect([res.statusCode, codeOf(res)], url).toEqual([403, 'auth.password_incorrect']);
    }
    const fifth = await call(
      ctx.app,
      as(mine, {
        method: 'POST',
        url: '/api/v1/auth/password',
        payload: { current_password: 'guess five', new_password: newPassword },
      }),
    );
    expect([fifth.statusCode, codeOf(fifth)]).toEqual([423, 'auth.locked']);
    // Locked now: even the right password changes nothing, and sign-in is locked as well.
    const right = await call(
      ctx.app,
      as(mine, {
        method: 'POST',
        url: '/api/v1/auth/password',
        payload: { current_password: PASSWORD, new_password: newPassword },
      }),
    );
    expect([right.statusCode, codeOf(right)]).toEqual([423, 'auth.locked']);
    expect((await login(ctx.app, user.email, PASSWORD)).statusCode).toBe(423);
    expect((await login(ctx.app, user.email, newPassword)).statusCode).toBe(423);
    const events = await ctx.database.db
      .selectFrom('audit_logs')
      .select('event_type')
      .where('record_id', '=', user.id)
      .where('event_type', 'in', ['LOGIN_FAILED', 'LOCKOUT'])
      .execute();
    expect(events.filter((e) => e.event_type === 'LOCKOUT')).toHaveLength(1);

    // After the lock, the right password works, and a success ends the count of failures.
    clock.advance(16);
    const fresh = await session(user);
    await call(
      ctx.app,
      as(fresh, { method: 'POST', url: '/api/v1/auth/2fa/disable', payload: { password: 'one more' } }),
    );
    expect((await userRow(user.id)).login_attempts).toBe(1);
    const ok = await call(
      ctx.app,
      as(fresh, {
        method: 'POST',
        url: '/api/v1/auth/password',
        payload: { current_password: PASSWORD, new_password: newPassword },
      }),
    );
    expect(ok.statusCode).toBe(204);
    expect((await userRow(user.id)).login_attempts).toBe(0);
  });

  it('refuses a refresh once the session has run its SESSION_DAYS (14)', async () => {
    const tokens = await session(alice);
    clock.advance(14 * 24 * 60);
    const res = await refresh(tokens.refresh_token);
    expect(res.statusCode).toBe(401);
    expect(codeOf(res)).toBe('auth.session_expired');
  });

  it('ends a live session at once when the user is deactivated', async () => {
    const user = await makeUser(ctx.database, 'viewer');
    const tokens = await session(user);
    expect((await me(tokens)).statusCode).toBe(200);
    await ctx.database.db
      .updateTable('admin_users')
      .set({ is_active: false })
      .where('id', '=', user.id)
      .execute();
    const res = await me(tokens);
    expect(res.statusCode).toBe(401);
    expect(codeOf(res)).toBe('auth.invalid_token');
    expect(codeOf(await refresh(tokens.refresh_token))).toBe('auth.invalid_token');
  });
});

describe(`cookie sessions on ${ctx.engine}`, () => {
  type Cookie = {
    name: string;
    value: string;
    path?: string;
    httpOnly?: boolean;
    secure?: boolean;
    sameSite?: string;
    expires?: Date;
  };
  const cookiesOf = (res: LightMyRequestResponse) =>
    new Map((res.cookies as Cookie[]).map((c) => [c.name, c] as const));

  async function cookieLogin(target = ctx.app) {
    const res = await login(target, alice.email, PASSWORD, { session: 'cookie' });
    expect(res.statusCode, res.body).toBe(200);
    const jar = cookiesOf(res);
    return { res, jar, body: res.json<TokenJson>() };
  }

  it('sets HttpOnly SameSite=Strict cookies and leaves the tokens out of the body', async () => {
    const { jar, body } = await cookieLogin();
    expect(body.access_token).toBeUndefined();
    expect(body.refresh_token).toBeUndefined();
    expect(body.csrf_token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(body.user?.id).toBe(alice.id);

    const access = defined(jar.get('mq_access'));
    const refreshCookie = defined(jar.get('mq_refresh'));
    const csrf = defined(jar.get('mq_csrf'));
    expect(access).toMatchObject({ path: '/', httpOnly: true, sameSite: 'Strict' });
    expect(refreshCookie).toMatchObject({ path: '/api/v1/auth', httpOnly: true, sameSite: 'Strict' });
    expect(csrf).toMatchObject({ path: '/', sameSite: 'Strict', value: body.csrf_token });
    expect(csrf.httpOnly).toBeFalsy();
    // PUBLIC_URL is plain http here: no Secure flag, or the browser would drop the cookies.
    for (const c of [access, refreshCookie, csrf]) expect(c.secure).toBeFalsy();
    // Cookie dates have whole seconds.
    expect(Math.abs(defined(access.expires).getTime() - (clock.now().getTime() + 15 * 60_000))).toBeLessThan(
      1000,
    );
  });

  it('serves /me to the cookie alone and demands the CSRF header for writes', async () => {
    const { jar, body } = await cookieLogin();
    const cookies = { mq_access: defined(jar.get('mq_access')).value };
    const res = await call(ctx.app, { method: 'GET', url: '/api/v1/auth/me', cookies });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ user: { id: string } }>().user.id).toBe(alice.id);

    const bare = await call(ctx.app, { method: 'POST', url: '/api/v1/auth/logout', cookies });
    expect(bare.statusCode).toBe(403);
    expect(codeOf(bare)).toBe('auth.csrf_failed');
    const forged = await call(ctx.app, {
      method: 'POST',
      url: '/api/v1/auth/logout',
      cookies,
      headers: { 'x-csrf-token': `${defined(body.csrf_token).slice(0, -2)}xx` },
    });
    expect(codeOf(forged)).toBe('auth.csrf_failed');
    // Another session's CSRF token does not fit this one.
    const otherCsrf = defined((await cookieLogin()).body.csrf_token);
    const crossed = await call(ctx.app, {
      method: 'POST',
      url: '/api/v1/auth/logout',
      cookies,
      headers: { 'x-csrf-token': otherCsrf },
    });
    expect(codeOf(crossed)).toBe('auth.csrf_failed');
    expect((await call(ctx.app, { method: 'GET', url: '/api/v1/auth/me', cookies })).statusCode).toBe(200);

    const out = await call(ctx.app, {
      method: 'POST',
      url: '/api/v1/auth/logout',
      cookies,
      headers: { 'x-csrf-token': defined(body.csrf_token) },
    });
    expect(out.statusCode).toBe(204);
    const cleared = cookiesOf(out);
    expect(cleared.get('mq_access')?.value).toBe('');
    expect(cleared.get('mq_refresh')).toMatchObject({ value: '', path: '/api/v1/auth' });
    expect((await call(ctx.app, { method: 'GET', url: '/api/v1/auth/me', cookies })).statusCode).toBe(401);
  });

  it('refreshes through the cookie only with the CSRF header', async () => {
    const { jar, body } = await cookieLogin();
    const cookies = { mq_refresh: defined(jar.get('mq_refresh')).value };
    const bare = await call(ctx.app, { method: 'POST', url: '/api/v1/auth/refresh', cookies });
    expect(bare.statusCode, bare.body).toBe(403);
    expect(codeOf(bare)).toBe('auth.csrf_failed');

    // The refused attempt changed nothing: the refresh token still works (it is not seen as reused).
    const ok = await call(ctx.app, {
      method: 'POST',
      url: '/api/v1/auth/refresh',
      cookies,
      headers: { 'x-csrf-token': defined(body.csrf_token) },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const next = ok.json<TokenJson>();
    expect(next.access_token).toBeUndefined();
    expect(next.refresh_token).toBeUndefined();
    // The CSRF token is bound to the session, which goes on.
    expect(next.csrf_token).toBe(body.csrf_token);
    const rotated = cookiesOf(ok);
    expect(rotated.get('mq_refresh')?.value).not.toBe(cookies.mq_refresh);
    expect(rotated.get('mq_access')?.value).not.toBe(defined(jar.get('mq_access')).value);
    const fresh = { mq_access: defined(rotated.get('mq_access')).value };
    expect((await call(ctx.app, { method: 'GET', url: '/api/v1/auth/me', cookies: fresh })).statusCode).toBe(
      200,
    );
    const stale = { mq_access: defined(jar.get('mq_access')).value };
    expect((await call(ctx.app, { method: 'GET', url: '/api/v1/auth/me', cookies: stale })).statusCode).toBe(
      401,
    );

    // No refresh token at all.
    const none = await call(ctx.app, { method: 'POST', url: '/api/v1/auth/refresh' });
    expect(none.statusCode).toBe(400);
    expect(codeOf(none)).toBe('auth.refresh_missing');
  });

  it('lets two tabs refresh at the same moment: both get the same cookies and the session goes on', async () => {
    const { jar, body } = await cookieLogin();
    const sessionId = await sessionIdOf(defined(jar.get('mq_access')).value);
    const csrf = defined(body.csrf_token);
    const tab = () =>
      call(ctx.app, {
        method: 'POST',
        url: '/api/v1/auth/refresh',
        cookies: { mq_refresh: defined(jar.get('mq_refresh')).value },
        headers: { 'x-csrf-token': csrf },
      });
    const [a, b] = await Promise.all([tab(), tab()]);
    expect([a.statusCode, b.statusCode], `${a.body} ${b.body}`).toEqual([200, 200]);
    expect(a.json<TokenJson>().csrf_token).toBe(csrf);
    expect(b.json<TokenJson>().csrf_token).toBe(csrf);
    const [fromA, fromB] = [cookiesOf(a), cookiesOf(b)];
    const access = defined(fromA.get('mq_access')).value;
    const refreshed = defined(fromA.get('mq_refresh')).value;
    expect(defined(fromB.get('mq_access')).value).toBe(access);
    expect(defined(fromB.get('mq_refresh')).value).toBe(refreshed);
    expect(refreshed).not.toBe(defined(jar.get('mq_refresh')).value);

    // One session, alive and usable: it serves requests and refreshes on.
    expect(await sessionIdOf(access)).toBe(sessionId);
    const mine = await call(ctx.app, {
      method: 'GET',
      url: '/api/v1/auth/me',
      cookies: { mq_access: access },
    });
    expect(mine.statusCode).toBe(200);
    const next = await call(ctx.app, {
      method: 'POST',
      url: '/api/v1/auth/refresh',
      cookies: { mq_refresh: refreshed },
      headers: { 'x-csrf-token': csrf },
    });
    expect(next.statusCode, next.body).toBe(200);
    const row = await ctx.database.db
      .selectFrom('admin_sessions')
      .select(['invalidated_at'])
      .where('id', '=', sessionId)
      .executeTakeFirstOrThrow();
    expect(row.invalidated_at).toBeNull();
  });

  it('still ends a cookie session when an exchanged refresh cookie comes back after the window', async () => {
    const { jar, body } = await cookieLogin();
    const csrf = defined(body.csrf_token);
    const old = defined(jar.get('mq_refresh')).value;
    const send = (token: string) =>
      call(ctx.app, {
        method: 'POST',
        url: '/api/v1/auth/refresh',
        cookies: { mq_refresh: token },
        headers: { 'x-csrf-token': csrf },
      });
    const ok = await send(old);
    expect(ok.statusCode).toBe(200);
    const access = defined(cookiesOf(ok).get('mq_access')).value;
    const current = defined(cookiesOf(ok).get('mq_refresh')).value;

    clock.advance(11 / 60);
    const late = await send(old);
    expect([late.statusCode, codeOf(late)]).toEqual([401, 'auth.refresh_reused']);
    const mine = await call(ctx.app, {
      method: 'GET',
      url: '/api/v1/auth/me',
      cookies: { mq_access: access },
    });
    expect(mine.statusCode).toBe(401);
    expect(codeOf(await send(current))).toBe('auth.invalid_token');
  });

  it('marks the cookies Secure when PUBLIC_URL is https, and follows ACCESS_TOKEN_MINUTES', async () => {
    const httpsClock = new TestClock();
    const httpsApp = await buildTestApp(ctx.database, {
      clock: httpsClock.now,
      env: { PUBLIC_URL: 'https://admin.example.com', ACCESS_TOKEN_MINUTES: '5' },
    });
    try {
      const { jar, body } = await cookieLogin(httpsApp);
      expect(body.expires_in).toBe(300);
      for (const name of ['mq_access', 'mq_refresh', 'mq_csrf']) {
        expect(jar.get(name)?.secure, name).toBe(true);
      }
      const cookies = { mq_access: defined(jar.get('mq_access')).value };
      const me1 = await call(httpsApp, { method: 'GET', url: '/api/v1/auth/me', cookies });
      expect(me1.statusCode).toBe(200);
      httpsClock.advance(5);
      const expired = await call(httpsApp, { method: 'GET', url: '/api/v1/auth/me', cookies });
      expect(expired.statusCode).toBe(401);
      expect(codeOf(expired)).toBe('auth.token_expired');
    } finally {
      await httpsApp.close();
    }
  });
});

describe(`the auth rate limit on ${ctx.engine}`, () => {
  it('answers 429 rate.limited with Retry-After to the 4th request of an IP; other routes are not limited', async () => {
    const limited = await buildTestApp(ctx.database, { env: { AUTH_RATE_LIMIT: '3' } });
    try {
      const attempt = (remoteAddress: string) =>
        call(limited, {
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: 'nobody@example.com', password: 'whatever' },
          remoteAddress,
        });
      for (let i = 0; i < 3; i++) expect((await attempt('203.0.113.7')).statusCode).toBe(401);
      const fourth = await attempt('203.0.113.7');
      expect(fourth.statusCode).toBe(429);
      expect(codeOf(fourth)).toBe('rate.limited');
      expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(0);
      // Another address has its own count.
      expect((await attempt('203.0.113.8')).statusCode).toBe(401);
      for (let i = 0; i < 6; i++) {
        const live = await limited.inject({ url: '/health/live', remoteAddress: '203.0.113.7' });
        expect(live.statusCode).toBe(200);
      }
    } finally {
      await limited.close();
    }
  });
});

describe(`the API document on ${ctx.engine}`, () => {
  it('names every operation of the auth routes with its operationId', async () => {
    const res = await call(ctx.app, { method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    type Operation = { operationId?: string; tags?: string[] };
    const paths = res.json<{ paths: Record<string, Record<string, Operation>> }>().paths;
    const ids = Object.fromEntries(
      Object.entries(paths).flatMap(([path, operations]) =>
        Object.entries(operations)
          .filter(([, op]) => op.tags?.includes('auth'))
          .map(([method, op]) => [`${method} ${path}`, op.operationId]),
      ),
    );
    // The users module adds its own (PATCH /auth/me); these are identity's.
    expect(ids).toMatchObject({
      'post /api/v1/auth/login': 'login',
      'post /api/v1/auth/refresh': 'refreshSession',
      'post /api/v1/auth/logout': 'logout',
      'get /api/v1/auth/me': 'getMe',
      'post /api/v1/auth/password': 'changePassword',
      'get /api/v1/auth/sessions': 'listSessions',
      'delete /api/v1/auth/sessions/{id}': 'revokeSession',
      'delete /api/v1/auth/sessions': 'revokeOtherSessions',
      'post /api/v1/auth/password-reset/request': 'requestPasswordReset',
      'post /api/v1/auth/password-reset/confirm': 'confirmPasswordReset',
      'post /api/v1/auth/2fa/setup': 'setupTwoFactor',
      'post /api/v1/auth/2fa/confirm': 'confirmTwoFactor',
      'post /api/v1/auth/2fa/disable': 'disableTwoFactor',
      'post /api/v1/auth/2fa/recovery-codes': 'regenerateRecoveryCodes',
    });
  });
});

describe(`secrets on ${ctx.engine}`, () => {
  it('stores only 64-hex digests of tokens, never a raw token', async () => {
    const rows = await ctx.database.db
      .selectFrom('admin_sessions')
      .select(['session_token', 'refresh_token'])
      .execute();
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) {
      expect(row.session_token).toMatch(/^[0-9a-f]{64}$/);
      expect(row.refresh_token).toMatch(/^[0-9a-f]{64}$/);
    }
    const rotated = await ctx.database.db
      .selectFrom('admin_session_rotated_tokens')
      .select('token_hash')
      .execute();
    expect(rotated.length).toBeGreaterThan(0);
    const dump = JSON.stringify([rows, rotated]);
    expect(rawTokens.size).toBeGreaterThan(20);
    for (const token of rawTokens) expect(dump).not.toContain(token);
    // Each raw token's digest is what was stored (current or rotated), so the check above is meaningful.
    const digests = new Set([
      ...rows.flatMap((r) => [r.session_token, r.refresh_token]),
      ...rotated.map((r) => r.token_hash),
    ]);
    const refreshTokensSeen = [...rawTokens].filter((t) => digests.has(tokenDigest(t)));
    expect(refreshTokensSeen.length).toBeGreaterThan(0);
  });

  it('never answered with a password hash, reset token or TOTP secret', () => {
    expect(bodies.length).toBeGreaterThan(50);
    for (const body of bodies) {
      expect(body).not.toContain('hashed_password');
      expect(body).not.toContain('$argon2');
      expect(body).not.toContain('$2b$');
      expect(body).not.toContain('password_reset_token');
      expect(body).not.toContain('totp_secret');
    }
  });
});
