import { iso } from '../../platform/http/schemas.ts';
import type { Role } from './permissions.ts';
import type { UserRow } from './repository/accounts.ts';
import type { UserView } from './schemas.ts';

/** A user as the API shows it: never a password hash, reset token or TOTP secret. */
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
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    deleted_at: iso(row.deleted_at),
    version: row.version,
  };
}
