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
}
