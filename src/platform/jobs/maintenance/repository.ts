import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** The queries of the platform's housekeeping jobs. */

/** The audit trail's monthly partitions: this month and the next `monthsAhead` exist afterwards (idempotent). */
export async function ensureAuditPartitions(db: Kysely<DB>, monthsAhead: number): Promise<void> {
  await sql`SELECT ensure_audit_log_partitions(${monthsAhead})`.execute(db);
}

// The two below clean tables of modules (admin_sessions: identity; booking_idempotency_keys: bookings). They stay
// here until their owners schedule them with `scheduleHousekeeping` (see ../maintenance.ts).

/** Sessions that expired or were ended before `before` (their rotated refresh tokens go with them). */
export async function deleteEndedSessions(db: Kysely<DB>, before: Date): Promise<void> {
  await db
    .deleteFrom('admin_sessions')
    .where((eb) => eb.or([eb('expires_at', '<', before), eb('invalidated_at', '<', before)]))
    .execute();
}

export async function deleteIdempotencyKeys(db: Kysely<DB>, before: Date): Promise<void> {
  await db.deleteFrom('booking_idempotency_keys').where('created_at', '<', before).execute();
}
