import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { errorResponses, IdParams } from '../../platform/http/schemas.ts';
import { authOf } from '../identity/index.ts';
import {
  ActiveUserPage,
  ActiveUserQuery,
  DeleteQuery,
  GrantInput,
  GrantParams,
  Grants,
  PermissionCatalogue,
  ProfilePatch,
  UserCreate,
  UserListQuery,
  UserPage,
  UserPatch,
} from './schemas.ts';
import type { UsersService } from './service.ts';

export function userRoutes(app: FastifyInstance, users: UsersService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['users'];
  const read = { access: { permission: 'users.read' as const } };
  const manage = { access: { permission: 'users.manage' as const } };
  const User = Type.Ref('User');

  r.get(
    '/api/v1/permissions',
    {
      config: read,
      schema: {
        operationId: 'listPermissions',
        tags,
        summary: 'The permission catalogue and what each role has by default',
        response: { 200: PermissionCatalogue, ...errorResponses(401, 403) },
      },
    },
    () => users.permissionCatalogue(),
  );

  r.get(
    '/api/v1/users',
    {
      config: read,
      schema: {
        operationId: 'listUsers',
        tags,
        summary: 'List users (search, role, active, deleted), paginated',
        querystring: UserListQuery,
        response: { 200: UserPage, ...errorResponses(400, 401, 403) },
      },
    },
    (request) => users.list(request.query),
  );

  r.get(
    '/api/v1/users/active',
    {
      config: read,
      schema: {
        operationId: 'listActiveUsers',
        tags,
        summary: 'Who is signed in now (a live session), most recent activity first, paginated',
        description:
          'Active, not deleted users with at least one session that has not ended or expired (the view ' +
          'active_admin_users): their latest activity over those sessions and how many there are.',
        querystring: ActiveUserQuery,
        response: { 200: ActiveUserPage, ...errorResponses(400, 401, 403) },
      },
    },
    (request) => users.active(request.query),
  );

  r.post(
    '/api/v1/users',
    {
      config: manage,
      schema: {
        operationId: 'createUser',
        tags,
        summary: 'Create a user; without a password they get an invitation mail to choose one',
        body: UserCreate,
        response: { 201: User, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await users.create(authOf(request), request.body, request.actor)),
  );

  r.get(
    '/api/v1/users/:id',
    {
      config: read,
      schema: {
        operationId: 'getUser',
        tags,
        summary: 'One user (deleted ones too)',
        params: IdParams,
        response: { 200: User, ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => users.get(request.params.id),
  );

  r.patch(
    '/api/v1/users/:id',
    {
      config: manage,
      schema: {
        operationId: 'updateUser',
        tags,
        summary: 'Change a user (send the version you read)',
        description:
          'Changing the password, or deactivating, ends their sessions. Nobody gives a role above their own; ' +
          'only super admins change super admins; the last active super admin stays one.',
        params: IdParams,
        body: UserPatch,
        response: { 200: User, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => users.update(authOf(request), request.params.id, request.body, request.actor),
  );

  r.delete(
    '/api/v1/users/:id',
    {
      config: manage,
      schema: {
        operationId: 'deleteUser',
        tags,
        summary: 'Delete a user (soft: restorable); their sessions end',
        params: IdParams,
        querystring: DeleteQuery,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await users.remove(authOf(request), request.params.id, request.query.version, request.actor);
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/api/v1/users/:id/restore',
    {
      config: manage,
      schema: {
        operationId: 'restoreUser',
        tags,
        summary: 'Bring a deleted user back',
        params: IdParams,
        response: { 200: User, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => users.restore(authOf(request), request.params.id, request.actor),
  );

  for (const [action, active] of [
    ['activate', true],
    ['deactivate', false],
  ] as const) {
    r.post(
      `/api/v1/users/:id/${action}`,
      {
        config: manage,
        schema: {
          operationId: `${action}User`,
          tags,
          summary: active
            ? 'Activate a user (also lifts a lock)'
            : 'Deactivate a user; their sessions end at once',
          params: IdParams,
          response: { 200: User, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      (request) => users.setActive(authOf(request), request.params.id, active, request.actor),
    );
  }

  r.delete(
    '/api/v1/users/:id/2fa',
    {
      config: manage,
      schema: {
        operationId: 'resetUserTwoFactor',
        tags,
        summary: 'Turn off a user’s two-factor authentication (after a lost device)',
        params: IdParams,
        response: { 200: User, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => users.resetTwoFactor(authOf(request), request.params.id, request.actor),
  );

  r.get(
    '/api/v1/users/:id/permissions',
    {
      config: read,
      schema: {
        operationId: 'listUserGrants',
        tags,
        summary: 'A user’s permission grants (beyond their role), expired ones marked',
        params: IdParams,
        response: { 200: Grants, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ items: await users.grants(request.params.id) }),
  );

  r.post(
    '/api/v1/users/:id/permissions',
    {
      config: manage,
      schema: {
        operationId: 'createUserGrant',
        tags,
        summary: 'Grant a permission, globally or on one resource, optionally until a time',
        params: IdParams,
        body: GrantInput,
        response: { 200: Grants, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({
      items: await users.grant(authOf(request), request.params.id, request.body, request.actor),
    }),
  );

  r.delete(
    '/api/v1/users/:id/permissions/:grantId',
    {
      config: manage,
      schema: {
        operationId: 'deleteUserGrant',
        tags,
        summary: 'Revoke a grant',
        params: GrantParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await users.revokeGrant(authOf(request), request.params.id, request.params.grantId, request.actor);
      return reply.status(204).send(null);
    },
  );

  r.patch(
    '/api/v1/auth/me',
    {
      config: { access: 'authenticated', duringEnrolment: true },
      schema: {
        operationId: 'updateOwnProfile',
        tags: ['auth'],
        summary: 'Change your own profile (names, language, time zone, avatar)',
        body: ProfilePatch,
        response: { 200: User, ...errorResponses(400, 401, 403, 409) },
      },
    },
    (request) => users.updateProfile(authOf(request), request.body, request.actor),
  );
}
