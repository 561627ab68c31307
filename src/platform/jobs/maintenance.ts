import type { Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import type { DB } from '../db/schema.ts';
import type { Jobs } from './index.ts';
import {
  deleteEndedSessions,
  deleteIdempotencyKeys,
  ensureAuditPartitions,
} from './maintenance/repository.ts';

/**
 * A housekeeping job: one queue whose job runs `work` on a cron schedule (UTC); pg-boss runs each scheduled job
 * once across instances, and retries it when it fails. The owner of the data schedules its own housekeeping,
 * in its plugin: `scheduleHousekeeping(app.jobs, 'maintenance.sessions', '43 3 * * *', () => ...)`.
 */
export function scheduleHousekeeping(
  jobs: Jobs,
  name: string,
  cron: string,
  work: () => Promise<unknown>,
): void {
  jobs.defineQueue<Record<string, never>>({ name, retryLimit: 5, retryDelay: 60 }, async () => {
    await work();
  });
  jobs.every(name, cron);
}

/** The platform's own housekeeping. */
export function defineMaintenance(jobs: Jobs, db: Kysely<DB>, clock: Clock): void {
  // The audit trail's monthly partitions (a database function of the platform): this month and the next three
  // always exist.
  scheduleHousekeeping(jobs, 'maintenance.audit_partitions', '17 2 * * *', () =>
    ensureAuditPartitions(db, 3),
  );

  // Not the platform's: identity's sessions and bookings' idempotency keys, here until their modules schedule
  // them themselves.
  // Sessions that ended or expired more than 30 days ago (their rotated refresh tokens go with them).
  scheduleHousekeeping(jobs, 'maintenance.sessions', '43 3 * * *', () =>
    deleteEndedSessions(db, new Date(clock().getTime() - 30 * 24 * 3600_000)),
  );
  // Idempotency keys of public bookings answer a client's retries; a day covers any retry a client makes
  // (Stripe keeps its keys for 24 hours too). Afterwards the same key books afresh.
  scheduleHousekeeping(jobs, 'maintenance.booking_idempotency_keys', '29 * * * *', () =>
    deleteIdempotencyKeys(db, new Date(clock().getTime() - IDEMPOTENCY_KEY_HOURS * 3600_000)),
  );
}

/** How long a booking's Idempotency-Key is remembered. */
export const IDEMPOTENCY_KEY_HOURS = 24;
