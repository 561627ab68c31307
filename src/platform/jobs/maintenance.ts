import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Jobs } from './index.ts';
import { ensureAuditPartitions } from './maintenance/repository.ts';

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
export function defineMaintenance(jobs: Jobs, db: Kysely<DB>): void {
  // The audit trail's monthly partitions (a database function of the platform): this month and the next three
  // always exist.
  scheduleHousekeeping(jobs, 'maintenance.audit_partitions', '17 2 * * *', () =>
    ensureAuditPartitions(db, 3),
  );
}
