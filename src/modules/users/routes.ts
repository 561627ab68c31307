import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { pageOf, pageQuery } from '../../platform/http/pagination.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { authOf } from '../identity/guard.ts';
import { PERMISSIONS, ROLE_PERMISSIONS, ROLES } from '../identity/permissions.ts';
import { RoleSchema } from '../identity/user-view.ts';
import { UsersService, type UsersDeps } from './service.ts';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Language = Type.Union([Type.Literal('en'), Type.Literal('de')]);
const Name = Type.String({ minLength: 1, maxLength: 100 });
const Email = Type.String({ minLength: 3, maxLength: 255, format: 'email' });
const TimeZone = Type.String({
  minLength: 1,
  maxLength: 50,
  description: 'IANA time zone, e.g. Europe/Berlin',
});
const AvatarUrl = Type.Union([Type.String({ maxLength: 500, format: 'uri' }), Type.Null()]);
const Password = Type.String({
  minLength: 12,
  maxLength: 128,
  description: '12–128 characters, not the e-mail',
});
const Version = Type.Integer({ minimum: 1, description: 'The version you read; a stale one answers 409' });

const UserPage = pageOf(Type.Ref('User'));

const Grant = Type.Object({
  id: Type.String({ format: 'uuid' }),
  permission: Type.String(),
  resource: Type.Union([Type.String(), Type.Null()]),
  granted_by: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  granted_at: Type.String({ format: 'date-time' }),
  expires_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  active: Type.Boolean({ description: 'false once expired: an expired grant counts for nothing' }),
});
const Grants = Type.Object({ items: Type.Array(Grant) });
const PermissionName = Type.Union(
  Object.keys(PERMISSIONS).map((p) => Type.Literal(p)),
  { description: 'A name from GET /api/v1/permissions' },
);

const Profile = {
  first_name: Type.Optional(Name),
  last_name: Type.Optional(Name),
  language: Type.Optional(Language),
  timezone: Type.Optional(TimeZone),
  avatar_url: Type.Optional(AvatarUrl),
};

export function userRoutes(app: FastifyInstance, deps: UsersDeps): void {
  const users = new UsersService(deps);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['users'];
  const read = { access: { permission: 'users.read' as const } };
  const manage = { access: { permission: 'users.manage' as const } };

  r.get(
    '/api/v1/permissions',
    {
      config: read,
      schema: {
        tags,
        summary: 'The permission catalogue and what each role has by default',
        response: {
          200: Type.Object({
            permissions: Type.Array(Type.Object({ name: Type.String(), description: Type.String() })),
            roles: Type.Record(Type.String(), Type.Array(Type.String())),
          }),
          ...errorResponses(401, 403),
        },
      },
    },
    () => ({
      permissions: Object.entries(PERMISSIONS).map(([name, description]) => ({ name, description })),
      roles: Object.fromEntries(ROLES.map((role) => [role, [...ROLE_PERMISSIONS[role]].sort()])),
    }),
  );

  r.get(
    '/api/v1/users',
    {
      config: read,
      schema: {
        tags,
        summary: 'List users (search, role, active, deleted), paginated',
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 100, description: 'Part of the e-mail or name' })),
          role: Type.Optional(RoleSchema),
          is_active: Type.Optional(Type.Boolean()),
          deleted: Type.Optional(
            Type.Union([Type.Literal('exclude'), Type.Literal('include'), Type.Literal('only')], {
              default: 'exclude',
              description: '"only" is the trash',
            }),
          ),
          ...pageQuery({ default: 25, max: 100 }),
        }),
        response: { 200: UserPage, ...errorResponses(400, 401, 403) },
      },
    },
    (request) => users.list(request.query),
  );

  r.post(
    '/api/v1/users',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Create a user; without a password they get an invitation mail to choose one',
        body: Type.Object(
          {
            email: Email,
            first_name: Name,
            last_name: Name,
            role: RoleSchema,
            language: Type.Optional(Language),
            timezone: Type.Optional(TimeZone),
            avatar_url: Type.Optional(AvatarUrl),
            password: Type.Optional(Password),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Ref('User'), ...errorResponses(400, 401, 403, 409) },
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
        tags,
        summary: 'One user (deleted ones too)',
        params: Id,
        response: { 200: Type.Ref('User'), ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => users.get(request.params.id),
  );

  r.patch(
    '/api/v1/users/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Change a user (send the version you read)',
        description:
          'Changing the password, or deactivating, ends their sessions. Nobody gives a role above their own; ' +
          'only super admins change super admins; the last active super admin stays one.',
        params: Id,
        body: Type.Object(
          {
            version: Version,
            email: Type.Optional(Email),
            role: Type.Optional(RoleSchema),
            is_active: Type.Optional(Type.Boolean()),
            password: Type.Optional(Password),
            ...Profile,
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref('User'), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => users.update(authOf(request), request.params.id, request.body, request.actor),
  );

  r.delete(
    '/api/v1/users/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Delete a user (soft: restorable); their sessions end',
        params: Id,
        querystring: Type.Object({ version: Type.Optional(Version) }),
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
        tags,
        summary: 'Bring a deleted user back',
        params: Id,
        response: { 200: Type.Ref('User'), ...errorResponses(400, 401, 403, 404, 409) },
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
          tags,
          summary: active
            ? 'Activate a user (also lifts a lock)'
            : 'Deactivate a user; their sessions end at once',
          params: Id,
          response: { 200: Type.Ref('User'), ...errorResponses(400, 401, 403, 404, 409) },
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
        tags,
        summary: 'Turn off a user’s two-factor authentication (after a lost device)',
        params: Id,
        response: { 200: Type.Ref('User'), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => users.resetTwoFactor(authOf(request), request.params.id, request.actor),
  );

  r.get(
    '/api/v1/users/:id/permissions',
    {
      config: read,
      schema: {
        tags,
        summary: 'A user’s permission grants (beyond their role), expired ones marked',
        params: Id,
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
        tags,
        summary: 'Grant a permission, globally or on one resource, optionally until a time',
        params: Id,
        body: Type.Object(
          {
            permission: PermissionName,
            resource: Type.Optional(
              Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()], {
                description: 'e.g. "page:<uuid>"; omitted: everywhere',
              }),
            ),
            expires_at: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
          },
          { additionalProperties: false },
        ),
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
        tags,
        summary: 'Revoke a grant',
        params: Type.Object({
          id: Type.String({ format: 'uuid' }),
          grantId: Type.String({ format: 'uuid' }),
        }),
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
        tags: ['auth'],
        summary: 'Change your own profile (names, language, time zone, avatar)',
        body: Type.Object({ version: Version, ...Profile }, { additionalProperties: false }),
        response: { 200: Type.Ref('User'), ...errorResponses(400, 401, 403, 409) },
      },
    },
    (request) => users.updateProfile(authOf(request), request.body, request.actor),
  );
}
