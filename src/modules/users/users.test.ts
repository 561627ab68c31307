import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, TestClock } from '../../../test/helpers/app.ts';
import { as, makeUser, signIn, type Session, type TestUser, request } from '../../../test/helpers/auth.ts';
import { createTestDatabase, testEngine } from '../../../test/helpers/db.ts';
import { Factories } from '../../../test/helpers/factories.ts';
import type { Database } from '../../platform/db/connection.ts';
import type { UserView } from '../identity/user-view.ts';

interface ErrorJson {
  error: { code: string; message: string; details: { field?: string; code: string; message: string }[] };
}
interface Page<T> {
  items: T[];
  total: number;
  page: number;
  per_page: number;
}
interface GrantJson {
  id: string;
  permission: string;
  resource: string | null;
  granted_by: string | null;
  granted_at: string;
  expires_at: string | null;
  active: boolean;
}
interface MeJson {
  user: UserView;
  permissions: string[];
  scoped_permissions: { permission: string; resource: string }[];
}
interface AuditJson {
  id: string;
  event_type: string;
  table_name: string | null;
  record_id: string | null;
  user_id: string | null;
  user_email: string | null;
  ip_address: string | null;
  request_id: string | null;
  changed_fields: string[] | null;
  new_values: Record<string, unknown> | null;
}

let database: Database;
let app: FastifyInstance;
const clock = new TestClock();
/** Runs inside a request marked with x-test-intercept, after the guard has signed the caller in. */
let intercept: ((request: FastifyRequest) => Promise<void>) | undefined;

let root: TestUser;
let admin: TestUser;
let editor: TestUser;
let viewer: TestUser;
let rootS: Session;
let adminS: Session;
let editorS: Session;
let viewerS: Session;

const NEW_PASSWORD = 'a brand new passphrase';

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, {
    clock: clock.now,
    // The clock moves by hours in the grant tests; the shared sessions must outlive that.
    env: { ACCESS_TOKEN_MINUTES: '1440' },
    extend: (app) => {
      app.addHook('preHandler', async (request) => {
        if (request.headers['x-test-intercept'] && intercept) await intercept(request);
      });
    },
  });
  [root, admin, editor, viewer] = await Promise.all([
    makeUser(database, 'super_admin'),
    makeUser(database, 'admin'),
    makeUser(database, 'editor'),
    makeUser(database, 'viewer'),
  ]);
  [rootS, adminS, editorS, viewerS] = await Promise.all([
    signIn(app, root),
    signIn(app, admin),
    signIn(app, editor),
    signIn(app, viewer),
  ]);
});

afterAll(async () => {
  await app.close();
  await database.close();
});

function call(
  session: Pick<Session, 'access_token'> | undefined,
  method: InjectOptions['method'],
  url: string,
  payload?: object,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return request(app, session, method, url, payload, headers);
}

function code(res: LightMyRequestResponse): string {
  return res.json<ErrorJson>().error.code;
}

async function getUser(id: string): Promise<UserView> {
  const res = await call(rootS, 'GET', `/api/v1/users/${id}`);
  expect(res.statusCode).toBe(200);
  return res.json<UserView>();
}

async function me(session: Session): Promise<MeJson> {
  const res = await call(session, 'GET', '/api/v1/auth/me');
  expect(res.statusCode).toBe(200);
  return res.json<MeJson>();
}

async function status(session: Session): Promise<number> {
  return (await call(session, 'GET', '/api/v1/auth/me')).statusCode;
}

async function login(user: Pick<TestUser, 'email'>, password: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password } });
}

/** A fresh user of `role`, signed in: for tests that deactivate, delete or re-grant. */
async function freshUser(role: TestUser['role']): Promise<{ user: TestUser; session: Session }> {
  const user = await makeUser(database, role);
  return { user, session: await signIn(app, user) };
}

async function auditRows(filter: {
  table: string;
  record: string;
  event?: string;
}): Promise<{ event_type: string; user_id: string | null; request_id: string | null }[]> {
  let query = database.db
    .selectFrom('audit_logs')
    .select(['event_type', 'user_id', 'request_id'])
    .where('table_name', '=', filter.table)
    .where('record_id', '=', filter.record);
  if (filter.event) query = query.where('event_type', '=', filter.event);
  return query.execute();
}

