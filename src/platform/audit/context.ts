import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { setAuditSettings } from './repository.ts';

/** Who does a write and from where: stored by the audit trigger with every row change. */
export interface AuditActor {
  userId?: string | null;
  userEmail?: string | null;
  sessionId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
}

/** The actor of work the system does by itself (migrations, seeding, jobs). */
export const SYSTEM_ACTOR: AuditActor = Object.freeze({});

/**
 * Hands the actor to the audit trigger for the rest of this transaction (set_config(..., true) is
 * transaction-local, so concurrent requests never see each other's actor).
 */
export async function applyAuditContext(trx: Transaction<DB>, actor: AuditActor): Promise<void> {
  const value = (v: string | null | undefined) => v ?? '';
  await setAuditSettings(trx, {
    userId: value(actor.userId),
    userEmail: value(actor.userEmail),
    sessionId: value(actor.sessionId),
    ip: value(actor.ip),
    userAgent: value(actor.userAgent?.slice(0, 1000)),
    requestId: value(actor.requestId),
  });
}

/** Runs `fn` in a transaction whose row changes are audited as done by `actor`. Services write through this. */
export function writeTransaction<T>(
  db: Kysely<DB>,
  actor: AuditActor,
  fn: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await applyAuditContext(trx, actor);
    return fn(trx);
  });
}
