import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../../platform/db/schema.ts';

/** The digests of an Idempotency-Key and its first request, and the booking it made (once it committed). */
export function findIdempotencyKey(
  db: Kysely<DB>,
  keyDigest: string,
): Promise<{ request_digest: string; booking_id: string | null } | undefined> {
  return db
    .selectFrom('booking_idempotency_keys')
    .select(['request_digest', 'booking_id'])
    .where('key_digest', '=', keyDigest)
    .executeTakeFirst();
}

/** Claims a key in the booking's transaction (a concurrent claim of the same key fails on the primary key). */
export async function insertIdempotencyKey(
  trx: Transaction<DB>,
  keyDigest: string,
  requestDigest: string,
): Promise<void> {
  await trx
    .insertInto('booking_idempotency_keys')
    .values({ key_digest: keyDigest, request_digest: requestDigest })
    .execute();
}

export async function setIdempotencyBooking(
  trx: Transaction<DB>,
  keyDigest: string,
  bookingId: string,
): Promise<void> {
  await trx
    .updateTable('booking_idempotency_keys')
    .set({ booking_id: bookingId })
    .where('key_digest', '=', keyDigest)
    .execute();
}

/** Forgets the keys claimed before `before`. */
export async function deleteIdempotencyKeys(db: Kysely<DB>, before: Date): Promise<void> {
  await db.deleteFrom('booking_idempotency_keys').where('created_at', '<', before).execute();
}
