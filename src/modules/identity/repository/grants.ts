import type { ExpressionBuilder, Kysely, Transaction } from 'kysely';
import type { DB } from '../../../platform/db/schema.ts';

// Every query of user_permissions: grants beyond a role, global or scoped to a resource, optionally expiring.

const live = (now: Date) => (eb: ExpressionBuilder<DB, 'user_permissions'>) =>
  eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]);

/** A user's grants that count now. */
export function liveGrantsOf(db: Kysely<DB>, userId: string, now: Date) {
  return db
    .selectFrom('user_permissions')
    .select(['permission', 'resource'])
    .where('user_id', '=', userId)
    .where(live(now))
    .execute();
}

export function grantsOf(db: Kysely<DB>, userId: string) {
  return db
    .selectFrom('user_permissions')
    .select(['id', 'permission', 'resource', 'granted_by', 'granted_at', 'expires_at'])
    .where('user_id', '=', userId)
    .orderBy('permission')
    .orderBy('resource')
    .execute();
}

/** The ends (null: none) of a user's live global grants of `permission`. */
export async function liveGlobalGrantEnds(
  db: Kysely<DB>,
  userId: string,
  permission: string,
  now: Date,
): Promise<(Date | null)[]> {
  const rows = await db
    .selectFrom('user_permissions')
    .select('expires_at')
    .where('user_id', '=', userId)
    .where('permission', '=', permission)
    .where('resource', 'is', null)
    .where(live(now))
    .execute();
  return rows.map((r) => r.expires_at);
}

/** Grants `permission` (on `resource`, null: everywhere), or renews the grant there is. */
export async function putGrant(
  trx: Transaction<DB>,
  grant: {
    user_id: string;
    permission: string;
    resource: string | null;
    granted_by: string;
    granted_at: Date;
    expires_at: Date | null;
  },
): Promise<void> {
  // The unique index treats a NULL resource as one value; look the grant up the same way.
  const { resource } = grant;
  const existing = await trx
    .selectFrom('user_permissions')
    .select('id')
    .where('user_id', '=', grant.user_id)
    .where('permission', '=', grant.permission)
    .where((eb) => (resource === null ? eb('resource', 'is', null) : eb('resource', '=', resource)))
    .executeTakeFirst();
  if (existing) {
    await trx
      .updateTable('user_permissions')
      .set({ granted_by: grant.granted_by, granted_at: grant.granted_at, expires_at: grant.expires_at })
      .where('id', '=', existing.id)
      .execute();
  } else {
    await trx.insertInto('user_permissions').values(grant).execute();
  }
}

/** Answers whether the grant existed. */
export async function deleteGrant(db: Kysely<DB>, userId: string, grantId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('user_permissions')
    .where('id', '=', grantId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
