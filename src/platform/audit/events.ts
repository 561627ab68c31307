import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { AuditActor } from './context.ts';
import { insertAuditEvent } from './repository.ts';

/** Events that are not row changes; the trigger records INSERT/UPDATE/DELETE/SOFT_DELETE/RESTORE itself. */
export const AUDIT_EVENTS = [
  'LOGIN',
  'LOGIN_FAILED',
  'LOCKOUT',
  'LOGOUT',
  'TOKEN_REFRESH_REUSE',
  'SESSION_REVOKED',
  'PASSWORD_CHANGED',
  'PASSWORD_RESET_REQUESTED',
  'PASSWORD_RESET',
  'TWO_FACTOR_ENABLED',
  'TWO_FACTOR_DISABLED',
  'RECOVERY_CODE_USED',
] as const;
export type AuditEvent = (typeof AUDIT_EVENTS)[number];

export interface EventRecord {
  event: AuditEvent;
  /** The user the event is about (the record); the actor is who caused it. */
  subjectUserId?: string | null;
  description?: string;
  metadata?: Record<string, unknown>;
}

/** Writes one audit event. Never pass secrets in description or metadata. */
export async function recordEvent(db: Kysely<DB>, actor: AuditActor, record: EventRecord): Promise<void> {
  await insertAuditEvent(db, {
    event_type: record.event,
    table_name: record.subjectUserId ? 'admin_users' : null,
    record_id: record.subjectUserId ?? null,
    user_id: actor.userId ?? null,
    user_email: actor.userEmail ?? null,
    session_id: actor.sessionId ?? null,
    ip_address: actor.ip ?? null,
    user_agent: actor.userAgent?.slice(0, 1000) ?? null,
    request_id: actor.requestId ?? null,
    description: record.description ?? null,
    metadata: record.metadata ? JSON.stringify(record.metadata) : null,
  });
}
