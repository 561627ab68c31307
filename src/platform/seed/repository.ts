import type { Insertable, Kysely } from 'kysely';
import type { AdminUsers, DB } from '../db/schema.ts';

/**
 * The seed's queries of admin_users, a table of the identity module: the first super admin and `create-admin`
 * are written here until identity's public API offers them (the platform may not import a module).
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
