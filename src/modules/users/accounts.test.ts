import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorCode as code, useTestApp, type ErrorJson } from '../../../test/fixture.ts';
import { type Session, type TestUser } from '../../../test/helpers/auth.ts';
import { usersKit } from '../../../test/helpers/users.ts';
import type { Page } from '../../platform/http/pagination.ts';
import type { UserView } from '../identity/index.ts';

/*
 * The users API: the list and its filters, creating users (and inviting them), and one's own profile.
 */

const t = useTestApp({
  now: new Date(),
});
const call = t.call.bind(t);

const NEW_PASSWORD = 'a brand new passphrase';
let root: TestUser;
let rootS: Session;
let admin: TestUser;
let adminS: Session;
let editorS: Session;
let viewer: TestUser;
let viewerS: Session;

beforeAll(async () => {
  ({ user: root, session: rootS } = await t.as('super_admin'));
  ({ user: admin, session: adminS } = await t.as('admin'));
  ({ session: editorS } = await t.as('editor'));
  ({ user: viewer, session: viewerS } = await t.as('viewer'));
});

const { getUser, me, login, freshUser } = usersKit(t, () => rootS);

describe(`the users API: listing, creating, one's own profile on ${t.engine}`, () => {
  describe('GET /api/v1/users', () => {
    const tag = `zq${randomUUID().slice(0, 8)}`;

    beforeAll(async () => {
      const f = t.factories;
      await f.admin({ first_name: 'Anna', last_name: `${tag}-a`, role: 'viewer' });
      await f.admin({ first_name: 'Bert', last_name: `${tag}-b`, role: 'editor' });
      await f.admin({ first_name: 'Carl', last_name: `${tag}-c`, role: 'viewer', is_active: false });
      await f.admin({ first_name: 'Dora', last_name: `${tag}-d`, role: 'viewer', deleted_at: new Date() });
      await f.admin({ first_name: 'Emil', last_name: 'Other', email: `${tag}-e@example.com`, role: 'admin' });
    });

    it('pages through the users a search finds, with total, page and per_page', async () => {
      const first = await call(adminS, 'GET', `/api/v1/users?q=${tag}&per_page=2`);
      expect(first.statusCode).toBe(200);
      const one = first.json<Page<UserView>>();
      // Dora is deleted; the search finds names and e-mail addresses.
      expect(one).toMatchObject({ total: 4, page: 1, per_page: 2 });
      // Ordered by last name: "Other" < "zq…".
      expect(one.items.map((u) => u.first_name)).toEqual(['Emil', 'Anna']);
      const two = (await call(adminS, 'GET', `/api/v1/users?q=${tag}&per_page=2&page=2`)).json<
        Page<UserView>
      >();
      expect(two).toMatchObject({ total: 4, page: 2, per_page: 2 });
      expect(two.items.map((u) => u.first_name)).toEqual(['Bert', 'Carl']);
      const three = (await call(adminS, 'GET', `/api/v1/users?q=${tag}&per_page=2&page=3`)).json<
        Page<UserView>
      >();
      expect(three.items).toEqual([]);
      expect(three.total).toBe(4);
    });

    it('defaults to page 1 of 25', async () => {
      const page = (await call(adminS, 'GET', '/api/v1/users')).json<Page<UserView>>();
      expect(page.page).toBe(1);
      expect(page.per_page).toBe(25);
      expect(page.items.map((u) => u.id)).toEqual(expect.arrayContaining([root.id, admin.id, viewer.id]));
    });

    it('filters by role, by is_active and by the trash', async () => {
      const names = async (query: string) =>
        (await call(adminS, 'GET', `/api/v1/users?q=${tag}&${query}`))
          .json<Page<UserView>>()
          .items.map((u) => u.first_name)
          .sort();
      expect(await names('role=viewer')).toEqual(['Anna', 'Carl']);
      expect(await names('role=admin')).toEqual(['Emil']);
      expect(await names('is_active=false')).toEqual(['Carl']);
      expect(await names('is_active=true')).toEqual(['Anna', 'Bert', 'Emil']);
      expect(await names('deleted=only')).toEqual(['Dora']);
      expect(await names('deleted=include')).toEqual(['Anna', 'Bert', 'Carl', 'Dora', 'Emil']);
      expect(await names('deleted=only&role=editor')).toEqual([]);
    });

    it('treats % and _ in the search as text', async () => {
      const res = await call(adminS, 'GET', `/api/v1/users?q=${encodeURIComponent('%')}`);
      expect(res.json<Page<UserView>>().total).toBe(0);
    });

    it.each([
      ['per_page=0'],
      ['per_page=101'],
      ['page=0'],
      ['role=king'],
      ['is_active=perhaps'],
      ['deleted=all'],
    ])('refuses ?%s with 400', async (query) => {
      const res = await call(adminS, 'GET', `/api/v1/users?${query}`);
      expect(res.statusCode).toBe(400);
      expect(code(res)).toBe('validation.failed');
    });

    it('needs a session and users.read, which viewers and editors lack', async () => {
      expect((await t.app.inject('/api/v1/users')).statusCode).toBe(401);
      for (const session of [viewerS, editorS]) {
        const res = await call(session, 'GET', '/api/v1/users');
        expect(res.statusCode).toBe(403);
        expect(code(res)).toBe('auth.forbidden');
      }
    });
  });

  describe('POST /api/v1/users', () => {
    const body = (overrides: Record<string, unknown> = {}) => ({
      email: `new-${randomUUID().slice(0, 8)}@Example.COM`,
      first_name: 'Grace',
      last_name: 'Hopper',
      role: 'editor',
      password: NEW_PASSWORD,
      ...overrides,
    });

    it('creates a user: 201, the User shape, no secret, e-mail stored lower-case, can sign in', async () => {
      const payload = body({ language: 'de', timezone: 'Europe/Berlin' });
      const res = await call(adminS, 'POST', '/api/v1/users', payload);
      expect(res.statusCode).toBe(201);
      const user = res.json<UserView>();
      expect(user).toMatchObject({
        email: payload.email.toLowerCase(),
        first_name: 'Grace',
        last_name: 'Hopper',
        role: 'editor',
        language: 'de',
        timezone: 'Europe/Berlin',
        is_active: true,
        two_factor_enabled: false,
        deleted_at: null,
        version: 1,
      });
      expect(Object.keys(user).sort()).toEqual(
        [
          'id',
          'email',
          'first_name',
          'last_name',
          'avatar_url',
          'timezone',
          'language',
          'role',
          'is_active',
          'two_factor_enabled',
          'last_login_at',
          'locked_until',
          'password_changed_at',
          'created_at',
          'updated_at',
          'deleted_at',
          'version',
        ].sort(),
      );
      expect(user.password_changed_at).not.toBeNull();
      expect(res.body).not.toMatch(/hashed_password|argon2|password_reset_token|totp_secret|token/);
      expect(res.body).not.toContain(NEW_PASSWORD);
      const row = await t.database.db
        .selectFrom('admin_users')
        .select(['email', 'created_by'])
        .where('id', '=', user.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ email: payload.email.toLowerCase(), created_by: admin.id });
      expect((await login({ email: payload.email }, NEW_PASSWORD)).statusCode).toBe(200);
      // A password given: no invitation.
      const mails = await t.database.db
        .selectFrom('mail_outbox')
        .select('id')
        .where('recipient', '=', user.email)
        .execute();
      expect(mails).toHaveLength(0);
    });

    it('refuses an e-mail address another user has, in any spelling (409 users.email_taken)', async () => {
      const first = body();
      expect((await call(adminS, 'POST', '/api/v1/users', first)).statusCode).toBe(201);
      const again = await call(adminS, 'POST', '/api/v1/users', {
        ...body(),
        email: first.email.toUpperCase(),
      });
      expect(again.statusCode).toBe(409);
      expect(code(again)).toBe('users.email_taken');
      const taken = await call(adminS, 'POST', '/api/v1/users', { ...body(), email: viewer.email });
      expect(code(taken)).toBe('users.email_taken');
      const count = await t.database.db
        .selectFrom('admin_users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where((eb) => eb(eb.fn('lower', ['email']), '=', first.email.toLowerCase()))
        .executeTakeFirstOrThrow();
      expect(count.n).toBe(1);
    });

    it('invites a user created without a password, in their language', async () => {
      const payload = body({ language: 'de' });
      delete (payload as { password?: string }).password;
      const res = await call(adminS, 'POST', '/api/v1/users', payload);
      expect(res.statusCode).toBe(201);
      const user = res.json<UserView>();
      expect(user.password_changed_at).toBeNull();
      const mails = await t.database.db
        .selectFrom('mail_outbox')
        .selectAll()
        .where('recipient', '=', payload.email.toLowerCase())
        .execute();
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatchObject({ template: 'invitation', language: 'de', status: 'outbox' });
      expect(mails[0]?.subject).toBe('Ihr Konto bei voltAIc Systems');
      expect(mails[0]?.text_body).toContain(admin.email);
      expect(mails[0]?.text_body).toContain('/admin/reset-password?token=');
      // The random password they were given works for nobody; they choose one through the link.
      expect((await login({ email: payload.email }, NEW_PASSWORD)).statusCode).toBe(401);
    });

    it('invites in English by default', async () => {
      const payload = body();
      delete (payload as { password?: string }).password;
      expect((await call(adminS, 'POST', '/api/v1/users', payload)).statusCode).toBe(201);
      const mail = await t.database.db
        .selectFrom('mail_outbox')
        .select(['template', 'language', 'subject'])
        .where('recipient', '=', payload.email.toLowerCase())
        .executeTakeFirstOrThrow();
      expect(mail).toEqual({
        template: 'invitation',
        language: 'en',
        subject: 'Your voltAIc Systems account',
      });
    });

    it.each([
      ['a missing first_name', { first_name: undefined }, 'first_name'],
      ['the role king', { role: 'king' }, 'role'],
      ['an e-mail over 255 characters', { email: `${'a'.repeat(250)}@example.com` }, 'email'],
      ['a malformed e-mail', { email: 'not-an-address' }, 'email'],
      ['a first_name over 100 characters', { first_name: 'x'.repeat(101) }, 'first_name'],
      ['an empty last_name', { last_name: '' }, 'last_name'],
      ['a first_name of the wrong type', { first_name: 5 }, 'first_name'],
      ['an unknown field', { is_superuser: true }, ''],
      ['a password under 12 characters', { password: 'short' }, 'password'],
      ['the time zone Mars/Base', { timezone: 'Mars/Base' }, 'timezone'],
      ['the language fr', { language: 'fr' }, 'language'],
    ])('refuses %s with 400', async (_label, overrides, field) => {
      const payload = body(overrides);
      const res = await call(adminS, 'POST', '/api/v1/users', payload);
      expect(res.statusCode).toBe(400);
      const error = res.json<ErrorJson>().error;
      expect(['validation.failed', 'auth.password_policy']).toContain(error.code);
      expect(error.details.map((d) => d.field ?? '').join(' ')).toContain(field);
      const row = await t.database.db
        .selectFrom('admin_users')
        .select('id')
        .where((eb) => eb(eb.fn('lower', ['email']), '=', payload.email.toLowerCase()))
        .executeTakeFirst();
      expect(row).toBeUndefined();
    });

    it('refuses the password that is the e-mail address', async () => {
      const email = `long-local-part-${randomUUID().slice(0, 6)}@example.com`;
      const res = await call(adminS, 'POST', '/api/v1/users', body({ email, password: email }));
      expect(res.statusCode).toBe(400);
      expect(code(res)).toBe('auth.password_policy');
    });

    it('lets nobody create a role above their own (403 users.role_too_high)', async () => {
      const payload = body({ role: 'super_admin' });
      const res = await call(adminS, 'POST', '/api/v1/users', payload);
      expect(res.statusCode).toBe(403);
      expect(code(res)).toBe('users.role_too_high');
      const row = await t.database.db
        .selectFrom('admin_users')
        .select('id')
        .where('email', '=', payload.email.toLowerCase())
        .executeTakeFirst();
      expect(row).toBeUndefined();
      // A super admin may.
      expect((await call(rootS, 'POST', '/api/v1/users', body({ role: 'admin' }))).statusCode).toBe(201);
    });

    it('refuses viewers and editors (403 auth.forbidden)', async () => {
      for (const session of [viewerS, editorS]) {
        const res = await call(session, 'POST', '/api/v1/users', body({ role: 'viewer' }));
        expect(res.statusCode).toBe(403);
        expect(code(res)).toBe('auth.forbidden');
      }
    });
  });

  describe('PATCH /api/v1/auth/me', () => {
    it('changes the caller’s own names and language with the version', async () => {
      const { user, session } = await freshUser('viewer');
      const { version } = await getUser(user.id);
      const res = await call(session, 'PATCH', '/api/v1/auth/me', {
        version,
        first_name: 'Selbst',
        last_name: 'Gemacht',
        language: 'de',
        timezone: 'Europe/Vienna',
      });
      expect(res.statusCode).toBe(200);
      expect(res.json<UserView>()).toMatchObject({
        id: user.id,
        first_name: 'Selbst',
        last_name: 'Gemacht',
        language: 'de',
        timezone: 'Europe/Vienna',
        role: 'viewer',
        version: version + 1,
      });
      expect((await me(session)).user.language).toBe('de');

      const stale = await call(session, 'PATCH', '/api/v1/auth/me', { version, first_name: 'Old' });
      expect(stale.statusCode).toBe(409);
      expect(code(stale)).toBe('conflict.stale_version');
      expect((await getUser(user.id)).first_name).toBe('Selbst');

      for (const field of [
        { role: 'admin' },
        { is_active: true },
        { email: 'me@example.com' },
        { password: NEW_PASSWORD },
      ]) {
        const refused = await call(session, 'PATCH', '/api/v1/auth/me', { version: version + 1, ...field });
        expect(refused.statusCode).toBe(400);
        expect(code(refused)).toBe('validation.failed');
      }
      const bad = await call(session, 'PATCH', '/api/v1/auth/me', {
        version: version + 1,
        timezone: 'Mars/Base',
      });
      expect(bad.statusCode).toBe(400);
      expect(await getUser(user.id)).toMatchObject({ role: 'viewer', version: version + 1 });
      expect((await call(session, 'PATCH', '/api/v1/auth/me', { first_name: 'X' })).statusCode).toBe(400);
    });
  });
});
