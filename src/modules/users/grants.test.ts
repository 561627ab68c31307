import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorCode as code, useTestApp, type ErrorJson } from '../../../test/fixture.ts';
import { usersKit } from '../../../test/helpers/users.ts';
import { makeUser, type Session, type TestUser } from '../../../test/helpers/auth.ts';
import type { GrantView } from './schemas.ts';

/*
 * The users API: permission grants beyond a role: global, scoped, expiring, renewed, revoked.
 */

const t = useTestApp({
  now: new Date(),
  // The clock moves by hours here; the shared sessions must outlive that.
  env: { ACCESS_TOKEN_MINUTES: '1440' },
});
const call = t.call.bind(t);
const { clock } = t;
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

const { me, freshUser } = usersKit(t, () => rootS);

describe(`the users API: permission grants on ${t.engine}`, () => {
  describe('permission grants', () => {
    let grantee: TestUser;
    let granteeS: Session;

    beforeAll(async () => {
      ({ user: grantee, session: granteeS } = await freshUser('viewer'));
    });

    async function grants(id = grantee.id): Promise<GrantView[]> {
      const ok = await call(adminS, 'GET', `/api/v1/users/${id}/permissions`);
      expect(ok.statusCode).toBe(200);
      return ok.json<{ items: GrantView[] }>().items;
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
      const items = res.json<{ items: GrantView[] }>().items;
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

    it('a scoped grant shows in scoped_permissions, not in permissions; its id is kept in lowercase', async () => {
      const page = randomUUID();
      const res = await call(adminS, 'POST', `/api/v1/users/${grantee.id}/permissions`, {
        permission: 'pages.publish',
        resource: `page:${page.toUpperCase()}`,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json<{ items: GrantView[] }>().items).toContainEqual(
        expect.objectContaining({ permission: 'pages.publish', resource: `page:${page}`, active: true }),
      );
      const mine = await me(granteeS);
      expect(mine.permissions).not.toContain('pages.publish');
      expect(mine.scoped_permissions).toEqual([{ permission: 'pages.publish', resource: `page:${page}` }]);
    });

    it('the catalogue names the permissions a grant may limit to one resource, with the kind of resource', async () => {
      const res = await call(adminS, 'GET', '/api/v1/permissions');
      expect(res.statusCode).toBe(200);
      const { scopable } = res.json<{ scopable: Record<string, string[]> }>();
      expect(scopable).toEqual({
        'consultants.manage': ['consultant'],
        'consultants.read': ['consultant'],
        'media.read': ['media'],
        'media.write': ['media'],
        'pages.publish': ['page'],
        'pages.read': ['page'],
        'pages.write': ['page'],
      });
    });

    it('refuses a grant limited to a resource where no route checks the permission per resource (400)', async () => {
      const before = await grants();
      const res = await call(adminS, 'POST', `/api/v1/users/${grantee.id}/permissions`, {
        permission: 'settings.manage',
        resource: `page:${randomUUID()}`,
      });
      expect(res.statusCode).toBe(400);
      const { error } = res.json<ErrorJson>();
      expect(error.code).toBe('users.grant_not_scopable');
      expect(error.message).toContain('settings.manage');
      expect(error.message).toContain('pages.write');
      // The details say what can be limited, and to what.
      expect(error.details).toContainEqual({
        field: 'body.permission',
        code: 'scopable',
        message: 'pages.write: page:<id>',
      });
      expect(error.details.map((d) => d.message.split(':')[0])).not.toContain('settings.manage');
      const german = await call(
        adminS,
        'POST',
        `/api/v1/users/${grantee.id}/permissions`,
        { permission: 'bookings.manage', resource: `page:${randomUUID()}` },
        { 'accept-language': 'de' },
      );
      expect(code(german)).toBe('users.grant_not_scopable');
      expect(german.json<ErrorJson>().error.message).toContain(
        'lässt sich nicht auf eine Ressource beschränken',
      );
      expect(await grants()).toEqual(before);
    });

    it.each([
      ['of another kind', 'pages.write', `media:${randomUUID()}`],
      ['without a kind', 'pages.write', randomUUID()],
      ['whose id is no UUID', 'media.write', 'media:123'],
      ['of an unknown kind', 'consultants.manage', `person:${randomUUID()}`],
    ])(
      'refuses a grant limited to a resource %s (400 users.grant_resource_invalid)',
      async (_l, permission, resource) => {
        const before = await grants();
        const res = await call(adminS, 'POST', `/api/v1/users/${grantee.id}/permissions`, {
          permission,
          resource,
        });
        expect(res.statusCode).toBe(400);
        expect(code(res)).toBe('users.grant_resource_invalid');
        expect(res.json<ErrorJson>().error.details.map((d) => d.field)).toEqual(['body.resource']);
        expect(await grants()).toEqual(before);
      },
    );

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
        resource: `page:${randomUUID()}`,
      });
      expect(code(scoped)).toBe('users.permission_not_held');
      expect((await grants()).map((g) => g.permission)).not.toContain('settings.manage');

      const held = await call(bossS, 'POST', `/api/v1/users/${grantee.id}/permissions`, {
        permission: 'translations.review',
      });
      expect(held.statusCode).toBe(200);
      expect(held.json<{ items: GrantView[] }>().items).toContainEqual(
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
        .json<{ items: GrantView[] }>()
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
        resource: `page:${randomUUID()}`,
      });
      expect((await grants()).filter((g) => g.permission === 'pages.write')).toHaveLength(2);
      // And a renewed expired grant is live again.
      const renewed = await call(adminS, 'POST', `/api/v1/users/${grantee.id}/permissions`, {
        permission: 'media.write',
      });
      expect(renewed.json<{ items: GrantView[] }>().items).toContainEqual(
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
      const puppet = await makeUser(t.database, 'viewer');

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
});
