import type { Insertable, Kysely } from 'kysely';
import type { AdminUsers, DB } from '../db/schema.ts';

/**
 * The seed's and the command line's queries of admin_users and admin_sessions, tables of the identity module:
 * the first super admin, `create-admin`, `unlock` and `reset-password` are written here until identity's public
 * API offers them (the platform may not import a module). They follow identity's rules: the lockout columns are
 * bookkeeping (no new version, no audit row), a new password ends every session.
 */

export async function insertAdminUser(db: Kysely<DB>, user: Insertable<AdminUsers>): Promise<string> {
  const row = await db.insertInto('admin_users').values(user).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** The live (not deleted) user with this e-mail, in any spelling. */
export function findLiveUserByEmail(db: Kysely<DB>, email: string): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('admin_users')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Whether an active, live super admin exists. */
export async function hasActiveSuperAdmin(db: Kysely<DB>): Promise<boolean> {
  const row = await db
    .selectFrom('admin_users')
    .select('id')
    .where('role', '=', 'super_admin')
    .where('is_active', '=', true)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** The first live super admin ever created (the demo content is written in their name). */
export function firstSuperAdmin(db: Kysely<DB>): Promise<{ id: string; email: string }> {
  return db
    .selectFrom('admin_users')
    .select(['id', 'email'])
    .where('role', '=', 'super_admin')
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .executeTakeFirstOrThrow();
}

/** A live account by e-mail (any spelling), with what `unlock` and `reset-password` report. */
export function findAccountByEmail(db: Kysely<DB>, email: string) {
  return db
    .selectFrom('admin_users')
    .select(['id', 'email', 'is_active', 'login_attempts', 'locked_until', 'totp_enabled_at'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Ends the lock and the count of failed sign-ins. */
export async function clearLockout(db: Kysely<DB>, id: string): Promise<void> {
  await db
    .updateTable('admin_users')
    .set({ login_attempts: 0, locked_until: null })
    .where('id', '=', id)
    .execute();
}

/** A new password set by the system: the lockout ends, and a reset link still out stops working. */
export async function setPasswordBySystem(
  db: Kysely<DB>,
  id: string,
  hashed: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('admin_users')
    .set({
      hashed_password: hashed,
      password_changed_at: now,
      login_attempts: 0,
      locked_until: null,
      password_reset_token: null,
      password_reset_expires_at: null,
      updated_by: null,
    })
    .where('id', '=', id)
    .execute();
}

/** Ends every live session of a user, as identity does on a password reset; answers how many ended. */
export async function endSessionsOnPasswordReset(db: Kysely<DB>, userId: string, now: Date): Promise<number> {
  const result = await db
    .updateTable('admin_sessions')
    .set({ invalidated_at: now, invalidated_reason: 'password_reset' })
    .where('user_id', '=', userId)
    .where('invalidated_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
