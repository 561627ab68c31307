import { sql, type RawBuilder } from 'kysely';

/**
 * The one rule by which failed sign-ins are counted, for accounts (admin_users) and for addresses without one
 * (unknown_login_attempts) alike: the lockout must answer both the same. Given the row's count, lock and last
 * failure columns, it yields their new values for one more failure: a lock that has run out, or a last failure
 * at or before `forgetBefore`, starts the count again at 1; the failure that reaches `max` locks until
 * `lockUntil`.
 */
/** When a failure happens, which failures are forgotten, how many lock, and until when a lock starting now lasts. */
export interface FailureRule {
  now: Date;
  forgetBefore: Date;
  max: number;
  lockUntil: Date;
}

export function nextFailure(
  columns: { attempts: string; lockedUntil: string; lastFailedAt: string },
  rule: FailureRule,
): { attempts: RawBuilder<number>; lockedUntil: RawBuilder<Date | null> } {
  const [count, locked, last] = [columns.attempts, columns.lockedUntil, columns.lastFailedAt].map((c) =>
    sql.ref(c),
  );
  const attempts = sql<number>`CASE
      WHEN (${locked} IS NOT NULL AND ${locked} <= ${rule.now}) OR ${last} <= ${rule.forgetBefore}
      THEN 1 ELSE ${count} + 1 END`;
  const lockedUntil = sql<Date | null>`CASE WHEN ${attempts} >= ${rule.max} THEN ${rule.lockUntil}::timestamptz ELSE NULL END`;
  return { attempts, lockedUntil };
}
