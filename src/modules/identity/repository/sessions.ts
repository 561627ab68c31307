import type { Insertable, Kysely, Transaction } from 'kysely';
import type { AdminSessions, DB } from '../../../platform/db/schema.ts';

// Every query of admin_sessions and admin_session_rotated_tokens.

export type SessionEndReason =
  | 'logout'
  | 'revoked'
  | 'refresh_reuse'
  | 'password_changed'
  | 'password_reset'
  | 'user_deactivated'
  | 'user_deleted';

export async function insertSession(db: Kysely<DB>, values: Insertable<AdminSessions>): Promise<string> {
  const row = await db.insertInto('admin_sessions').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** A live session by the digest of its access token, with its user. */
export function sessionByAccessToken(db: Kysely<DB>, digest: string) {
  return db
    .selectFrom('admin_sessions as s')
    .innerJoin('admin_users as u', 'u.id', 's.user_id')
    .select([
      's.id as session_id',
      's.access_expires_at',
      's.last_activity_at',
      'u.id',
      'u.email',
      'u.role',
      'u.language',
      'u.is_active',
      'u.deleted_at',
      'u.totp_enabled_at',
    ])
    .where('s.session_token', '=', digest)
    .where('s.invalidated_at', 'is', null)
    .executeTakeFirst();
}

export async function touchSession(db: Kysely<DB>, id: string, now: Date): Promise<void> {
  await db.updateTable('admin_sessions').set({ last_activity_at: now }).where('id', '=', id).execute();
}

/**
 * A session, locked, with its token digests and its user's state: the one a refresh token belongs to now, or
 * (answering a refresh again within the grace) the one of that id.
 */
export function lockSession(trx: Transaction<DB>, by: { refreshToken: string } | { id: string }) {
  const query = trx
    .selectFrom('admin_sessions as s')
    .innerJoin('admin_users as u', 'u.id', 's.user_id')
    .select([
      's.id',
      's.user_id',
      's.session_token',
      's.refresh_token',
      's.access_expires_at',
      's.expires_at',
      's.invalidated_at',
      'u.is_active',
      'u.deleted_at',
      'u.email',
    ]);
  return ('id' in by ? query.where('s.id', '=', by.id) : query.where('s.refresh_token', '=', by.refreshToken))
    .forUpdate('s')
    .executeTakeFirst();
}

/** A refresh token (by digest) that was already exchanged: its session, when, and its successor's nonce. */
export function rotatedToken(db: Kysely<DB>, digest: string) {
  return db
    .selectFrom('admin_session_rotated_tokens')
    .select(['id', 'session_id', 'rotated_at', 'successor_nonce'])
    .where('token_hash', '=', digest)
    .executeTakeFirst();
}

/** Marks an exchanged token's one grace answer as given; false when it already was (atomically). */
export async function takeGraceAnswer(trx: Transaction<DB>, id: string, now: Date): Promise<boolean> {
  const result = await trx
    .updateTable('admin_session_rotated_tokens')
    .set({ grace_answered_at: now })
    .where('id', '=', id)
    .where('grace_answered_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Keeps the old refresh token's digest (to spot its reuse) with the nonce its successors were derived with,
 * and gives the session new tokens.
 */
export async function rotateSession(
  db: Kysely<DB>,
  id: string,
  old: { refreshDigest: string; successorNonce: string },
  next: { session_token: string; refresh_token: string; access_expires_at: Date; expires_at: Date },
  now: Date,
): Promise<void> {
  await db
    .insertInto('admin_session_rotated_tokens')
    .values({
      token_hash: old.refreshDigest,
      session_id: id,
      rotated_at: now,
      successor_nonce: old.successorNonce,
    })
    .execute();
  await db
    .updateTable('admin_sessions')
    .set({ ...next, last_activity_at: now })
    .where('id', '=', id)
    .execute();
}

/** Ends one live session; answers its owner, or undefined when it was not live. */
export function endSession(db: Kysely<DB>, id: string, reason: SessionEndReason, now: Date) {
  return db
    .updateTable('admin_sessions')
    .set({ invalidated_at: now, invalidated_reason: reason })
    .where('id', '=', id)
    .where('invalidated_at', 'is', null)
    .returning('user_id')
    .executeTakeFirst();
}

/** Ends every live session of a user (but `except`); answers how many ended. */
export async function endUserSessions(
  db: Kysely<DB>,
  userId: string,
  reason: SessionEndReason,
  now: Date,
  except?: string,
): Promise<number> {
  let query = db
    .updateTable('admin_sessions')
    .set({ invalidated_at: now, invalidated_reason: reason })
    .where('user_id', '=', userId)
    .where('invalidated_at', 'is', null);
  if (except) query = query.where('id', '<>', except);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export function liveSessionsOf(db: Kysely<DB>, userId: string, now: Date) {
  return db
    .selectFrom('admin_sessions')
    .select(['id', 'ip_address', 'user_agent', 'device_info', 'created_at', 'last_activity_at', 'expires_at'])
    .where('user_id', '=', userId)
    .where('invalidated_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('last_activity_at', 'desc')
    .execute();
}

export async function isLiveSessionOf(db: Kysely<DB>, id: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('admin_sessions')
    .select('id')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('invalidated_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** Sessions that expired or were ended before `before` (their rotated refresh tokens go with them). */
export async function deleteEndedSessions(db: Kysely<DB>, before: Date): Promise<void> {
  await db
    .deleteFrom('admin_sessions')
    .where((eb) => eb.or([eb('expires_at', '<', before), eb('invalidated_at', '<', before)]))
    .execute();
}
