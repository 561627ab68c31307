import type { Selectable } from 'kysely';
import Type, { type Static } from 'typebox';
import type { AdminUsers } from '../../platform/db/schema.ts';
import type { Role } from './permissions.ts';

const Timestamp = Type.String({ format: 'date-time' });
const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);

export const RoleSchema = Type.Union([
  Type.Literal('viewer'),
  Type.Literal('editor'),
  Type.Literal('admin'),
  Type.Literal('super_admin'),
]);

/** A user as the API shows it: never a password hash, reset token or TOTP secret. */
export const UserSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    email: Type.String(),
    first_name: Type.String(),
    last_name: Type.String(),
    avatar_url: Type.Union([Type.String(), Type.Null()]),
    timezone: Type.String(),
    language: Type.Union([Type.Literal('en'), Type.Literal('de')]),
    role: RoleSchema,
    is_active: Type.Boolean(),
    two_factor_enabled: Type.Boolean(),
    last_login_at: NullableTimestamp,
    locked_until: NullableTimestamp,
    password_changed_at: NullableTimestamp,
    created_at: Timestamp,
    updated_at: Timestamp,
    deleted_at: NullableTimestamp,
    version: Type.Integer(),
  },
  { $id: 'User' },
);
export type UserView = Static<typeof UserSchema>;

type UserRow = Pick<
  Selectable<AdminUsers>,
  | 'id'
  | 'email'
  | 'first_name'
  | 'last_name'
  | 'avatar_url'
  | 'timezone'
  | 'language'
  | 'role'
  | 'is_active'
  | 'totp_enabled_at'
  | 'last_login_at'
  | 'locked_until'
  | 'password_changed_at'
  | 'created_at'
  | 'updated_at'
  | 'deleted_at'
  | 'version'
>;

/** The columns toUserView needs, for selects. */
export const USER_COLUMNS = [
  'id',
  'email',
  'first_name',
  'last_name',
  'avatar_url',
  'timezone',
  'language',
  'role',
  'is_active',
  'totp_enabled_at',
  'last_login_at',
  'locked_until',
  'password_changed_at',
  'created_at',
  'updated_at',
  'deleted_at',
  'version',
] as const satisfies readonly (keyof UserRow)[];

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toUserView(row: UserRow): UserView {
  return {
    id: row.id,
    email: row.email,
    first_name: row.first_name,
    last_name: row.last_name,
    avatar_url: row.avatar_url,
    timezone: row.timezone,
    language: row.language === 'de' ? 'de' : 'en',
    role: row.role as Role,
    is_active: row.is_active,
    two_factor_enabled: row.totp_enabled_at !== null,
    last_login_at: iso(row.last_login_at),
    locked_until: iso(row.locked_until),
    password_changed_at: iso(row.password_changed_at),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    deleted_at: iso(row.deleted_at),
    version: row.version,
  };
}
