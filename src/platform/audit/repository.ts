import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { AuditLogs, DB } from '../db/schema.ts';

/** The audit trail's own writes: the actor handed to the trigger, and events that are not row changes. */

/** Sets the transaction-local settings the audit trigger reads (set_config(..., true)). */
export async function setAuditSettings(
  trx: Transaction<DB>,
  values: {
    userId: string;
    userEmail: string;
    sessionId: string;
    ip: string;
    userAgent: string;
    requestId: string;
  },
): Promise<void> {
  await sql`SELECT
      set_config('magnetiq.user_id', ${values.userId}, true),
      set_config('magnetiq.user_email', ${values.userEmail}, true),
      set_config('magnetiq.session_id', ${values.sessionId}, true),
      set_config('magnetiq.ip', ${values.ip}, true),
      set_config('magnetiq.user_agent', ${values.userAgent}, true),
      set_config('magnetiq.request_id', ${values.requestId}, true)`.execute(trx);
}

export async function insertAuditEvent(db: Kysely<DB>, row: Insertable<AuditLogs>): Promise<void> {
  await db.insertInto('audit_logs').values(row).execute();
}
