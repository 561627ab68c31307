import Type, { type Static } from 'typebox';
import { pageOf, pageQuery } from '../../platform/http/pagination.ts';
import { NullableString, NullableTimestamp, Timestamp, Uuid, Version } from '../../platform/http/schemas.ts';
import { Email, Language, NewPassword as Password, PERMISSIONS, RoleSchema } from '../identity/index.ts';

const Name = Type.String({ minLength: 1, maxLength: 100 });
const TimeZone = Type.String({
  minLength: 1,
  maxLength: 50,
  description: 'IANA time zone, e.g. Europe/Berlin',
});
const AvatarUrl = Type.Union([Type.String({ maxLength: 500, format: 'uri' }), Type.Null()]);

export const UserPage = pageOf(Type.Ref('User'));

/** A user signed in now, from the view active_admin_users: who, when last active, on how many sessions. */
export const ActiveUser = Type.Object({
  id: Uuid,
  email: Type.String(),
  first_name: Type.String(),
  last_name: Type.String(),
  role: RoleSchema,
  last_activity_at: Type.String({
    format: 'date-time',
    description: 'The latest activity over their live sessions',
  }),
  active_sessions: Type.Integer({ minimum: 1, description: 'Live sessions: not ended, not expired' }),
});
export const ActiveUserPage = pageOf(ActiveUser);
export const ActiveUserQuery = Type.Object({ ...pageQuery({ default: 10, max: 100 }) });
export type ActiveUserQuery = Static<typeof ActiveUserQuery>;

export const PermissionCatalogue = Type.Object({
  permissions: Type.Array(Type.Object({ name: Type.String(), description: Type.String() })),
  roles: Type.Record(Type.String(), Type.Array(Type.String())),
  scopable: Type.Record(Type.String(), Type.Array(Type.String()), {
    description:
      'The permissions a grant may limit to one resource, each with the kinds of resource its routes are ' +
      'about: { "pages.write": ["page"] } takes the resource "page:<id>". Other permissions are granted everywhere.',
  }),
});
export type PermissionCatalogue = Static<typeof PermissionCatalogue>;

export const UserListQuery = Type.Object({
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
});
export type UserListQuery = Static<typeof UserListQuery>;

const Profile = {
  first_name: Type.Optional(Name),
  last_name: Type.Optional(Name),
  language: Type.Optional(Language),
  timezone: Type.Optional(TimeZone),
  avatar_url: Type.Optional(AvatarUrl),
};

export const UserCreate = Type.Object(
  {
    email: Email,
    first_name: Name,
    last_name: Name,
    role: RoleSchema,
    language: Type.Optional(Language),
    timezone: Type.Optional(TimeZone),
    avatar_url: Type.Optional(AvatarUrl),
    // Omitted: the user gets an invitation mail to choose one.
    password: Type.Optional(Password),
  },
  { additionalProperties: false },
);
export type UserCreate = Static<typeof UserCreate>;

export const UserPatch = Type.Object(
  {
    version: Version,
    email: Type.Optional(Email),
    role: Type.Optional(RoleSchema),
    is_active: Type.Optional(Type.Boolean()),
    password: Type.Optional(Password),
    ...Profile,
  },
  { additionalProperties: false },
);
export type UserPatch = Static<typeof UserPatch>;

export const ProfilePatch = Type.Object({ version: Version, ...Profile }, { additionalProperties: false });
export type ProfilePatch = Static<typeof ProfilePatch>;

export const DeleteQuery = Type.Object({ version: Type.Optional(Version) });

export const GrantSchema = Type.Object({
  id: Uuid,
  permission: Type.String(),
  resource: NullableString,
  granted_by: Type.Union([Uuid, Type.Null()]),
  granted_at: Timestamp,
  expires_at: NullableTimestamp,
  active: Type.Boolean({ description: 'false once expired: an expired grant counts for nothing' }),
});
export type GrantView = Static<typeof GrantSchema>;
export const Grants = Type.Object({ items: Type.Array(GrantSchema) });

const PermissionName = Type.Union(
  Object.keys(PERMISSIONS).map((p) => Type.Literal(p)),
  { description: 'A name from GET /api/v1/permissions' },
);

export const GrantInput = Type.Object(
  {
    permission: PermissionName,
    resource: Type.Optional(
      Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()], {
        description:
          'Limits the grant to one resource, "<kind>:<uuid>" such as "page:<uuid>", for a permission listed in ' +
          'scopable of GET /api/v1/permissions; omitted: everywhere',
      }),
    ),
    expires_at: Type.Optional(Type.Union([Timestamp, Type.Null()])),
  },
  { additionalProperties: false },
);
export type GrantInput = Static<typeof GrantInput>;

export const GrantParams = Type.Object({ id: Uuid, grantId: Uuid });
