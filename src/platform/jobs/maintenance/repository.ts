import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** The queries of the platform's housekeeping jobs. */

/** The audit trail's monthly partitions: this month and the next `monthsAhead` exist afterwards (idempotent). */
export async function ensureAuditPartitions(db: Kysely<DB>, monthsAhead: number): Promise<void> {
  await sql`SELECT ensure_audit_log_partitions(${monthsAhead})`.execute(db);
}
