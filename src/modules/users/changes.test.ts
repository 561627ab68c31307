import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorCode as code, useTestApp, type ErrorJson } from '../../../test/fixture.ts';
import { usersKit } from '../../../test/helpers/users.ts';
import { makeUser, signIn, type Session, type TestUser } from '../../../test/helpers/auth.ts';
import type { UserView } from '../identity/index.ts';

/*
 * The users API: PATCH /users/:id: versions, roles, who may change whom, passwords.
 */

const t = useTestApp({
  now: new Date(),
});
const call = t.call.bind(t);
const { clock } = t;

const NEW_PASSWORD = 'a brand new passphrase';
let root: TestUser;
let rootS: Session;
let admin: TestUser;
let adminS: Session;
let editor: TestUser;
let editorS: Session;

beforeAll(async () => {
  ({ user: root, session: rootS } = await t.as('super_admin'));
  ({ user: admin, session: adminS } = await t.as('admin'));
  ({ user: editor, session: editorS } = await t.as('editor'));
});

const { getUser, status, login, freshUser, auditRows } = usersKit(t, () => rootS);

describe(`the users API: changing a user on ${t.engine}`, () => {
  describe('PATCH /api/v1/users/:id', () => {
    it('needs the version', async () => {
      const { id } = await t.factories.admin({ role: 'viewer' });
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
      const { id } = await t.factories.admin({ role: 'viewer' });
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
      const { id } = await t.factories.admin({ role: 'viewer' });
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
      const { id } = await t.factories.admin({ role: 'viewer' });
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
      const { id } = await t.factories.admin({ role: 'viewer' });
      const res = await call(adminS, 'PATCH', `/api/v1/users/${id}`, { version: 1, role: 'super_admin' });
      expect(res.statusCode).toBe(403);
      expect(code(res)).toBe('users.role_too_high');
      expect((await getUser(id)).role).toBe('viewer');
    });

    it('an admin cannot change, deactivate, delete or re-grant a super admin (403 users.super_admin_protected)', async () => {
      const target = await t.factories.admin({ role: 'super_admin', is_superuser: true });
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
      await t.database.db.deleteFrom('admin_users').where('id', '=', target.id).execute();
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
      const ended = await t.database.db
        .selectFrom('admin_sessions')
        .select('invalidated_reason')
        .where('user_id', '=', user.id)
        .where('invalidated_at', 'is not', null)
        .execute();
      expect(ended).toEqual([{ invalidated_reason: 'password_changed' }]);
    });

    it('a sign-in does not move the version, so an edit based on the earlier read still succeeds', async () => {
      const user = await makeUser(t.database, 'viewer');
      const read = await getUser(user.id);
      expect(read.last_login_at).toBeNull();

      expect((await login(user, 'wrong password, twice')).statusCode).toBe(401);
      await signIn(t.app, user);
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
      const { id } = await t.factories.admin({ role: 'viewer' });

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
      const target = await makeUser(t.database, 'admin');
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
});
