import { sql, type Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import type { DB } from '../db/schema.ts';
import type { Jobs } from './index.ts';

/** Housekeeping every instance agrees on; pg-boss runs each scheduled job once across instances. */
export function defineMaintenance(jobs: Jobs, db: Kysely<DB>, clock: Clock): void {
  // The audit trail's monthly partitions: this month and the next three always exist (idempotent).
  jobs.define({ name: 'maintenance.audit_partitions', retryLimit: 5, retryDelay: 60 }, async () => {
    await sql`SELECT ensure_audit_log_partitions(3)`.execute(db);
  });
  jobs.every('maintenance.audit_partitions', '17 2 * * *');

  // Sessions that ended or expired more than 30 days ago (their rotated refresh tokens go with them).
  jobs.define({ name: 'maintenance.sessions', retryLimit: 5, retryDelay: 60 }, async () => {
    const before = new Date(clock().getTime() - 30 * 24 * 3600_000);
    await db
      .deleteFrom('admin_sessions')
      .where((eb) => eb.or([eb('expires_at', '<', before), eb('invalidated_at', '<', before)]))
      .execute();
  });
  jobs.every('maintenance.sessions', '43 3 * * *');

  // Idempotency keys of public bookings answer a client's retries; a day covers any retry a client makes
  // (Stripe keeps its keys for 24 hours too). Afterwards the same key books afresh.
  jobs.define({ name: 'maintenance.booking_idempotency_keys', retryLimit: 5, retryDelay: 60 }, async () => {
    const before = new Date(clock().getTime() - IDEMPOTENCY_KEY_HOURS * 3600_000);
    await db.deleteFrom('booking_idempotency_keys').where('created_at', '<', before).execute();
  });
  jobs.every('maintenance.booking_idempotency_keys', '29 * * * *');
}

/** How long a booking's Idempotency-Key is remembered. */
export const IDEMPOTENCY_KEY_HOURS = 24;
