import { randomUUID } from 'node:crypto';
import type { FastifyRequest, InjectOptions, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorCode as code, useTestApp, type ErrorJson } from '../../../test/fixture.ts';
import { usersKit } from '../../../test/helpers/users.ts';
import { makeUser, signIn, type Session, type TestUser } from '../../../test/helpers/auth.ts';
import type { Page } from '../../platform/http/pagination.ts';
import type { UserView } from '../identity/index.ts';

/*
 * The users API: the last active super admin stays one; activate, deactivate, delete and restore.
 */

const t = useTestApp({
  now: new Date(),
  extend: (app) => {
    app.addHook('preHandler', async (request) => {
      if (request.headers['x-test-intercept'] && intercept) await intercept(request);
    });
  },
});
const call = t.call.bind(t);
const { clock } = t;
/** Runs inside a request marked with x-test-intercept, after the guard has signed the caller in. */
let intercept: ((request: FastifyRequest) => Promise<void>) | undefined;

const NEW_PASSWORD = 'a brand new passphrase';
let root: TestUser;
let rootS: Session;
let admin: TestUser;
let adminS: Session;
let editorS: Session;
let viewerS: Session;

beforeAll(async () => {
  ({ user: root, session: rootS } = await t.as('super_admin'));
  ({ user: admin, session: adminS } = await t.as('admin'));
  ({ session: editorS } = await t.as('editor'));
  ({ session: viewerS } = await t.as('viewer'));
});

const { getUser, status, login, freshUser, auditRows } = usersKit(t, () => rootS);

describe(`the users API: the last super admin, deactivation, deletion on ${t.engine}`, () => {
  describe('the last active super admin', () => {
    async function activeSuperAdmins(): Promise<number> {
      const row = await t.database.db
        .selectFrom('admin_users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('role', '=', 'super_admin')
        .where('is_active', '=', true)
        .where('deleted_at', 'is', null)
        .executeTakeFirstOrThrow();
      return row.n;
    }

    it('stays one even when the other super admin acting on them was demoted meanwhile', async () => {
      const second = await makeUser(t.database, 'super_admin');
      const secondS = await signIn(t.app, second);
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
        await t.database.db
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
      const gone = await t.factories.admin({ role: 'viewer' });
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
});
