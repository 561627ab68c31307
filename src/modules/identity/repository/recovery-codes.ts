import type { Kysely } from 'kysely';
import type { DB } from '../../../platform/db/schema.ts';

// Every query of admin_recovery_codes (digests only; the codes are shown once and never stored).

/** Uses an unused code by its digest; answers whether there was one. */
export async function useRecoveryCode(
  db: Kysely<DB>,
  userId: string,
  digest: string,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('admin_recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', digest)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteRecoveryCodes(db: Kysely<DB>, userId: string): Promise<void> {
  await db.deleteFrom('admin_recovery_codes').where('user_id', '=', userId).execute();
}

export async function replaceRecoveryCodes(
  db: Kysely<DB>,
  userId: string,
  digests: string[],
  now: Date,
): Promise<void> {
  await deleteRecoveryCodes(db, userId);
  await db
    .insertInto('admin_recovery_codes')
    .values(digests.map((code_hash) => ({ user_id: userId, code_hash, created_at: now })))
    .execute();
}

export async function countUnusedRecoveryCodes(db: Kysely<DB>, userId: string): Promise<number> {
  const row = await db
    .selectFrom('admin_recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return row.n;
}
