import type { Kysely } from 'kysely';
import type { DB } from '../../../platform/db/schema.ts';
import { nextFailure, type FailureRule } from './failure-count.ts';

// Every query of unknown_login_attempts: failed sign-ins at addresses no live account has, by the keyed digest
// of the address (never the address), counted by the rule accounts are counted by (failure-count.ts).

/** The lock of an address, if its row has one. */
export async function lockedUntilOf(db: Kysely<DB>, digest: string): Promise<Date | null> {
  const row = await db
    .selectFrom('unknown_login_attempts')
    .select('locked_until')
    .where('address_digest', '=', digest)
    .executeTakeFirst();
  return row?.locked_until ?? null;
}

/**
 * Counts a failed attempt in one statement (concurrent failures all count), with the rules of an account's
 * count: a lock that has run out, or a last failure at or before `forgetBefore`, starts the count again at 1;
 * the attempt that reaches `max` locks the address until `lockUntil`.
 */
export function countUnknownFailure(
  db: Kysely<DB>,
  digest: string,
  rule: FailureRule,
): Promise<{ attempts: number; locked_until: Date | null }> {
  const next = nextFailure(
    {
      attempts: 'unknown_login_attempts.attempts',
      lockedUntil: 'unknown_login_attempts.locked_until',
      lastFailedAt: 'unknown_login_attempts.last_failed_at',
    },
    rule,
  );
  return db
    .insertInto('unknown_login_attempts')
    .values({
      address_digest: digest,
      attempts: 1,
      // The first failure locks only where one failure is the limit.
      locked_until: rule.max <= 1 ? rule.lockUntil : null,
      last_failed_at: rule.now,
    })
    .onConflict((oc) =>
      oc.column('address_digest').doUpdateSet({
        attempts: next.attempts,
        locked_until: next.lockedUntil,
        last_failed_at: rule.now,
      }),
    )
    .returning(['attempts', 'locked_until'])
    .executeTakeFirstOrThrow();
}

/**
 * Rows that no longer count (housekeeping): the last failure before `forgetBefore` and no lock left at `now`.
 * The next failure at such an address would start at 1 with or without its row.
 */
export async function deleteForgottenUnknownFailures(
  db: Kysely<DB>,
  forgetBefore: Date,
  now: Date,
): Promise<number> {
  const result = await db
    .deleteFrom('unknown_login_attempts')
    .where('last_failed_at', '<', forgetBefore)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