describe(`the users API on ${testEngine()}`, () => {
  describe('GET /api/v1/users', () => {
    const tag = `zq${randomUUID().slice(0, 8)}`;

    beforeAll(async () => {
      const f = Factories.for(database);
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
      expect((await app.inject('/api/v1/users')).statusCode).toBe(401);
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
      const row = await database.db
        .selectFrom('admin_users')
        .select(['email', 'created_by'])
        .where('id', '=', user.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ email: payload.email.toLowerCase(), created_by: admin.id });
      expect((await login({ email: payload.email }, NEW_PASSWORD)).statusCode).toBe(200);
      // A password given: no invitation.
      const mails = await database.db
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
      const count = await database.db
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
      const mails = await database.db
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
      const mail = await database.db
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
      const row = await database.db
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
      const row = await database.db
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

  describe('PATCH /api/v1/users/:id', () => {
    it('needs the version', async () => {
      const { id } = await Factories.for(database).admin({ role: 'viewer' });
      const res = await call(adminS, 'PATCH', `/api/v1/users/${id}`, { first_name: 'X' });
      expect(res.statusCode).toBe(400);
      expect(
        res
          .json<ErrorJson>()
          .error.details.map((d) => d.field)
          .join(' '),
      ).toContain('version');
      expect((await getUser(id)).first_name).toBe('Ada');
    });

    it('changes a user and moves the version; a stale version changes nothing (409)', async () => {
      const { id } = await Factories.for(database).admin({ role: 'viewer' });
      const before = await getUser(id);
      const ok = await call(adminS, 'PATCH', `/api/v1/users/${id}`, {
        version: before.version,
        first_name: 'Katherine',
        last_name: 'Johnson',
        role: 'editor',
        language: 'de',
        timezone: 'America/New_York',
        email: 'Katherine.Johnson.' + randomUUID().slice(0, 6) + '@Example.com',
      });
      expect(ok.statusCode).toBe(200);
      const after = ok.json<UserView>();
      expect(after).toMatchObject({
        first_name: 'Katherine',
        last_name: 'Johnson',
        role: 'editor',
        language: 'de',
        timezone: 'America/New_York',
        version: before.version + 1,
      });
      expect(after.email).toBe(after.email.toLowerCase());

      const stale = await call(adminS, 'PATCH', `/api/v1/users/${id}`, {
        version: before.version,
        first_name: 'Overwritten',
      });
      expect(stale.statusCode).toBe(409);
      const error = stale.json<ErrorJson>().error;
      expect(error.code).toBe('conflict.stale_version');
      expect(error.details).toHaveLength(1);
      expect(error.details[0]?.field).toBe('version');
      expect(error.details[0]?.message).toContain(`current version is ${after.version}`);
      expect(await getUser(id)).toEqual(after);
    });

    it('refuses an e-mail address another user has (409)', async () => {
      const { id } = await Factories.for(database).admin({ role: 'viewer' });
      const res = await call(adminS, 'PATCH', `/api/v1/users/${id}`, {
        version: 1,
        email: editor.email.toUpperCase(),
      });
      expect(res.statusCode).toBe(409);
      expect(code(res)).toBe('users.email_taken');
    });

    it.each([
      ['the time zone Mars/Base', { timezone: 'Mars/Base' }],
      ['the role king', { role: 'king' }],
      ['an unknown field', { hashed_password: 'x' }],
      ['a version of 0', { version: 0 }],
      ['a version as text', { version: '1' }],
    ])('refuses %s with 400', async (_label, patch) => {
      const { id } = await Factories.for(database).admin({ role: 'viewer' });
      const res = await call(adminS, 'PATCH', `/api/v1/users/${id}`, { version: 1, ...patch });
      expect(res.statusCode).toBe(400);
      expect((await getUser(id)).version).toBe(1);
    });

    it('an editor cannot make themselves admin (403: they lack users.manage)', async () => {
      const before = await getUser(editor.id);
      const res = await call(editorS, 'PATCH', `/api/v1/users/${editor.id}`, {
        version: before.version,
        role: 'admin',
      });
      expect(res.statusCode).toBe(403);
      expect(code(res)).toBe('auth.forbidden');
      expect((await getUser(editor.id)).role).toBe('editor');
    });

    it('an admin cannot give the role super_admin', async () => {
      const { id } = await Factories.for(database).admin({ role: 'viewer' });
      const res = await call(adminS, 'PATCH', `/api/v1/users/${id}`, { version: 1, role: 'super_admin' });
      expect(res.statusCode).toBe(403);
      expect(code(res)).toBe('users.role_too_high');
      expect((await getUser(id)).role).toBe('viewer');
    });

    it('an admin cannot change, deactivate, delete or re-grant a super admin (403 users.super_admin_protected)', async () => {
      const target = await Factories.for(database).admin({ role: 'super_admin', is_superuser: true });
      const attempts: [InjectOptions['method'], string, object?][] = [
        ['PATCH', `/api/v1/users/${target.id}`, { version: target.version, first_name: 'Mallory' }],
        ['PATCH', `/api/v1/users/${target.id}`, { version: target.version, role: 'viewer' }],
        ['POST', `/api/v1/users/${target.id}/deactivate`],
        ['DELETE', `/api/v1/users/${target.id}`],
        ['POST', `/api/v1/users/${target.id}/permissions`, { permission: 'pages.read' }],
      ];
      for (const [method, url, payload] of attempts) {
        const res = await call(adminS, method, url, payload);
        expect(res.statusCode, `${method} ${url}`).toBe(403);
        expect(code(res)).toBe('users.super_admin_protected');
      }
      const after = await getUser(target.id);
      expect(after).toMatchObject({
        first_name: 'Ada',
        role: 'super_admin',
        is_active: true,
        deleted_at: null,
        version: target.version,
      });
      // Clean up: the last-super-admin tests count the super admins.
      await database.db.deleteFrom('admin_users').where('id', '=', target.id).execute();
    });

    it('nobody changes their own role or deactivates or deletes themselves (409 users.not_yourself)', async () => {
      for (const [user, session] of [
        [admin, adminS],
        [root, rootS],
      ] as const) {
        const { version } = await getUser(user.id);
        const attempts: [InjectOptions['method'], string, object?][] = [
          ['PATCH', `/api/v1/users/${user.id}`, { version, role: 'viewer' }],
          ['PATCH', `/api/v1/users/${user.id}`, { version, role: user.role }],
          ['PATCH', `/api/v1/users/${user.id}`, { version, is_active: false }],
          ['POST', `/api/v1/users/${user.id}/deactivate`],
          ['DELETE', `/api/v1/users/${user.id}`],
        ];
        for (const [method, url, payload] of attempts) {
          const res = await call(session, method, url, payload);
          expect(res.statusCode, `${method} ${url}`).toBe(409);
          expect(code(res)).toBe('users.not_yourself');
        }
        expect(await getUser(user.id)).toMatchObject({ role: user.role, is_active: true, version });
        expect(await status(session)).toBe(200);
      }
    });

    it('nobody sets their own password through the users API: that needs the current one (409)', async () => {
      const { user, session } = await freshUser('admin');
      const { version } = await getUser(user.id);
      const res = await call(session, 'PATCH', `/api/v1/users/${user.id}`, {
        version,
        password: NEW_PASSWORD,
      });
      expect([res.statusCode, code(res)]).toEqual([409, 'users.not_yourself']);
      const after = await getUser(user.id);
      expect(after.version).toBe(version);
      expect(await status(session)).toBe(200);
      expect((await login(user, NEW_PASSWORD)).statusCode).toBe(401);
      expect((await login(user, user.password)).statusCode).toBe(200);
    });

    it('a user may PATCH their own names through the users API when they hold users.manage', async () => {
      const { version } = await getUser(admin.id);
      const res = await call(adminS, 'PATCH', `/api/v1/users/${admin.id}`, { version, first_name: 'Adele' });
      expect(res.statusCode).toBe(200);
      expect(res.json<UserView>().version).toBe(version + 1);
    });

    it('setting a password ends that user’s sessions; a too short one is refused', async () => {
      const { user, session } = await freshUser('viewer');
      const { version } = await getUser(user.id);
      const short = await call(adminS, 'PATCH', `/api/v1/users/${user.id}`, {
        version,
        password: 'too short',
      });
      expect(short.statusCode).toBe(400);
      expect(await status(session)).toBe(200);

      const res = await call(adminS, 'PATCH', `/api/v1/users/${user.id}`, {
        version,
        password: NEW_PASSWORD,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json<UserView>().password_changed_at).toBe(clock.now().toISOString());
      expect(res.json<UserView>().version).toBe(version + 1);
      expect(res.body).not.toContain(NEW_PASSWORD);
      expect(await status(session)).toBe(401);
      expect((await login(user, user.password)).statusCode).toBe(401);
      expect((await login(user, NEW_PASSWORD)).statusCode).toBe(200);
      const ended = await database.db
        .selectFrom('admin_sessions')
        .select('invalidated_reason')
        .where('user_id', '=', user.id)
        .where('invalidated_at', 'is not', null)
        .execute();
      expect(ended).toEqual([{ invalidated_reason: 'password_changed' }]);
    });

    it('a sign-in does not move the version, so an edit based on the earlier read still succeeds', async () => {
      const user = await makeUser(database, 'viewer');
      const read = await getUser(user.id);
      expect(read.last_login_at).toBeNull();

      expect((await login(user, 'wrong password, twice')).statusCode).toBe(401);
      await signIn(app, user);
      const afterLogin = await getUser(user.id);
      expect(afterLogin.last_login_at).not.toBeNull();
      expect(afterLogin.version).toBe(read.version);
      // Bookkeeping columns write no row-change audit entry either.
      expect(await auditRows({ table: 'admin_users', record: user.id, event: 'UPDATE' })).toHaveLength(0);
      // The sign-in and the failure are events of their own.
      const events = (await auditRows({ table: 'admin_users', record: user.id })).map((r) => r.event_type);
      expect(events.sort()).toEqual(['INSERT', 'LOGIN', 'LOGIN_FAILED']);

      const res = await call(adminS, 'PATCH', `/api/v1/users/${user.id}`, {
        version: read.version,
        last_name: 'Edited',
      });
      expect(res.statusCode).toBe(200);
      expect(res.json<UserView>()).toMatchObject({ last_name: 'Edited', version: read.version + 1 });
    });

    it('an editor granted users.manage still cannot raise anyone above editor', async () => {
      const { user: boss, session: bossS } = await freshUser('editor');
      const granted = await call(adminS, 'POST', `/api/v1/users/${boss.id}/permissions`, {
        permission: 'users.manage',
      });
      expect(granted.statusCode).toBe(200);
      const { id } = await Factories.for(database).admin({ role: 'viewer' });

      const self = await call(bossS, 'PATCH', `/api/v1/users/${boss.id}`, { version: 1, role: 'admin' });
      expect(self.statusCode).toBe(409);
      expect(code(self)).toBe('users.not_yourself');
      const other = await call(bossS, 'PATCH', `/api/v1/users/${id}`, { version: 1, role: 'admin' });
      expect(other.statusCode).toBe(403);
      expect(code(other)).toBe('users.role_too_high');
      const create = await call(bossS, 'POST', '/api/v1/users', {
        email: `made-by-editor-${randomUUID().slice(0, 6)}@example.com`,
        first_name: 'A',
        last_name: 'B',
        role: 'admin',
      });
      expect(code(create)).toBe('users.role_too_high');
      // Up to their own role is fine.
      const ok = await call(bossS, 'PATCH', `/api/v1/users/${id}`, { version: 1, role: 'editor' });
      expect(ok.statusCode).toBe(200);
    });

    it('an editor granted users.manage cannot take over an admin’s account', async () => {
      const { user: boss, session: bossS } = await freshUser('editor');
      await call(adminS, 'POST', `/api/v1/users/${boss.id}/permissions`, { permission: 'users.manage' });
      const target = await makeUser(database, 'admin');
      const attempts: [InjectOptions['method'], string, object?][] = [
        ['PATCH', `/api/v1/users/${target.id}`, { version: 1, password: NEW_PASSWORD }],
        ['PATCH', `/api/v1/users/${target.id}`, { version: 1, email: `${boss.id}@example.com` }],
        ['PATCH', `/api/v1/users/${target.id}`, { version: 1, role: 'viewer' }],
        ['POST', `/api/v1/users/${target.id}/deactivate`],
        ['DELETE', `/api/v1/users/${target.id}`],
      ];
      for (const [method, url, payload] of attempts) {
        const res = await call(bossS, method, url, payload);
        expect([res.statusCode, code(res)], `${method} ${url}`).toEqual([403, 'users.outranks_you']);
      }
      expect(await getUser(target.id)).toMatchObject({
        role: 'admin',
        is_active: true,
        deleted_at: null,
        version: 1,
      });
      expect((await login(target, target.password)).statusCode).toBe(200);
    });
  });

  describe('the last active super admin', () => {
    async function activeSuperAdmins(): Promise<number> {
      const row = await database.db
        .selectFrom('admin_users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('role', '=', 'super_admin')
        .where('is_active', '=', true)
        .where('deleted_at', 'is', null)
        .executeTakeFirstOrThrow();
      return row.n;
    }

    it('stays one even when the other super admin acting on them was demoted meanwhile', async () => {
      const second = await makeUser(database, 'super_admin');
      const secondS = await signIn(app, second);
      const attempts: [InjectOptions['method'], string, () => Promise<object | undefined>][] = [
        [
          'PATCH',
          `/api/v1/users/${root.id}`,
          async () => ({ version: (await getUser(root.id)).version, role: 'admin' }),
        ],
        ['POST', `/api/v1/users/${root.id}/deactivate`, () => Promise.resolve(undefined)],
        ['DELETE', `/api/v1/users/${root.id}`, () => Promise.resolve(undefined)],
      ];
      for (const [method, url, payload] of attempts) {
        expect(await activeSuperAdmins()).toBe(2);
        // The second super admin is signed in as one; before their change runs, root demotes them.
        intercept = async () => {
          const { version } = await getUser(second.id);
          const demote = await call(rootS, 'PATCH', `/api/v1/users/${second.id}`, { version, role: 'admin' });
          expect(demote.statusCode).toBe(200);
        };
        try {
          const res = await call(secondS, method, url, await payload(), { 'x-test-intercept': '1' });
          expect(res.statusCode, `${method} ${url}`).toBe(409);
          expect(code(res)).toBe('users.last_super_admin');
        } finally {
          intercept = undefined;
        }
        expect(await activeSuperAdmins()).toBe(1);
        expect(await getUser(root.id)).toMatchObject({
          role: 'super_admin',
          is_active: true,
          deleted_at: null,
        });
        expect(await status(rootS)).toBe(200);
        // Make the second one a super admin again for the next attempt.
        const { version } = await getUser(second.id);
        const back = await call(rootS, 'PATCH', `/api/v1/users/${second.id}`, {
          version,
          role: 'super_admin',
        });
        expect(back.statusCode).toBe(200);
      }
    });

    it('can be demoted, deactivated and deleted while another super admin exists', async () => {
      expect(await activeSuperAdmins()).toBe(2);
      const second = (
        await database.db
          .selectFrom('admin_users')
          .select('id')
          .where('role', '=', 'super_admin')
          .where('id', '<>', root.id)
          .executeTakeFirstOrThrow()
      ).id;
      const { version } = await getUser(second);
      const demote = await call(rootS, 'PATCH', `/api/v1/users/${second}`, { version, role: 'admin' });
      expect(demote.statusCode).toBe(200);
      expect(demote.json<UserView>().role).toBe('admin');
      expect(await activeSuperAdmins()).toBe(1);

      const again = await call(rootS, 'PATCH', `/api/v1/users/${second}`, {
        version: version + 1,
        role: 'super_admin',
      });
      expect(again.statusCode).toBe(200);
      const off = await call(rootS, 'POST', `/api/v1/users/${second}/deactivate`);
      expect(off.statusCode).toBe(200);
      expect(off.json<UserView>().is_active).toBe(false);
      expect(await activeSuperAdmins()).toBe(1);
      expect((await call(rootS, 'POST', `/api/v1/users/${second}/activate`)).statusCode).toBe(200);
      expect((await call(rootS, 'DELETE', `/api/v1/users/${second}`)).statusCode).toBe(204);
      expect(await activeSuperAdmins()).toBe(1);
    });
  });

  describe('activate, deactivate, delete and restore', () => {
    it('deactivating ends the user’s access at once; activating brings sign-in back and lifts a lock', async () => {
      const { user, session } = await freshUser('editor');
      const off = await call(adminS, 'POST', `/api/v1/users/${user.id}/deactivate`);
      expect(off.statusCode).toBe(200);
      expect(off.json<UserView>().is_active).toBe(false);
      const denied = await call(session, 'GET', '/api/v1/auth/me');
      expect(denied.statusCode).toBe(401);
      expect(code(denied)).toBe('auth.invalid_token');
      const disabled = await login(user, user.password);
      expect(disabled.statusCode).toBe(403);
      expect(code(disabled)).toBe('auth.account_disabled');

      // Lock the account with wrong passwords.
      let locked: LightMyRequestResponse | undefined;
      for (let i = 0; i < 10 && locked?.statusCode !== 423; i++)
        locked = await login(user, 'wrong password!!');
      expect(locked?.statusCode).toBe(423);
      expect((await getUser(user.id)).locked_until).not.toBeNull();

      const on = await call(adminS, 'POST', `/api/v1/users/${user.id}/activate`);
      expect(on.statusCode).toBe(200);
      expect(on.json<UserView>()).toMatchObject({ is_active: true, locked_until: null });
      const again = await login(user, user.password);
      expect(again.statusCode).toBe(200);
      // The old session stays ended.
      expect(await status(session)).toBe(401);
    });

    it('deletes softly: in the trash, token refused, still readable; restore brings them back', async () => {
      const { user, session } = await freshUser('viewer');
      const { version } = await getUser(user.id);

      const stale = await call(adminS, 'DELETE', `/api/v1/users/${user.id}?version=${version + 5}`);
      expect(stale.statusCode).toBe(409);
      expect(code(stale)).toBe('conflict.stale_version');
      expect(await status(session)).toBe(200);

      const res = await call(adminS, 'DELETE', `/api/v1/users/${user.id}?version=${version}`);
      expect(res.statusCode).toBe(204);
      expect(res.body).toBe('');
      expect(await status(session)).toBe(401);
      expect((await login(user, user.password)).statusCode).toBe(401);

      const trash = (await call(adminS, 'GET', '/api/v1/users?deleted=only&per_page=100')).json<
        Page<UserView>
      >();
      expect(trash.items.map((u) => u.id)).toContain(user.id);
      const live = (await call(adminS, 'GET', `/api/v1/users?q=${encodeURIComponent(user.email)}`)).json<
        Page<UserView>
      >();
      expect(live.total).toBe(0);
      const shown = await getUser(user.id);
      expect(shown.deleted_at).toBe(clock.now().toISOString());

      // Deleted users cannot be changed or deleted again.
      const patch = await call(adminS, 'PATCH', `/api/v1/users/${user.id}`, {
        version: shown.version,
        first_name: 'Ghost',
      });
      expect(patch.statusCode).toBe(404);
      expect((await call(adminS, 'DELETE', `/api/v1/users/${user.id}`)).statusCode).toBe(404);

      const restored = await call(adminS, 'POST', `/api/v1/users/${user.id}/restore`);
      expect(restored.statusCode).toBe(200);
      expect(restored.json<UserView>().deleted_at).toBeNull();
      expect((await login(user, user.password)).statusCode).toBe(200);
      // Their old session stays ended.
      expect(await status(session)).toBe(401);

      const notDeleted = await call(adminS, 'POST', `/api/v1/users/${user.id}/restore`);
      expect(notDeleted.statusCode).toBe(409);
      expect(code(notDeleted)).toBe('users.not_deleted');

      const events = (await auditRows({ table: 'admin_users', record: user.id })).map((r) => r.event_type);
      expect(events).toEqual(expect.arrayContaining(['SOFT_DELETE', 'RESTORE']));
    });

    it('refuses to restore a user whose e-mail address someone took meanwhile (409, naming it)', async () => {
      const gone = await Factories.for(database).admin({ role: 'viewer' });
      expect((await call(adminS, 'DELETE', `/api/v1/users/${gone.id}`)).statusCode).toBe(204);
      const taker = await call(adminS, 'POST', '/api/v1/users', {
        email: gone.email.toUpperCase(),
        first_name: 'New',
        last_name: 'Owner',
        role: 'viewer',
        password: NEW_PASSWORD,
      });
      expect(taker.statusCode).toBe(201);
      const res = await call(adminS, 'POST', `/api/v1/users/${gone.id}/restore`);
      expect(res.statusCode).toBe(409);
      expect(code(res)).toBe('users.email_taken');
      expect(res.json<ErrorJson>().error.message).toContain(gone.email);
      expect((await getUser(gone.id)).deleted_at).not.toBeNull();
    });

    it('answers 404 for an unknown id and 400 for an id that is no UUID', async () => {
      const unknown = randomUUID();
      const requests: [InjectOptions['method'], string, object?][] = [
        ['GET', `/api/v1/users/${unknown}`],
        ['PATCH', `/api/v1/users/${unknown}`, { version: 1, first_name: 'Nobody' }],
        ['DELETE', `/api/v1/users/${unknown}`],
        ['POST', `/api/v1/users/${unknown}/restore`],
        ['POST', `/api/v1/users/${unknown}/activate`],
        ['POST', `/api/v1/users/${unknown}/deactivate`],
        ['GET', `/api/v1/users/${unknown}/permissions`],
        ['POST', `/api/v1/users/${unknown}/permissions`, { permission: 'pages.read' }],
        ['DELETE', `/api/v1/users/${unknown}/permissions/${randomUUID()}`],
      ];
      for (const [method, url, payload] of requests) {
        const res = await call(adminS, method, url, payload);
        expect(res.statusCode, `${method} ${url}`).toBe(404);
        expect(code(res)).toBe('users.not_found');
        const bad = await call(adminS, method, url.replace(unknown, 'not-a-uuid'), payload);
        expect(bad.statusCode, `${method} ${url}`).toBe(400);
        expect(code(bad)).toBe('validation.failed');
      }
    });

    it('refuses these to viewers and editors', async () => {
      for (const session of [viewerS, editorS]) {
        for (const action of ['activate', 'deactivate', 'restore']) {
          const res = await call(session, 'POST', `/api/v1/users/${admin.id}/${action}`);
          expect(res.statusCode).toBe(403);
          expect(code(res)).toBe('auth.forbidden');
        }
        expect((await call(session, 'DELETE', `/api/v1/users/${admin.id}`)).statusCode).toBe(403);
      }
      expect(await status(adminS)).toBe(200);
    });
  });

  describe('permission grants', () => {
    let grantee: TestUser;
    let granteeS: Session;

    beforeAll(async () => {
      ({ user: grantee, session: granteeS } = await freshUser('viewer'));
    });

    async function grants(id = grantee.id): Promise<GrantJson[]> {
      const ok = await call(adminS, 'GET', `/api/v1/users/${id}/permissions`);
      expect(ok.statusCode).toBe(200);
      return ok.json<{ items: GrantJson[] }>().items;
    }

    it('a global grant adds to the role’s permissions at once', async () => {
      expect(await grants()).toEqual([]);
      for (const session of [viewerS, editorS]) {
        const res = await call(session, 'GET', `/api/v1/users/${grantee.id}/permissions`);
        expect(res.statusCode).toBe(403);
      }
      expect((await me(granteeS)).permissions).not.toContain('pages.write');
      expect((await call(granteeS, 'POST', '/api/v1/users', {})).statusCode).toBe(403);

      const res = await call(adminS, 'POST', `/api/v1/users/${grantee.id}/permissions`, {
        permission: 'pages.write',
      });
      expect(res.statusCode).toBe(200);
      const items = res.json<{ items: GrantJson[] }>().items;
      expect(items).toHaveLength(1);
      expect(items[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(items).toEqual([
        {
          id: items[0]?.id,
          permission: 'pages.write',
          resource: null,
          granted_by: admin.id,
          granted_at: clock.now().toISOString(),
          expires_at: null,
          active: true,
        },
      ]);
      const mine = await me(granteeS);
      expect(mine.permissions).toContain('pages.write');
      expect(mine.permissions).toContain('pages.read');
      expect(mine.permissions).not.toContain('pages.publish');
    });

    it('an expired grant counts for nothing and is listed as inactive', async () => {
      const expires = new Date(clock.now().getTime() + 5 * 60_000);
      const res = await call(adminS, 'POST', `/api/v1/users/${grantee.id}/permissions`, {
        permission: 'media.write',
        expires_at: expires.toISOString(),
      });
      expect(res.statusCode).toBe(200);
      expect((await me(granteeS)).permissions).toContain('media.write');
      const live = (await grants()).find((g) => g.permission === 'media.write');
      expect(live).toMatchObject({ expires_at: expires.toISOString(), active: true });

      clock.advance(6);
      expect((await me(granteeS)).permissions).not.toContain('media.write');
      expect((await me(granteeS)).permissions).toContain('pages.write');
      const expired = (await grants()).find((g) => g.permission === 'media.write');
      expect(expired).toMatchObject({ expires_at: expires.toISOString(), active: false });
    });

    it('a scoped grant shows in scoped_permissions, not in permissions', async () => {
      const res = await call(adminS, 'POST', `/api/v1/users/${grantee.id}/permissions`, {
        permission: 'pages.publish',
        resource: 'page:123',
      });
      expect(res.statusCode).toBe(200);
      expect(res.json<{ items: GrantJson[] }>().items).toContainEqual(
        expect.objectContaining({ permission: 'pages.publish', resource: 'page:123', active: true }),
      );
      const mine = await me(granteeS);
      expect(mine.permissions).not.toContain('pages.publish');
      expect(mine.scoped_permissions).toEqual([{ permission: 'pages.publish', resource: 'page:123' }]);
    });

    it.each([
      ['an unknown permission', { permission: 'pages.destroy' }],
      ['a missing permission', { resource: 'page:1' }],
      ['an empty resource', { permission: 'pages.read', resource: '' }],
      ['an expires_at that is no date', { permission: 'pages.read', expires_at: 'tomorrow' }],
      ['an unknown field', { permission: 'pages.read', forever: true }],
    ])('refuses %s with 400', async (_label, payload) => {
      const before = await grants();
      const res = await call(adminS, 'POST', `/api/v1/users/${grantee.id}/permissions`, payload);
      expect(res.statusCode).toBe(400);
      expect(code(res)).toBe('validation.failed');
      expect(await grants()).toEqual(before);
    });

    it('refuses an expiry in the past (400 users.grant_expiry_past)', async () => {
      const before = await grants();
      for (const at of [new Date(clock.now().getTime() - 60_000), clock.now()]) {
        const res = await call(adminS, 'POST', `/api/v1/users/${grantee.id}/permissions`, {
          permission: 'bookings.manage',
          expires_at: at.toISOString(),
        });
        expect(res.statusCode).toBe(400);
        expect(code(res)).toBe('users.grant_expiry_past');
      }
      expect(await grants()).toEqual(before);
    });

    it('nobody grants what they do not hold; an admin grants what they hold', async () => {
      const { user: boss, session: bossS } = await freshUser('editor');
      // Editors cannot grant at all.
      const plain = await call(bossS, 'POST', `/api/v1/users/${grantee.id}/permissions`, {
        permission: 'pages.write',
      });
      expect(plain.statusCode).toBe(403);
      expect(code(plain)).toBe('auth.forbidden');

      const managed = await call(adminS, 'POST', `/api/v1/users/${boss.id}/permissions`, {
        permission: 'users.manage',
      });
      expect(managed.statusCode).toBe(200);

      const notHeld = await call(bossS, 'POST', `/api/v1/users/${grantee.id}/permissions`, {
        permission: 'settings.manage',
      });
      expect(notHeld.statusCode).toBe(403);
      expect(code(notHeld)).toBe('users.permission_not_held');
      expect(notHeld.json<ErrorJson>().error.message).toContain('settings.manage');
      // A scoped grant of their own is not enough to pass it on.
      const scoped = await call(bossS, 'POST', `/api/v1/users/${grantee.id}/permissions`, {
        permission: 'leads.export',
        resource: 'page:123',
      });
      expect(code(scoped)).toBe('users.permission_not_held');
      expect((await grants()).map((g) => g.permission)).not.toContain('settings.manage');

      const held = await call(bossS, 'POST', `/api/v1/users/${grantee.id}/permissions`, {
        permission: 'translations.review',
      });
      expect(held.statusCode).toBe(200);
      expect(held.json<{ items: GrantJson[] }>().items).toContainEqual(
        expect.objectContaining({ permission: 'translations.review', granted_by: boss.id }),
      );

      const byAdmin = await call(adminS, 'POST', `/api/v1/users/${grantee.id}/permissions`, {
        permission: 'settings.manage',
      });
      expect(byAdmin.statusCode).toBe(200);
      expect((await me(granteeS)).permissions).toContain('settings.manage');
    });

    it('granting the same permission again renews it instead of adding another', async () => {
      const before = (await grants()).filter((g) => g.permission === 'pages.write' && g.resource === null);
      expect(before).toHaveLength(1);
      clock.advance(1);
      const expires = new Date(clock.now().getTime() + 60 * 60_000).toISOString();
      const res = await call(rootS, 'POST', `/api/v1/users/${grantee.id}/permissions`, {
        permission: 'pages.write',
        expires_at: expires,
      });
      expect(res.statusCode).toBe(200);
      const after = res
        .json<{ items: GrantJson[] }>()
        .items.filter((g) => g.permission === 'pages.write' && g.resource === null);
      expect(after).toEqual([
        {
          ...before[0],
          granted_by: root.id,
          granted_at: clock.now().toISOString(),
          expires_at: expires,
          active: true,
        },
      ]);
      // Same permission, another resource: a second grant.
      await call(adminS, 'POST', `/api/v1/users/${grantee.id}/permissions`, {
        permission: 'pages.write',
        resource: 'page:9',
      });
      expect((await grants()).filter((g) => g.permission === 'pages.write')).toHaveLength(2);
      // And a renewed expired grant is live again.
      const renewed = await call(adminS, 'POST', `/api/v1/users/${grantee.id}/permissions`, {
        permission: 'media.write',
      });
      expect(renewed.json<{ items: GrantJson[] }>().items).toContainEqual(
        expect.objectContaining({ permission: 'media.write', expires_at: null, active: true }),
      );
      expect((await me(granteeS)).permissions).toContain('media.write');
    });

    it('revokes a grant: 204, gone at once, then 404', async () => {
      const grant = (await grants()).find((g) => g.permission === 'pages.write' && g.resource === null);
      expect(grant).toBeDefined();
      const url = `/api/v1/users/${grantee.id}/permissions/${grant?.id ?? ''}`;
      expect((await call(editorS, 'DELETE', url)).statusCode).toBe(403);
      // Someone else's grant id under this user: not found.
      const other = await call(adminS, 'DELETE', `/api/v1/users/${viewer.id}/permissions/${grant?.id ?? ''}`);
      expect(other.statusCode).toBe(404);

      const res = await call(adminS, 'DELETE', url);
      expect(res.statusCode).toBe(204);
      expect((await grants()).map((g) => g.id)).not.toContain(grant?.id);
      expect((await me(granteeS)).permissions).not.toContain('pages.write');
      const again = await call(adminS, 'DELETE', url);
      expect(again.statusCode).toBe(404);
      expect(code(again)).toBe('users.grant_not_found');
    });

    it('a temporary grant cannot be made to last: not renewed on yourself, not passed on for longer', async () => {
      const { user: temp, session: tempS } = await freshUser('editor');
      const until = new Date(clock.now().getTime() + 60 * 60_000);
      const granted = await call(adminS, 'POST', `/api/v1/users/${temp.id}/permissions`, {
        permission: 'users.manage',
        expires_at: until.toISOString(),
      });
      expect(granted.statusCode).toBe(200);
      const puppet = await makeUser(database, 'viewer');

      const self = await call(tempS, 'POST', `/api/v1/users/${temp.id}/permissions`, {
        permission: 'users.manage',
      });
      expect([self.statusCode, code(self)]).toEqual([409, 'users.not_yourself']);
      for (const expires_at of [null, new Date(until.getTime() + 60_000).toISOString()]) {
        const res = await call(tempS, 'POST', `/api/v1/users/${puppet.id}/permissions`, {
          permission: 'users.manage',
          expires_at,
        });
        expect([res.statusCode, code(res)]).toEqual([403, 'users.grant_outlives_yours']);
        expect(res.json<ErrorJson>().error.message).toContain(until.toISOString());
      }
      expect(await grants(puppet.id)).toEqual([]);
      expect((await grants(temp.id)).map((g) => g.expires_at)).toEqual([until.toISOString()]);
      // Until then it can be passed on; a permission of their role, without an end.
      const within = await call(tempS, 'POST', `/api/v1/users/${puppet.id}/permissions`, {
        permission: 'users.manage',
        expires_at: until.toISOString(),
      });
      expect(within.statusCode).toBe(200);
      const own = await call(tempS, 'POST', `/api/v1/users/${puppet.id}/permissions`, {
        permission: 'pages.write',
      });
      expect(own.statusCode).toBe(200);
    });
  });

  describe('the audit trail', () => {
    it('records a change with the acting user, the IP and the request id', async () => {
      const { id } = await Factories.for(database).admin({ role: 'viewer' });
      const requestId = randomUUID();
      const res = await app.inject(
        as(adminS, {
          method: 'PATCH',
          url: `/api/v1/users/${id}`,
          payload: { version: 1, first_name: 'Audited' },
          headers: { 'x-request-id': requestId.toUpperCase() },
          remoteAddress: '203.0.113.7',
        }),
      );
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-request-id']).toBe(requestId);

      const list = await call(
        adminS,
        'GET',
        `/api/v1/audit-logs?table_name=admin_users&record_id=${id}&event_type=UPDATE`,
      );
      expect(list.statusCode).toBe(200);
      const page = list.json<Page<AuditJson>>();
      expect(page.total).toBe(1);
      expect(page.items[0]).toMatchObject({
        event_type: 'UPDATE',
        table_name: 'admin_users',
        record_id: id,
        user_id: admin.id,
        user_email: admin.email,
        ip_address: '203.0.113.7',
        request_id: requestId,
      });
      expect(page.items[0]?.changed_fields).toContain('first_name');
      expect(JSON.stringify(page.items[0])).not.toContain('hashed_password');
      expect(JSON.stringify(page.items[0])).not.toContain('argon2');
    });

    it('records grants, and filters by user, event types, time, with pages', async () => {
      const started = new Date(Date.now() - 1000);
      const { user, session } = await freshUser('editor');
      const created = await call(adminS, 'POST', '/api/v1/users', {
        email: `audited-${randomUUID().slice(0, 6)}@example.com`,
        first_name: 'Audit',
        last_name: 'Trail',
        role: 'viewer',
      });
      expect(created.statusCode).toBe(201);
      const target = created.json<UserView>().id;
      const patched = await call(adminS, 'PATCH', `/api/v1/users/${target}`, {
        version: 1,
        last_name: 'Two',
      });
      expect(patched.statusCode).toBe(200);
      const granted = await app.inject(
        as(adminS, {
          method: 'POST',
          url: `/api/v1/users/${target}/permissions`,
          payload: { permission: 'leads.read' },
        }),
      );
      expect(granted.statusCode).toBe(200);
      const grantId = granted.json<{ items: GrantJson[] }>().items[0]?.id;

      const grantLog = (
        await call(adminS, 'GET', `/api/v1/audit-logs?table_name=user_permissions&record_id=${grantId ?? ''}`)
      ).json<Page<AuditJson>>();
      expect(grantLog.total).toBe(1);
      expect(grantLog.items[0]).toMatchObject({
        event_type: 'INSERT',
        user_id: admin.id,
        user_email: admin.email,
        ip_address: '127.0.0.1',
        request_id: granted.headers['x-request-id'],
      });
      expect(grantLog.items[0]?.new_values).toMatchObject({ permission: 'leads.read', user_id: target });

      const base = `/api/v1/audit-logs?table_name=admin_users&record_id=${target}&user_id=${admin.id}`;
      const both = (await call(adminS, 'GET', `${base}&event_type=INSERT&event_type=UPDATE`)).json<
        Page<AuditJson>
      >();
      expect(both.total).toBe(2);
      // Newest first.
      expect(both.items.map((i) => i.event_type)).toEqual(['UPDATE', 'INSERT']);
      const one = (await call(adminS, 'GET', `${base}&event_type=INSERT`)).json<Page<AuditJson>>();
      expect(one.items.map((i) => i.event_type)).toEqual(['INSERT']);
      const paged = (
        await call(adminS, 'GET', `${base}&event_type=INSERT&event_type=UPDATE&per_page=1&page=2`)
      ).json<Page<AuditJson>>();
      expect(paged).toMatchObject({ total: 2, page: 2, per_page: 1 });
      expect(paged.items.map((i) => i.event_type)).toEqual(['INSERT']);
      const byOther = (await call(adminS, 'GET', base.replace(admin.id, user.id))).json<Page<AuditJson>>();
      expect(byOther.total).toBe(0);

      const from = encodeURIComponent(started.toISOString());
      const later = encodeURIComponent(new Date(Date.now() + 60_000).toISOString());
      const inWindow = (await call(adminS, 'GET', `${base}&from=${from}&to=${later}`)).json<
        Page<AuditJson>
      >();
      expect(inWindow.total).toBe(2);
      const before = (await call(adminS, 'GET', `${base}&to=${from}`)).json<Page<AuditJson>>();
      expect(before.total).toBe(0);
      const after = (await call(adminS, 'GET', `${base}&from=${later}`)).json<Page<AuditJson>>();
      expect(after.total).toBe(0);

      // Editors and viewers do not read the trail.
      for (const denied of [session, viewerS]) {
        const res = await call(denied, 'GET', '/api/v1/audit-logs');
        expect(res.statusCode).toBe(403);
        expect(code(res)).toBe('auth.forbidden');
      }
      expect((await call(adminS, 'GET', '/api/v1/audit-logs?record_id=nope')).statusCode).toBe(400);
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
